package convlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD sums over a contiguous run of floats (a plane of a feature map, a row of a layer), the
 * reductions that normalization and global pooling need. Lanes accumulate in float32 over blocks of
 * {@value #BLOCK} elements, each block's lanes are then added in float64: vector speed, and an error
 * that grows with the block, not with the whole run. The order of additions depends only on the
 * length (never on the JIT's state: no reduceLanes), so results are reproducible. Each method has a plain
 * scalar twin ({@code ...Scalar}) that accumulates in float64 throughout; tests compare the two.
 */
public final class PlaneReductions {
    private PlaneReductions() {}

    private static final VectorSpecies<Float> S = Vectors.FLOAT;
    static final int BLOCK = 512;

    /** Σ x[off .. off+len). */
    public static double sum(float[] x, int off, int len) {
        double total = 0;
        for (int b = 0; b < len; b += BLOCK) {
            int end = Math.min(len, b + BLOCK), i = b;
            FloatVector acc = FloatVector.zero(S);
            for (; i <= end - S.length(); i += S.length()) acc = acc.add(FloatVector.fromArray(S, x, off + i));
            double part = lanes(acc);
            for (; i < end; i++) part += x[off + i];
            total += part;
        }
        return total;
    }

    /** Σ (x − c)² over x[off .. off+len): the variance numerator about a known mean c. */
    public static double sumSquaredDeviation(float[] x, int off, int len, float c) {
        double total = 0;
        FloatVector cv = FloatVector.broadcast(S, c);
        for (int b = 0; b < len; b += BLOCK) {
            int end = Math.min(len, b + BLOCK), i = b;
            FloatVector acc = FloatVector.zero(S);
            for (; i <= end - S.length(); i += S.length()) {
                FloatVector d = FloatVector.fromArray(S, x, off + i).sub(cv);
                acc = d.fma(d, acc);
            }
            double part = lanes(acc);
            for (; i < end; i++) { double d = x[off + i] - c; part += d * d; }
            total += part;
        }
        return total;
    }

    /**
     * Σ g and Σ g·(x − c) over one run, returned in sums[0] and sums[1] (added to what is there):
     * the two reductions of every normalization backward, in one pass over g and x.
     */
    public static void sumAndCenteredDot(float[] g, float[] x, int off, int len, float c, double[] sums) {
        FloatVector cv = FloatVector.broadcast(S, c);
        for (int b = 0; b < len; b += BLOCK) {
            int end = Math.min(len, b + BLOCK), i = b;
            FloatVector accG = FloatVector.zero(S), accGx = FloatVector.zero(S);
            for (; i <= end - S.length(); i += S.length()) {
                FloatVector gv = FloatVector.fromArray(S, g, off + i);
                accG = accG.add(gv);
                accGx = FloatVector.fromArray(S, x, off + i).sub(cv).fma(gv, accGx);
            }
            double partG = lanes(accG), partGx = lanes(accGx);
            for (; i < end; i++) { partG += g[off + i]; partGx += (double) g[off + i] * (x[off + i] - c); }
            sums[0] += partG;
            sums[1] += partGx;
        }
    }

    /**
     * The lanes of v added in float64, lane 0 first. Not reduceLanes: its order differs between interpreted
     * and compiled code, so a result would depend on whether the JIT had compiled the caller yet.
     */
    private static double lanes(FloatVector v) {
        double s = 0;
        for (int l = 0; l < S.length(); l++) s += v.lane(l);
        return s;
    }

    // ---------------------------------------------------------------- scalar twins (float64 throughout)

    public static double sumScalar(float[] x, int off, int len) {
        double s = 0;
        for (int i = 0; i < len; i++) s += x[off + i];
        return s;
    }

    public static double sumSquaredDeviationScalar(float[] x, int off, int len, float c) {
        double s = 0;
        for (int i = 0; i < len; i++) { double d = (double) x[off + i] - c; s += d * d; }
        return s;
    }

    public static void sumAndCenteredDotScalar(float[] g, float[] x, int off, int len, float c, double[] sums) {
        for (int i = 0; i < len; i++) { sums[0] += g[off + i]; sums[1] += (double) g[off + i] * ((double) x[off + i] - c); }
    }
}
