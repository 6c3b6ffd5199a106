import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Reads each file named on the command line with java.util.Properties.load(InputStream), as
 * Kafka (Utils.loadProps) and ZooKeeper (QuorumPeerConfig) read theirs, and prints, per file,
 * one line per property: the key and the value as UTF-16 code units in hex, so any character
 * survives the trip back to the test.
 */
public final class ReadProperties {
    private ReadProperties() {
    }

    private static String hex(String text) {
        StringBuilder out = new StringBuilder();
        for (int index = 0; index < text.length(); index++) {
            out.append(String.format("%04x", (int) text.charAt(index)));
        }
        return out.toString();
    }

    public static void main(String[] args) throws IOException {
        for (String name : args) {
            Properties properties = new Properties();
            try (InputStream in = new FileInputStream(name)) {
                properties.load(in);
            }
            Map<String, String> sorted = new TreeMap<>();
            for (String key : properties.stringPropertyNames()) {
                sorted.put(key, properties.getProperty(key));
            }
            System.out.println("file " + name + " " + sorted.size());
            for (Map.Entry<String, String> entry : sorted.entrySet()) {
                System.out.println(hex(entry.getKey()) + " " + hex(entry.getValue()));
            }
        }
    }
}
