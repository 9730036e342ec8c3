package convlab.kernels;

import static convlab.kernels.SimdGemmKernel.MR;
import static convlab.kernels.SimdGemmKernel.NR;

/**
 * C = alpha·A·Bᵀ + beta·C for a plain A with few rows and a B stored n×k: the weight gradient of a
 * convolution (dY·colsᵀ, m = output channels, k = batch × pixels) and a batch of one through a layer
 * (x·Wᵀ). The tiled path would pack and transpose all of the large B to use each element only m times,
 * which costs as much as the arithmetic. Here the product is computed as Cᵀ = B·Aᵀ: the kernel reads six
 * rows of B in place (they are contiguous along the depth), only the small A is packed, and each tile of
 * Cᵀ is written back into C transposed.
 *
 * Bitwise the same as {@link SimdGemm#blocked}: the same depth blocks, and each element is the fma chain
 * over p from zero (fma(b, a, acc) == fma(a, b, acc)) followed by the same epilogue.
 */
final class SimdGemmNT {
    private SimdGemmNT() {}

    /** Largest m taken: the packed Aᵀ block (m × KC floats, at most 512 KiB with AVX2) is L2-sized; B streams past once. */
    static final int MAX_M = 8 * NR;

    private static final class Workspace {
        float[] packedA = new float[0];
        final float[] tile = new float[MR * NR];
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    static void sgemm(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        Workspace ws = WORKSPACE.get();
        int kBlocks = SimdGemm.depthBlocks(k);
        int slivers = SimdGemm.ceilDiv(m, NR);
        int need = SimdGemm.ceilDiv(k, kBlocks) * slivers * NR;
        if (ws.packedA.length < need) ws.packedA = new float[need];
        float[] tile = ws.tile;
        for (int kb = 0; kb < kBlocks; kb++) {
            int pc = SimdGemm.depthBlockStart(k, kBlocks, kb);
            int kc = SimdGemm.depthBlockStart(k, kBlocks, kb + 1) - pc;
            float betaBlock = kb == 0 ? beta : 1f; // later depth blocks add onto the partial sums in C
            // Aᵀ[pc:pc+kc, 0:m] as NR-wide slivers: exactly what packB makes of a transposed operand.
            SimdGemm.packB(true, a, aOff, lda, pc, kc, 0, m, ws.packedA);
            for (int jr = 0; jr < n; jr += MR) {
                int rows = Math.min(MR, n - jr);
                // Rows past n repeat the last row: always readable, and their sums are dropped below.
                int r0 = row(bOff + pc, ldb, jr, n), r1 = row(bOff + pc, ldb, jr + 1, n), r2 = row(bOff + pc, ldb, jr + 2, n);
                int r3 = row(bOff + pc, ldb, jr + 3, n), r4 = row(bOff + pc, ldb, jr + 4, n), r5 = row(bOff + pc, ldb, jr + 5, n);
                for (int s = 0; s < slivers; s++) {
                    SimdGemmKernel.tileUnpackedA(kc, b, r0, r1, r2, r3, r4, r5, ws.packedA, s * kc * NR, tile);
                    int cols = Math.min(NR, m - s * NR);
                    for (int ii = 0; ii < cols; ii++) {
                        int ci = cOff + (s * NR + ii) * ldc + jr; // tile element (q, ii) is C[s*NR + ii][jr + q]
                        for (int q = 0; q < rows; q++)
                            c[ci + q] = SimdGemmKernel.epilogue(tile[q * NR + ii], alpha, betaBlock, c[ci + q]);
                    }
                }
            }
        }
    }

    private static int row(int base, int ldb, int j, int n) { return base + Math.min(j, n - 1) * ldb; }
}
