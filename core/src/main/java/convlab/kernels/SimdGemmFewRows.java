package convlab.kernels;

import jdk.incubator.vector.FloatVector;

import static convlab.kernels.SimdGemmTiles.S;
import static convlab.kernels.SimdGemmTiles.VL;

/**
 * SGEMM for C with fewer rows than a micro-kernel tile (m < MR) and a plain (not transposed) B: a
 * matrix-vector product in all but name (m == 1 is a batch of one through a layer). Packing B would copy
 * all of B to use each element only m times, and a 6-row tile would be mostly zeros; instead each row of
 * C is accumulated as a sum of rows of B scaled by A's entries (axpy form), reading B once, in order.
 *
 * The result is bitwise the same as {@link SimdGemm#blocked}'s: the same depth blocks, and within a block
 * every element of C is the fma chain over p from zero, followed by the same epilogue. So whether a
 * thread's share of C lands here or in the tiled path never changes a bit.
 */
final class SimdGemmFewRows {
    private SimdGemmFewRows() {}

    /** Columns of C computed at once: m × COLS float accumulators stay in L1. */
    static final int COLS = 1024;

    private static final ThreadLocal<float[]> ACC = ThreadLocal.withInitial(() -> new float[SimdGemmTiles.MR * COLS]);

    static void sgemm(boolean transA, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        if (m > SimdGemmTiles.MR) throw new IllegalArgumentException("few-rows GEMM takes at most " + SimdGemmTiles.MR + " rows, got " + m);
        float[] acc = ACC.get();
        int kBlocks = SimdGemm.depthBlocks(k);
        for (int jc = 0; jc < n; jc += COLS) {
            int cols = Math.min(COLS, n - jc);
            int vecEnd = cols / VL * VL;
            for (int kb = 0; kb < kBlocks; kb++) {
                int pc = SimdGemm.depthBlockStart(k, kBlocks, kb), pEnd = SimdGemm.depthBlockStart(k, kBlocks, kb + 1);
                float betaBlock = kb == 0 ? beta : 1f; // later depth blocks add onto the partial sums in C
                java.util.Arrays.fill(acc, 0, m * COLS, 0f);
                for (int p = pc; p < pEnd; p++) {
                    int bRow = bOff + p * ldb + jc;
                    for (int i = 0; i < m; i++) {
                        float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                        FloatVector avv = FloatVector.broadcast(S, av);
                        int row = i * COLS;
                        for (int j = 0; j < vecEnd; j += VL)
                            avv.fma(FloatVector.fromArray(S, b, bRow + j), FloatVector.fromArray(S, acc, row + j))
                                    .intoArray(acc, row + j);
                        for (int j = vecEnd; j < cols; j++) acc[row + j] = Math.fma(av, b[bRow + j], acc[row + j]);
                    }
                }
                for (int i = 0; i < m; i++) {
                    int ci = cOff + i * ldc + jc, row = i * COLS;
                    for (int j = 0; j < cols; j++) c[ci + j] = SimdGemmTiles.epilogue(acc[row + j], alpha, betaBlock, c[ci + j]);
                }
            }
        }
    }

    /** Independent dot products computed side by side in {@link #timesBt}: enough to hide the FMA latency. */
    static final int DOTS = 4;

    /**
     * C = alpha·A·Bᵀ + beta·C with few rows (m &lt; MR), A m×k and B n×k both row-contiguous along the depth:
     * each element is a dot product of two rows read in place, a scalar fma chain over p. The tiled paths
     * would pack A into a sliver NR columns wide for m of them and spend NR/m of their FMAs on zeros (a batch
     * of one through a linear layer: 1 of 32 columns, plus a k×32 packing pass); here nothing is copied and
     * every FMA is used. DOTS chains run at once so the FMA latency overlaps.
     *
     * <p>Bitwise the same as {@link SimdGemm#blocked}: the same depth blocks, and each element the fma chain
     * over p from zero (a lane of the micro-kernel does fma(a, b, acc) in the same order), then the same epilogue.
     */
    static void timesBt(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                        float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        if (m >= SimdGemmTiles.MR) throw new IllegalArgumentException("few-rows GEMM takes fewer than " + SimdGemmTiles.MR + " rows, got " + m);
        int kBlocks = SimdGemm.depthBlocks(k);
        for (int kb = 0; kb < kBlocks; kb++) {
            int pc = SimdGemm.depthBlockStart(k, kBlocks, kb), pEnd = SimdGemm.depthBlockStart(k, kBlocks, kb + 1);
            float betaBlock = kb == 0 ? beta : 1f; // later depth blocks add onto the partial sums in C
            for (int i = 0; i < m; i++) {
                int ai = aOff + i * lda, ci = cOff + i * ldc;
                int j = 0;
                for (; j + DOTS <= n; j += DOTS) {
                    int b0 = bOff + j * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
                    float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
                    for (int p = pc; p < pEnd; p++) {
                        float av = a[ai + p];
                        s0 = Math.fma(av, b[b0 + p], s0);
                        s1 = Math.fma(av, b[b1 + p], s1);
                        s2 = Math.fma(av, b[b2 + p], s2);
                        s3 = Math.fma(av, b[b3 + p], s3);
                    }
                    c[ci + j] = SimdGemmTiles.epilogue(s0, alpha, betaBlock, c[ci + j]);
                    c[ci + j + 1] = SimdGemmTiles.epilogue(s1, alpha, betaBlock, c[ci + j + 1]);
                    c[ci + j + 2] = SimdGemmTiles.epilogue(s2, alpha, betaBlock, c[ci + j + 2]);
                    c[ci + j + 3] = SimdGemmTiles.epilogue(s3, alpha, betaBlock, c[ci + j + 3]);
                }
                for (; j < n; j++) {
                    int bj = bOff + j * ldb;
                    float s = 0f;
                    for (int p = pc; p < pEnd; p++) s = Math.fma(a[ai + p], b[bj + p], s);
                    c[ci + j] = SimdGemmTiles.epilogue(s, alpha, betaBlock, c[ci + j]);
                }
            }
        }
    }
}
