package io.argus.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.argus.schemas.AvroTrust;
import io.argus.streams.state.BatchState;
import io.argus.streams.state.BatchStatus;
import io.argus.streams.state.JobState;
import io.argus.streams.state.JobStatus;
import io.argus.streams.topology.ArgusTopology;
import io.argus.streams.topology.StoreKeys;
import io.javalin.Javalin;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A streamed answer is all or nothing. Stores that move away mid-scan are played by stores whose scan fails after a
 * given number of rows, the way a closed RocksDB iterator does when its task migrates.
 */
class StreamedReadsTest {

    private static final String BATCH = "b";
    private static final int JOBS = 5;

    static {
        AvroTrust.trustGeneratedClasses();
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private Javalin upstream;
    private Javalin downstream;

    @AfterEach
    void stop() {
        if (downstream != null) {
            downstream.stop();
        }
        if (upstream != null) {
            upstream.stop();
        }
    }

    @Test
    void aScanThatBreaksAfterItsFirstRowsIsNotStartedAgain() {
        BreakingStores stores = new BreakingStores(2);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        assertThatThrownBy(() -> reads(stores).writeJobs(BATCH, Optional.empty(), JobListFields.ALL, out))
            .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503));

        String written = out.toString(StandardCharsets.UTF_8);
        assertThat(jobIds(written)).as("no row twice in %s", written).doesNotHaveDuplicates();
        assertThat(written).as("a cut-off list is not closed as if whole").doesNotEndWith("]");
        assertThat(stores.scans).hasValue(1);
    }

    @Test
    void aScanThatBreaksBeforeItsFirstRowIsRetriedAndComplete() {
        BreakingStores stores = new BreakingStores(0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        reads(stores).writeJobs(BATCH, Optional.empty(), JobListFields.ALL, out);

        assertThat(jobIds(out.toString(StandardCharsets.UTF_8))).containsExactly("j0", "j1", "j2", "j3", "j4");
        assertThat(stores.scans).hasValue(2);
    }

    @Test
    void overHttpABreakAfterTheFirstByteIsAnErrorAndABreakBeforeItIsA503() throws Exception {
        upstream = rowsThenBreak();
        assertThatThrownBy(() -> get(upstream.port(), "/rows/200")).as("no 200 for a cut-off body")
            .isInstanceOf(IOException.class);
        HttpResponse<String> unavailable = get(upstream.port(), "/rows/0");
        assertThat(unavailable.statusCode()).isEqualTo(503);
        assertThat(unavailable.headers().firstValue("Retry-After")).isPresent();
        assertThat(unavailable.body()).contains("\"error\":\"unavailable\"");
    }

    @Test
    void aForwardedBodyThatBreaksIsAnErrorNotACleanAnswer() throws Exception {
        upstream = rowsThenBreak();
        Forwarder forwarder = new Forwarder(new HostInfo("127.0.0.1", 1), Duration.ofSeconds(2),
            Duration.ofSeconds(35));
        HostInfo owner = new HostInfo("127.0.0.1", upstream.port());
        downstream = Javalin.create(config -> config.routes.get("/rows/{n}", ctx -> forwarder.forward(ctx, owner)))
            .start("127.0.0.1", 0);

        assertThatThrownBy(() -> get(downstream.port(), "/rows/200")).as("no 200 for a cut-off forwarded body")
            .isInstanceOf(IOException.class);
        assertThat(get(downstream.port(), "/rows/0").statusCode()).isEqualTo(503);
    }

    /** Writes n rows of 1 kB, then its store "moves"; errors are mapped the way ArgusHttp maps them. */
    private static Javalin rowsThenBreak() {
        byte[] row = ("{\"job_id\":\"" + "x".repeat(1_000) + "\"},\n").getBytes(StandardCharsets.UTF_8);
        return Javalin.create(config -> {
            config.routes.get("/rows/{n}", ctx -> {
                ctx.contentType("application/json");
                int rows = Integer.parseInt(ctx.pathParam("n"));
                StreamedBody.write(ctx, out -> {
                    for (int i = 0; i < rows; i++) {
                        out.write(row);
                    }
                    throw ApiException.unavailable("the store moved");
                });
            });
            config.routes.exception(ApiException.class, (e, ctx) -> ctx.header("Retry-After", "1")
                .status(e.status()).json(Map.of("error", e.error(), "detail", e.getMessage())));
            config.routes.exception(StreamedBody.Aborted.class, (e, ctx) -> ctx.status(500));
        }).start("127.0.0.1", 0);
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static BatchReads reads(LocalStores.StoreLookup lookup) {
        return new BatchReads(new LocalStores(lookup, Duration.ofSeconds(2)), null, null, Clock.systemUTC(),
            Duration.ofMinutes(3));
    }

    private static List<String> jobIds(String json) {
        Matcher ids = Pattern.compile("\"job_id\":\"([^\"]+)\"").matcher(json);
        return ids.results().map(m -> m.group(1)).toList();
    }

    /**
     * The batch and its jobs; the first scan of the jobs breaks after {@code rowsBeforeBreak} rows (none: when it
     * opens), later ones succeed. A negative number breaks every scan.
     */
    private static final class BreakingStores implements LocalStores.StoreLookup {
        private final int rowsBeforeBreak;
        private final AtomicInteger scans = new AtomicInteger();
        private final NavigableMap<String, Object> jobs = new TreeMap<>();

        BreakingStores(int rowsBeforeBreak) {
            this.rowsBeforeBreak = rowsBeforeBreak;
            for (int i = 0; i < JOBS; i++) {
                jobs.put(StoreKeys.job(BATCH, "j" + i), JobState.newBuilder().setJobId("j" + i).setAttempt(1)
                    .setStatus(JobStatus.done).build());
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T store(StoreQueryParameters<T> parameters) {
            if (parameters.storeName().equals(ArgusTopology.BATCHES_STORE)) {
                return (T) new MapStore(new TreeMap<>(Map.of(BATCH,
                    BatchState.newBuilder().setBatchId(BATCH).setStatus(BatchStatus.running).build())), -1);
            }
            int scan = scans.incrementAndGet();
            return (T) new MapStore(jobs, rowsBeforeBreak < 0 ? 0 : scan == 1 ? rowsBeforeBreak : -1);
        }
    }

    /** A read-only store over a sorted map whose scans break after {@code breakAfter} rows (never when negative). */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private record MapStore(NavigableMap<String, Object> rows, int breakAfter) implements ReadOnlyKeyValueStore {

        @Override
        public Object get(Object key) {
            return rows.get(key);
        }

        @Override
        public KeyValueIterator range(Object from, Object to) {
            return iterator(rows.subMap((String) from, true, (String) to, true));
        }

        @Override
        public KeyValueIterator all() {
            return iterator(rows);
        }

        @Override
        public KeyValueIterator prefixScan(Object prefix, Serializer serializer) {
            return iterator(rows.subMap((String) prefix, true, prefix + "\uffff", false));
        }

        @Override
        public long approximateNumEntries() {
            return rows.size();
        }

        private KeyValueIterator iterator(NavigableMap<String, Object> range) {
            if (breakAfter == 0) {
                throw new InvalidStateStoreException("the store is migrating");
            }
            Iterator<Map.Entry<String, Object>> entries = range.entrySet().iterator();
            return new KeyValueIterator() {
                private int handedOut;

                @Override
                public boolean hasNext() {
                    return entries.hasNext();
                }

                @Override
                public Object next() {
                    if (handedOut++ == breakAfter) {
                        throw new InvalidStateStoreException("the store moved to another instance");
                    }
                    Map.Entry<String, Object> entry = entries.next();
                    return KeyValue.pair(entry.getKey(), entry.getValue());
                }

                @Override
                public Object peekNextKey() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
