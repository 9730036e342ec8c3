package convlab.kernels;

/**
 * General matrix multiply, row-major: C = alpha * op(A) * op(B) + beta * C, where op(X) is X or Xᵀ.
 * A is m×k after op, B is k×n after op, C is m×n. lda/ldb/ldc are row strides of the stored arrays.
 * beta == 0 means C is overwritten (its old contents, even NaN, are ignored), as in BLAS.
 *
 * This is the one entry point the rest of convlab calls; it picks the implementation.
 */
public final class Gemm {
    private Gemm() {}

    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, Split.AUTO);
    }

    /**
     * How threads share C. The result is bitwise the same whichever is chosen; what changes is which core's
     * cache ends up holding which part of the operands. {@link #AUTO} decides from the shape alone. A caller that
     * knows the same matrix comes back in later products picks the split that keeps each part on one core: a
     * linear layer's weight rows, say, read by its forward (C's columns), written as the weight gradient (C's
     * rows) and updated by the optimizer (split by rows). On the 2-core EPYC this was measured on, reading the part
     * another core wrote cost more than the packing a split saves (the MLP's update 95 → 22-33 µs a step; bench/GEMM.md).
     */
    public enum Split {
        /** From the shape: the split that packs least. */
        AUTO,
        /** Each thread computes a band of C's rows. */
        ROWS,
        /** Each thread computes a band of C's columns. */
        COLUMNS
    }

    /** {@link #sgemm(boolean, boolean, int, int, int, float, float[], int, int, float[], int, int, float, float[], int, int)}, with the threads sharing C as {@code split} says. */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc, Split split) {
        sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, split, BlockDone.NONE);
    }

    /**
     * Work on a finished block of C, done by the thread that computed it while the block is in its core's cache:
     * rows [rowFrom, rowTo) and columns [colFrom, colTo) of C (indices relative to C, not to the array). A linear
     * layer adds its bias and applies a fused ReLU here instead of in separate passes over C, which on a 2-core
     * machine read half of C from the other core's cache.
     */
    @FunctionalInterface
    public interface BlockDone {
        BlockDone NONE = (rowFrom, rowTo, colFrom, colTo) -> {};

        void finished(int rowFrom, int rowTo, int colFrom, int colTo);
    }

    /**
     * {@link #sgemm(boolean, boolean, int, int, int, float, float[], int, int, float[], int, int, float, float[], int, int, Split)},
     * then {@code done} on each thread's block of C, by that thread, once the block is complete. The blocks cover C
     * exactly once.
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc, Split split, BlockDone done) {
        checkArgs(transA, transB, m, n, k, a.length, aOff, lda, b.length, bOff, ldb, c.length, cOff, ldc);
        if (split == null) throw new IllegalArgumentException("gemm: split must be AUTO, ROWS or COLUMNS, not null");
        if (done == null) throw new IllegalArgumentException("gemm: done must not be null (use BlockDone.NONE)");
        if (m == 0 || n == 0) return;
        SimdGemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, split, done);
    }

    /**
     * Whether each element of a product with depth k is one fma chain over the whole depth, with nothing added between
     * its parts: then adding a term to C after the product rounds exactly as putting it in C before and multiplying at
     * beta 1. Deeper products run in depth blocks that each add onto C, so a term put in C first is added to the first
     * block's sums, not to the total.
     */
    public static boolean oneDepthBlock(int k) { return SimdGemm.depthBlocks(k) <= 1; }

    /** Convenience: C = A·B for dense row-major arrays (overwrites C). */
    public static void sgemm(int m, int n, int k, float[] a, float[] b, float[] c) {
        sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
    }

    /** float64 GEMM: the reference loop (used for gradient checks, not for speed). */
    public static void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                             double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                             double beta, double[] c, int cOff, int ldc) {
        checkArgs(transA, transB, m, n, k, a.length, aOff, lda, b.length, bOff, ldb, c.length, cOff, ldc);
        GemmReference.dgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    static void checkArgs(boolean transA, boolean transB, int m, int n, int k,
                          int aLen, int aOff, int lda, int bLen, int bOff, int ldb, int cLen, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) throw new IllegalArgumentException("gemm: negative size m=" + m + " n=" + n + " k=" + k);
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        checkMatrix("A", aLen, aOff, lda, aRows, aCols);
        checkMatrix("B", bLen, bOff, ldb, bRows, bCols);
        checkMatrix("C", cLen, cOff, ldc, m, n);
    }

    private static void checkMatrix(String name, int len, int off, int ld, int rows, int cols) {
        if (rows == 0 || cols == 0) return;
        if (ld < cols) throw new IllegalArgumentException("gemm: ld" + name.toLowerCase() + "=" + ld + " < columns " + cols);
        long last = off + (long) (rows - 1) * ld + cols;
        if (off < 0 || last > len)
            throw new IllegalArgumentException("gemm: matrix " + name + " (" + rows + "x" + cols + ", ld " + ld
                    + ", offset " + off + ") does not fit in an array of " + len);
    }
}
