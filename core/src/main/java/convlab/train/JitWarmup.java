package convlab.train;

import convlab.data.Batch;
import convlab.nn.Module;
import convlab.optim.SGD;
import convlab.tensor.DType;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Runs a throwaway copy of a network on random data in a background thread, so the JIT compiles the kernels
 * while the caller does something else (loads the data set). Until C2 has compiled them, the Vector API
 * kernels run 10-100x slower (interpreted or C1 code boxes every vector): measured on the course CNN, the
 * first epoch trained at 7,100 images/s and the next ones at 12,900 on one thread.
 *
 * <p>The warm-up drives the real {@link Trainer} loop, in short epochs that each end with an evaluation pass,
 * at the training batch size and, once the steps run compiled, at the evaluation batch size, two batches a pass
 * (an evaluation splits its first batch into chunks of 64 images and runs the later ones whole, so only a second
 * batch reaches the full-size shapes: with one, the MLP's first real evaluation ran its 1,000-row products
 * uncompiled, at a twentieth of PyTorch's speed). C2 compiles a
 * method without the branches its profile has not seen and throws the code away the first time one is taken
 * ("unstable_if"), back to the interpreter until it recompiles: a warm-up that skipped the trainer's gradient checks, or the larger evaluation batch
 * (whose GEMMs take other paths), left the MLP's first epoch and its evaluation running partly interpreted.
 *
 * <p>The copy has its own parameters, random numbers and optimizer; the caller's model, data order and
 * results are untouched (kernels give the same bits compiled or not). {@link #finish} waits for the thread,
 * so warm-up never runs alongside training, and collects the copy's garbage. Best effort: any failure just ends the
 * warm-up.
 */
public final class JitWarmup {
    /**
     * Training steps between evaluation passes: few, so the first evaluation comes early, before the time budget
     * runs out on a busy machine (until C2 has compiled them, each kernel call runs at interpreter speed).
     */
    private static final int STEPS_PER_EPOCH = 4;

    private final Thread thread;
    private volatile boolean stop;

    /** A warm-up whose evaluation batches have the training batch size. */
    public JitWarmup(Supplier<Module> copy, int[] batchShape, int classes, int minSteps, long maxMillis) {
        this(copy, batchShape, batchShape[0], classes, minSteps, maxMillis);
    }

    /**
     * Starts warming up: training steps of SGD on random batches of the given input shape (batch first) with
     * labels below classes, with an evaluation pass after every few steps (two batches of evalBatch
     * examples once the steps run compiled). It takes at least minSteps steps and goes on until the steps run at a steady speed
     * (C2 has compiled the kernels: {@value #STEADY_STEPS} steps in a row each within 25% of the fastest), at
     * most maxMillis milliseconds. A fixed number of steps was not enough on a busy machine, where the
     * compiler threads get little CPU: there the MLP trained its first two seconds at interpreter speed.
     */
    public JitWarmup(Supplier<Module> copy, int[] batchShape, int evalBatch, int classes, int minSteps, long maxMillis) {
        thread = new Thread(() -> run(copy, batchShape, evalBatch, classes, minSteps, maxMillis), "convlab-jit-warmup");
        thread.setDaemon(true);
        thread.start();
    }

    /** Consecutive steps at compiled speed that end the warm-up. */
    static final int STEADY_STEPS = 8;

    private void run(Supplier<Module> copy, int[] batchShape, int evalBatch, int classes, int minSteps, long maxMillis) {
        long deadline = System.nanoTime() + maxMillis * 1_000_000L;
        StepClock clock = new StepClock();
        int[] largeGiven = {0};
        BooleanSupplier go = () -> !stop && System.nanoTime() < deadline
                && !(clock.steps >= minSteps && clock.steady() && largeGiven[0] >= 2);
        try {
            Module model = copy.get();
            SGD opt = new SGD(model.parameters(), 1e-3, 0.9, 0);
            Batch train = randomBatch(batchShape, classes);
            Batch large = repeated(train, Math.max(1, evalBatch));
            // Evaluate in the large batches only once the steps run compiled: at interpreter speed a large batch
            // through a big network could take seconds, and the time budget is checked between batches only.
            Supplier<Batch> evalBatches = () -> {
                if (!clock.steady()) return train;
                largeGiven[0]++;
                return large;
            };
            Trainer trainer = new Trainer(model, opt, clock);
            for (int epochs = 1; go.getAsBoolean(); epochs++)
                trainer.fit(new Repeat(() -> train, train.size(), STEPS_PER_EPOCH, go),
                        new Repeat(evalBatches, large.size(), 2, go), epochs, classes);
        } catch (RuntimeException | Error ignored) {
            // best effort: training itself will report whatever is wrong with the model
        }
    }

    /** Times the training steps (not the evaluation passes between epochs). */
    private static final class StepClock implements TrainingListener {
        private long last, fastest = Long.MAX_VALUE;
        private int inARow;
        int steps;

        @Override public void epochStarted(int epoch, int batches) { last = System.nanoTime(); }

        @Override public void stepFinished(int epoch, int step, double loss, double acc, double imagesPerSecond) {
            long now = System.nanoTime(), took = now - last;
            last = now;
            fastest = Math.min(fastest, took);
            inARow = took <= fastest + fastest / 4 ? inARow + 1 : 0;
            steps++;
        }

        boolean steady() { return inARow >= STEADY_STEPS; }
    }

    private static Batch randomBatch(int[] shape, int classes) {
        Tensor x = Tensor.uniform(new Rng(0x5EED), 0, 1, DType.F32, shape);
        int[] labels = new int[shape[0]];
        for (int i = 0; i < labels.length; i++) labels[i] = i % classes;
        return new Batch(x, labels);
    }

    /** A batch of n examples: b's examples over and over. */
    private static Batch repeated(Batch b, int n) {
        int[] shape = b.inputs().shape();
        int per = b.inputs().numel() / shape[0];
        shape[0] = n;
        Tensor x = Tensor.zeros(shape);
        int[] labels = new int[n];
        float[] src = b.inputs().data(), dst = x.data();
        for (int i = 0; i < n; i++) {
            System.arraycopy(src, (i % b.size()) * per, dst, i * per, per);
            labels[i] = b.labels()[i % b.size()];
        }
        return new Batch(x, labels);
    }

    /** perEpoch batches an epoch (of at most batchSize examples) from a supplier, while go says so. */
    private record Repeat(Supplier<Batch> batches, int batchSize, int perEpoch, BooleanSupplier go) implements BatchSource {
        @Override public int examplesPerEpoch() { return perEpoch * batchSize; }
        @Override public int batchesPerEpoch() { return perEpoch; }

        @Override public Iterator<Batch> epoch(int epoch) {
            return new Iterator<>() {
                int given;
                @Override public boolean hasNext() { return given < perEpoch && go.getAsBoolean(); }
                @Override public Batch next() {
                    if (!hasNext()) throw new NoSuchElementException();
                    given++;
                    return batches.get();
                }
            };
        }
    }

    /** Waits for the warm-up to end (it ends by itself within its time budget). */
    public void finish() {
        try {
            thread.join();
        } catch (InterruptedException e) {
            stop = true;
            Thread.currentThread().interrupt();
            return;
        }
        // The copy's model, batches and step arena are garbage now, but the warm-up ran long enough for much of it to
        // be promoted: collected here (one full GC, ~20 ms), the old generation starts training at ~70 MB instead of
        // growing on top of it (course CNN, 3 epochs: peak RSS 319-341 MB against 337-365 MB, 4 runs each).
        System.gc();
    }
}
