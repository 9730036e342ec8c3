package convlab.train;

import convlab.autograd.GradMode;
import convlab.nn.Module;
import convlab.nn.functional.F;
import convlab.optim.SGD;
import convlab.tensor.DType;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;

import java.util.function.Supplier;

/**
 * Runs a throwaway copy of a network on random data in a background thread, so the JIT compiles the kernels
 * while the caller does something else (loads the data set). Until C2 has compiled them, the Vector API
 * kernels run 10-100x slower (interpreted or C1 code boxes every vector): measured on the course CNN, the
 * first epoch trained at 7,100 images/s and the next ones at 12,900 on one thread.
 *
 * <p>The copy has its own parameters, random numbers and optimizer; the caller's model, data order and
 * results are untouched (kernels give the same bits compiled or not). {@link #finish} waits for the thread,
 * so warm-up never runs alongside training. Best effort: any failure just ends the warm-up.
 */
public final class JitWarmup {
    private final Thread thread;
    private volatile boolean stop;

    /**
     * Starts warming up: training steps of SGD on random batches of the given input shape (batch first) with
     * labels below classes, then a few evaluation passes; at most maxSteps steps or maxMillis milliseconds.
     */
    public JitWarmup(Supplier<Module> copy, int[] batchShape, int classes, int maxSteps, long maxMillis) {
        thread = new Thread(() -> run(copy, batchShape, classes, maxSteps, maxMillis), "convlab-jit-warmup");
        thread.setDaemon(true);
        thread.start();
    }

    private void run(Supplier<Module> copy, int[] batchShape, int classes, int maxSteps, long maxMillis) {
        long deadline = System.nanoTime() + maxMillis * 1_000_000L;
        try {
            Module model = copy.get();
            SGD opt = new SGD(model.parameters(), 1e-3, 0.9, 0);
            Rng rng = new Rng(0x5EED);
            Tensor x = Tensor.uniform(rng, 0, 1, DType.F32, batchShape);
            int[] labels = new int[batchShape[0]];
            for (int i = 0; i < labels.length; i++) labels[i] = i % classes;
            for (int step = 0; step < maxSteps && !stop && System.nanoTime() < deadline; step++) {
                model.train();
                Tensor loss = F.crossEntropy(model.forward(x), labels);
                opt.zeroGrad();
                loss.backward();
                opt.step();
                if (step % 8 == 7) {   // the evaluation path (no graph; batch norm's running statistics)
                    model.eval();
                    try (var scope = GradMode.noGrad()) { model.forward(x); }
                }
            }
        } catch (RuntimeException | Error ignored) {
            // best effort: training itself will report whatever is wrong with the model
        }
    }

    /** Waits for the warm-up to end (it ends by itself within its time budget). */
    public void finish() {
        try {
            thread.join();
        } catch (InterruptedException e) {
            stop = true;
            Thread.currentThread().interrupt();
        }
    }
}
