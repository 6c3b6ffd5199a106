// Dumps Kafka's own ConfigDef of the broker, topic, producer and consumer as JSON on stdout.
// Run by scripts/gen_catalogue.py against the jars of one Kafka release; it only reads
// public API and uses reflection where the home of a ConfigDef moved between releases.

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;

public final class DumpConfigDefs {

    private DumpConfigDefs() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, Map<String, ConfigDef.ConfigKey>> kinds = new TreeMap<>();
        kinds.put("broker", keys(broker()));
        kinds.put("topic", topicKeys());
        synonyms = topicSynonyms(kinds.get("topic").keySet());
        kinds.put("producer", keys(staticConfigDef("org.apache.kafka.clients.producer.ProducerConfig")));
        kinds.put("consumer", keys(staticConfigDef("org.apache.kafka.clients.consumer.ConsumerConfig")));
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
        out.append("\n}\n");
        System.out.print(out);
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
        Class<?> logConfig = Class.forName("org.apache.kafka.storage.internals.log.LogConfig");
        Method method = logConfig.getMethod("serverConfigName", String.class);
        Map<String, String> result = new TreeMap<>();
        for (String key : topicKeys) {
            Object found = method.invoke(null, key);
            if (found instanceof java.util.Optional && ((java.util.Optional<?>) found).isPresent()) {
                result.put(key, String.valueOf(((java.util.Optional<?>) found).get()));
            }
        }
        return result;
    }

    private static ConfigDef broker() throws Exception {
        try {
            return staticConfigDef("kafka.server.KafkaConfig");
        } catch (ReflectiveOperationException | LinkageError e) {
            Field field = Class.forName("org.apache.kafka.server.config.AbstractKafkaConfig").getField("CONFIG_DEF");
            return (ConfigDef) field.get(null);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ConfigDef.ConfigKey> topicKeys() throws Exception {
        Class<?> logConfig = Class.forName("org.apache.kafka.storage.internals.log.LogConfig");
        Method method = logConfig.getMethod("configKeys");
        return (Map<String, ConfigDef.ConfigKey>) method.invoke(null);
    }

    private static ConfigDef staticConfigDef(String className) throws Exception {
        Method method = Class.forName(className).getMethod("configDef");
        if (!Modifier.isStatic(method.getModifiers())) {
            throw new NoSuchMethodException(className + ".configDef is not static");
        }
        return (ConfigDef) method.invoke(null);
    }

    private static Map<String, ConfigDef.ConfigKey> keys(ConfigDef def) {
        return def.configKeys();
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

    // Lambda and anonymous validators print as Foo$$Lambda$12/0x...@1a2b: useless and unstable.
    private static String stable(String text) {
        if (text == null || text.contains("$$Lambda") || text.matches(".*@[0-9a-f]+$")) {
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
