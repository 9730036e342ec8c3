package convlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Matrix products whose B operand is a list of row offsets into one array instead of a matrix: row r of B
 * is b[base + rowOff[r] .. + Q). A stride-1 convolution over a padded image is such a product without
 * copying anything (row (c, kh, kw) of the im2col matrix is the padded image shifted by c·plane + kh·dil·Wp
 * + kw·dil), which is what {@link ConvDirect} uses it for.
 * <ul>
 * <li>{@link #multiply}: C[i, q] = Σ_r A[i, r]·b[base + rowOff[r] + q], i &lt; m, q &lt; Q;
 * <li>{@link #accumulateOuter}: gw[i, r] += Σ_q G[i, q]·b[base + rowOff[r] + q], kept as {@link #VL} per-lane
 *     partial sums (gwLanes[(i·K + r)·VL + lane]) that the caller adds up once at the end.
 * </ul>
 * Q must be a multiple of {@link #QUANTUM}; the caller pads its buffers so every read is in bounds.
 * Each output element is one fma chain in r (or per-lane fma chains in q), so results do not depend on how
 * the caller splits the work. No cross-lane reduction happens here: the Vector API's reduceLanes may add
 * lanes in a different order in interpreted and compiled code, which would break bitwise reproducibility.
 */
final class OffsetGemm {
    private OffsetGemm() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int VL = S.length();
    /** Rows of A per register tile: 6 rows × 2 vectors = 12 accumulators, as in the SGEMM micro-kernel. */
    static final int MR = 6;
    /** Columns computed at a time; Q must be a multiple of it. */
    static final int QUANTUM = 2 * VL;

    static int roundUp(int q) { return (q + QUANTUM - 1) / QUANTUM * QUANTUM; }

    /** Panels of 6 rows, then one of 4 when m mod 6 is 1..4 (10 rows: 6 + 4, not 6 + 6 with 2 wasted). */
    private static int fullPanels(int m) { int r = m % MR; return r == 0 || r == 5 ? (m + MR - 1) / MR : m / MR; }

    private static boolean hasPanel4(int m) { int r = m % MR; return r != 0 && r != 5; }

    /** A (m×K, row stride lda, from aOff) as panels (6 rows, then maybe 4), r-major within a panel, zero rows past m. */
    static float[] packA(float[] a, int aOff, int lda, int m, int K, float[] dst) {
        int p6 = fullPanels(m), size = (p6 * MR + (hasPanel4(m) ? 4 : 0)) * K;
        if (dst == null || dst.length < size) dst = new float[size];
        for (int p = 0; p < p6; p++) packPanel(a, aOff, lda, m, K, p * MR, MR, dst, p * K * MR);
        if (hasPanel4(m)) packPanel(a, aOff, lda, m, K, p6 * MR, 4, dst, p6 * K * MR);
        return dst;
    }

    private static void packPanel(float[] a, int aOff, int lda, int m, int K, int row0, int h, float[] dst, int d) {
        for (int r = 0; r < K; r++)
            for (int i = 0; i < h; i++) {
                int row = row0 + i;
                dst[d + r * h + i] = row < m ? a[aOff + row * lda + r] : 0f;
            }
    }

    /** C[cOff + i·ldc + q] = Σ_r A[i, r]·b[base + rowOff[r] + q] with A packed by {@link #packA}. */
    static void multiply(float[] aPacked, int m, int K, float[] b, int[] rowOff, int base, int Q, float[] c, int cOff, int ldc) {
        int p6 = fullPanels(m);
        boolean p4 = hasPanel4(m);
        // Columns outer, row panels inner: the K rows of b for one column block stay in L1 across panels.
        for (int q = 0; q < Q; q += QUANTUM) {
            for (int p = 0; p < p6; p++)
                tile6(aPacked, p * K * MR, Math.min(MR, m - p * MR), K, b, rowOff, base + q, c, cOff + p * MR * ldc + q, ldc);
            if (p4) tile4(aPacked, p6 * K * MR, m - p6 * MR, K, b, rowOff, base + q, c, cOff + p6 * MR * ldc + q, ldc);
        }
    }

    /** Up to 6 rows × one column block (12 accumulators); writes the first {@code rows} rows. */
    private static void tile6(float[] a, int ai, int rows, int K, float[] b, int[] rowOff, int base, float[] c, int o, int ldc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z;
        FloatVector c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
        for (int r = 0; r < K; r++, ai += MR) {
            int bi = base + rowOff[r];
            FloatVector b0 = FloatVector.fromArray(S, b, bi), b1 = FloatVector.fromArray(S, b, bi + VL);
            FloatVector av = FloatVector.broadcast(S, a[ai]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, a[ai + 1]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, a[ai + 2]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, a[ai + 3]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, a[ai + 4]);
            c40 = av.fma(b0, c40); c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, a[ai + 5]);
            c50 = av.fma(b0, c50); c51 = av.fma(b1, c51);
        }
        c00.intoArray(c, o); c01.intoArray(c, o + VL);
        if (rows > 1) { c10.intoArray(c, o + ldc); c11.intoArray(c, o + ldc + VL); }
        if (rows > 2) { c20.intoArray(c, o + 2 * ldc); c21.intoArray(c, o + 2 * ldc + VL); }
        if (rows > 3) { c30.intoArray(c, o + 3 * ldc); c31.intoArray(c, o + 3 * ldc + VL); }
        if (rows > 4) { c40.intoArray(c, o + 4 * ldc); c41.intoArray(c, o + 4 * ldc + VL); }
        if (rows > 5) { c50.intoArray(c, o + 5 * ldc); c51.intoArray(c, o + 5 * ldc + VL); }
    }

    /** Up to 4 rows × one column block (8 accumulators); writes the first {@code rows} rows. */
    private static void tile4(float[] a, int ai, int rows, int K, float[] b, int[] rowOff, int base, float[] c, int o, int ldc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        for (int r = 0; r < K; r++, ai += 4) {
            int bi = base + rowOff[r];
            FloatVector b0 = FloatVector.fromArray(S, b, bi), b1 = FloatVector.fromArray(S, b, bi + VL);
            FloatVector av = FloatVector.broadcast(S, a[ai]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, a[ai + 1]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, a[ai + 2]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, a[ai + 3]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
        }
        c00.intoArray(c, o); c01.intoArray(c, o + VL);
        if (rows > 1) { c10.intoArray(c, o + ldc); c11.intoArray(c, o + ldc + VL); }
        if (rows > 2) { c20.intoArray(c, o + 2 * ldc); c21.intoArray(c, o + 2 * ldc + VL); }
        if (rows > 3) { c30.intoArray(c, o + 3 * ldc); c31.intoArray(c, o + 3 * ldc + VL); }
    }

    /**
     * gwLanes[(gwOff + i·K + r)·VL + lane] += Σ_{q ≡ lane} g[gOff + i·ldg + q]·b[base + rowOff[r] + q]
     * for i &lt; m, r &lt; K: the weight gradient as per-lane partial sums.
     */
    static void accumulateOuter(float[] g, int gOff, int ldg, int m, float[] b, int[] rowOff, int base, int Q,
                                float[] gwLanes, int gwOff, int K) {
        // Small methods, one register block each: C2 keeps every vector in a register only when it can
        // compile (and intrinsify) the whole loop nest.
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int r = 0;
            for (; r + 3 <= K; r += 3) block4x3(g, gOff + i * ldg, ldg, b, base, rowOff, r, Q, gwLanes, (gwOff + i * K) * VL, K * VL);
            for (; r < K; r++)
                for (int ii = 0; ii < 4; ii++) dot(g, gOff + (i + ii) * ldg, b, base + rowOff[r], Q, gwLanes, (gwOff + (i + ii) * K + r) * VL);
        }
        for (; i + 2 <= m; i += 2) {
            int r = 0;
            for (; r + 6 <= K; r += 6) block2x6(g, gOff + i * ldg, ldg, b, base, rowOff, r, Q, gwLanes, (gwOff + i * K + r) * VL, K * VL);
            for (; r < K; r++)
                for (int ii = 0; ii < 2; ii++) dot(g, gOff + (i + ii) * ldg, b, base + rowOff[r], Q, gwLanes, (gwOff + (i + ii) * K + r) * VL);
        }
        for (; i < m; i++) {
            int r = 0;
            for (; r + 4 <= K; r += 4) block1x4(g, gOff + i * ldg, b, base, rowOff, r, Q, gwLanes, (gwOff + i * K + r) * VL);
            for (; r < K; r++) dot(g, gOff + i * ldg, b, base + rowOff[r], Q, gwLanes, (gwOff + i * K + r) * VL);
        }
    }

    /** 4 rows of g × 3 offsets: 12 accumulators share 7 loads per step. */
    private static void block4x3(float[] g, int g0, int ldg, float[] b, int base, int[] rowOff, int r, int Q,
                                 float[] lanes, int w0, int rowStride) {
        int g1 = g0 + ldg, g2 = g1 + ldg, g3 = g2 + ldg;
        int b0 = base + rowOff[r], b1 = base + rowOff[r + 1], b2 = base + rowOff[r + 2];
        int a0 = w0 + r * VL, a1 = a0 + rowStride, a2 = a1 + rowStride, a3 = a2 + rowStride;
        FloatVector s00 = load(lanes, a0), s01 = load(lanes, a0 + VL), s02 = load(lanes, a0 + 2 * VL);
        FloatVector s10 = load(lanes, a1), s11 = load(lanes, a1 + VL), s12 = load(lanes, a1 + 2 * VL);
        FloatVector s20 = load(lanes, a2), s21 = load(lanes, a2 + VL), s22 = load(lanes, a2 + 2 * VL);
        FloatVector s30 = load(lanes, a3), s31 = load(lanes, a3 + VL), s32 = load(lanes, a3 + 2 * VL);
        for (int q = 0; q < Q; q += VL) {
            FloatVector x0 = load(b, b0 + q), x1 = load(b, b1 + q), x2 = load(b, b2 + q);
            FloatVector y = load(g, g0 + q);
            s00 = y.fma(x0, s00); s01 = y.fma(x1, s01); s02 = y.fma(x2, s02);
            y = load(g, g1 + q);
            s10 = y.fma(x0, s10); s11 = y.fma(x1, s11); s12 = y.fma(x2, s12);
            y = load(g, g2 + q);
            s20 = y.fma(x0, s20); s21 = y.fma(x1, s21); s22 = y.fma(x2, s22);
            y = load(g, g3 + q);
            s30 = y.fma(x0, s30); s31 = y.fma(x1, s31); s32 = y.fma(x2, s32);
        }
        s00.intoArray(lanes, a0); s01.intoArray(lanes, a0 + VL); s02.intoArray(lanes, a0 + 2 * VL);
        s10.intoArray(lanes, a1); s11.intoArray(lanes, a1 + VL); s12.intoArray(lanes, a1 + 2 * VL);
        s20.intoArray(lanes, a2); s21.intoArray(lanes, a2 + VL); s22.intoArray(lanes, a2 + 2 * VL);
        s30.intoArray(lanes, a3); s31.intoArray(lanes, a3 + VL); s32.intoArray(lanes, a3 + 2 * VL);
    }

    /** 2 rows of g × 6 offsets: 12 accumulators share 8 loads per step. */
    private static void block2x6(float[] g, int g0, int ldg, float[] b, int base, int[] rowOff, int r, int Q,
                                 float[] lanes, int a0, int rowStride) {
        int g1 = g0 + ldg, a1 = a0 + rowStride;
        int b0 = base + rowOff[r], b1 = base + rowOff[r + 1], b2 = base + rowOff[r + 2];
        int b3 = base + rowOff[r + 3], b4 = base + rowOff[r + 4], b5 = base + rowOff[r + 5];
        FloatVector s00 = load(lanes, a0), s01 = load(lanes, a0 + VL), s02 = load(lanes, a0 + 2 * VL);
        FloatVector s03 = load(lanes, a0 + 3 * VL), s04 = load(lanes, a0 + 4 * VL), s05 = load(lanes, a0 + 5 * VL);
        FloatVector s10 = load(lanes, a1), s11 = load(lanes, a1 + VL), s12 = load(lanes, a1 + 2 * VL);
        FloatVector s13 = load(lanes, a1 + 3 * VL), s14 = load(lanes, a1 + 4 * VL), s15 = load(lanes, a1 + 5 * VL);
        for (int q = 0; q < Q; q += VL) {
            FloatVector y0 = load(g, g0 + q), y1 = load(g, g1 + q);
            FloatVector x = load(b, b0 + q);
            s00 = y0.fma(x, s00); s10 = y1.fma(x, s10);
            x = load(b, b1 + q);
            s01 = y0.fma(x, s01); s11 = y1.fma(x, s11);
            x = load(b, b2 + q);
            s02 = y0.fma(x, s02); s12 = y1.fma(x, s12);
            x = load(b, b3 + q);
            s03 = y0.fma(x, s03); s13 = y1.fma(x, s13);
            x = load(b, b4 + q);
            s04 = y0.fma(x, s04); s14 = y1.fma(x, s14);
            x = load(b, b5 + q);
            s05 = y0.fma(x, s05); s15 = y1.fma(x, s15);
        }
        s00.intoArray(lanes, a0); s01.intoArray(lanes, a0 + VL); s02.intoArray(lanes, a0 + 2 * VL);
        s03.intoArray(lanes, a0 + 3 * VL); s04.intoArray(lanes, a0 + 4 * VL); s05.intoArray(lanes, a0 + 5 * VL);
        s10.intoArray(lanes, a1); s11.intoArray(lanes, a1 + VL); s12.intoArray(lanes, a1 + 2 * VL);
        s13.intoArray(lanes, a1 + 3 * VL); s14.intoArray(lanes, a1 + 4 * VL); s15.intoArray(lanes, a1 + 5 * VL);
    }

    /** 1 row of g × 4 offsets: four fma chains side by side. */
    private static void block1x4(float[] g, int gi, float[] b, int base, int[] rowOff, int r, int Q, float[] lanes, int a) {
        int b0 = base + rowOff[r], b1 = base + rowOff[r + 1], b2 = base + rowOff[r + 2], b3 = base + rowOff[r + 3];
        FloatVector s0 = load(lanes, a), s1 = load(lanes, a + VL), s2 = load(lanes, a + 2 * VL), s3 = load(lanes, a + 3 * VL);
        for (int q = 0; q < Q; q += VL) {
            FloatVector y = load(g, gi + q);
            s0 = y.fma(load(b, b0 + q), s0); s1 = y.fma(load(b, b1 + q), s1);
            s2 = y.fma(load(b, b2 + q), s2); s3 = y.fma(load(b, b3 + q), s3);
        }
        s0.intoArray(lanes, a); s1.intoArray(lanes, a + VL); s2.intoArray(lanes, a + 2 * VL); s3.intoArray(lanes, a + 3 * VL);
    }

    /** lanes[li ..] += per-lane partial sums of g[gi + q]·b[bi + q], q &lt; Q. */
    private static void dot(float[] g, int gi, float[] b, int bi, int Q, float[] lanes, int li) {
        FloatVector s = load(lanes, li);
        for (int q = 0; q < Q; q += VL) s = load(g, gi + q).fma(load(b, bi + q), s);
        s.intoArray(lanes, li);
    }

    private static FloatVector load(float[] a, int i) { return FloatVector.fromArray(S, a, i); }
}
