package io.argus.bench;

import io.argus.bench.fold.MainEventLog;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * What every scenario gets: the options, the broker and registry, a work directory (state, logs), where to print
 * progress, and the main event logs that the fold and rebuild scenarios share (each filled on first use).
 */
public record BenchContext(BenchOptions options, BenchStack stack, Path workDir, PrintStream out,
                           MainEventLog mainLog) {

    /** How many timed runs each figure gets (the report shows median, min and max). */
    public int runs() {
        return options.runs();
    }

    /** N, the size of each main event log (default 1,000,000). */
    public int events() {
        return options.events();
    }

    /** A progress line, so a long run shows where it is. */
    public void progress(String format, Object... args) {
        out.printf(java.util.Locale.ROOT, "[bench] " + format + "%n", args);
        out.flush();
    }
}
