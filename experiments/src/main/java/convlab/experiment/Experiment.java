package convlab.experiment;

import convlab.report.Results;

import java.nio.file.Path;

/**
 * A reproducible study: given an output folder, a seed and a size setting, it measures something, writes
 * its figures, raw numbers and index.html there, and returns the headline numbers.
 *
 * <p>Same seed, same {@code quick} and same thread count give the same numbers (wall times aside).
 */
public interface Experiment {
    /** Command-line name, e.g. "dropout-regression". */
    String name();

    /** One line for {@code convlab experiment list}. */
    String description();

    /**
     * Runs the study. quick: a small version (seconds) for the test suite and a first look; otherwise the
     * full study (minutes on two cores).
     */
    Results run(Path outputDir, boolean quick, long seed, ExperimentProgress progress);
}
