package convlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Optimizer updates, element by element over a range of a parameter, written with the Vector API. Each lane
 * does exactly the float operations of the scalar loop, in the same order (multiplies and adds, no fused
 * multiply-add), so the result is bitwise that of the scalar loop, and splitting a parameter among threads never
 * changes a bit. Why by hand: C2 auto-vectorized the scalar momentum loop in some runs and not in others (the
 * MLP's 200k-weight update took 41 µs in one JVM and 230 µs in the next, one thread, same machine).
 */
public final class UpdateKernels {
    private UpdateKernels() {}

    private static final VectorSpecies<Float> S = Vectors.FLOAT;

    /**
     * Fewest elements per thread when an update over one parameter is split among the kernel threads
     * ({@code Parallel.forRange(n, MIN_PER_THREAD, …)}): below this a hand-off costs more than it saves. The gradient
     * check ({@link FiniteCheck}) splits the same way, so a thread reads the range it will update.
     */
    public static final int MIN_PER_THREAD = 1 << 15;

    /**
     * SGD without momentum on [from, to), PyTorch's rule: w = w − lr·(g + wd·w). Here rather than in the optimizer, as
     * every loop over a tensor's elements: the launcher leaves the optimizer's own code to C1 (scripts/jit-directives-training.json).
     */
    public static void sgd(float[] w, float[] g, int from, int to, float lr, float wd) {
        int upper = from + S.loopBound(to - from), vl = S.length(), i = from;
        for (; i < upper; i += vl) {
            FloatVector wi = FloatVector.fromArray(S, w, i);
            wi.sub(FloatVector.fromArray(S, g, i).add(wi.mul(wd)).mul(lr)).intoArray(w, i);
        }
        for (; i < to; i++) w[i] -= lr * (g[i] + wd * w[i]);
    }

    /**
     * SGD with momentum on [from, to), PyTorch's rule: d = g + wd·w; buf = first ? d : mom·buf + damp·d;
     * w = w − lr·(nesterov ? d + mom·buf : buf).
     *
     * <p>One loop per case, each straight-line: a vector chosen by a condition inside the loop (a phi of two vectors)
     * makes C2 box the vectors, i.e. allocate an object per operation; on wide-bn's 401k-weight layer that was
     * 15 GB/s of garbage, a young collection every 5 ms and 340 instead of 1,400 images/s.
     */
    public static void sgdMomentum(float[] w, float[] g, float[] buf, int from, int to,
                                   float lr, float wd, float mom, float damp, boolean first, boolean nesterov) {
        int upper = from + S.loopBound(to - from), vl = S.length(), i = from;
        if (first && !nesterov) {
            for (; i < upper; i += vl) {
                FloatVector wi = FloatVector.fromArray(S, w, i);
                FloatVector di = FloatVector.fromArray(S, g, i).add(wi.mul(wd));
                di.intoArray(buf, i);
                wi.sub(di.mul(lr)).intoArray(w, i);
            }
        } else if (first) {
            for (; i < upper; i += vl) {
                FloatVector wi = FloatVector.fromArray(S, w, i);
                FloatVector di = FloatVector.fromArray(S, g, i).add(wi.mul(wd));
                di.intoArray(buf, i);
                wi.sub(di.add(di.mul(mom)).mul(lr)).intoArray(w, i);
            }
        } else if (!nesterov) {
            for (; i < upper; i += vl) {
                FloatVector wi = FloatVector.fromArray(S, w, i);
                FloatVector di = FloatVector.fromArray(S, g, i).add(wi.mul(wd));
                FloatVector bi = FloatVector.fromArray(S, buf, i).mul(mom).add(di.mul(damp));
                bi.intoArray(buf, i);
                wi.sub(bi.mul(lr)).intoArray(w, i);
            }
        } else {
            for (; i < upper; i += vl) {
                FloatVector wi = FloatVector.fromArray(S, w, i);
                FloatVector di = FloatVector.fromArray(S, g, i).add(wi.mul(wd));
                FloatVector bi = FloatVector.fromArray(S, buf, i).mul(mom).add(di.mul(damp));
                bi.intoArray(buf, i);
                wi.sub(di.add(bi.mul(mom)).mul(lr)).intoArray(w, i);
            }
        }
        for (; i < to; i++) {
            float di = g[i] + wd * w[i];
            float bi = first ? di : mom * buf[i] + damp * di;
            buf[i] = bi;
            w[i] -= lr * (nesterov ? di + mom * bi : bi);
        }
    }
}
