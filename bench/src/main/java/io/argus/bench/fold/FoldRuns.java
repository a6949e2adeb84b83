package io.argus.bench.fold;

import io.argus.bench.ArgusServiceProcess;
import io.argus.bench.BenchContext;
import io.argus.bench.ChildJvm;
import io.argus.schemas.ArgusTopics;
import java.time.Duration;
import java.util.Map;

/**
 * Timed runs over a filled events topic, each in a fresh child JVM with a fresh application id and state: the Argus
 * service ({@code argus serve}, the fold and HTTP, as deployed) or a baseline Streams app. All are timed the same
 * way, by their committed offsets ({@link GroupProgress}).
 */
final class FoldRuns implements AutoCloseable {

    private final BenchContext context;
    private final GroupProgress progress;
    private int apps;

    FoldRuns(BenchContext context) {
        this.context = context;
        this.progress = new GroupProgress(context.stack().bootstrapServers());
    }

    /**
     * What an Argus run measured: its rate, its peak memory when it had caught up, its state on disk, and the
     * records it wrote to each store's changelog.
     */
    record ArgusRun(GroupProgress.Timed timed, double peakRssMiB, double stateDirMiB, Map<String, Long> changelogs) {
        double changelogRecordsPerEvent() {
            return changelogs.values().stream().mapToLong(Long::longValue).sum() / (double) timed.total();
        }
    }

    ArgusRun argus(String name, String topicsPrefix, int partitions, Map<String, String> settings) {
        String applicationId = "bench-" + (++apps) + "-" + name;
        long started = System.nanoTime();
        ArgusServiceProcess service = ArgusServiceProcess.start(context, applicationId, topicsPrefix, partitions,
            settings);
        GroupProgress.Timed timed;
        double rss;
        try (service) {
            timed = progress.awaitCaughtUp(applicationId, topicsPrefix + ArgusTopics.EVENTS, started,
                service.process(), timeout());
            rss = service.process().peakRssMiB().orElse(Double.NaN);
        }
        // Measured once it has stopped: closing flushes RocksDB's memtables into files, the caches into changelogs.
        return new ArgusRun(timed, rss, service.stateDirMiB(), progress.changelogRecords(applicationId));
    }

    /**
     * A baseline Streams app ({@link BareCountApp}, {@link DecodeCountApp}) over the topic,
     * given the registry as the service is given it.
     */
    GroupProgress.Timed baseline(Class<?> app, String name, String topic) {
        String applicationId = "bench-" + (++apps) + "-" + name;
        long started = System.nanoTime();
        try (ChildJvm bare = ChildJvm.of(applicationId, app.getName()).heap("2g")
            .args(context.stack().bootstrapServers(), topic, applicationId,
                context.workDir().resolve("state").resolve(applicationId).toString())
            .env("ARGUS_REGISTRY_URL", context.stack().registryUrl())
            .start(context.workDir().resolve("logs"))) {
            return progress.awaitCaughtUp(applicationId, topic, started, bare, timeout());
        }
    }

    /** Generous: a run at 5,000 events/s still finishes. */
    private Duration timeout() {
        return Duration.ofSeconds(120 + context.events() / 5_000);
    }

    @Override
    public void close() {
        progress.close();
    }
}
