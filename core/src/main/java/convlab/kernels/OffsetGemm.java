package convlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Matrix products whose B operand is a list of row offsets into one array instead of a matrix: row r of B
 * is b[base + rowOff[r] .. + Q). A stride-1 convolution over a padded image is such a product without an
 * im2col matrix (row (c, kh, kw) of it is the padded image shifted by c·plane + kh·dil·Wp + kw·dil), which is
 * what {@link ConvDirect} uses it for; only cache-sized slivers are ever copied.
 * <ul>
 * <li>{@link #multiply}: C[i, q] = Σ_r A[i, r]·b[base + rowOff[r] + q], i &lt; m, q &lt; Q;
 * <li>{@link #accumulateWeightGradient}: gwT[r, i] += Σ_q G[i, q]·b[base + rowOff[r] + q] (the weight gradient,
 *     transposed).
 * </ul>
 * Q must be a multiple of {@link #QUANTUM}; the caller pads its buffers so every read is in bounds.
 * Each output element is one fma chain (in r, or in q), so results do not depend on how the caller splits
 * the work. No cross-lane reduction happens here: the Vector API's reduceLanes may add
 * lanes in a different order in interpreted and compiled code, which would break bitwise reproducibility.
 */
final class OffsetGemm {
    private OffsetGemm() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int VL = S.length();
    /** Rows of A per register tile: 6 rows × 2 vectors = 12 accumulators, as in the SGEMM micro-kernel. */
    static final int MR = SimdGemmKernel.MR;
    /** Columns computed at a time; Q must be a multiple of it. */
    static final int QUANTUM = SimdGemmKernel.NR;

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

    /**
     * C[cOff + i·ldc + q] = Σ_r A[i, r]·b[base + rowOff[r] + q] with A packed by {@link #packA}.
     *
     * <p>For each block of {@link #QUANTUM} columns, the K shifted rows are first copied into one contiguous
     * sliver (K × QUANTUM, r-major), and every row panel of A runs over that sliver. With constant strides in
     * both operands C2 proves every index in range before the loop, so the micro-kernel is loads, broadcasts
     * and FMAs only; reading b through the offset table inside the kernel kept a bounds check per load and ran
     * at about 40% of FMA peak. The copy costs two loads and two stores per row, against 12 FMAs per row per
     * panel. The sums are the same fma chains in r as without the copy.
     */
    static void multiply(float[] aPacked, int m, int K, float[] b, int[] rowOff, int base, int Q, float[] c, int cOff, int ldc) {
        int p6 = fullPanels(m);
        boolean p4 = hasPanel4(m);
        float[] sliver = ConvScratch.take(K * QUANTUM + MR * QUANTUM);
        int edge = K * QUANTUM;   // the last MR × QUANTUM floats: a scratch tile for a 5-row panel
        for (int q = 0; q < Q; q += QUANTUM) {
            packSliver(b, rowOff, base + q, K, sliver);
            for (int p = 0; p < p6; p++) {
                int rows = Math.min(MR, m - p * MR), co = cOff + p * MR * ldc + q;
                if (rows == MR) SimdGemmKernel.tile(K, aPacked, p * K * MR, sliver, 0, 1f, 0f, c, co, ldc);
                else {
                    SimdGemmKernel.tile(K, aPacked, p * K * MR, sliver, 0, 1f, 0f, sliver, edge, QUANTUM);
                    for (int i = 0; i < rows; i++) System.arraycopy(sliver, edge + i * QUANTUM, c, co + i * ldc, QUANTUM);
                }
            }
            if (p4) tile4(aPacked, p6 * K * MR, m - p6 * MR, K, sliver, c, cOff + p6 * MR * ldc + q, ldc);
        }
        ConvScratch.give(sliver);
    }

    /** sliver[r·QUANTUM + j] = b[at + rowOff[r] + j] for r &lt; K, j &lt; QUANTUM. */
    private static void packSliver(float[] b, int[] rowOff, int at, int K, float[] sliver) {
        for (int r = 0; r < K; r++) {
            int bi = at + rowOff[r], d = r * QUANTUM;
            FloatVector.fromArray(S, b, bi).intoArray(sliver, d);
            FloatVector.fromArray(S, b, bi + VL).intoArray(sliver, d + VL);
        }
    }

    /**
     * Up to 4 rows of A × one packed sliver (8 accumulators); writes the first {@code rows} rows. The 4-row
     * twin of {@link SimdGemmKernel#tile}, for m mod 6 in 1..4 (10 rows: 6 + 4, not 6 + 6 with 2 wasted).
     */
    private static void tile4(float[] a, int ai, int rows, int K, float[] b, float[] c, int o, int ldc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        for (int r = 0; r < K; r++) {
            int bi = r * QUANTUM, a0 = ai + r * 4;
            FloatVector b0 = FloatVector.fromArray(S, b, bi), b1 = FloatVector.fromArray(S, b, bi + VL);
            FloatVector av = FloatVector.broadcast(S, a[a0]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, a[a0 + 1]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, a[a0 + 2]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, a[a0 + 3]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
        }
        c00.intoArray(c, o); c01.intoArray(c, o + VL);
        if (rows > 1) { c10.intoArray(c, o + ldc); c11.intoArray(c, o + ldc + VL); }
        if (rows > 2) { c20.intoArray(c, o + 2 * ldc); c21.intoArray(c, o + 2 * ldc + VL); }
        if (rows > 3) { c30.intoArray(c, o + 3 * ldc); c31.intoArray(c, o + 3 * ldc + VL); }
    }

    /** Floats of scratch {@link #accumulateWeightGradient} needs: the transposed G, in NR-wide slivers. */
    static int transposedGLength(int m, int Q) { return roundUp(m) * Q; }

    /**
     * gwT[gwOff + r·ldw + i] += Σ_q g[gOff + i·ldg + q]·b[base + rowOff[r] + q] for i &lt; m, r &lt; K: the weight
     * gradient, transposed (r-major, ldw = {@link #roundUp}(m) columns; columns i ≥ m receive zeros).
     *
     * <p>The contraction runs along q, which is contiguous in both operands, so one of them must be transposed
     * for a broadcast-and-FMA micro-kernel. G is the small one (m × Q against K × Q): it is copied once into
     * NR-wide slivers gt[(i / NR)·Q·NR + q·NR + i mod NR] (zeros past m), and {@link SimdGemmKernel#tileUnpackedA}
     * reads six shifted rows of b in place against a sliver, with constant strides (no bounds check per
     * load). Each element is one fma chain over q added to the old value: fixed order, whoever computes it.
     */
    static void accumulateWeightGradient(float[] g, int gOff, int ldg, int m, float[] b, int[] rowOff, int base, int Q,
                                         float[] gwT, int gwOff, int ldw, int K, float[] gt, float[] edgeTile) {
        int blocks = roundUp(m) / QUANTUM;
        for (int i = 0; i < blocks * QUANTUM; i++) {
            int d = (i / QUANTUM) * Q * QUANTUM + i % QUANTUM;
            if (i >= m) { for (int q = 0; q < Q; q++) gt[d + q * QUANTUM] = 0f; continue; }
            for (int q = 0, src = gOff + i * ldg; q < Q; q++) gt[d + q * QUANTUM] = g[src + q];
        }
        for (int blk = 0; blk < blocks; blk++) {
            int bIdx = blk * Q * QUANTUM;
            for (int r = 0; r < K; r += MR) {
                int rows = Math.min(MR, K - r), last = K - 1;
                int a0 = base + rowOff[r], a1 = base + rowOff[Math.min(r + 1, last)], a2 = base + rowOff[Math.min(r + 2, last)];
                int a3 = base + rowOff[Math.min(r + 3, last)], a4 = base + rowOff[Math.min(r + 4, last)], a5 = base + rowOff[Math.min(r + 5, last)];
                int co = gwOff + r * ldw + blk * QUANTUM;
                if (rows == MR) {
                    SimdGemmKernel.tileUnpackedA(Q, b, a0, a1, a2, a3, a4, a5, gt, bIdx, 1f, 1f, gwT, co, ldw);
                    continue;
                }
                // Fewer than six rows left: the rows past K repeat the last one into a scratch tile, dropped.
                SimdGemmKernel.tileUnpackedA(Q, b, a0, a1, a2, a3, a4, a5, gt, bIdx, 1f, 0f, edgeTile, 0, QUANTUM);
                for (int i = 0; i < rows; i++)
                    for (int j = 0; j < QUANTUM; j++) gwT[co + i * ldw + j] = SimdGemmKernel.epilogue(edgeTile[i * QUANTUM + j], 1f, 1f, gwT[co + i * ldw + j]);
            }
        }
    }
}
