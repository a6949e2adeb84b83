package io.argus.bench.fold;

import io.argus.bench.BenchContext;
import io.argus.bench.ChildJvm;
import io.argus.bench.Figure;
import io.argus.bench.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Item 6: the time to replay the whole main log under a fresh application id with the real command,
 * {@code argus-streams rebuild}, in its own JVM: from starting the process until it has caught up and exited.
 */
public final class RebuildScenario implements Scenario {

    static final String SECTION = "6. Rebuild (argus-streams rebuild, a fresh application id)";
    static final String MAIN_CLASS = "io.argus.streams.app.StreamsCommand";
    private static final Pattern CAUGHT_UP = Pattern.compile("caught up in ([0-9.]+) s");

    @Override
    public String name() {
        return "rebuild";
    }

    @Override
    public List<Figure> run(BenchContext context) {
        EventLog.Filled log = context.mainLog().filled(context);
        List<Double> seconds = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        for (int run = 1; run <= context.runs(); run++) {
            String applicationId = "bench-rebuild-" + run;
            long started = System.nanoTime();
            try (ChildJvm rebuild = ChildJvm.of(applicationId, MAIN_CLASS).heap("2g")
                .args("rebuild", "--application-id", applicationId)
                .env("ARGUS_KAFKA_BOOTSTRAP", context.stack().bootstrapServers())
                .env("ARGUS_REGISTRY_URL", context.stack().registryUrl())
                .env("ARGUS_STATE_DIR", context.workDir().resolve("state").resolve(applicationId).toString())
                .env("ARGUS_TOPICS_PREFIX", MainEventLog.prefix(Mix.REALISTIC))
                .env("ARGUS_KAFKA_REPLICATION_FACTOR", "1")
                .env(context.options().serviceSettings())
                .start(context.workDir().resolve("logs"))) {
                int exit = rebuild.awaitExit(Duration.ofSeconds(120 + context.events() / 2_000));
                double wall = (System.nanoTime() - started) / 1e9;
                if (exit != 0) {
                    throw new IllegalStateException("rebuild exited with " + exit + ". " + rebuild.tail());
                }
                Matcher caughtUp = CAUGHT_UP.matcher(rebuild.output());
                String inner = caughtUp.find() ? caughtUp.group(1) + " s inside the command" : "";
                context.progress("rebuild: run %d/%d, %,d events in %.1f s (%s), %,.0f events/s", run,
                    context.runs(), log.records(), wall, inner, log.records() / wall);
                seconds.add(wall);
                rates.add(log.records() / wall);
            }
        }
        String how = "from process start to exit: JVM start, joining the group, folding, the last commit";
        return List.of(
            Figure.of(SECTION, String.format(Locale.ROOT, "rebuild of %,d events", log.records()), "s", seconds,
                how + "; target < 15 s for 1,000,000"),
            Figure.of(SECTION, "rebuild rate", "events/s", rates, how));
    }
}
