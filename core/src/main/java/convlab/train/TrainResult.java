package convlab.train;

import java.util.List;

/**
 * What a {@link TrainRun} ended with.
 *
 * @param spec       the architecture spec trained (a named model's spec)
 * @param parameters trainable parameters
 * @param data       where the data came from ({@link convlab.data.FashionMnist#source()})
 * @param history    one entry per epoch run by this call (empty when a resumed run had already finished)
 */
public record TrainResult(String spec, long parameters, String data, List<EpochStats> history) {
    public TrainResult {
        history = List.copyOf(history);
    }

    /** The last epoch's numbers; throws when no epoch ran. */
    public EpochStats last() {
        if (history.isEmpty()) throw new IllegalStateException("no epoch ran");
        return history.getLast();
    }

    /** The best test accuracy over the epochs run. */
    public double bestTestAccuracy() {
        return history.stream().mapToDouble(EpochStats::testAccuracy).max().orElse(Double.NaN);
    }

    /** Training seconds over the epochs run (evaluation excluded). */
    public double trainSeconds() { return history.stream().mapToDouble(EpochStats::trainSeconds).sum(); }

    /** Training images per second over the epochs run. */
    public double trainImagesPerSecond() {
        double images = history.stream().mapToDouble(s -> s.trainImagesPerSecond() * s.trainSeconds()).sum();
        return images / trainSeconds();
    }
}
