package convlab.train;

import convlab.data.DataLoader;
import convlab.data.Dataset;
import convlab.nn.Module;
import convlab.optim.SGD;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Runs a throwaway copy of a network on random data, so the JIT compiles the kernels while the caller does something
 * else (loads the data set): on the calling thread while the other work runs elsewhere ({@link #runHere}, what
 * {@link TrainRun} does), or in a background thread (the constructors). Until C2 has compiled them, the Vector API
 * kernels run 10-100x slower (interpreted or C1 code boxes every vector): measured on the course CNN, the
 * first epoch trained at 7,100 images/s and the next ones at 12,900 on one thread.
 *
 * <p>The warm-up drives the real {@link Trainer} loop, in rounds of two short epochs that each end with an
 * evaluation pass, at the training batch size and, once the steps run compiled, every other round at the evaluation
 * batch size (an evaluation runs its first images as a small chunk of their own, so only a second batch reaches the
 * full-size shapes: with one, the MLP's first real evaluation ran its 1,000-row products uncompiled, at a twentieth
 * of PyTorch's speed). C2 compiles a method without the branches its profile has not seen, and inlines a call for
 * the classes it has seen; it throws the code away the first time another is taken ("unstable_if", "class_check"),
 * back to the interpreter until it recompiles. So the warm-up takes the training's paths, not just its kernels: a
 * warm-up that skipped the trainer's gradient checks, or the larger evaluation batch (whose GEMMs take other paths),
 * left the MLP's first epoch and its evaluation running partly interpreted; one whose batches came through its own
 * iterator classes, whose model kept its gradients from round to round, and whose evaluation had two batches (the
 * real one's arena drops the chunks' arrays two steps after their last use) left six such traps to the training's
 * first step and first evaluation in each of three runs ({@code -Xlog:deoptimization=debug}, the MLP on Zen 5; one
 * left by the shuffle of 60,000 indices remains), each a method and its callers recompiled in epoch 2 on a core the
 * steps need.
 *
 * <p>The copy has its own parameters, random numbers and optimizer; the caller's model, data order and
 * results are untouched (kernels give the same bits compiled or not). {@link #finish} waits for a background
 * warm-up, so it never runs alongside training, and collects the copy's garbage. Best effort: any failure just ends
 * the warm-up.
 *
 * <p><b>Warm up on the thread that will train</b> ({@link #runHere}) where possible. The GEMM keeps its packing
 * buffers per thread and grows them on first use; C2 compiles the kernels' loop nests without that growth branch
 * when the warm-up thread's buffers already had their size, and the training thread's first product, with empty
 * buffers, takes it and throws the compiled loops away ("unstable_if"). Measured on the MLP (Zen 5, 2 threads):
 * warmed on a background thread, the first 100 training steps ran at 34k images/s while both GEMM loop nests
 * were recompiled.
 */
public final class JitWarmup {
    /**
     * Training steps between evaluation passes: few, so the first evaluation comes early, before the time budget
     * runs out on a busy machine (until C2 has compiled them, each kernel call runs at interpreter speed).
     */
    private static final int STEPS_PER_EPOCH = 4;

    /**
     * Epochs a trainer runs before the next round starts a new one: two, so the warm-up also passes from an epoch's
     * evaluation to the next epoch's steps in one trainer, as the training does.
     */
    private static final int EPOCHS_PER_ROUND = 2;

    private final Thread thread;
    private volatile boolean stop;

    /** A warm-up whose evaluation batches have the training batch size. */
    public JitWarmup(Supplier<Module> copy, int[] batchShape, int classes, int minSteps, long maxMillis) {
        this(copy, batchShape, batchShape[0], classes, minSteps, maxMillis);
    }

    /**
     * Starts warming up: training steps of SGD on random batches of the given input shape (batch first) with
     * labels below classes, with an evaluation pass after every few steps (two batches of evalBatch
     * examples once the steps run compiled). It takes at least minSteps steps and goes on until the steps have run at a
     * steady speed ({@value #STEADY_STEPS} steps in a row each within 25% of the fastest) and the compilers have settled
     * (see StepClock), at most maxMillis milliseconds. A fixed number of steps was not enough on a busy machine, where the
     * compiler threads get little CPU: there the MLP trained its first two seconds at interpreter speed.
     */
    public JitWarmup(Supplier<Module> copy, int[] batchShape, int evalBatch, int classes, int minSteps, long maxMillis) {
        thread = new Thread(() -> run(copy, batchShape, evalBatch, classes, () -> minSteps, maxMillis, () -> stop, () -> false),
                "convlab-jit-warmup");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The same warm-up on the calling thread, while {@code alongside} (the caller's other start-up work, such as
     * reading the data on another thread) runs: it goes on until that is done, the steps have run steady and the
     * compilers have settled (as in the background form), or maxMillis pass, and stops at once if that work fails
     * (checked between steps). The time the caller would
     * spend waiting anyway goes to the JIT. The copy's garbage is left to the caller, which usually has more to
     * collect before its first step ({@code System.gc()}, as {@link #finish} does).
     */
    public static void runHere(Supplier<Module> copy, int[] batchShape, int evalBatch, int classes, int minSteps, long maxMillis,
                               Future<?> alongside) {
        runHere(copy, batchShape, evalBatch, classes, () -> minSteps, maxMillis, alongside);
    }

    /**
     * {@link #runHere(Supplier, int[], int, int, int, long, Future)} with a minimum that may change while it runs (read
     * between steps): {@link TrainRun} lowers it to the length of the training once the data is read.
     */
    public static void runHere(Supplier<Module> copy, int[] batchShape, int evalBatch, int classes, IntSupplier minSteps,
                               long maxMillis, Future<?> alongside) {
        BooleanSupplier failed = () -> alongside.isDone() && alongside.state() != Future.State.SUCCESS;
        BooleanSupplier waiting = () -> !alongside.isDone();
        run(copy, batchShape, evalBatch, classes, minSteps, maxMillis, failed, waiting);
    }

    /** Consecutive steps at compiled speed that end the warm-up. */
    static final int STEADY_STEPS = 8;

    /** Warm-up steps until stop, the deadline, or (once the caller is no longer waiting) compiled, steady steps. */
    private static void run(Supplier<Module> copy, int[] batchShape, int evalBatch, int classes, IntSupplier minSteps, long maxMillis,
                            BooleanSupplier stop, BooleanSupplier callerWaiting) {
        long deadline = System.nanoTime() + maxMillis * 1_000_000L, halfway = deadline - maxMillis * 500_000L;
        StepClock clock = new StepClock();
        int[] largeGiven = {0};
        BooleanSupplier go = () -> !stop.getAsBoolean() && System.nanoTime() < deadline
                && (callerWaiting.getAsBoolean() || !(clock.steps >= minSteps.getAsInt() && clock.wasSteady() && clock.compilerSettled() && largeGiven[0] >= 2));
        clock.stopUnless(go);
        try {
            Module model = copy.get();
            int batch = batchShape[0], big = Math.max(1, evalBatch);
            // Every source is of the classes the training's are, so the trainer's calls on them see the types they will
            // see, and C2 does not compile them for one class and throw the code away at the training's first step or
            // evaluation ("class_check"): training batches from a shuffling DataLoader over byte images (a partial
            // batch at each epoch's end) through LoaderBatches, evaluation batches made by LoaderBatches.inOrder.
            Dataset images = randomImages(batchShape, classes, STEPS_PER_EPOCH * batch + batch / 2);
            Dataset smallImages = randomImages(batchShape, classes, batch);
            // Two full evaluation batches and a short one: an evaluation splits its first batch into chunks
            // (Trainer.evaluate), so only the later batches reach the full-size shapes; and the third batch is a step
            // after which the evaluation's arena drops the first chunks' arrays, a branch the real evaluation of
            // 10,000 images takes and a warm-up that never took it left to a trap in the training's first evaluation.
            BatchSource large = null;
            for (int round = 0; go.getAsBoolean(); round++) {
                // Evaluate in the large batches once the steps run compiled, or half the time is gone (a busy machine
                // may never show 8 steady steps in a row), every other round: at interpreter speed a large batch through
                // a big network could take seconds, and the time budget is checked between steps only.
                boolean largeRound = (clock.wasSteady() || System.nanoTime() > halfway) && round % 2 == 0;
                if (largeRound && large == null) large = LoaderBatches.inOrder(randomImages(batchShape, classes, 2 * big + batch), big);
                // Each round starts as a training does: a new optimizer and trainer (a momentum buffer's first write,
                // the step arena's first buffers) and no gradients yet (the first step allocates them), so the first
                // real step takes branches the profile has seen rather than ones that throw the compiled code away.
                model.zeroGrad();
                // The small evaluation source is made anew each round, as the training makes its test batches after the
                // warm-up (LoaderBatches.inOrder): so the data loader's profile also has an unshuffled loader that makes
                // new arrays for its batches. Made once, that path was seen only before C2 compiled the loader, and the
                // training's test batches threw the compiled loader away at its first step ("unstable_if" in
                // DataLoader.beginEpoch, buffer and prefetchNext, and with them the batch iterator that inlines them).
                BatchSource test = largeRound ? large : LoaderBatches.inOrder(smallImages, batch);
                DataLoader loader = new DataLoader(images, batch, true, false, 0x5EED + round, true);
                new Trainer(model, new SGD(model.parameters(), 1e-3, 0.9, 0), clock)
                        .fit(new LoaderBatches(loader), test, EPOCHS_PER_ROUND, classes);
                if (largeRound) largeGiven[0] += EPOCHS_PER_ROUND;
            }
        } catch (StepClock.Stopped stopped) {
            // the warm-up is over: StepClock ends it between two steps
        } catch (RuntimeException | Error ignored) {
            // best effort: training itself will report whatever is wrong with the model
        }
    }

    /**
     * Times the training steps (not the evaluation passes between epochs), and watches the JIT. Steps can run at a
     * steady speed in C1's code while C2 is still compiling the loop nests (the MLP then trained its first 100 steps
     * at 34k images/s instead of 150k), and on a shared machine fast steps are seldom {@value #STEADY_STEPS} in a row
     * within 25%: so the speed only has to have been steady once, and the warm-up ends when the compilers have
     * settled: the JVM's total compilation time (where the JVM reports it) grew by under {@value #SETTLED_PERCENT}%
     * of the wall time over the last 100-{@value #SETTLED_MILLIS} ms. On the 2-core Zen 5 the MLP's warm-up then
     * ends about 2.6 s after start-up instead of 1.7-2.2 s, and its first epoch trains at 106-137k images/s
     * instead of 67-86k.
     */
    private static final class StepClock implements TrainingListener {
        private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();
        private static final boolean JIT_TIMED = JIT != null && JIT.isCompilationTimeMonitoringSupported();
        private long last, fastest = Long.MAX_VALUE;
        private int inARow;
        private boolean wasSteady;
        /** (wall nanoseconds, total compile milliseconds) at the start of the current window, and of the one before. */
        private long windowStart = System.nanoTime(), windowCompile = compileMillis(), previousStart = -1, previousCompile;
        int steps;
        private BooleanSupplier go = () -> true;

        /** Ends the warm-up after a step (throws {@link Stopped} out of the trainer) once go is false. */
        void stopUnless(BooleanSupplier go) { this.go = go; }

        /** Thrown out of the trainer's loop between two steps when the warm-up is over. */
        static final class Stopped extends RuntimeException {
            Stopped() { super("the warm-up is over", null, false, false); }
        }

        @Override public void epochStarted(int epoch, int batches) { last = System.nanoTime(); }

        @Override public void stepFinished(int epoch, int step, double loss, double acc, double imagesPerSecond) {
            long now = System.nanoTime(), took = now - last;
            last = now;
            fastest = Math.min(fastest, took);
            inARow = took <= fastest + fastest / 4 ? inARow + 1 : 0;
            wasSteady |= inARow >= STEADY_STEPS;
            steps++;
            if (!go.getAsBoolean()) throw new Stopped();
            if (now - windowStart >= SETTLED_MILLIS * 1_000_000L / 2) {   // two half windows make the window
                previousStart = windowStart;
                previousCompile = windowCompile;
                windowStart = now;
                windowCompile = compileMillis();
            }
        }

        boolean wasSteady() { return wasSteady; }

        boolean compilerSettled() {
            if (!JIT_TIMED) return true;
            if (previousStart < 0) return false;
            long wallMillis = (System.nanoTime() - previousStart) / 1_000_000L;
            return wallMillis >= SETTLED_MILLIS / 2 && (compileMillis() - previousCompile) * 100 < wallMillis * SETTLED_PERCENT;
        }

        private static long compileMillis() { return JIT_TIMED ? JIT.getTotalCompilationTime() : 0; }
    }

    static final int SETTLED_PERCENT = 20;
    static final long SETTLED_MILLIS = 200;

    /** A dataset of n random images of the batch's shape, stored as bytes as the real data sets are. */
    private static Dataset randomImages(int[] batchShape, int classes, int n) {
        int[] nchw = batchShape.clone();
        nchw[0] = n;
        byte[] pixels = new byte[Math.toIntExact((long) n * batchShape[1] * batchShape[2] * batchShape[3])];
        new java.util.Random(0x5EED).nextBytes(pixels);
        int[] labels = new int[n];
        List<String> names = new ArrayList<>();
        for (int i = 0; i < classes; i++) names.add("class " + i);
        for (int i = 0; i < n; i++) labels[i] = i % classes;
        return Dataset.ofUnsignedBytes(pixels, nchw, labels, names, "JIT warm-up images");
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
