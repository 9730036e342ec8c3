package convlab.kernels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The zero-skipping Aᵀ·B ({@link SimdGemmSparseA}, a weight gradient through a ReLU) is bitwise the dense tiled product,
 * on the columns it takes and through {@link Gemm#sgemm}, and it declines what it cannot do bitwise.
 */
class SimdGemmSparseATest {
    private final int savedThreads = Parallel.threads();

    @AfterEach void restoreThreads() { Parallel.setThreads(savedThreads); }

    private static final int CHUNK_COLS = SimdGemmSparseA.CHUNK * SimdGemmTiles.VL;

    /** A stored k×m (row stride lda, at aOff) with about zeroFraction of its elements ±0, the rest uniform in [-1, 1). */
    private static float[] sparse(SplittableRandom rnd, int len, double zeroFraction) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) {
            double u = rnd.nextDouble();
            a[i] = u < zeroFraction / 2 ? 0f : u < zeroFraction ? -0f : (float) (rnd.nextDouble() * 2 - 1);
        }
        return a;
    }

    /** The dense tiled product (the definition of every other path's bits) and Gemm.sgemm's, of the same problem. */
    private static void assertBitwiseDense(String what, int m, int n, int k, float[] a, int aOff, int lda,
                                           float[] b, int bOff, int ldb, int ldc) {
        float[] dense = new float[2 + m * ldc + 1];
        java.util.Arrays.fill(dense, Float.NaN);   // beta 0 ignores C; the elements around C must stay NaN
        float[] viaGemm = dense.clone();
        SimdGemm.blocked(true, false, m, n, k, 1f, a, aOff, lda, b, bOff, ldb, 0f, dense, 2, ldc);
        Gemm.sgemm(true, false, m, n, k, 1f, a, aOff, lda, b, bOff, ldb, 0f, viaGemm, 2, ldc);
        assertArrayEquals(dense, viaGemm, what + ": m=" + m + " n=" + n + " k=" + k);
    }

    @Test void skippingZerosIsBitwiseTheDenseProduct() {
        SplittableRandom rnd = new SplittableRandom(5100);
        int[] ms = {1, 6, 7, 33, 130};
        int[] ns = {CHUNK_COLS, CHUNK_COLS + 1, 2 * CHUNK_COLS + SimdGemmTiles.VL + 3, 784};
        int P = SimdGemmSparseA.PIECE;
        int[] ks = {1, 5, P - 1, P, P + 1, 64, SimdGemmSparseA.MAX_PIECES * P, SimdGemmSparseA.MAX_PIECES * P + 1, SimdGemm.KC};
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            for (int m : ms) for (int n : ns) for (int k : ks)
                for (double zeros : new double[] {0.3, 0.55, 0.8, 0.95, 1.0}) {
                    int lda = m + 2, ldb = n + 3, aOff = 3, bOff = 5;
                    float[] a = sparse(rnd, aOff + k * lda, zeros), b = sparse(rnd, bOff + k * ldb, 0.5);
                    assertBitwiseDense("zeros " + zeros + ", " + threads + " thread(s)", m, n, k, a, aOff, lda, b, bOff, ldb, n + 1);
                }
        }
    }

    @Test void takesWholeChunksOfASparseAWithAFiniteB() {
        SplittableRandom rnd = new SplittableRandom(5200);
        int m = 40, k = 64, n = 2 * CHUNK_COLS + 7;
        float[] a = sparse(rnd, k * m, 0.9), b = sparse(rnd, k * n, 0.5), c = new float[m * n];
        assertEquals(2 * CHUNK_COLS, SimdGemmSparseA.transposedA(m, n, k, a, 0, m, b, 0, n, c, 0, n), "whole chunks only");
        float[] denseA = sparse(rnd, k * m, SimdGemmSparseA.MIN_ZEROS - 0.1);
        assertEquals(0, SimdGemmSparseA.transposedA(m, n, k, denseA, 0, m, b, 0, n, c, 0, n), "too few zeros");
        assertEquals(0, SimdGemmSparseA.transposedA(m, CHUNK_COLS - 1, k, a, 0, m, b, 0, n, c, 0, n), "narrower than a chunk");
        int pieces = SimdGemmSparseA.MAX_PIECES * SimdGemmSparseA.PIECE;
        float[] deep = sparse(rnd, (pieces + 1) * m, 0.9), deepB = sparse(rnd, (pieces + 1) * n, 0.5);
        assertEquals(2 * CHUNK_COLS, SimdGemmSparseA.transposedA(m, n, pieces, deep, 0, m, deepB, 0, n, c, 0, n), "in pieces");
        assertEquals(0, SimdGemmSparseA.transposedA(m, n, pieces + 1, deep, 0, m, deepB, 0, n, c, 0, n), "too deep");
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            float[] b2 = b.clone();
            b2[(k - 1) * n + 2 * CHUNK_COLS - 1] = bad;   // the last element the chunks read
            assertEquals(0, SimdGemmSparseA.transposedA(m, n, k, a, 0, m, b2, 0, n, c, 0, n), "B holds " + bad);
            b2 = b.clone();
            b2[5 * n + 2 * CHUNK_COLS] = bad;   // past the chunks: the dense kernel's columns
            assertEquals(2 * CHUNK_COLS, SimdGemmSparseA.transposedA(m, n, k, a, 0, m, b2, 0, n, c, 0, n), "B holds " + bad + " past the chunks");
        }
    }

    @Test void nonFiniteValuesAndSignedZerosComeOutAsInTheDenseProduct() {
        SplittableRandom rnd = new SplittableRandom(5300);
        int m = 13, k = 64, n = 2 * CHUNK_COLS;
        for (int trial = 0; trial < 40; trial++) {
            float[] a = sparse(rnd, k * m, 0.9), b = sparse(rnd, k * n, 0.5);
            // NaN and ±∞ in A (never skipped), and in B where A is zero (B is then left to the dense kernel).
            if (trial % 4 == 1) a[rnd.nextInt(a.length)] = Float.NaN;
            if (trial % 4 == 2) a[rnd.nextInt(a.length)] = Float.NEGATIVE_INFINITY;
            if (trial % 4 == 3) b[rnd.nextInt(b.length)] = Float.POSITIVE_INFINITY;
            // Products that underflow to −0 in the middle of a chain that then meets only zeros: the dense chain turns
            // −0 into +0 with the next zero product, the sparse one keeps −0 until the final + (+0).
            for (int p = 0; p < k / 2; p++) { a[p * m] = p == 0 ? -1e-30f : 0f; b[p * n] = 1e-30f; }
            assertBitwiseDense("trial " + trial, m, n, k, a, 0, m, b, 0, n, n);
        }
    }

    @Test void anAllZeroAGivesPositiveZeros() {
        int m = 8, k = 16, n = CHUNK_COLS;
        float[] a = new float[k * m], b = new float[k * n], c = new float[m * n];
        java.util.Arrays.fill(a, -0f);
        java.util.Arrays.fill(b, 3f);
        java.util.Arrays.fill(c, Float.NaN);
        assertEquals(n, SimdGemmSparseA.transposedA(m, n, k, a, 0, m, b, 0, n, c, 0, n));
        for (float v : c) assertEquals(0, Float.floatToRawIntBits(v), "+0, as the dense product gives");
        assertTrue(SimdGemmSparseA.zeros(m, k, a, 0, m) == (long) m * k);
    }
}
