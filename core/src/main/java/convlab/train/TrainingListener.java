package convlab.train;

/** Progress callbacks of the trainer (the CLI's progress bar, reports, checkpoints). All methods optional. */
public interface TrainingListener {
    default void epochStarted(int epoch, int batches) {}

    /** After each optimizer step: running mean loss/accuracy of the epoch so far, and images/s so far. */
    default void stepFinished(int epoch, int step, double runningLoss, double runningAccuracy, double imagesPerSecond) {}

    /**
     * After each optimizer step that was taken, before {@link #stepFinished}: the step's own loss and accuracy on its
     * batch (not a running mean), and the number of steps taken so far in the run.
     */
    default void stepLoss(long step, double loss, double accuracy) {}

    /** A step whose loss or gradient was not finite was skipped (Trainer.skipNonFinite); why says where. */
    default void stepSkipped(long step, String why) {}

    default void epochFinished(EpochStats stats) {}

    TrainingListener NONE = new TrainingListener() {};

    /** Both listeners, first then second, for every callback. */
    static TrainingListener both(TrainingListener first, TrainingListener second) {
        return new TrainingListener() {
            @Override public void epochStarted(int epoch, int batches) { first.epochStarted(epoch, batches); second.epochStarted(epoch, batches); }
            @Override public void stepFinished(int epoch, int step, double loss, double acc, double ips) {
                first.stepFinished(epoch, step, loss, acc, ips);
                second.stepFinished(epoch, step, loss, acc, ips);
            }
            @Override public void stepLoss(long step, double loss, double acc) { first.stepLoss(step, loss, acc); second.stepLoss(step, loss, acc); }
            @Override public void stepSkipped(long step, String why) { first.stepSkipped(step, why); second.stepSkipped(step, why); }
            @Override public void epochFinished(EpochStats stats) { first.epochFinished(stats); second.epochFinished(stats); }
        };
    }
}
