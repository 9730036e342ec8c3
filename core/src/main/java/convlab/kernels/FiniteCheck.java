package convlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Whether an array holds only finite values (no NaN, no infinity): the trainer asks this of every gradient
 * after every step. The scalar loop exits early, so C2 cannot vectorize it; on the MLP's 200k-float gradient
 * it cost 8% of a training step. The vector form needs no branch: x − x is 0 for a finite x and NaN for NaN
 * and ±∞, and NaN survives any sum, so the sums of x − x are all zero exactly when every x is finite.
 * {@link #allFiniteScalar} is the reference.
 */
public final class FiniteCheck {
    private FiniteCheck() {}

    private static final VectorSpecies<Float> S = Vectors.FLOAT;

    /**
     * True when a[off .. off+len) holds no NaN and no infinity. A large array is checked by the kernel threads in the
     * ranges the optimizers' updates split a parameter into ({@link UpdateKernels#MIN_PER_THREAD}), so each thread
     * reads the part of a weight gradient its own core wrote and will update next, instead of one thread pulling
     * the other core's half across (the MLP's 800 KB gradient: 22 µs a step on one thread).
     */
    public static boolean allFinite(float[] a, int off, int len) {
        if (len < 2 * UpdateKernels.MIN_PER_THREAD || Parallel.threads() == 1) return allFiniteOnOneThread(a, off, len);
        java.util.concurrent.atomic.AtomicBoolean bad = new java.util.concurrent.atomic.AtomicBoolean();
        Parallel.forRange(len, UpdateKernels.MIN_PER_THREAD, (from, to) -> {
            if (!allFiniteOnOneThread(a, off + from, to - from)) bad.set(true);
        });
        return !bad.get();
    }

    static boolean allFiniteOnOneThread(float[] a, int off, int len) {
        int vl = S.length(), k = 0;
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;   // four chains: the adds overlap
        for (; k <= len - 4 * vl; k += 4 * vl) {
            FloatVector x0 = FloatVector.fromArray(S, a, off + k), x1 = FloatVector.fromArray(S, a, off + k + vl);
            FloatVector x2 = FloatVector.fromArray(S, a, off + k + 2 * vl), x3 = FloatVector.fromArray(S, a, off + k + 3 * vl);
            s0 = s0.add(x0.sub(x0));
            s1 = s1.add(x1.sub(x1));
            s2 = s2.add(x2.sub(x2));
            s3 = s3.add(x3.sub(x3));
        }
        if (!s0.add(s1).add(s2).add(s3).compare(VectorOperators.EQ, 0f).allTrue()) return false;
        for (; k < len; k++) if (!Float.isFinite(a[off + k])) return false;
        return true;
    }

    public static boolean allFiniteScalar(float[] a, int off, int len) {
        for (int k = off; k < off + len; k++) if (!Float.isFinite(a[k])) return false;
        return true;
    }
}
