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
 * <li>{@link #accumulateRowProducts}: C[i, j] += Σ_q a[aRows[i] + q]·b[bRows[j] + q], the weight gradient.
 * </ul>
 * Q must be a multiple of {@link #QUANTUM}; the caller pads its buffers so every read is in bounds.
 * Each output element is one fma chain (in r, or in q), so results do not depend on how the caller splits
 * the work. No cross-lane reduction happens here: the Vector API's reduceLanes may add
 * lanes in a different order in interpreted and compiled code, which would break bitwise reproducibility.
 */
final class OffsetGemm {
    private OffsetGemm() {}

    private static final VectorSpecies<Float> S = Vectors.FLOAT;
    static final int VL = S.length();
    /** Rows of A per register tile: 6 rows × 2 vectors = 12 accumulators, as in the SGEMM micro-kernel. */
    static final int MR = SimdGemmTiles.MR;
    /** Columns computed at a time; Q must be a multiple of it. */
    static final int QUANTUM = SimdGemmTiles.NR;

    static int roundUp(int q) { return (q + QUANTUM - 1) / QUANTUM * QUANTUM; }

    /** Panels of 6 rows, then up to two of 4 (10 rows: 6 + 4, not 6 + 6 with 2 wasted). */
    private static int fullPanels(int m) {
        int a = m / MR;
        return switch (m % MR) {
            case 0, 3, 4 -> a;
            case 5 -> a + 1;
            default -> Math.max(a - 1, 0);   // 1, 2: two panels of 4 (32 = 4·6 + 2·4, not 6·6 with 4 wasted)
        };
    }

    /** Panels of 4 rows after the 6-row ones: together they cover m rows with the fewest wasted (at most 1, or 2 for m = 2). */
    private static int panels4(int m) { int left = m - fullPanels(m) * MR; return left <= 0 ? 0 : (left + 3) / 4; }

    /**
     * A (m×K, row stride lda, from aOff) as panels (6 rows, then 4), zero rows past m: a 6-row panel in the layout of
     * {@link SimdGemmTiles#packedA} (what {@link SimdGemmTiles#tile} reads), a 4-row one r-major (for {@link #tile4}).
     */
    static float[] packA(float[] a, int aOff, int lda, int m, int K, float[] dst) {
        int p6 = fullPanels(m), p4 = panels4(m), size = (p6 * MR + p4 * 4) * K;
        if (dst == null || dst.length < size) dst = new float[size];
        for (int p = 0; p < p6; p++) packPanel(a, aOff, lda, m, K, p * MR, MR, dst, p * K * MR);
        for (int p = 0; p < p4; p++) packPanel(a, aOff, lda, m, K, p6 * MR + p * 4, 4, dst, (p6 * MR + p * 4) * K);
        return dst;
    }

    private static void packPanel(float[] a, int aOff, int lda, int m, int K, int row0, int h, float[] dst, int d) {
        for (int r = 0; r < K; r++)
            for (int i = 0; i < h; i++) {
                int row = row0 + i;
                dst[d + (h == MR ? SimdGemmTiles.packedA(K, r, i) : r * h + i)] = row < m ? a[aOff + row * lda + r] : 0f;
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
        int p6 = fullPanels(m), p4 = panels4(m);
        float[] sliver = ConvScratch.take(K * QUANTUM + MR * QUANTUM);
        int edge = K * QUANTUM;   // the last MR × QUANTUM floats: a scratch tile for a 5-row panel
        for (int q = 0; q < Q; q += QUANTUM) {
            packSliver(b, rowOff, base + q, K, sliver);
            for (int p = 0; p < p6; p++) {
                int rows = Math.min(MR, m - p * MR), co = cOff + p * MR * ldc + q;
                if (rows == MR) SimdGemmTiles.tile(K, aPacked, p * K * MR, sliver, 0, SimdGemmTiles.ZEROS, 0, 0, c, co, ldc);
                else {
                    SimdGemmTiles.tile(K, aPacked, p * K * MR, sliver, 0, SimdGemmTiles.ZEROS, 0, 0, sliver, edge, QUANTUM);
                    for (int i = 0; i < rows; i++) System.arraycopy(sliver, edge + i * QUANTUM, c, co + i * ldc, QUANTUM);
                }
            }
            for (int p = 0; p < p4; p++) {
                int row0 = p6 * MR + p * 4;
                tile4(aPacked, row0 * K, Math.min(4, m - row0), K, sliver, c, cOff + row0 * ldc + q, ldc);
            }
        }
        ConvScratch.give(sliver);
    }

    /**
     * {@link #multiply} with A read in place: row i of A is a[aOff + i·lda ..+ K) (a convolution's weights, outCg × K),
     * so nothing is packed per call (packing the weights was 6% of a single-image course CNN inference). The 6-row
     * panels run {@link SimdGemmTiles#tileUnpackedA}, the 4-row ones {@link #tile4Rows}: the same fma chains in r as
     * {@link #multiply} over packed A, so the same results bitwise.
     */
    static void multiplyRows(float[] a, int aOff, int lda, int m, int K, float[] b, int[] rowOff, int base, int Q,
                             float[] c, int cOff, int ldc) {
        int p6 = fullPanels(m), p4 = panels4(m), last = aOff + (m - 1) * lda;
        float[] sliver = ConvScratch.take(K * QUANTUM + MR * QUANTUM);
        int edge = K * QUANTUM;
        for (int q = 0; q < Q; q += QUANTUM) {
            packSliver(b, rowOff, base + q, K, sliver);
            for (int p = 0; p < p6; p++) {
                int row0 = p * MR, rows = Math.min(MR, m - row0), co = cOff + row0 * ldc + q, r0 = aOff + row0 * lda;
                int a1 = Math.min(r0 + lda, last), a2 = Math.min(r0 + 2 * lda, last), a3 = Math.min(r0 + 3 * lda, last);
                int a4 = Math.min(r0 + 4 * lda, last), a5 = Math.min(r0 + 5 * lda, last);
                if (rows == MR) SimdGemmTiles.tileUnpackedA(K, a, r0, a1, a2, a3, a4, a5, sliver, 0, SimdGemmTiles.ZEROS, 0, 0, c, co, ldc);
                else {
                    SimdGemmTiles.tileUnpackedA(K, a, r0, a1, a2, a3, a4, a5, sliver, 0, SimdGemmTiles.ZEROS, 0, 0, sliver, edge, QUANTUM);
                    for (int i = 0; i < rows; i++) System.arraycopy(sliver, edge + i * QUANTUM, c, co + i * ldc, QUANTUM);
                }
            }
            for (int p = 0; p < p4; p++) {
                int row0 = p6 * MR + p * 4, rows = Math.min(4, m - row0), r0 = aOff + row0 * lda;
                tile4Rows(a, r0, Math.min(r0 + lda, last), Math.min(r0 + 2 * lda, last), Math.min(r0 + 3 * lda, last),
                        rows, K, sliver, c, cOff + row0 * ldc + q, ldc);
            }
        }
        ConvScratch.give(sliver);
    }

    /** {@link #tile4} with A's rows read in place (row i at a[ai + r]). */
    private static void tile4Rows(float[] a, int a0, int a1, int a2, int a3, int rows, int K, float[] b, float[] c, int o, int ldc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        for (int r = 0; r < K; r++) {
            int bi = r * QUANTUM;
            FloatVector b0 = FloatVector.fromArray(S, b, bi), b1 = FloatVector.fromArray(S, b, bi + VL);
            FloatVector av = FloatVector.broadcast(S, a[a0 + r]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, a[a1 + r]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, a[a2 + r]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, a[a3 + r]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
        }
        c00.intoArray(c, o); c01.intoArray(c, o + VL);
        if (rows > 1) { c10.intoArray(c, o + ldc); c11.intoArray(c, o + ldc + VL); }
        if (rows > 2) { c20.intoArray(c, o + 2 * ldc); c21.intoArray(c, o + 2 * ldc + VL); }
        if (rows > 3) { c30.intoArray(c, o + 3 * ldc); c31.intoArray(c, o + 3 * ldc + VL); }
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
     * twin of {@link SimdGemmTiles#tile}, for the rows the 6-row panels leave.
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

    /**
     * bt[(j / QUANTUM)·Q·QUANTUM + q·QUANTUM + j mod QUANTUM] = b[bRows[j] + q] for j &lt; nb, zero for nb ≤ j &lt;
     * roundUp(nb). Written in the order of bt, one sliver row (QUANTUM floats: zero vectors, then the nb
     * values) per q, with nb sequential read streams: element by element down the columns, each store went to
     * another cache line of a sliver larger than L1 (JFR, course CNN on AVX-512: 19% of a training step).
     * A gather per sliver row was no faster (its index check cost as much as the loads).
     */
    private static void transposeRows(float[] b, int[] bRows, int nb, int Q, float[] bt) {
        FloatVector zero = FloatVector.zero(S);
        for (int j0 = 0; j0 < nb; j0 += QUANTUM) {
            int cols = Math.min(QUANTUM, nb - j0), d = (j0 / QUANTUM) * Q * QUANTUM;
            for (int q = 0; q < Q; q++, d += QUANTUM) {
                zero.intoArray(bt, d);
                zero.intoArray(bt, d + VL);
                for (int j = 0; j < cols; j++) bt[d + j] = b[bRows[j0 + j] + q];
            }
        }
    }

    /** Floats of scratch {@link #accumulateRowProducts} needs for nb rows of b, transposed into slivers. */
    static int transposedLength(int nb, int Q) { return roundUp(nb) * Q; }

    /**
     * c[cOff + i·ldc + j] += Σ_q a[aRows[i] + q]·b[bRows[j] + q] for i &lt; ma, j &lt; nb, with ldc ≥ {@link #roundUp}(nb)
     * (columns nb.. of those rows receive zeros). A convolution's weight gradient is this product of the
     * output-gradient rows and the shifted input rows ({@link ConvDirect} lets b be the smaller of the two).
     *
     * <p>The contraction runs along q, contiguous in both operands, so one of them must be transposed for a
     * broadcast-and-FMA micro-kernel: b's rows are copied once into NR-wide slivers bt[(j / NR)·Q·NR + q·NR +
     * j mod NR] (zeros past nb), and {@link SimdGemmTiles#tileUnpackedA} reads six rows of a in place against
     * a sliver, with constant strides (no bounds check per load). Each element is one fma chain over q added
     * to the old value: a fixed order, whoever computes it. bt and edgeTile (MR·NR floats) are scratch.
     * Meant for nb of at least a sliver's width; narrower products go to {@link RowDots}, which needs no transposition.
     */
    static void accumulateRowProducts(float[] a, int[] aRows, int ma, float[] b, int[] bRows, int nb, int Q,
                                      float[] c, int cOff, int ldc, float[] bt, float[] edgeTile) {
        int blocks = roundUp(nb) / QUANTUM;
        transposeRows(b, bRows, nb, Q, bt);
        int last = ma - 1;
        for (int blk = 0; blk < blocks; blk++) {
            int bIdx = blk * Q * QUANTUM;
            for (int i = 0; i < ma; i += MR) {
                int a0 = aRows[i], a1 = aRows[Math.min(i + 1, last)], a2 = aRows[Math.min(i + 2, last)];
                int a3 = aRows[Math.min(i + 3, last)], a4 = aRows[Math.min(i + 4, last)], a5 = aRows[Math.min(i + 5, last)];
                int rows = Math.min(MR, ma - i), co = cOff + i * ldc + blk * QUANTUM;
                if (rows == MR) {
                    SimdGemmTiles.tileUnpackedA(Q, a, a0, a1, a2, a3, a4, a5, bt, bIdx, c, co, ldc, c, co, ldc);
                    continue;
                }
                // Fewer than six rows left: the missing ones repeat the last row into a scratch tile, dropped.
                SimdGemmTiles.tileUnpackedA(Q, a, a0, a1, a2, a3, a4, a5, bt, bIdx, SimdGemmTiles.ZEROS, 0, 0, edgeTile, 0, QUANTUM);
                for (int r = 0; r < rows; r++)
                    for (int j = 0; j < QUANTUM; j++)
                        c[co + r * ldc + j] = SimdGemmTiles.epilogue(edgeTile[r * QUANTUM + j], 1f, 1f, c[co + r * ldc + j]);
            }
        }
    }
}
