package convlab.experiment;

/**
 * What a running experiment tells about its progress: it announces each phase with the number of units of
 * work in it, then reports each unit as it finishes. The CLI turns this into a progress bar.
 */
public interface ExperimentProgress {
    /** A new phase begins (e.g. "sweep over dropout rate") with this many units of work. */
    default void phase(String name, int units) {}

    /** One unit of the current phase is done; note is a short status (may be empty). */
    default void step(String note) {}

    ExperimentProgress NONE = new ExperimentProgress() {};
}
