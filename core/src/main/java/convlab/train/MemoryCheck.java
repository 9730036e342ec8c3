package convlab.train;

import convlab.spec.Analysis;
import convlab.spec.LayerStats;

import java.util.Locale;

/**
 * Whether a network fits the Java heap, estimated from its spec before any tensor is allocated, so a model too
 * big for the heap is refused with one line ("needs about 12.7 GB, the heap is 2.0 GB; set CONVLAB_JAVA_OPTS=-Xmx14g")
 * instead of an OutOfMemoryError part-way through. The estimate (docs/RELIABILITY.md), in float32 bytes:
 * <pre>
 *   training:   4·P·(1 weights + 1 gradients + 2 optimizer slots)  +  4·3·batch·A
 *   evaluation: 4·P  +  4·2·evalBatch·max layer output
 * </pre>
 * with P the parameters and buffers and A the sum over layers of one example's activations (values,
 * gradients and scratch of the backward pass). Doubles, so no size can overflow.
 */
public final class MemoryCheck {
    private MemoryCheck() {}

    /** Bytes to train with this batch (and evaluate in batches of evalBatch). */
    public static double trainingBytes(Analysis a, int batch, int evalBatch) {
        double p = (double) a.totalParams() + a.totalBuffers();
        double activations = a.input().numel(), largest = a.input().numel();
        for (LayerStats s : a.layers()) {
            activations += s.output().numel();
            largest = Math.max(largest, s.output().numel());
        }
        double train = 4 * p * 4 + 4.0 * 3 * batch * activations;
        return Math.max(train, evaluationBytes(p, largest, evalBatch));
    }

    /** Bytes to evaluate in batches of evalBatch. */
    public static double evaluationBytes(Analysis a, int evalBatch) {
        double largest = a.input().numel();
        for (LayerStats s : a.layers()) largest = Math.max(largest, s.output().numel());
        return evaluationBytes((double) a.totalParams() + a.totalBuffers(), largest, evalBatch);
    }

    private static double evaluationBytes(double params, double largest, int evalBatch) {
        return 4 * params + 4.0 * 2 * evalBatch * largest;
    }

    /** Throws IllegalArgumentException when needed bytes exceed the heap this JVM may use; what says for what. */
    public static void requireFits(double needed, String what) {
        long max = Runtime.getRuntime().maxMemory();
        if (needed <= max) return;
        long gigabytes = (long) Math.ceil(needed / (1L << 30)) + 1;
        throw new IllegalArgumentException(what + " needs about " + bytes(needed) + " of memory, the heap is " + bytes(max)
                + "; set CONVLAB_JAVA_OPTS=-Xmx" + gigabytes + "g (if the machine has that much) or use a smaller model or batch");
    }

    /** "12.7 GB", "512 MB": a byte count for people. */
    public static String bytes(double b) {
        if (b >= 1e15) return String.format(Locale.ROOT, "%.2g bytes", b);
        if (b >= (1L << 30)) return String.format(Locale.ROOT, "%.1f GB", b / (1L << 30));
        return String.format(Locale.ROOT, "%.0f MB", b / (1L << 20));
    }
}
