package convlab.train;

import convlab.data.Batch;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

/** Where the trainer gets its mini-batches: one pass over the data per epoch. */
public interface BatchSource {
    /** Number of examples one epoch visits. */
    int examplesPerEpoch();

    /** Number of batches in one epoch. */
    int batchesPerEpoch();

    /** The batches of the given epoch (0-based), in order; the order may depend on the epoch (shuffling). */
    Iterator<Batch> epoch(int epoch);

    /**
     * A training run counted in steps rather than passes over a dataset: every epoch is {@code steps} batches of
     * {@code batchSize} examples, each taken from {@code next} when the trainer asks for it (a loader that wraps
     * around, or examples drawn at random).
     */
    static BatchSource steps(int steps, int batchSize, Supplier<Batch> next) {
        return new BatchSource() {
            @Override public int examplesPerEpoch() { return (int) Math.min(Integer.MAX_VALUE, (long) steps * batchSize); }
            @Override public int batchesPerEpoch() { return steps; }
            @Override public Iterator<Batch> epoch(int epoch) {
                return new Iterator<>() {
                    int taken;
                    @Override public boolean hasNext() { return taken < steps; }
                    @Override public Batch next() {
                        if (!hasNext()) throw new NoSuchElementException("the pass has " + steps + " steps");
                        taken++;
                        return next.get();
                    }
                };
            }
        };
    }
}
