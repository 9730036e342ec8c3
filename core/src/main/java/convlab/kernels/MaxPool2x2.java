package convlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The CNN's common pooling, 2×2 windows at stride 2 without padding, with SIMD: VL windows at a time.
 * The two input rows of VL windows (2·VL floats each) are split into their even and odd columns by lane
 * permutations, so the four candidates x0 (top left), x1, x2, x3 of every window sit in the same lane of
 * four vectors. The result is the one of {@link Pool2dKernels}: the maximum (Math.max order), the first of
 * x0, x1, x2, x3 equal to it, that element's value and flat index. Chunks holding a NaN, the columns left over
 * and planes of 2^24 floats or more (indices not exact in float) take the scalar loop. The windows left at a
 * row's end (or a whole row narrower than VL windows: 14 windows with AVX-512's 16 lanes) are one masked chunk.
 */
final class MaxPool2x2 {
    private MaxPool2x2() {}

    private static final VectorSpecies<Float> S = Vectors.FLOAT;
    private static final VectorSpecies<Integer> SI = VectorSpecies.of(int.class, S.vectorShape());
    private static final int VL = S.length(), HALF = VL / 2;
    /** [0, 2, 4, .., 1, 3, 5, ..]: even lanes to the lower half, odd lanes to the upper half. */
    private static final VectorShuffle<Float> EVEN_ODD = VectorShuffle.fromOp(S, i -> i < HALF ? 2 * i : 2 * (i - HALF) + 1);
    /** [1, 3, 5, .., 0, 2, 4, ..]: odd lanes to the lower half, even lanes to the upper half. */
    private static final VectorShuffle<Float> ODD_EVEN = VectorShuffle.fromOp(S, i -> i < HALF ? 2 * i + 1 : 2 * (i - HALF));
    private static final VectorShuffle<Float> SWAP_HALVES = VectorShuffle.fromOp(S, i -> (i + HALF) % VL);
    private static final VectorMask<Float> UPPER = VectorMask.fromLong(S, ((1L << VL) - 1) & ~((1L << HALF) - 1));
    /** Lane l of a chunk is window l: its top-left cell is 2·l columns right of the chunk's. */
    private static final FloatVector TWICE_IOTA = FloatVector.fromArray(S, twiceIota(), 0);

    private static float[] twiceIota() {
        float[] a = new float[VL];
        for (int i = 0; i < VL; i++) a[i] = 2 * i;
        return a;
    }

    /** Planes [p0, p1): out and argmax (flat index in the input plane) of every window; argmax null: out only. */
    static void forward(float[] x, int p0, int p1, int h, int w, int oh, int ow, float[] out, int[] argmax) {
        boolean vectors = (long) h * w < (1 << 24);   // the vector path computes flat indices in float
        int limit = p1 * oh * ow;
        for (int p = p0; p < p1; p++) {
            int in = p * h * w, o = p * oh * ow;
            for (int i = 0; i < oh; i++, o += ow) {
                int r0 = 2 * i * w, j = 0;
                for (; vectors && j < ow; j += VL) {   // the last chunk of a row may be partial (14 windows, 16 lanes)
                    int n = Math.min(VL, ow - j);
                    if (!chunk(x, in, r0, w, 2 * j, out, argmax, o + j, n, limit)) scalar(x, in, r0, w, j, j + n, out, argmax, o);
                }
                if (!vectors) scalar(x, in, r0, w, 0, ow, out, argmax, o);
            }
        }
    }

    /**
     * n ≤ VL windows starting at column c of row pair (r0, r0 + w); false (nothing written) when one holds NaN.
     * With n &lt; VL the lanes past the n windows read what follows in x (masked only at the end of x) and are
     * stored past the row too, into the next rows' slots, which are computed after this one; only where that
     * would pass limit (the end of the caller's planes: another thread's) are the stores masked. Masked accesses
     * cost a per-lane index check (JFR: 8% of a course CNN step when every row tail was masked).
     */
    private static boolean chunk(float[] x, int in, int r0, int w, int c, float[] out, int[] argmax, int o, int n, int limit) {
        int top = in + r0 + c, bottom = top + w;
        FloatVector t0, t1, u0, u1;
        if (n == VL || bottom + 2 * VL <= x.length) {
            t0 = FloatVector.fromArray(S, x, top); t1 = FloatVector.fromArray(S, x, top + VL);
            u0 = FloatVector.fromArray(S, x, bottom); u1 = FloatVector.fromArray(S, x, bottom + VL);
        } else {
            VectorMask<Float> m0 = S.indexInRange(0, 2 * n), m1 = S.indexInRange(VL, 2 * n);
            t0 = FloatVector.fromArray(S, x, top, m0); t1 = FloatVector.fromArray(S, x, top + VL, m1);
            u0 = FloatVector.fromArray(S, x, bottom, m0); u1 = FloatVector.fromArray(S, x, bottom + VL, m1);
        }
        FloatVector a = t0.rearrange(EVEN_ODD);
        FloatVector b = t1.rearrange(ODD_EVEN);
        FloatVector x0 = a.blend(b, UPPER), x1 = b.blend(a, UPPER).rearrange(SWAP_HALVES);
        a = u0.rearrange(EVEN_ODD);
        b = u1.rearrange(ODD_EVEN);
        FloatVector x2 = a.blend(b, UPPER), x3 = b.blend(a, UPPER).rearrange(SWAP_HALVES);
        FloatVector m = x0.max(x1).max(x2.max(x3));
        VectorMask<Float> nan = m.test(VectorOperators.IS_NAN);
        if (n < VL) nan = nan.and(S.indexInRange(0, n));
        if (nan.anyTrue()) return false;
        // the first of x0, x1, x2, x3 equal to the maximum: select from the last to the first
        FloatVector corner = TWICE_IOTA.add(r0 + c);
        VectorMask<Float> e2 = x2.compare(VectorOperators.EQ, m), e1 = x1.compare(VectorOperators.EQ, m),
                e0 = x0.compare(VectorOperators.EQ, m);
        FloatVector value = x3.blend(x2, e2).blend(x1, e1).blend(x0, e0);
        if (argmax == null) {   // inference: the values only
            if (n == VL || o + VL <= limit) value.intoArray(out, o);
            else value.intoArray(out, o, S.indexInRange(0, n));
            return true;
        }
        FloatVector index = corner.add(w + 1).blend(corner.add(w), e2).blend(corner.add(1), e1).blend(corner, e0);
        IntVector indices = (IntVector) index.convertShape(VectorOperators.F2I, SI, 0);
        if (n == VL || o + VL <= limit) {
            value.intoArray(out, o);
            indices.intoArray(argmax, o);
        } else {
            value.intoArray(out, o, S.indexInRange(0, n));
            indices.intoArray(argmax, o, SI.indexInRange(0, n));
        }
        return true;
    }

    /** Windows [j0, j1) of output row o.. with branch-free selects (and the NaN rule), as {@link Pool2dKernels}. */
    private static void scalar(float[] x, int in, int r0, int w, int j0, int j1, float[] out, int[] argmax, int o) {
        int r1 = r0 + w;
        for (int j = j0; j < j1; j++) {
            int a = r0 + 2 * j, b = r1 + 2 * j;
            float x0 = x[in + a], x1 = x[in + a + 1], x2 = x[in + b], x3 = x[in + b + 1];
            float m = Math.max(Math.max(x0, x1), Math.max(x2, x3));
            int bi = b + 1;                             // first element equal to the maximum
            bi = x2 == m ? b : bi;
            bi = x1 == m ? a + 1 : bi;
            bi = x0 == m ? a : bi;
            if (m != m) bi = x3 != x3 ? b + 1 : x2 != x2 ? b : x1 != x1 ? a + 1 : a;   // the last NaN
            out[o + j] = x[in + bi];
            if (argmax != null) argmax[o + j] = bi;
        }
    }
}
