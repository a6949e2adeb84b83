package io.argus.bench;

import java.util.List;

/** One numbered item of the benchmark: runs its measurements and returns their figures. */
public interface Scenario {

    /** A short name for {@code --only}, for example {@code fold}. */
    String name();

    List<Figure> run(BenchContext context) throws Exception;
}
