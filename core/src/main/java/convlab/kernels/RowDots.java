package convlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * All dot products of two sets of rows, kept per SIMD lane: lanes[(i·nbPad + j)·VL + l] += Σ a[aRows[i] + q]·b[bRows[j]
 * + q] over q &lt; Q with q mod VL = l. A convolution's weight gradient with few output channels or few taps (the
 * course CNN: 10 channels, 9 or 90 taps) is this product of the output-gradient rows and the shifted input rows.
 *
 * <p>The contraction runs along q, contiguous in both operands, so vectors along q need no transposition: a tile
 * of {@link #MA} a-rows × {@link #MB} b-rows keeps its MA·MB accumulators in registers and loads MA + MB vectors
 * per step. The transposing product ({@link OffsetGemm#accumulateRowProducts}) copied the smaller operand element
 * by element into slivers and, with 10 columns, used 10 of a tile's 32 (AVX-512) or 16 (AVX2) columns; on the
 * course CNN that transposition alone was a quarter of a training step (JFR, AVX-512).
 *
 * <p>The row offsets are loop-invariant within a tile, so C2 proves every load in range before the loop. The
 * lanes are never reduced here: each lane of each element is one fma chain over the calls (images), and the
 * caller adds the lanes in a fixed order at the end (the Vector API's reduceLanes may add them in another order
 * in interpreted and compiled code). Rows past ma or nb (the last tile's) repeat the last row into the padding
 * slots i ≥ ma, j ≥ nb of lanes, which the caller ignores.
 */
final class RowDots {
    private RowDots() {}

    private static final VectorSpecies<Float> S = Vectors.FLOAT;
    static final int VL = S.length();
    /**
     * a-rows per tile: 5 when vectors are 512 bits (AVX-512 has 32 vector registers: 15 accumulators + 5 + 1),
     * 3 otherwise (AVX2's 16 registers: 9 + 3 + 1; a 5×3 tile would spill).
     */
    static final int MA = VL >= 16 ? 5 : 3;
    /** b-rows per tile. */
    static final int MB = 3;

    static int padA(int ma) { return (ma + MA - 1) / MA * MA; }

    static int padB(int nb) { return (nb + MB - 1) / MB * MB; }

    /** Floats of lanes one call with ma × nb rows uses. */
    static int lanesLength(int ma, int nb) { return padA(ma) * padB(nb) * VL; }

    /**
     * True when the (ma, nb) order wastes no more tile slots than (nb, ma): the caller lets the rows whose count
     * fits MA best be a.
     */
    static boolean betterAsA(int ma, int nb) { return (long) padA(ma) * padB(nb) <= (long) padA(nb) * padB(ma); }

    /**
     * lanes[lOff + (i·padB(nb) + j)·VL + l] += Σ_{q &lt; Q, q mod VL = l} a[aRows[i] + q]·b[bRows[j] + q] for i &lt; ma,
     * j &lt; nb (one fma per q, in q order). Q must be a multiple of VL and every row readable for Q floats.
     */
    static void accumulate(float[] a, int[] aRows, int ma, float[] b, int[] bRows, int nb, int Q, float[] lanes, int lOff) {
        int ld = padB(nb) * VL, lastA = ma - 1, lastB = nb - 1;
        for (int i = 0; i < ma; i += MA) {
            int li0 = lOff + i * ld;
            for (int j = 0; j < nb; j += MB) {
                int b0 = bRows[j], b1 = bRows[Math.min(j + 1, lastB)], b2 = bRows[Math.min(j + 2, lastB)];
                int li = li0 + j * VL;
                if (MA == 5)
                    tile5x3(Q, a, aRows[i], aRows[Math.min(i + 1, lastA)], aRows[Math.min(i + 2, lastA)],
                            aRows[Math.min(i + 3, lastA)], aRows[Math.min(i + 4, lastA)], b, b0, b1, b2, lanes, li, ld);
                else
                    tile3x3(Q, a, aRows[i], aRows[Math.min(i + 1, lastA)], aRows[Math.min(i + 2, lastA)], b, b0, b1, b2, lanes, li, ld);
            }
        }
    }

    private static void tile5x3(int Q, float[] a, int a0, int a1, int a2, int a3, int a4, float[] b, int b0, int b1, int b2,
                                float[] lanes, int li, int ld) {
        FloatVector c00 = FloatVector.fromArray(S, lanes, li), c01 = FloatVector.fromArray(S, lanes, li + VL),
                c02 = FloatVector.fromArray(S, lanes, li + 2 * VL);
        FloatVector c10 = FloatVector.fromArray(S, lanes, li + ld), c11 = FloatVector.fromArray(S, lanes, li + ld + VL),
                c12 = FloatVector.fromArray(S, lanes, li + ld + 2 * VL);
        FloatVector c20 = FloatVector.fromArray(S, lanes, li + 2 * ld), c21 = FloatVector.fromArray(S, lanes, li + 2 * ld + VL),
                c22 = FloatVector.fromArray(S, lanes, li + 2 * ld + 2 * VL);
        FloatVector c30 = FloatVector.fromArray(S, lanes, li + 3 * ld), c31 = FloatVector.fromArray(S, lanes, li + 3 * ld + VL),
                c32 = FloatVector.fromArray(S, lanes, li + 3 * ld + 2 * VL);
        FloatVector c40 = FloatVector.fromArray(S, lanes, li + 4 * ld), c41 = FloatVector.fromArray(S, lanes, li + 4 * ld + VL),
                c42 = FloatVector.fromArray(S, lanes, li + 4 * ld + 2 * VL);
        for (int q = 0; q < Q; q += VL) {
            FloatVector x0 = FloatVector.fromArray(S, a, a0 + q), x1 = FloatVector.fromArray(S, a, a1 + q),
                    x2 = FloatVector.fromArray(S, a, a2 + q), x3 = FloatVector.fromArray(S, a, a3 + q),
                    x4 = FloatVector.fromArray(S, a, a4 + q);
            FloatVector y = FloatVector.fromArray(S, b, b0 + q);
            c00 = x0.fma(y, c00); c10 = x1.fma(y, c10); c20 = x2.fma(y, c20); c30 = x3.fma(y, c30); c40 = x4.fma(y, c40);
            y = FloatVector.fromArray(S, b, b1 + q);
            c01 = x0.fma(y, c01); c11 = x1.fma(y, c11); c21 = x2.fma(y, c21); c31 = x3.fma(y, c31); c41 = x4.fma(y, c41);
            y = FloatVector.fromArray(S, b, b2 + q);
            c02 = x0.fma(y, c02); c12 = x1.fma(y, c12); c22 = x2.fma(y, c22); c32 = x3.fma(y, c32); c42 = x4.fma(y, c42);
        }
        c00.intoArray(lanes, li); c01.intoArray(lanes, li + VL); c02.intoArray(lanes, li + 2 * VL);
        c10.intoArray(lanes, li + ld); c11.intoArray(lanes, li + ld + VL); c12.intoArray(lanes, li + ld + 2 * VL);
        c20.intoArray(lanes, li + 2 * ld); c21.intoArray(lanes, li + 2 * ld + VL); c22.intoArray(lanes, li + 2 * ld + 2 * VL);
        c30.intoArray(lanes, li + 3 * ld); c31.intoArray(lanes, li + 3 * ld + VL); c32.intoArray(lanes, li + 3 * ld + 2 * VL);
        c40.intoArray(lanes, li + 4 * ld); c41.intoArray(lanes, li + 4 * ld + VL); c42.intoArray(lanes, li + 4 * ld + 2 * VL);
    }

    private static void tile3x3(int Q, float[] a, int a0, int a1, int a2, float[] b, int b0, int b1, int b2,
                                float[] lanes, int li, int ld) {
        FloatVector c00 = FloatVector.fromArray(S, lanes, li), c01 = FloatVector.fromArray(S, lanes, li + VL),
                c02 = FloatVector.fromArray(S, lanes, li + 2 * VL);
        FloatVector c10 = FloatVector.fromArray(S, lanes, li + ld), c11 = FloatVector.fromArray(S, lanes, li + ld + VL),
                c12 = FloatVector.fromArray(S, lanes, li + ld + 2 * VL);
        FloatVector c20 = FloatVector.fromArray(S, lanes, li + 2 * ld), c21 = FloatVector.fromArray(S, lanes, li + 2 * ld + VL),
                c22 = FloatVector.fromArray(S, lanes, li + 2 * ld + 2 * VL);
        for (int q = 0; q < Q; q += VL) {
            FloatVector x0 = FloatVector.fromArray(S, a, a0 + q), x1 = FloatVector.fromArray(S, a, a1 + q),
                    x2 = FloatVector.fromArray(S, a, a2 + q);
            FloatVector y = FloatVector.fromArray(S, b, b0 + q);
            c00 = x0.fma(y, c00); c10 = x1.fma(y, c10); c20 = x2.fma(y, c20);
            y = FloatVector.fromArray(S, b, b1 + q);
            c01 = x0.fma(y, c01); c11 = x1.fma(y, c11); c21 = x2.fma(y, c21);
            y = FloatVector.fromArray(S, b, b2 + q);
            c02 = x0.fma(y, c02); c12 = x1.fma(y, c12); c22 = x2.fma(y, c22);
        }
        c00.intoArray(lanes, li); c01.intoArray(lanes, li + VL); c02.intoArray(lanes, li + 2 * VL);
        c10.intoArray(lanes, li + ld); c11.intoArray(lanes, li + ld + VL); c12.intoArray(lanes, li + ld + 2 * VL);
        c20.intoArray(lanes, li + 2 * ld); c21.intoArray(lanes, li + 2 * ld + VL); c22.intoArray(lanes, li + 2 * ld + 2 * VL);
    }
}
