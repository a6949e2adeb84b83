package io.argus.bench.http;

import io.argus.bench.fold.EventMix;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The load generator, run in a JVM of its own (see {@link LoadGeneratorRun}) so that its CPU and pauses are not
 * the service's. Three modes:
 * <ul>
 *   <li>{@code get URL --rate R --senders N --warmup-seconds W --seconds D}: open-loop GETs ({@link OpenLoopGet});</li>
 *   <li>{@code post URL --senders C --events-per-request B --warmup-seconds W --seconds D --run-tag T}:
 *       closed-loop ingest of endless events ({@link ClosedLoopPost}, {@link IngestEvents});</li>
 *   <li>{@code post-mix URL --events N --seed S --senders C --events-per-request B --warmup-seconds 0 --seconds D}:
 *       the realistic mix of N events posted once, closed loop ({@link MixRequests}), within at most D seconds.</li>
 * </ul>
 * Each runs its untimed warm-up first, if it has one (the JIT, connections), then prints one line,
 * {@code RESULT {json}}.
 */
public final class LoadGenerator {

    static final String GET = "get";
    static final String POST = "post";
    static final String POST_MIX = "post-mix";
    static final String RATE = "--rate";
    static final String SENDERS = "--senders";
    static final String EVENTS_PER_REQUEST = "--events-per-request";
    static final String WARMUP_SECONDS = "--warmup-seconds";
    static final String SECONDS = "--seconds";
    static final String RUN_TAG = "--run-tag";
    static final String EVENTS = "--events";
    static final String SEED = "--seed";
    private static final List<String> LOOPBACK = List.of("127.0.0.1", "localhost");

    private LoadGenerator() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || (args.length - 2) % 2 != 0) {
            throw new IllegalArgumentException("usage: get|post URL --option value ...");
        }
        URI url = URI.create(args[1]);
        if (!LOOPBACK.contains(url.getHost())) {
            throw new IllegalArgumentException("the bench loads loopback only, not " + url);
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 2; i < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        Duration warmup = Duration.ofSeconds(number(options, WARMUP_SECONDS));
        Duration timed = Duration.ofSeconds(number(options, SECONDS));
        Load load = switch (args[0]) {
            case GET -> new OpenLoopGet(url, number(options, RATE), number(options, SENDERS))::run;
            case POST -> new ClosedLoopPost(url, IngestEvents.senders(required(options, RUN_TAG),
                number(options, SENDERS), number(options, EVENTS_PER_REQUEST)))::run;
            case POST_MIX -> new ClosedLoopPost(url, MixRequests.split(EventMix.realistic(number(options, EVENTS),
                    EventMix.DEFAULT_JOBS_PER_BATCH, Long.parseLong(required(options, SEED))).events(),
                number(options, SENDERS), number(options, EVENTS_PER_REQUEST)))::run;
            default -> throw new IllegalArgumentException("mode " + args[0] + ": get, post or post-mix");
        };
        if (!warmup.isZero()) {
            System.out.println("warm-up: " + warmup.toSeconds() + " s, untimed");
            load.run(warmup);
        }
        System.out.println("timed: " + timed.toSeconds() + " s");
        LoadResult result = load.run(timed);
        System.out.println(result.toLine());
    }

    /** One phase of load; the warm-up and the timed phase are two calls on the same load. */
    private interface Load {
        LoadResult run(Duration duration) throws InterruptedException;
    }

    private static int number(Map<String, String> options, String name) {
        return Integer.parseInt(required(options, name));
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing " + name);
        }
        return value;
    }
}
