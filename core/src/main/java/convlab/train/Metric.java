package convlab.train;

import convlab.data.Batch;
import convlab.tensor.Tensor;

/**
 * A metric the {@link Trainer} reports beside the loss: it counts the examples of a batch that score (for accuracy,
 * those classified right), and is reported as the fraction of all examples seen. Counts keep the running sums of a
 * checkpointed epoch exact.
 */
public interface Metric {
    /** A short name, e.g. "accuracy". */
    String name();

    /** How many of the batch's examples score, given the model's outputs for it. */
    long count(Tensor outputs, Batch batch);

    /** Classification accuracy: rows whose arg-max (first on ties) equals the label (the default). */
    Metric ACCURACY = of("accuracy", (outputs, batch) -> Metrics.correct(outputs, batch.labels()));

    /** A metric from a name and a counting function. */
    static Metric of(String name, java.util.function.ToLongBiFunction<Tensor, Batch> count) {
        return new Metric() {
            @Override public String name() { return name; }
            @Override public long count(Tensor outputs, Batch batch) { return count.applyAsLong(outputs, batch); }
            @Override public String toString() { return name; }
        };
    }
}
