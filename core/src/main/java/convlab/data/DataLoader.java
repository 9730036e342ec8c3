package convlab.data;

import convlab.kernels.Parallel;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;

import java.util.NoSuchElementException;

/**
 * Cuts a {@link Dataset} into mini-batches, epoch after epoch, optionally in a seeded random order.
 *
 * <p>Each epoch visits every example exactly once (the last, smaller batch is dropped when
 * {@code dropLast} is set). With shuffling, the order of epoch e is a Fisher–Yates permutation drawn
 * from the loader's own {@link Rng}; {@link #state()} captures epoch, position and the generator state at
 * the start of the epoch, so {@link #restore(State)} continues a run batch for batch, bitwise identically.
 *
 * <p>Usage: {@code while (loader.hasNext()) { Batch b = loader.next(); ... } loader.nextEpoch();}
 *
 * <p>With {@code reuseBuffers}, batches share their arrays: a batch is valid only until the next call to
 * {@link #next()}. That is safe in a training step that finishes forward, backward and update before it
 * asks for the next batch; keep it off when batches are collected or held by a graph across steps. Two sets of
 * arrays take turns: with more than one kernel thread the following batch is written into the other set while
 * the caller works on this one (on a kernel worker, {@link Parallel#defer}); the batches are the same either way.
 */
public final class DataLoader {
    /** Everything needed to resume: epoch number, batches already taken in it, generator state at its start. */
    public record State(int epoch, int position, long[] rngStateAtEpochStart) {}

    private final Dataset data;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final boolean reuseBuffers;
    private final Rng rng;

    private final int[] order;
    private int epoch;
    private int position;          // examples already handed out in this epoch
    private long[] rngAtEpochStart;
    private Batch fullBuffer, spareFullBuffer, tailBuffer;

    public DataLoader(Dataset data, int batchSize, boolean shuffle, boolean dropLast, long seed, boolean reuseBuffers) {
        if (batchSize <= 0) throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        if (dropLast && batchSize > data.size())
            throw new IllegalArgumentException("batch size " + batchSize + " with drop-last leaves no batch: the dataset has only "
                    + data.size() + " examples");
        this.data = data;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.reuseBuffers = reuseBuffers;
        this.rng = new Rng(seed);
        this.order = new int[data.size()];
        beginEpoch(0);
    }

    /** A loader with new arrays for each batch (always safe). */
    public DataLoader(Dataset data, int batchSize, boolean shuffle, boolean dropLast, long seed) {
        this(data, batchSize, shuffle, dropLast, seed, false);
    }

    /**
     * Named settings instead of positional ones: {@code DataLoader.builder(ds).batch(64).shuffle(true).seed(7).build()}.
     * Defaults are PyTorch's ({@code batch_size=1, shuffle=False, drop_last=False}), seed 0, and new arrays for
     * every batch (reuseBuffers off).
     */
    public static Builder builder(Dataset data) { return new Builder(data); }

    /** Settings of a {@link DataLoader}; each setter returns this builder. */
    public static final class Builder {
        private final Dataset data;
        private int batch = 1;
        private boolean shuffle, dropLast, reuseBuffers;
        private long seed;

        private Builder(Dataset data) {
            if (data == null) throw new IllegalArgumentException("a data loader needs a dataset, got null");
            this.data = data;
        }

        /** Examples per batch (the last batch of an epoch may be smaller unless {@link #dropLast}). */
        public Builder batch(int size) { this.batch = size; return this; }
        /** Visit the examples in a new seeded random order each epoch. */
        public Builder shuffle(boolean on) { this.shuffle = on; return this; }
        /** Drop an epoch's last batch when it is smaller than the batch size. */
        public Builder dropLast(boolean on) { this.dropLast = on; return this; }
        /** Seed of the shuffling order. */
        public Builder seed(long seed) { this.seed = seed; return this; }
        /** Let batches share their arrays: a batch is then valid only until the next (see the class comment). */
        public Builder reuseBuffers(boolean on) { this.reuseBuffers = on; return this; }

        public DataLoader build() { return new DataLoader(data, batch, shuffle, dropLast, seed, reuseBuffers); }
    }

    private void beginEpoch(int e) {
        epoch = e;
        position = 0;
        rngAtEpochStart = rng.state();
        for (int i = 0; i < order.length; i++) order[i] = i;
        if (shuffle) rng.shuffle(order);
    }

    public Dataset dataset() { return data; }
    public int batchSize() { return batchSize; }
    public int epoch() { return epoch; }

    /** Batches in one epoch. */
    public int batchesPerEpoch() {
        return dropLast ? data.size() / batchSize : (data.size() + batchSize - 1) / batchSize;
    }

    /** Examples one epoch hands out. */
    public int examplesPerEpoch() { return dropLast ? batchesPerEpoch() * batchSize : data.size(); }

    /** True while the current epoch has batches left. */
    public boolean hasNext() { return examplesPerEpoch() - position > 0; }

    /** The next batch of the current epoch. */
    public Batch next() {
        if (!hasNext()) throw new NoSuchElementException("epoch " + epoch + " is finished; call nextEpoch() to start the next one");
        int b = nextBatchSize();
        Prefetch ahead = prefetch;
        finishPrefetch();
        Batch batch;
        if (ahead != null && ahead.start() == position) {
            batch = ahead.batch();
        } else {
            batch = buffer(b, null);
            fill(batch, position);
        }
        position += b;
        prefetchNext(batch);
        return batch;
    }

    /** Examples in the batch that starts at the current position (the last one of an epoch may be smaller). */
    private int nextBatchSize() { return Math.min(batchSize, data.size() - position); }

    /**
     * With reused buffers, the following batch is made while the caller works on this one: handed to a kernel worker
     * ({@link Parallel#defer}), which makes it after its part of the step's first parallel job, while the caller does the
     * step's serial work (the MLP's small layers and loss). Before, the caller made each batch while the worker waited:
     * 25-45 µs of a 340-400 µs step, most of it taking the last batch's cache lines back from the other core. The
     * batch goes into the other of two buffers (the one handed out before this batch, which the class comment says is
     * no longer valid). Only batches converted on one thread anyway: a large one is split among the threads.
     */
    private void prefetchNext(Batch current) {
        if (!reuseBuffers || Parallel.threads() == 1 || !hasNext()) return;
        int b = nextBatchSize();
        if (b >= 2 * PARALLEL_MIN_IMAGES) return;
        Batch into = buffer(b, current);
        int start = position;
        prefetch = new Prefetch(start, into, Parallel.defer(() -> fill(into, start)));
    }

    /** A batch being made ahead: its first example's position in the epoch, its buffer and the worker's task. */
    private record Prefetch(int start, Batch batch, Parallel.Deferred job) {}

    private Prefetch prefetch;

    /** Lets a batch being made ahead finish (it reads the order), and forgets it. */
    private void finishPrefetch() {
        if (prefetch == null) return;
        prefetch.job().join();
        prefetch = null;
    }

    /** Writes the examples at positions [start, start + batch.size()) of this epoch's order into batch. */
    private void fill(Batch batch, int start) {
        int b = batch.size();
        int per = data.imageSize();
        float[] dst = batch.inputs().data();
        int[] labels = data.labels();
        // Byte-stored datasets are converted here, one batch at a time. A large batch (the evaluation's 1,000
        // images: ~0.3 ms, timed as part of the inference rate) is split among the kernel threads, each image
        // written by one thread, so the values never depend on the split; a training batch of 64 (20 µs) stays
        // on one thread, where a hand-off to a parked worker would cost about what it saves.
        touched = data.touch(order, start, start + b);   // all of the batch's cache misses at once (Dataset.touch)
        Parallel.forRange(b, PARALLEL_MIN_IMAGES, (from, to) -> {
            for (int k = from; k < to; k++) {
                int i = order[start + k];
                data.copyImage(i, dst, k * per);
                batch.labels()[k] = labels[i];
                batch.indices()[k] = i;
            }
        });
    }

    /** Starts the following epoch (a fresh permutation when shuffling). */
    public void nextEpoch() {
        finishPrefetch();
        beginEpoch(epoch + 1);
    }

    public State state() { return new State(epoch, position, rngAtEpochStart.clone()); }

    /** Returns to a saved state: the batches that follow are exactly those that followed when it was saved. */
    public void restore(State s) {
        if (s.position() < 0 || s.position() > examplesPerEpoch() || (s.position() % batchSize != 0 && s.position() != data.size()))
            throw new IllegalArgumentException("loader state position " + s.position() + " does not fit a dataset of "
                    + data.size() + " examples in batches of " + batchSize);
        finishPrefetch();
        rng.setState(s.rngStateAtEpochStart());
        beginEpoch(s.epoch());
        position = s.position();
    }

    /** Fewest images per thread when a batch is copied in parallel. */
    private static final int PARALLEL_MIN_IMAGES = 256;
    /** The sum {@link Dataset#touch} returns, kept so that its reads are never optimized away. */
    @SuppressWarnings("unused") private int touched;

    /** A batch of b examples to fill: new arrays, or with reuseBuffers one of the loader's own other than {@code notThis}. */
    private Batch buffer(int b, Batch notThis) {
        if (!reuseBuffers) return newBatch(b);
        if (b == batchSize) {
            if (fullBuffer == null) fullBuffer = newBatch(b);
            if (fullBuffer != notThis) return fullBuffer;
            if (spareFullBuffer == null) spareFullBuffer = newBatch(b);
            return spareFullBuffer;
        }
        if (tailBuffer == null || tailBuffer.size() != b || tailBuffer == notThis) tailBuffer = newBatch(b);
        return tailBuffer;
    }

    private Batch newBatch(int b) {
        return new Batch(Tensor.zeros(b, data.channels(), data.height(), data.width()), new int[b], null, new int[b]);
    }
}
