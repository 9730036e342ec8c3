package convlab.train;

import convlab.data.Batch;
import convlab.data.DataLoader;
import convlab.data.Dataset;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A {@link DataLoader} seen as the trainer's {@link BatchSource}. The loader is stateful (it remembers its
 * epoch and position, so a checkpoint can resume mid-epoch); asking for epoch e moves it forward to e.
 * Asking for an earlier epoch than the loader's is an error, since its shuffling order cannot go back.
 */
public final class LoaderBatches implements BatchSource {
    private final DataLoader loader;

    public LoaderBatches(DataLoader loader) { this.loader = loader; }

    public DataLoader loader() { return loader; }

    /**
     * The dataset in its stored order, the same batches on every call of {@link #epoch(int)}: what evaluation
     * wants, since it passes over the same data after each training epoch. The batches are made here, once
     * (float32, 4 bytes per pixel, while the dataset may keep 1 byte), so an evaluation pass only computes:
     * like a PyTorch test loop over ready tensors, which is what its throughput is compared with.
     */
    public static BatchSource inOrder(Dataset data, int batchSize) {
        List<Batch> batches = new ArrayList<>();
        for (Iterator<Batch> it = new LoaderBatches(new DataLoader(data, batchSize, false, false, 0)).epoch(0); it.hasNext(); )
            batches.add(it.next());
        return new BatchSource() {
            @Override public int examplesPerEpoch() { return data.size(); }
            @Override public int batchesPerEpoch() { return batches.size(); }
            @Override public Iterator<Batch> epoch(int epoch) { return batches.iterator(); }
        };
    }

    @Override public int examplesPerEpoch() { return loader.examplesPerEpoch(); }

    @Override public int batchesPerEpoch() { return loader.batchesPerEpoch(); }

    @Override
    public Iterator<Batch> epoch(int epoch) {
        if (epoch < loader.epoch())
            throw new IllegalStateException("data loader is at epoch " + loader.epoch() + ", cannot go back to " + epoch);
        while (loader.epoch() < epoch) loader.nextEpoch();
        return new Iterator<>() {
            @Override public boolean hasNext() { return loader.epoch() == epoch && loader.hasNext(); }

            @Override public Batch next() {
                if (!hasNext()) throw new NoSuchElementException("epoch " + epoch + " has no more batches");
                return loader.next();
            }
        };
    }
}
