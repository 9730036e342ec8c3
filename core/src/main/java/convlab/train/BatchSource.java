package convlab.train;

import convlab.data.Batch;
import java.util.Iterator;

/** Where the trainer gets its mini-batches: one pass over the data per epoch. */
public interface BatchSource {
    /** Number of examples one epoch visits. */
    int examplesPerEpoch();

    /** Number of batches in one epoch. */
    int batchesPerEpoch();

    /** The batches of the given epoch (0-based), in order; the order may depend on the epoch (shuffling). */
    Iterator<Batch> epoch(int epoch);
}
