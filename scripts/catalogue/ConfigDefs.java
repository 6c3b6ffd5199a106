// Kafka's own ConfigDef of the broker, topic, producer and consumer, for one Kafka release.
// Compiled and run against that release's jars by scripts/lib/kafkajars.py; it reads public API
// and uses reflection where the home of a ConfigDef moved between releases:
//   broker    kafka.server.KafkaConfig.configDef() (static from 3.0; the Scala object's in 2.8),
//             org.apache.kafka.server.config.AbstractKafkaConfig.CONFIG_DEF (4.0+)
//   topic     kafka.log.LogConfig (Scala object, up to 3.4),
//             org.apache.kafka.storage.internals.log.LogConfig.configKeys() (3.5+)
//   synonyms  LogConfig.serverConfigName (scala.Option up to 3.4, Optional 3.5-3.x),
//             org.apache.kafka.server.config.ServerTopicConfigSynonyms (where it exists)
//   clients   ProducerConfig.configDef(), ConsumerConfig.configDef()
//
// Modes:
//   dump    the catalogue as JSON on stdout (scripts/gen_catalogue.py writes it under
//           policies/kafkalint/catalogue/)
//   check   reads cases from stdin, one per line: KIND TAB KEY TAB BASE64(UTF-8 value); answers
//           each with one JSON line, in order: {"v":"ok"}, {"v":"unknown"} (the kind's ConfigDef
//           has no such key) or {"v":"invalid","m":"<Kafka's message>"}. The verdict is exactly
//           what ConfigDef.parse does with one value: parseType, then the key's validator.

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

public final class ConfigDefs {

    private ConfigDefs() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "dump";
        Map<String, Map<String, ConfigDef.ConfigKey>> kinds = kinds();
        if (mode.equals("dump")) {
            System.out.print(dump(kinds));
        } else if (mode.equals("check")) {
            check(kinds);
        } else {
            System.err.println("usage: ConfigDefs dump|check");
            System.exit(2);
        }
    }

    private static Map<String, Map<String, ConfigDef.ConfigKey>> kinds() throws Exception {
        Map<String, Map<String, ConfigDef.ConfigKey>> kinds = new TreeMap<>();
        kinds.put("broker", broker().configKeys());
        kinds.put("topic", topicKeys());
        synonyms = topicSynonyms(kinds.get("topic").keySet());
        kinds.put("producer", staticConfigDef("org.apache.kafka.clients.producer.ProducerConfig").configKeys());
        kinds.put("consumer", staticConfigDef("org.apache.kafka.clients.consumer.ConsumerConfig").configKeys());
        return kinds;
    }

    private static void check(Map<String, Map<String, ConfigDef.ConfigKey>> kinds) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, "UTF-8");
        Base64.Decoder decoder = Base64.getDecoder();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split("\t", -1);
            Map<String, ConfigDef.ConfigKey> keys = kinds.get(parts[0]);
            ConfigDef.ConfigKey key = keys == null ? null : keys.get(parts[1]);
            if (key == null) {
                out.println("{\"v\": \"unknown\"}");
                continue;
            }
            String value = new String(decoder.decode(parts[2]), StandardCharsets.UTF_8);
            try {
                // ConfigDef.parseValue for a value that is set: parse by type, then validate
                Object parsed = ConfigDef.parseType(key.name, value, key.type);
                if (key.validator != null) {
                    key.validator.ensureValid(key.name, parsed);
                }
                out.println("{\"v\": \"ok\"}");
            } catch (ConfigException e) {
                out.println("{\"v\": \"invalid\", \"m\": " + quote(String.valueOf(e.getMessage())) + "}");
            } catch (RuntimeException e) {
                // a validator that fails otherwise (a NullPointerException on a bad value) refuses it too
                out.println("{\"v\": \"invalid\", \"m\": " + quote(e.getClass().getName() + ": " + e.getMessage()) + "}");
            }
        }
        out.flush();
    }

    private static String dump(Map<String, Map<String, ConfigDef.ConfigKey>> kinds) throws Exception {
        StringBuilder out = new StringBuilder("{");
        boolean firstKind = true;
        for (Map.Entry<String, Map<String, ConfigDef.ConfigKey>> kind : kinds.entrySet()) {
            out.append(firstKind ? "" : ",").append("\n").append(quote(kind.getKey())).append(": {");
            firstKind = false;
            boolean firstKey = true;
            for (ConfigDef.ConfigKey key : new TreeMap<>(kind.getValue()).values()) {
                out.append(firstKey ? "" : ",").append("\n ").append(quote(key.name)).append(": ");
                firstKey = false;
                kindName = kind.getKey();
                key(out, key);
            }
            out.append("\n}");
        }
        return out.append("\n}\n").toString();
    }

    // Topic key -> the broker key that sets its cluster-wide default (retention.ms -> log.retention.ms).
    private static Map<String, String> synonyms = new TreeMap<>();
    private static String kindName = "";

    @SuppressWarnings("unchecked")
    private static Map<String, String> topicSynonyms(Iterable<String> topicKeys) throws Exception {
        try {
            Field field = Class.forName("org.apache.kafka.server.config.ServerTopicConfigSynonyms")
                .getField("TOPIC_CONFIG_SYNONYMS");
            return new TreeMap<>((Map<String, String>) field.get(null));
        } catch (ReflectiveOperationException | LinkageError e) {
            // older releases: ask LogConfig key by key
        }
        Method method;
        try {
            method = Class.forName("org.apache.kafka.storage.internals.log.LogConfig").getMethod("serverConfigName", String.class);
        } catch (ReflectiveOperationException | LinkageError e) {
            method = Class.forName("kafka.log.LogConfig").getMethod("serverConfigName", String.class);
        }
        Map<String, String> result = new TreeMap<>();
        for (String key : topicKeys) {
            String found = present(method.invoke(null, key));
            if (found != null) {
                result.put(key, found);
            }
        }
        return result;
    }

    // java.util.Optional or scala.Option -> its value, or null when empty
    private static String present(Object option) throws Exception {
        if (option instanceof java.util.Optional) {
            java.util.Optional<?> optional = (java.util.Optional<?>) option;
            return optional.isPresent() ? String.valueOf(optional.get()) : null;
        }
        Method defined = option.getClass().getMethod("isDefined");
        if (!(Boolean) defined.invoke(option)) {
            return null;
        }
        return String.valueOf(option.getClass().getMethod("get").invoke(option));
    }

    private static ConfigDef broker() throws Exception {
        try {
            Field field = Class.forName("org.apache.kafka.server.config.AbstractKafkaConfig").getField("CONFIG_DEF");
            return (ConfigDef) field.get(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            // before 4.0 the broker's ConfigDef lives in the Scala KafkaConfig
        }
        try {
            return staticConfigDef("kafka.server.KafkaConfig");
        } catch (ReflectiveOperationException e) {
            return scalaObjectConfigDef("kafka.server.KafkaConfig", "configDef");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ConfigDef.ConfigKey> topicKeys() throws Exception {
        try {
            Class<?> logConfig = Class.forName("org.apache.kafka.storage.internals.log.LogConfig");
            return (Map<String, ConfigDef.ConfigKey>) logConfig.getMethod("configKeys").invoke(null);
        } catch (ClassNotFoundException e) {
            // up to 3.4 the Scala kafka.log.LogConfig object holds it
        }
        return scalaObjectConfigDef("kafka.log.LogConfig", "configDefCopy").configKeys();
    }

    private static ConfigDef staticConfigDef(String className) throws Exception {
        Method method = Class.forName(className).getMethod("configDef");
        if (!Modifier.isStatic(method.getModifiers())) {
            throw new NoSuchMethodException(className + ".configDef is not static");
        }
        return (ConfigDef) method.invoke(null);
    }

    private static ConfigDef scalaObjectConfigDef(String className, String methodName) throws Exception {
        Class<?> companion = Class.forName(className + "$");
        Object module = companion.getField("MODULE$").get(null);
        return (ConfigDef) companion.getMethod(methodName).invoke(module);
    }

    private static void key(StringBuilder out, ConfigDef.ConfigKey key) throws Exception {
        out.append("{\"type\": ").append(quote(key.type.name()));
        if (key.hasDefault()) {
            out.append(", \"default\": ").append(value(key.defaultValue));
        } else {
            out.append(", \"required\": true");
        }
        out.append(", \"importance\": ").append(quote(key.importance.name().toLowerCase()));
        if (kindName.equals("topic") && synonyms.containsKey(key.name)) {
            out.append(", \"broker_synonym\": ").append(quote(synonyms.get(key.name)));
        }
        if (key.internalConfig) {
            out.append(", \"internal\": true");
        }
        if (key.validator != null) {
            String text = stable(key.validator.toString());
            if (text != null) {
                out.append(", \"validator\": ").append(quote(text));
            }
            out.append(", \"validator_kind\": ").append(quote(validatorKind(key.validator)));
            Object[] range = range(key.validator);
            if (range != null) {
                out.append(", \"range\": [").append(value(range[0])).append(", ").append(value(range[1])).append("]");
            }
            list(out, key.validator);
            if (validatorKind(key.validator).startsWith("ControllerQuorum")) {
                // these validators parse each entry with Utils.getHost/getPort, whose pattern changed in 3.8
                out.append(", \"host_port_pattern\": ").append(quote(hostPortPattern()));
            }
            List<String> choices = choices(key.validator);
            if (choices != null) {
                out.append(", \"enum\": ").append(value(choices));
                if (caseInsensitive(key.validator)) {
                    out.append(", \"enum_case_insensitive\": true");
                }
            }
        }
        out.append("}");
    }

    // From 4.2 (KIP-1161) a ValidList also refuses duplicates and empty items always, an empty
    // list unless allowed, and accepts any item when it was built without choices.
    private static void list(StringBuilder out, ConfigDef.Validator validator) {
        ConfigDef.Validator found = find(validator, "ValidList");
        if (found == null) {
            return;
        }
        Object empty = field(found, "isEmptyAllowed");
        if (empty instanceof Boolean) {
            out.append(", \"list_empty_allowed\": ").append(empty);
            out.append(", \"list_unique\": true, \"list_items_non_empty\": true");
        }
    }

    private static String hostPortPattern() throws Exception {
        Field field = Class.forName("org.apache.kafka.common.utils.Utils").getDeclaredField("HOST_PORT_PATTERN");
        field.setAccessible(true);
        return ((java.util.regex.Pattern) field.get(null)).pattern();
    }

    private static ConfigDef.Validator find(ConfigDef.Validator validator, String simpleName) {
        if (validator.getClass().getSimpleName().equals(simpleName)) {
            return validator;
        }
        if (validator instanceof ConfigDef.CompositeValidator) {
            Object inner = field(validator, "validators");
            if (inner instanceof Collection) {
                for (Object item : (Collection<?>) inner) {
                    ConfigDef.Validator found = find((ConfigDef.Validator) item, simpleName);
                    if (found != null) {
                        return found;
                    }
                }
            }
        }
        return null;
    }

    // Lambda and anonymous validators print as Foo$$Lambda$12/0x...@1a2b: useless and unstable.
    private static String stable(String text) {
        if (text == null || text.isEmpty() || text.contains("$$Lambda") || text.matches(".*@[0-9a-f]+$")) {
            return null;
        }
        return text;
    }

    private static String validatorKind(ConfigDef.Validator validator) {
        Class<?> type = validator.getClass();
        String name = type.getSimpleName();
        if (name.isEmpty() || name.contains("$$Lambda") || type.isSynthetic()) {
            return "custom";
        }
        return name;
    }

    private static Object field(Object target, String name) {
        for (Class<?> type = target.getClass(); type != null; type = type.getSuperclass()) {
            try {
                Field field = type.getDeclaredField(name);
                field.setAccessible(true);
                return field.get(target);
            } catch (NoSuchFieldException e) {
                // try the superclass
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
        return null;
    }

    private static Object[] range(ConfigDef.Validator validator) {
        if (validator instanceof ConfigDef.Range) {
            return new Object[] {field(validator, "min"), field(validator, "max")};
        }
        if (validator instanceof ConfigDef.CompositeValidator) {
            Object inner = field(validator, "validators");
            if (inner instanceof Collection) {
                for (Object item : (Collection<?>) inner) {
                    Object[] found = range((ConfigDef.Validator) item);
                    if (found != null) {
                        return found;
                    }
                }
            }
        }
        return null;
    }

    private static boolean caseInsensitive(ConfigDef.Validator validator) {
        return validator.getClass().getSimpleName().startsWith("CaseInsensitive");
    }

    private static List<String> choices(ConfigDef.Validator validator) {
        String kind = validator.getClass().getSimpleName();
        Object inner = null;
        if (kind.equals("ValidString") || kind.equals("CaseInsensitiveValidString")) {
            inner = field(validator, "validStrings");
        } else if (kind.equals("ValidList")) {
            Object valid = field(validator, "validString");
            inner = valid == null ? field(validator, "validStrings") : field(valid, "validStrings");
            if (inner instanceof Collection && ((Collection<?>) inner).isEmpty()) {
                return null; // 4.2+ anyNonDuplicateValues: any item
            }
        } else if (validator instanceof ConfigDef.CompositeValidator) {
            Object list = field(validator, "validators");
            if (list instanceof Collection) {
                for (Object item : (Collection<?>) list) {
                    List<String> found = choices((ConfigDef.Validator) item);
                    if (found != null) {
                        return found;
                    }
                }
            }
        }
        if (!(inner instanceof Collection)) {
            return null;
        }
        List<String> result = new ArrayList<>();
        for (Object item : (Collection<?>) inner) {
            result.add(String.valueOf(item));
        }
        return result;
    }

    private static String value(Object value) {
        if (value == null || value instanceof Password) {
            return "null";
        }
        if (value instanceof Boolean || value instanceof Integer || value instanceof Long || value instanceof Short) {
            return value.toString();
        }
        if (value instanceof Double || value instanceof Float) {
            double number = ((Number) value).doubleValue();
            if (Double.isNaN(number) || Double.isInfinite(number)) {
                return quote(value.toString());
            }
            return value.toString();
        }
        if (value instanceof Class) {
            return quote(((Class<?>) value).getName());
        }
        if (value instanceof Collection) {
            StringBuilder out = new StringBuilder("[");
            boolean first = true;
            for (Object item : (Collection<?>) value) {
                out.append(first ? "" : ", ").append(item instanceof Class ? quote(((Class<?>) item).getName()) : quote(String.valueOf(item)));
                first = false;
            }
            return out.append("]").toString();
        }
        return quote(value.toString());
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        return out.append("\"").toString();
    }
}
