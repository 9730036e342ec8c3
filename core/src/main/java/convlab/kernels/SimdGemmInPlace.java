package convlab.kernels;

import static convlab.kernels.SimdGemmTiles.MR;
import static convlab.kernels.SimdGemmTiles.NR;

/**
 * SGEMM with one operand read in place by the micro-kernel ({@link SimdGemmTiles#tileUnpackedA}): the one
 * whose rows are contiguous along the depth. Only the other operand is packed, NC columns at a time.
 * Measured on the 2-core EPYC this beats packing both (thread CPU time): 1024³ 89 vs 83 GF/s, 256³ 91 vs 80,
 * 64x256x784 83 vs 74, 64x10x784 41 vs 17: the six rows of A being read fit L1 and are reused for a whole
 * block of B, and packing A cost a pass over it per block.
 * <ul>
 *   <li>{@link #plainA}: C = A·op(B), A read in place.</li>
 *   <li>{@link #fewRowsTimesBt}: C = A·Bᵀ with few rows (m ≤ MAX_SMALL), the weight gradient of a
 *       convolution (dY·colsᵀ, m = output channels, k = batch × pixels): computed as Cᵀ = B·Aᵀ with the large
 *       B read in place and written back transposed; only the small A is packed.</li>
 *   <li>{@link #bothTransposed}: C = Aᵀ·Bᵀ, computed as Cᵀ = B·A with B read in place.</li>
 * </ul>
 * Bitwise the same as {@link SimdGemm#blocked}: the same depth blocks, and each element is the fma chain
 * over p from zero (fma(b, a, acc) == fma(a, b, acc)) followed by the same epilogue. So the choice of path
 * never depends on, or shows in, how the threads split C.
 */
final class SimdGemmInPlace {
    private SimdGemmInPlace() {}

    /** Largest m for {@link #fewRowsTimesBt}: its packed Aᵀ (m × KC floats, 512 KiB with AVX2) is L2-sized. */
    static final int MAX_SMALL = 8 * NR;

    private static final class Workspace {
        float[] packed = new float[0];
        final float[] tile = new float[MR * NR], oldTile = new float[MR * NR];
        /** The old C of a direct tile by {@link SimdGemmTiles#pick}: zeros for beta 0, C (set per call) for beta 1. */
        final float[][] old = {SimdGemmTiles.ZEROS, null};
        /** The old C of a scratch tile by {@link SimdGemmTiles#pick}: zeros for beta 0, {@link #oldTile} (loaded from C) for beta 1. */
        final float[][] oldOfScratch = {SimdGemmTiles.ZEROS, oldTile};
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    /** C = alpha·A·Bᵀ + beta·C, A plain (m×k), B stored n×k, m ≤ MAX_SMALL. */
    static void fewRowsTimesBt(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                               float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        run(n, m, k, b, bOff, ldb, true, a, aOff, lda, alpha, beta, c, cOff, ldc, true);
    }

    /** C = alpha·Aᵀ·Bᵀ + beta·C, A stored k×m, B stored n×k. */
    static void bothTransposed(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                               float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        run(n, m, k, b, bOff, ldb, false, a, aOff, lda, alpha, beta, c, cOff, ldc, true);
    }

    /** C = alpha·A·op(B) + beta·C for a plain A (m×k), any m and n. */
    static void plainA(boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                           float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        run(m, n, k, a, aOff, lda, transB, b, bOff, ldb, alpha, beta, c, cOff, ldc, false);
    }

    /**
     * out[bigRows × smallCols] = big · op(small), where big is read in place (row i at big[bigOff + i*ldBig + p])
     * and op(small) is k × smallCols, packed NC columns at a time. out element (i, j) is C[i][j], or C[j][i]
     * when transposeOut.
     */
    private static void run(int bigRows, int smallCols, int k, float[] big, int bigOff, int ldBig,
                            boolean smallTrans, float[] small, int smallOff, int ldSmall,
                            float alpha, float beta, float[] c, int cOff, int ldc, boolean transposeOut) {
        Workspace ws = WORKSPACE.get();
        // Sized here, not in the loop nest (see SimdGemm.blocked): growing the buffer inside loops was a branch C2
        // compiled away, and the first larger call threw the compiled loops out.
        int need = SimdGemm.packedBFloats(k);
        if (ws.packed.length < need) ws.packed = new float[need];
        ws.old[1] = c;
        try {
            loops(bigRows, smallCols, k, big, bigOff, ldBig, smallTrans, small, smallOff, ldSmall, alpha, beta, c, cOff, ldc,
                    transposeOut, ws);
        } finally {
            ws.old[1] = null;   // the workspace outlives the call: do not keep the caller's C alive
        }
    }

    private static void loops(int bigRows, int smallCols, int k, float[] big, int bigOff, int ldBig,
                              boolean smallTrans, float[] small, int smallOff, int ldSmall,
                              float alpha, float beta, float[] c, int cOff, int ldc, boolean transposeOut, Workspace ws) {
        int kBlocks = SimdGemm.depthBlocks(k);
        float[] tile = ws.tile;
        boolean direct = SimdGemmTiles.direct(alpha, beta);
        for (int jc = 0; jc < smallCols; jc += SimdGemm.NC) {
            int nc = Math.min(SimdGemm.NC, smallCols - jc);
            int slivers = SimdGemm.ceilDiv(nc, NR);
            for (int kb = 0; kb < kBlocks; kb++) {
                int pc = SimdGemm.depthBlockStart(k, kBlocks, kb);
                int kc = SimdGemm.depthBlockStart(k, kBlocks, kb + 1) - pc;
                float betaBlock = kb == 0 ? beta : 1f; // later depth blocks add onto the partial sums in C
                int sel = SimdGemmTiles.pick(betaBlock);   // direct only: the old C is ws.old[sel] (zeros or C)
                SimdGemm.packB(smallTrans, small, smallOff, ldSmall, pc, kc, jc, nc, ws.packed);
                for (int ir = 0; ir < bigRows; ir += MR) {
                    int rows = Math.min(MR, bigRows - ir);
                    // Rows past the end repeat the last row: always readable, and their sums are dropped below.
                    int base = bigOff + pc;
                    int r0 = row(base, ldBig, ir, bigRows), r1 = row(base, ldBig, ir + 1, bigRows), r2 = row(base, ldBig, ir + 2, bigRows);
                    int r3 = row(base, ldBig, ir + 3, bigRows), r4 = row(base, ldBig, ir + 4, bigRows), r5 = row(base, ldBig, ir + 5, bigRows);
                    for (int s = 0; s < slivers; s++) {
                        int cols = Math.min(NR, nc - s * NR), j0 = jc + s * NR;
                        int cIdx = transposeOut ? cOff + j0 * ldc + ir : cOff + ir * ldc + j0;
                        if (!direct) {   // any alpha and beta: raw sums, then the scalar epilogue
                            SimdGemmTiles.tileUnpackedA(kc, big, r0, r1, r2, r3, r4, r5, ws.packed, s * kc * NR,
                                    SimdGemmTiles.ZEROS, 0, 0, tile, 0, NR);
                            SimdGemmTiles.general(tile, alpha, betaBlock, c, cIdx, ldc, rows, cols, transposeOut);
                        } else if (!transposeOut && rows == MR && cols == NR) {
                            SimdGemmTiles.tileUnpackedA(kc, big, r0, r1, r2, r3, r4, r5, ws.packed, s * kc * NR,
                                    ws.old[sel], cIdx * sel, ldc * sel, c, cIdx, ldc);
                        } else {   // partial or transposed tile: through the scratch tile, the same sums + old
                            // Beta 0 reads nothing of C (rows·sel = 0) and adds ZEROS (stride 0): the MLP's x·W1ᵀ, all
                            // transposed tiles, took 6-12% longer on 2 threads when every tile copied C's zeros first.
                            SimdGemmTiles.loadOld(sel, c, cIdx, ldc, rows * sel, cols, transposeOut, ws.oldTile);
                            SimdGemmTiles.tileUnpackedA(kc, big, r0, r1, r2, r3, r4, r5, ws.packed, s * kc * NR,
                                    ws.oldOfScratch[sel], 0, NR * sel, tile, 0, NR);
                            SimdGemmTiles.storeTile(tile, c, cIdx, ldc, rows, cols, transposeOut);
                        }
                    }
                }
            }
        }
    }

    private static int row(int base, int ld, int i, int rows) { return base + Math.min(i, rows - 1) * ld; }
}
