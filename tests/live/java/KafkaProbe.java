/*
 * KafkaProbe: drives the real Apache Kafka Java client (the jars of the assembled 3.9.1
 * archive) for the live-cluster proofs in tests/live. Every result is one JSON object per
 * line on stdout, so pytest can parse it; the client's own logging goes to stderr.
 *
 * Usage (options are key=value words after the positional arguments):
 *   construct FILE...                          build a KafkaProducer from each properties file,
 *                                              report the ConfigException it raises (or ok)
 *   send FILE TOPIC COUNT [key=K] [size=B]     send COUNT records one after the other, waiting
 *        [partition=P] [timeout_ms=T]          for each; per-record result with exception class
 *   burst FILE TOPIC COUNT [size=B]            send COUNT records without waiting (load) to
 *        [partitions=N] [stop_after_errors=E]  partitions 0..N-1 in turn; a summary of send()
 *        [go=PATH]                             blocking times and outcomes; with go, warm up,
 *                                              print burst-ready, wait for PATH to exist
 *   stream FILE TOPIC acked=PATH [keys=N]      numbered keyed stream at rate/s until count,
 *        [rate=R] [count=N] [duration_s=S]     duration or the stop file; every acknowledged
 *        [stop=PATH]                           record is appended to acked as "key seq part off"
 *   consume BOOTSTRAP TOPIC OUT [timeout_s=S]  read every partition from the beginning to its end
 *        [props=FILE]                          offset, write "key seq part off" lines to OUT; FILE
 *                                              adds client settings (security.protocol, SASL, TLS)
 *   create-topic BOOTSTRAP TOPIC PARTITIONS RF [config.k=v...] [timeout_ms=T]
 *   delete-topics BOOTSTRAP TOPIC...
 *   describe BOOTSTRAP [TOPIC...] [timeout_ms=T]  brokers, controller, partitions (leader/replicas/isr)
 *   broker-config BOOTSTRAP BROKER_ID KEY...   effective broker config values
 *   quorum CONTROLLERS [timeout_ms=T]          the KRaft quorum as the controllers report it
 *                                              (bootstrap.controllers, KIP-919): leader, epoch,
 *                                              high watermark, voters and observers with their
 *                                              log end offsets
 *   serve                                      run commands read from stdin, one per line (words
 *                                              separated by TAB), each answered by its JSON lines
 *                                              and {"mode":"done"}
 *
 * Exit code 0 when the probe ran (the JSON says what Kafka did), 2 on bad usage.
 */

import java.io.BufferedWriter;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

public final class KafkaProbe {
    private KafkaProbe() {
    }

    // ---------------------------------------------------------------- JSON output

    /** A JSON object built in insertion order; values: String, Number, Boolean, null, List, Map. */
    static final class Json {
        private final Map<String, Object> fields = new LinkedHashMap<>();

        Json put(String key, Object value) {
            fields.put(key, value);
            return this;
        }

        @Override
        public String toString() {
            StringBuilder out = new StringBuilder();
            write(out, fields);
            return out.toString();
        }

        private static void write(StringBuilder out, Object value) {
            if (value == null) {
                out.append("null");
            } else if (value instanceof Json) {
                write(out, ((Json) value).fields);
            } else if (value instanceof Map) {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    writeString(out, String.valueOf(entry.getKey()));
                    out.append(':');
                    write(out, entry.getValue());
                }
                out.append('}');
            } else if (value instanceof Collection) {
                out.append('[');
                boolean first = true;
                for (Object item : (Collection<?>) value) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    write(out, item);
                }
                out.append(']');
            } else if (value instanceof Number || value instanceof Boolean) {
                out.append(value);
            } else {
                writeString(out, value.toString());
            }
        }

        private static void writeString(StringBuilder out, String text) {
            out.append('"');
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
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
            out.append('"');
        }
    }

    private static synchronized void emit(Json line) {
        System.out.println(line);
        System.out.flush();
    }

    /** The outermost exception that explains a failure: ExecutionException wrappers removed. */
    private static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while ((current instanceof ExecutionException || current.getClass() == RuntimeException.class)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /** exception, message and the cause chain (class: message) of a failure. */
    private static Json describeError(Json line, Throwable error) {
        Throwable top = unwrap(error);
        line.put("exception", top.getClass().getName()).put("message", top.getMessage());
        List<String> chain = new ArrayList<>();
        for (Throwable cause = top.getCause(); cause != null && chain.size() < 5; cause = cause.getCause()) {
            chain.add(cause.getClass().getName() + ": " + cause.getMessage());
        }
        line.put("causes", chain);
        return line;
    }

    // ---------------------------------------------------------------- arguments

    private static final class Args {
        final List<String> positional = new ArrayList<>();
        final Map<String, String> options = new LinkedHashMap<>();

        Args(String[] argv, int from) {
            for (int i = from; i < argv.length; i++) {
                String word = argv[i];
                int eq = word.indexOf('=');
                int slash = word.indexOf('/');
                if (eq > 0 && (slash < 0 || slash > eq)) {
                    options.put(word.substring(0, eq), word.substring(eq + 1));
                } else {
                    positional.add(word);
                }
            }
        }

        String pos(int index, String name) {
            if (index >= positional.size()) {
                throw new UsageError("missing argument " + name);
            }
            return positional.get(index);
        }

        long num(String key, long fallback) {
            String value = options.get(key);
            if (value == null) {
                return fallback;
            }
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new UsageError("option " + key + " wants a number, got " + value);
            }
        }

        String str(String key, String fallback) {
            return options.getOrDefault(key, fallback);
        }
    }

    private static final class UsageError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageError(String message) {
            super(message);
        }
    }

    private static Properties load(String file) {
        Properties props = new Properties();
        try (InputStream in = new FileInputStream(file)) {
            props.load(in);
        } catch (IOException e) {
            throw new UsageError("cannot read properties file " + file + ": " + e.getMessage());
        }
        return props;
    }

    private static Properties producerProps(String file) {
        Properties props = load(file);
        props.putIfAbsent(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.putIfAbsent(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return props;
    }

    private static Admin admin(String bootstrap, long timeoutMs) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeoutMs, 30000));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMs);
        props.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 200);
        return Admin.create(props);
    }

    private static String payload(String head, int size) {
        if (size <= head.length()) {
            return head;
        }
        StringBuilder text = new StringBuilder(size);
        text.append(head).append(' ');
        while (text.length() < size) {
            text.append('x');
        }
        return text.toString();
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- producer modes

    /** KafkaProducer construction: Kafka validates the configuration here (KL202-KL206). */
    private static void construct(Args args) {
        for (String file : args.positional) {
            Json line = new Json().put("mode", "construct").put("file", file);
            try {
                new KafkaProducer<String, String>(producerProps(file)).close(Duration.ZERO);
                line.put("ok", true);
            } catch (Throwable error) {
                line.put("ok", false);
                describeError(line, error);
                // The exact text Kafka reports is the ConfigException's, wherever it sits in the chain.
                for (Throwable cause = error; cause != null; cause = cause.getCause()) {
                    if (cause instanceof ConfigException) {
                        line.put("config_exception", cause.getMessage());
                        break;
                    }
                }
            }
            emit(line);
        }
    }

    /** Synchronous sends: one record, wait for its acknowledgement, next (the seeds' "sync send"). */
    private static void send(Args args) {
        Properties props = producerProps(args.pos(0, "FILE"));
        String topic = args.pos(1, "TOPIC");
        long count = Long.parseLong(args.pos(2, "COUNT"));
        int size = (int) args.num("size", 0);
        String key = args.str("key", null);
        long partitionOpt = args.num("partition", -1);
        Integer partition = partitionOpt >= 0 ? (int) partitionOpt : null;
        long waitMs = args.num("timeout_ms", 180000);
        int ok = 0;
        Map<String, Integer> errors = new TreeMap<>();
        long started = System.nanoTime();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (long seq = 0; seq < count; seq++) {
                Json line = new Json().put("mode", "send").put("seq", seq);
                long t0 = System.nanoTime();
                try {
                    Future<RecordMetadata> future = producer.send(
                            new ProducerRecord<>(topic, partition, key, payload("record " + seq, size)));
                    line.put("send_ms", (System.nanoTime() - t0) / 1_000_000);
                    RecordMetadata meta = future.get(waitMs, TimeUnit.MILLISECONDS);
                    line.put("ok", true).put("partition", meta.partition()).put("offset", meta.offset());
                    ok++;
                } catch (Throwable error) {
                    line.put("ok", false);
                    describeError(line, error);
                    errors.merge(unwrap(error).getClass().getSimpleName(), 1, Integer::sum);
                }
                line.put("elapsed_ms", (System.nanoTime() - t0) / 1_000_000);
                emit(line);
            }
        }
        emit(new Json().put("mode", "send-summary").put("ok", ok).put("failed", count - ok).put("errors", errors)
                .put("elapsed_ms", (System.nanoTime() - started) / 1_000_000));
    }

    /**
     * Asynchronous sends as fast as send() returns: the load under which buffer.memory matters.
     * Records go to partitions 0..N-1 in turn, as keyed traffic would; stops early after
     * stop_after_errors failures. Reports how long send() blocked, in particular the sends that
     * failed inside send() (BufferExhaustedException after max.block.ms).
     */
    private static void burst(Args args) {
        Properties props = producerProps(args.pos(0, "FILE"));
        String topic = args.pos(1, "TOPIC");
        int count = Integer.parseInt(args.pos(2, "COUNT"));
        int size = (int) args.num("size", 1000);
        int partitions = (int) args.num("partitions", 1);
        long stopAfterErrors = args.num("stop_after_errors", Long.MAX_VALUE);
        long closeMs = args.num("close_timeout_ms", 60000);
        AtomicLong acked = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Map<String, Integer> errors = new ConcurrentHashMap<>();
        long maxBlockedMs = 0;
        long blockedOver100 = 0;
        List<Long> failedSendBlockedMs = new ArrayList<>();
        long firstFailureMs = -1;
        java.util.concurrent.atomic.AtomicReference<String> firstError = new java.util.concurrent.atomic.AtomicReference<>();
        long sentMs = -1;
        String producerFailure = null;
        int attempted = 0;
        KafkaProducer<String, String> producer = new KafkaProducer<>(props);
        String go = args.str("go", null);
        if (go != null) {
            // Warm up (metadata, connections, one acknowledged record per partition), say so,
            // then wait for the test to set up its fault and create the go file.
            try {
                // Metadata first, retried: a cold client may need longer than a short max.block.ms.
                long metadataDeadline = System.nanoTime() + 60_000_000_000L;
                while (true) {
                    try {
                        producer.partitionsFor(topic);
                        break;
                    } catch (org.apache.kafka.common.errors.TimeoutException e) {
                        if (System.nanoTime() > metadataDeadline) {
                            throw e;
                        }
                    }
                }
                for (int p = 0; p < partitions; p++) {
                    producer.send(new ProducerRecord<>(topic, p, "warm-up", "warm-up")).get(60, TimeUnit.SECONDS);
                }
            } catch (Exception error) {
                emit(describeError(new Json().put("mode", "burst-warm-up-failed"), error));
                producer.close(Duration.ZERO);
                return;
            }
            emit(new Json().put("mode", "burst-ready"));
            long waitUntil = System.nanoTime() + 120_000_000_000L;
            while (!Files.exists(Paths.get(go)) && System.nanoTime() < waitUntil) {
                sleepQuietly(20);
            }
        }
        long started = System.nanoTime();
        try {
            for (int seq = 0; seq < count && failed.get() < stopAfterErrors; seq++) {
                ProducerRecord<String, String> record = new ProducerRecord<>(
                        topic, seq % partitions, "k" + (seq % partitions), payload("record " + seq, size));
                final int current = seq;
                long failedBefore = failed.get();
                long t0 = System.nanoTime();
                producer.send(record, (meta, error) -> {
                    if (error == null) {
                        acked.incrementAndGet();
                    } else {
                        firstError.compareAndSet(null, error.getClass().getName() + ": " + error.getMessage());
                        long n = failed.incrementAndGet();
                        errors.merge(error.getClass().getSimpleName(), 1, Integer::sum);
                        if (n <= 3) {
                            emit(describeError(new Json().put("mode", "burst-error").put("seq", current), error));
                        }
                    }
                });
                long blocked = (System.nanoTime() - t0) / 1_000_000;
                attempted++;
                if (failed.get() > failedBefore) {
                    failedSendBlockedMs.add(blocked);
                    if (firstFailureMs < 0) {
                        firstFailureMs = (System.nanoTime() - started) / 1_000_000;
                    }
                }
                maxBlockedMs = Math.max(maxBlockedMs, blocked);
                if (blocked >= 100) {
                    blockedOver100++;
                }
            }
            sentMs = (System.nanoTime() - started) / 1_000_000;
            producer.flush();
        } catch (Throwable error) {
            producerFailure = unwrap(error).getClass().getName() + ": " + unwrap(error).getMessage();
        } finally {
            producer.close(Duration.ofMillis(closeMs));
        }
        emit(new Json().put("mode", "burst-summary").put("records", count).put("attempted", attempted)
                .put("acked", acked.get()).put("failed", failed.get()).put("errors", new TreeMap<>(errors))
                .put("max_send_block_ms", maxBlockedMs).put("sends_blocked_100ms_or_more", blockedOver100)
                .put("failed_send_block_ms", failedSendBlockedMs).put("first_failure_at_ms", firstFailureMs)
                .put("first_error", firstError.get())
                .put("all_sent_at_ms", sentMs).put("producer_failure", producerFailure)
                .put("elapsed_ms", (System.nanoTime() - started) / 1_000_000));
    }

    /**
     * A numbered keyed stream for the fault tests. Values are "KEY SEQ" with SEQ counting per key,
     * so a consumer can check exactly-once and per-key order; each acknowledgement is written to
     * the acked file the moment the client reports it.
     */
    private static void stream(Args args) throws IOException, InterruptedException {
        Properties props = producerProps(args.pos(0, "FILE"));
        String topic = args.pos(1, "TOPIC");
        Path ackedPath = Paths.get(args.str("acked", "acked.txt"));
        int keys = (int) args.num("keys", 10);
        long rate = Math.max(1, args.num("rate", 200));
        long maxCount = args.num("count", Long.MAX_VALUE);
        long durationMs = args.num("duration_s", 60) * 1000;
        String stop = args.str("stop", null);
        long closeMs = args.num("close_timeout_ms", 150000);
        AtomicLong acked = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Map<String, Integer> errors = new ConcurrentHashMap<>();
        long[] nextSeq = new long[keys];
        long sent = 0;
        long started = System.nanoTime();
        try (BufferedWriter out = Files.newBufferedWriter(ackedPath, StandardCharsets.UTF_8);
             KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            while (sent < maxCount) {
                long elapsedMs = (System.nanoTime() - started) / 1_000_000;
                if (elapsedMs >= durationMs || stop != null && Files.exists(Paths.get(stop))) {
                    break;
                }
                long due = sent * 1000 / rate;
                if (due > elapsedMs) {
                    Thread.sleep(Math.min(due - elapsedMs, 50));
                    continue;
                }
                int k = (int) (sent % keys);
                String key = "key-" + k;
                long seq = nextSeq[k]++;
                try {
                    producer.send(new ProducerRecord<>(topic, key, key + " " + seq), (meta, error) -> {
                        if (error == null) {
                            acked.incrementAndGet();
                            synchronized (out) {
                                try {
                                    out.write(key + " " + seq + " " + meta.partition() + " " + meta.offset() + "\n");
                                } catch (IOException e) {
                                    throw new java.io.UncheckedIOException(e);
                                }
                            }
                        } else {
                            failed.incrementAndGet();
                            errors.merge(error.getClass().getSimpleName(), 1, Integer::sum);
                        }
                    });
                } catch (RuntimeException error) {
                    failed.incrementAndGet();
                    errors.merge(unwrap(error).getClass().getSimpleName(), 1, Integer::sum);
                }
                sent++;
                if (sent % rate == 0) {
                    emit(new Json().put("mode", "stream-progress").put("sent", sent).put("acked", acked.get())
                            .put("failed", failed.get()).put("elapsed_ms", (System.nanoTime() - started) / 1_000_000));
                }
            }
            producer.flush();
            producer.close(Duration.ofMillis(closeMs));
            synchronized (out) {
                out.flush();
            }
        }
        emit(new Json().put("mode", "stream-summary").put("sent", sent).put("acked", acked.get())
                .put("failed", failed.get()).put("errors", new TreeMap<>(errors))
                .put("elapsed_ms", (System.nanoTime() - started) / 1_000_000));
    }

    // ---------------------------------------------------------------- consumer

    private static void consume(Args args) throws IOException {
        String bootstrap = args.pos(0, "BOOTSTRAP");
        String topic = args.pos(1, "TOPIC");
        Path outPath = Paths.get(args.pos(2, "OUT"));
        long timeoutMs = args.num("timeout_s", 60) * 1000;
        // props=FILE: client settings (security) under the probe's own consumer settings.
        String clientFile = args.str("props", null);
        Properties props = clientFile == null ? new Properties() : load(clientFile);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        long records = 0;
        long started = System.nanoTime();
        long deadline = started + timeoutMs * 1_000_000;
        boolean complete = false;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
             BufferedWriter out = Files.newBufferedWriter(outPath, StandardCharsets.UTF_8)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofMillis(timeoutMs))) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofMillis(timeoutMs));
            while (System.nanoTime() < deadline) {
                boolean done = true;
                for (TopicPartition tp : partitions) {
                    if (consumer.position(tp, Duration.ofMillis(timeoutMs)) < end.get(tp)) {
                        done = false;
                        break;
                    }
                }
                if (done) {
                    complete = true;
                    break;
                }
                ConsumerRecords<String, String> batch = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, String> record : batch) {
                    out.write(record.value() + " " + record.partition() + " " + record.offset() + "\n");
                    records++;
                }
            }
            emit(new Json().put("mode", "consume-summary").put("ok", true).put("records", records)
                    .put("complete", complete).put("partitions", partitions.size()).put("end_offsets", endOffsets(end))
                    .put("elapsed_ms", (System.nanoTime() - started) / 1_000_000));
        } catch (org.apache.kafka.common.KafkaException error) {
            // Refusals (authentication, authorization, TLS) are results, not probe failures.
            emit(describeError(new Json().put("mode", "consume-summary").put("ok", false).put("records", records),
                    error).put("elapsed_ms", (System.nanoTime() - started) / 1_000_000));
        }
    }

    private static Map<String, Long> endOffsets(Map<TopicPartition, Long> end) {
        Map<String, Long> result = new TreeMap<>();
        end.forEach((tp, offset) -> result.put(String.valueOf(tp.partition()), offset));
        return result;
    }

    // ---------------------------------------------------------------- admin modes

    private static void createTopic(Args args) {
        String bootstrap = args.pos(0, "BOOTSTRAP");
        String topic = args.pos(1, "TOPIC");
        int partitions = Integer.parseInt(args.pos(2, "PARTITIONS"));
        short rf = Short.parseShort(args.pos(3, "RF"));
        long timeoutMs = args.num("timeout_ms", 30000);
        Map<String, String> configs = new TreeMap<>();
        args.options.forEach((key, value) -> {
            if (key.startsWith("config.")) {
                configs.put(key.substring("config.".length()), value);
            }
        });
        Json line = new Json().put("mode", "create-topic").put("topic", topic);
        long t0 = System.nanoTime();
        try (Admin admin = admin(bootstrap, timeoutMs)) {
            NewTopic newTopic = new NewTopic(topic, partitions, rf).configs(configs);
            admin.createTopics(Collections.singleton(newTopic), new CreateTopicsOptions().timeoutMs((int) timeoutMs))
                    .all().get(timeoutMs + 5000, TimeUnit.MILLISECONDS);
            line.put("ok", true);
        } catch (Throwable error) {
            line.put("ok", false);
            describeError(line, error);
        }
        emit(line.put("elapsed_ms", (System.nanoTime() - t0) / 1_000_000));
    }

    private static void deleteTopics(Args args) {
        String bootstrap = args.pos(0, "BOOTSTRAP");
        List<String> topics = args.positional.subList(1, args.positional.size());
        Json line = new Json().put("mode", "delete-topics").put("topics", topics);
        try (Admin admin = admin(bootstrap, 30000)) {
            admin.deleteTopics(topics).all().get(35, TimeUnit.SECONDS);
            line.put("ok", true);
        } catch (Throwable error) {
            line.put("ok", false);
            describeError(line, error);
        }
        emit(line);
    }

    private static void describe(Args args) {
        String bootstrap = args.pos(0, "BOOTSTRAP");
        long timeoutMs = args.num("timeout_ms", 10000);
        Json line = new Json().put("mode", "describe");
        try (Admin admin = admin(bootstrap, timeoutMs)) {
            DescribeClusterResult cluster = admin.describeCluster();
            List<Integer> brokers = new ArrayList<>();
            for (Node node : cluster.nodes().get(timeoutMs, TimeUnit.MILLISECONDS)) {
                brokers.add(node.id());
            }
            Collections.sort(brokers);
            line.put("brokers", brokers).put("controller", cluster.controller().get(timeoutMs, TimeUnit.MILLISECONDS).id());
            List<String> topics = args.positional.subList(1, args.positional.size());
            Set<String> names = topics.isEmpty() ? admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS)
                    : new java.util.TreeSet<>(topics);
            Map<String, TopicDescription> descriptions =
                    admin.describeTopics(names).allTopicNames().get(timeoutMs, TimeUnit.MILLISECONDS);
            List<Json> partitions = new ArrayList<>();
            for (TopicDescription description : new TreeMap<>(descriptions).values()) {
                for (TopicPartitionInfo info : description.partitions()) {
                    partitions.add(new Json().put("topic", description.name()).put("partition", info.partition())
                            .put("leader", info.leader() == null || info.leader().isEmpty() ? null : info.leader().id())
                            .put("replicas", ids(info.replicas())).put("isr", ids(info.isr())));
                }
            }
            line.put("ok", true).put("partitions", partitions);
        } catch (Throwable error) {
            line.put("ok", false);
            describeError(line, error);
        }
        emit(line);
    }

    private static List<Integer> ids(List<Node> nodes) {
        List<Integer> result = new ArrayList<>();
        for (Node node : nodes) {
            result.add(node.id());
        }
        return result;
    }

    private static void brokerConfig(Args args) {
        String bootstrap = args.pos(0, "BOOTSTRAP");
        String broker = args.pos(1, "BROKER_ID");
        List<String> keys = args.positional.subList(2, args.positional.size());
        Json line = new Json().put("mode", "broker-config").put("broker", broker);
        try (Admin admin = admin(bootstrap, 15000)) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.BROKER, broker);
            Config config = admin.describeConfigs(Collections.singleton(resource)).all().get(20, TimeUnit.SECONDS)
                    .get(resource);
            Map<String, String> values = new TreeMap<>();
            for (String key : keys) {
                ConfigEntry entry = config.get(key);
                values.put(key, entry == null ? null : entry.value());
            }
            line.put("ok", true).put("values", values);
        } catch (Throwable error) {
            line.put("ok", false);
            describeError(line, error);
        }
        emit(line);
    }

    /**
     * quorum: DescribeMetadataQuorum sent to the controllers themselves (bootstrap.controllers),
     * so it answers while brokers are down and shows what the surviving controllers know.
     */
    private static void quorum(Args args) {
        String controllers = args.pos(0, "CONTROLLERS");
        long timeoutMs = args.num("timeout_ms", 5000);
        Json line = new Json().put("mode", "quorum");
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_CONTROLLERS_CONFIG, controllers);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeoutMs);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMs);
        props.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 100);
        long t0 = System.nanoTime();
        try (Admin admin = Admin.create(props)) {
            org.apache.kafka.clients.admin.QuorumInfo info =
                    admin.describeMetadataQuorum().quorumInfo().get(timeoutMs + 2000, TimeUnit.MILLISECONDS);
            line.put("ok", true).put("leader", info.leaderId()).put("epoch", info.leaderEpoch())
                    .put("high_watermark", info.highWatermark())
                    .put("voters", replicas(info.voters())).put("observers", replicas(info.observers()));
        } catch (Throwable error) {
            line.put("ok", false);
            describeError(line, error);
        }
        emit(line.put("elapsed_ms", (System.nanoTime() - t0) / 1_000_000));
    }

    private static List<Json> replicas(List<org.apache.kafka.clients.admin.QuorumInfo.ReplicaState> states) {
        List<Json> result = new ArrayList<>();
        for (org.apache.kafka.clients.admin.QuorumInfo.ReplicaState state : states) {
            result.add(new Json().put("id", state.replicaId()).put("log_end_offset", state.logEndOffset()));
        }
        return result;
    }

    // ---------------------------------------------------------------- main

    private static void dispatch(String[] argv) throws Exception {
        Args args = new Args(argv, 1);
        switch (argv[0]) {
            case "construct": construct(args); break;
            case "send": send(args); break;
            case "burst": burst(args); break;
            case "stream": stream(args); break;
            case "consume": consume(args); break;
            case "create-topic": createTopic(args); break;
            case "delete-topics": deleteTopics(args); break;
            case "describe": describe(args); break;
            case "broker-config": brokerConfig(args); break;
            case "quorum": quorum(args); break;
            default: throw new UsageError("unknown mode " + argv[0]);
        }
    }

    /**
     * serve: one command per stdin line (its words separated by TAB), run in this JVM; its JSON
     * lines, then {"mode":"done"}. Saves a JVM start per command when a test polls the cluster.
     */
    private static void serve() throws IOException {
        java.io.BufferedReader in =
                new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isEmpty()) {
                continue;
            }
            try {
                dispatch(line.split("\t", -1));
            } catch (UsageError error) {
                emit(new Json().put("mode", "usage-error").put("message", error.getMessage()));
            } catch (Throwable error) {
                emit(describeError(new Json().put("mode", "probe-error"), error));
            }
            emit(new Json().put("mode", "done"));
        }
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0) {
            System.err.println("usage: KafkaProbe MODE ARGS... (see the source header)");
            System.exit(2);
        }
        try {
            if (argv[0].equals("serve")) {
                serve();
            } else {
                dispatch(argv);
            }
        } catch (UsageError error) {
            System.err.println("KafkaProbe: " + error.getMessage());
            System.exit(2);
        }
        System.exit(0);
    }
}
