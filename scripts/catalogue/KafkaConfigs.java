// Kafka's own broker validation (KafkaConfig: parse every key, then validateValues) of whole
// server.properties files, for one Kafka release. Compiled and run against that release's jars by
// scripts/lib/kafkajars.py, like ConfigDefs.java beside it; tests/catalogue/test_kafkaconfig_jvm.py
// feeds it the configurations generated for the rules where Kafka refuses a broker or controller.
//
// Reads cases from stdin, one per line: BASE64(UTF-8 text of a .properties file). Answers each with
// one JSON line, in order: {"v":"ok"} when `new kafka.server.KafkaConfig(props)` returns, else
// {"v":"refused","e":"<exception class>","m":"<its message>"}. Nothing is started or connected to:
// the constructor only parses and validates (as KafkaConfig.fromProps does when a broker starts).

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.StringReader;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;

public final class KafkaConfigs {

    private KafkaConfigs() {
    }

    public static void main(String[] args) throws Exception {
        Constructor<?> constructor = Class.forName("kafka.server.KafkaConfig").getConstructor(Map.class);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, "UTF-8");
        Base64.Decoder decoder = Base64.getDecoder();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isEmpty()) {
                continue;
            }
            Properties props = new Properties();
            props.load(new StringReader(new String(decoder.decode(line), StandardCharsets.UTF_8)));
            try {
                constructor.newInstance(props);
                out.println("{\"v\": \"ok\"}");
            } catch (InvocationTargetException wrapped) {
                Throwable e = wrapped.getCause();
                out.println("{\"v\": \"refused\", \"e\": " + quote(e.getClass().getName()) + ", \"m\": "
                    + quote(String.valueOf(e.getMessage())) + "}");
            }
        }
        out.flush();
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
