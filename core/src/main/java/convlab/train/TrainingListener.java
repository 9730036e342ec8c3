package convlab.train;

/** Progress callbacks of the trainer (the CLI's progress bar, reports, checkpoints). All methods optional. */
public interface TrainingListener {
    default void epochStarted(int epoch, int batches) {}

    /** After each optimizer step: running mean loss/accuracy of the epoch so far, and images/s so far. */
    default void stepFinished(int epoch, int step, double runningLoss, double runningAccuracy, double imagesPerSecond) {}

    default void epochFinished(EpochStats stats) {}

    TrainingListener NONE = new TrainingListener() {};
}
