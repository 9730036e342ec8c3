package convlab.kernels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packed SIMD SGEMM against {@link GemmReference} (the definition) over awkward sizes, all transpose
 * cases, offsets and padded leading dimensions, alpha/beta, and 1 vs 2 threads (bitwise equal).
 */
class SimdGemmTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach void restoreThreads() { Parallel.setThreads(savedThreads); }

    /** One GEMM problem with random operands stored inside larger arrays (offset and padded rows). */
    private record Problem(boolean ta, boolean tb, int m, int n, int k, float alpha, float beta,
                           float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        static Problem random(long seed, boolean ta, boolean tb, int m, int n, int k, float alpha, float beta, int pad) {
            SplittableRandom rnd = new SplittableRandom(seed);
            int lda = (ta ? m : k) + pad, ldb = (tb ? k : n) + pad, ldc = n + pad;
            int aOff = pad * 3, bOff = pad * 5, cOff = pad * 7;
            float[] a = fill(rnd, aOff + (ta ? k : m) * lda + pad);
            float[] b = fill(rnd, bOff + (tb ? n : k) * ldb + pad);
            float[] c = fill(rnd, cOff + m * ldc + pad);
            return new Problem(ta, tb, m, n, k, alpha, beta, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        }

        float[] run(boolean reference) {
            float[] out = c.clone();
            if (reference) GemmReference.sgemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, out, cOff, ldc);
            else Gemm.sgemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, out, cOff, ldc);
            return out;
        }

        float[] run(Gemm.Split split) {
            float[] out = c.clone();
            Gemm.sgemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, out, cOff, ldc, split);
            return out;
        }

        /** Forward error bound of a float sum of k products: (k+4)·2⁻²³·(|alpha|·Σ|a||b| + |beta·c|). */
        double tolerance(int i, int j) {
            double s = 0;
            for (int p = 0; p < k; p++) {
                float av = ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                float bv = tb ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                s += Math.abs((double) av * bv);
            }
            double old = beta == 0 ? 0 : Math.abs((double) beta * c[cOff + i * ldc + j]);
            return (k + 4) * 0x1p-23 * (Math.abs(alpha) * s + old) + 1e-30;
        }

        void assertMatchesReference() {
            float[] want = run(true), got = run(false);
            String what = "m=" + m + " n=" + n + " k=" + k + " transA=" + ta + " transB=" + tb + " alpha=" + alpha + " beta=" + beta;
            for (int idx = 0; idx < want.length; idx++) {
                int rel = idx - cOff;
                boolean inside = rel >= 0 && rel < m * ldc && rel % ldc < n;
                if (!inside) {
                    assertEquals(c[idx], got[idx], what + ": element " + idx + " outside C was changed");
                    continue;
                }
                int i = rel / ldc, j = rel % ldc;
                double err = Math.abs((double) want[idx] - got[idx]);
                assertTrue(err <= tolerance(i, j), what + ": C[" + i + "][" + j + "] expected " + want[idx] + " but was " + got[idx]);
            }
        }
    }

    private static float[] fill(SplittableRandom rnd, int len) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) x[i] = (float) (rnd.nextDouble() * 2 - 1);
        return x;
    }

    private static final int[] AWKWARD = {1, 2, 5, 6, 7, 15, 16, 17, 33, 100};

    /**
     * A weight gradient's dense tail (a few columns) and its whole width (when it has too few zeros for the sparse
     * kernel) at the same depth share the packing buffers: a wide call first seen in training that grew them took a
     * branch C2 had compiled {@code blocked} without.
     */
    @Test void theBlockedPathSizesItsBuffersByDepthNotWidth() throws Exception {
        boolean[] grew = new boolean[1];
        Thread t = new Thread(() -> {   // a thread of its own: its buffers start empty whatever ran before
            SplittableRandom r = new SplittableRandom(3);
            int m = 256, k = 64;
            float[] a = fill(r, k * m), b = fill(r, k * 784), c = new float[m * 784];
            SimdGemm.blocked(true, false, m, 16, k, 1f, a, 0, m, b, 0, 784, 0f, c, 0, 784);
            float[] afterNarrow = SimdGemm.packedBOfThisThread();
            SimdGemm.blocked(true, false, m, 784, k, 1f, a, 0, m, b, 0, 784, 0f, c, 0, 784);
            grew[0] = afterNarrow != SimdGemm.packedBOfThisThread();
        });
        t.start();
        t.join();
        assertFalse(grew[0], "a wider call at the same depth grew the packed-B buffer");
    }

    @Test void matchesReferenceOverAwkwardSizesAndAllTransposes() {
        long seed = 1;
        for (boolean ta : new boolean[] {false, true})
            for (boolean tb : new boolean[] {false, true})
                for (int m : AWKWARD)
                    for (int n : AWKWARD)
                        for (int k : new int[] {1, 7, 17, 100})
                            Problem.random(seed++, ta, tb, m, n, k, 1f, 0f, 0).assertMatchesReference();
    }

    @Test void matchesReferenceWithOffsetsPaddingAlphaAndBeta() {
        long seed = 1000;
        float[][] alphaBeta = {{1f, 1f}, {-0.5f, 0f}, {2f, -1.5f}, {0.25f, 1f}};
        for (float[] ab : alphaBeta)
            for (boolean ta : new boolean[] {false, true})
                for (boolean tb : new boolean[] {false, true})
                    for (int[] s : new int[][] {{7, 33, 15}, {17, 1, 33}, {1, 100, 7}, {33, 17, 1}})
                        Problem.random(seed++, ta, tb, s[0], s[1], s[2], ab[0], ab[1], 3).assertMatchesReference();
    }

    @Test void matchesReferenceAcrossBlockBoundaries() {
        // Sizes past MC, NC and KC (several depth blocks, partial blocks), one large dim with small others.
        int[][] shapes = {
                {SimdGemm.MC + 7, 40, SimdGemm.KC * 2 + 3},
                {13, SimdGemm.NC + 17, 9},
                {1000, 3, 17},
                {5, 1000, 33},
                {7, 15, 1000},
                {150, 70, 300},
        };
        long seed = 5000;
        for (int[] s : shapes)
            for (boolean ta : new boolean[] {false, true})
                for (boolean tb : new boolean[] {false, true})
                    Problem.random(seed++, ta, tb, s[0], s[1], s[2], 1.5f, 0.5f, 1).assertMatchesReference();
    }

    @Test void matchesReferenceWithOneDimensionOf1000() {
        // Each awkward size against 1000 in the other two places, all transposes, with alpha and beta.
        long seed = 3000;
        for (int small : new int[] {1, 7, 15, 17, 33})
            for (boolean ta : new boolean[] {false, true})
                for (boolean tb : new boolean[] {false, true}) {
                    Problem.random(seed++, ta, tb, small, 1000, 33, -1.25f, 0.5f, 2).assertMatchesReference();
                    Problem.random(seed++, ta, tb, 1000, small, 17, 0.5f, 1f, 2).assertMatchesReference();
                    Problem.random(seed++, ta, tb, 15, 17, 1000 + small, 1f, -2f, 2).assertMatchesReference();
                }
    }

    /** A loop nest other than {@link SimdGemm#blocked}, for the layouts it takes. */
    private interface Path { void run(Problem p, float[] c); }

    private static void assertBitwiseTheTiledPath(String name, Path path, boolean ta, boolean tb, int[] ms, long seed) {
        for (int m : ms)
            for (int[] nk : new int[][] {{1, 1}, {7, 300}, {13, 17}, {290, 600}, {100, 1000}, {40, 2 * SimdGemm.KC + 5}})
                for (float[] ab : new float[][] {{1f, 0f}, {1f, 1f}, {0.75f, 1f}, {-2f, 0.5f}}) {
                    Problem p = Problem.random(seed++, ta, tb, m, nk[0], nk[1], ab[0], ab[1], 1);
                    float[] tiled = p.c.clone(), other = p.c.clone();
                    SimdGemm.blocked(ta, tb, m, p.n, p.k, p.alpha, p.a, p.aOff, p.lda, p.b, p.bOff, p.ldb, p.beta, tiled, p.cOff, p.ldc);
                    path.run(p, other);
                    assertArrayEquals(tiled, other, name + ": m=" + m + " n=" + p.n + " k=" + p.k + " alpha=" + p.alpha + " beta=" + p.beta);
                }
    }

    @Test void everyPathIsBitwiseTheTiledPath() {
        // Each loop nest must round exactly like the tiled one (itself checked against the reference above),
        // so that where a thread's share of C lands never changes a bit. Sizes cover partial tiles and
        // several depth blocks.
        int[] fewRows = {1, 2, 5};
        int[] rows = {1, 5, 6, 7, 17, 33, SimdGemmInPlace.MAX_SMALL};
        for (boolean ta : new boolean[] {false, true})
            assertBitwiseTheTiledPath("few rows", (p, c) -> SimdGemmFewRows.sgemm(p.ta, p.m, p.n, p.k, p.alpha,
                    p.a, p.aOff, p.lda, p.b, p.bOff, p.ldb, p.beta, c, p.cOff, p.ldc), ta, false, fewRows, 4000);
        assertBitwiseTheTiledPath("A·Bᵀ, fewer rows than a tile", (p, c) -> SimdGemmFewRows.timesBt(p.m, p.n, p.k, p.alpha,
                p.a, p.aOff, p.lda, p.b, p.bOff, p.ldb, p.beta, c, p.cOff, p.ldc), false, true, fewRows, 4100);
        for (boolean tb : new boolean[] {false, true})
            assertBitwiseTheTiledPath("plain A in place", (p, c) -> SimdGemmInPlace.plainA(p.tb, p.m, p.n, p.k, p.alpha,
                    p.a, p.aOff, p.lda, p.b, p.bOff, p.ldb, p.beta, c, p.cOff, p.ldc), false, tb, rows, 4200);
        assertBitwiseTheTiledPath("A·Bᵀ, few rows", (p, c) -> SimdGemmInPlace.fewRowsTimesBt(p.m, p.n, p.k, p.alpha,
                p.a, p.aOff, p.lda, p.b, p.bOff, p.ldb, p.beta, c, p.cOff, p.ldc), false, true, rows, 4400);
        assertBitwiseTheTiledPath("Aᵀ·Bᵀ", (p, c) -> SimdGemmInPlace.bothTransposed(p.m, p.n, p.k, p.alpha,
                p.a, p.aOff, p.lda, p.b, p.bOff, p.ldb, p.beta, c, p.cOff, p.ldc), true, true, rows, 4600);
        // Several B blocks (NC columns each).
        Problem wide = Problem.random(4800, false, false, 13, SimdGemm.NC * 2 + 3, 50, 1f, 0f, 0);
        float[] tiled = wide.c.clone(), inPlace = wide.c.clone();
        SimdGemm.blocked(false, false, 13, wide.n, 50, 1f, wide.a, 0, wide.lda, wide.b, 0, wide.ldb, 0f, tiled, 0, wide.ldc);
        SimdGemmInPlace.plainA(false, 13, wide.n, 50, 1f, wide.a, 0, wide.lda, wide.b, 0, wide.ldb, 0f, inPlace, 0, wide.ldc);
        assertArrayEquals(tiled, inPlace, "plain A in place across B blocks");
    }

    @Test void betaZeroIgnoresNaNInC() {
        float[] a = {1, 2, 3, 4}, b = {5, 6, 7, 8};
        float[] c = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
        Gemm.sgemm(false, false, 2, 2, 2, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2);
        assertArrayEquals(new float[] {19, 22, 43, 50}, c);
    }

    @Test void emptyDepthScalesC() {
        float[] c = {1, 2, 3, 4, 5, 6};
        Gemm.sgemm(false, false, 2, 3, 0, 1f, new float[0], 0, 1, new float[0], 0, 3, 2f, c, 0, 3);
        assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, c);
        Gemm.sgemm(false, false, 2, 3, 0, 1f, new float[0], 0, 1, new float[0], 0, 3, 0f, c, 0, 3);
        assertArrayEquals(new float[6], c);
    }

    @Test void emptyOutputLeavesEverythingAlone() {
        float[] c = {7};
        Gemm.sgemm(false, false, 0, 5, 3, 1f, new float[0], 0, 3, new float[15], 0, 5, 0f, c, 0, 5);
        Gemm.sgemm(false, false, 1, 0, 3, 1f, new float[3], 0, 3, new float[0], 0, 1, 0f, c, 0, 1);
        assertArrayEquals(new float[] {7}, c);
    }

    /** Each shape, in all four layouts, on each thread count and split, gives bitwise the one-thread product. */
    private static void assertSameAsOneThread(int[][] shapes, long seed, int[] threadCounts, Gemm.Split... splits) {
        for (int threads : threadCounts)
            for (int[] s : shapes)
                for (boolean ta : new boolean[] {false, true})
                    for (boolean tb : new boolean[] {false, true}) {
                        Problem p = Problem.random(seed++, ta, tb, s[0], s[1], s[2], 0.75f, 0.5f, 2);
                        Parallel.setThreads(1);
                        float[] one = p.run(false);
                        Parallel.setThreads(threads);
                        for (Gemm.Split split : splits)
                            assertArrayEquals(one, p.run(split), split + " on " + threads + " threads differs from one thread for "
                                    + s[0] + "x" + s[1] + "x" + s[2] + " ta=" + ta + " tb=" + tb);
                    }
    }

    @Test void oneAndTwoThreadsAreBitwiseEqual() {
        int[][] shapes = {{64, 256, 784}, {300, 200, 300}, {32, 2000, 288}, {1000, 40, 50}, {97, 97, 600},
                {13, 3, 40000}, {1, 5000, 300}, {4, 3000, 300},
                {7, 2, 160000}, // the second thread gets one row: the few-rows path, which must round the same
                {50, 120, 400}, {64, 10, 256}, {100, 60, 200}, {300, 64, 200}}; // split by the packed operand, A·Bᵀ packing B
        assertSameAsOneThread(shapes, 9000, new int[] {2}, Gemm.Split.AUTO);
    }

    @Test void everySplitOfCIsBitwiseTheSame() {
        // The shapes of a linear layer (forward split by columns, weight gradient by rows) and some that force a
        // split along a dimension of less than two tiles, or one the automatic choice would never take.
        int[][] shapes = {{64, 256, 784}, {256, 784, 64}, {1000, 256, 784}, {5, 300, 200}, {300, 5, 200}, {64, 10, 256},
                {10, 256, 64}, {97, 33, 1500}, {1000, 10, 256}};
        assertSameAsOneThread(shapes, 9700, new int[] {2, 3}, Gemm.Split.values());
        assertThrows(IllegalArgumentException.class, () -> Gemm.sgemm(false, false, 1, 1, 1, 1f, new float[1], 0, 1,
                new float[1], 0, 1, 0f, new float[1], 0, 1, null));
    }

    @Test void columnsAskedForWithinOneSliverAreSharedByRows() {
        // The evaluation's logits (1000 images × 10 classes): a linear layer asks for a split by columns, but C has
        // one sliver of columns, so one thread would compute all of it. The threads take row bands instead.
        Parallel.setThreads(2);
        int m = 1000, n = 10, k = 256;
        Problem p = Problem.random(9600, false, true, m, n, k, 1f, 0f, 0);
        float[] c = new float[m * n];
        java.util.List<int[]> blocks = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Gemm.sgemm(false, true, m, n, k, 1f, p.a, 0, k, p.b, 0, k, 0f, c, 0, n, Gemm.Split.COLUMNS,
                (r0, r1, c0, c1) -> blocks.add(new int[] {r0, r1, c0, c1}));
        blocks.sort(java.util.Comparator.comparingInt(b -> b[0]));
        assertEquals(2, blocks.size(), "two row bands");
        assertArrayEquals(new int[] {0, blocks.get(1)[0], 0, n}, blocks.get(0));
        assertArrayEquals(new int[] {blocks.get(0)[1], m, 0, n}, blocks.get(1));
        Parallel.setThreads(1);
        float[] one = new float[m * n];
        Gemm.sgemm(false, true, m, n, k, 1f, p.a, 0, k, p.b, 0, k, 0f, one, 0, n);
        assertArrayEquals(one, c);
    }

    @Test void theMlpShapesMatchTheReferenceOnTwoThreads() {
        // x·W1ᵀ, h·W2ᵀ, g·W2, gᵀ·h, gᵀ·x and the evaluation's 1000-row x·W1ᵀ: each dispatch and thread split they take.
        Parallel.setThreads(2);
        int[][] shapes = {{0, 1, 64, 256, 784}, {0, 1, 64, 10, 256}, {0, 0, 64, 256, 10}, {1, 0, 10, 256, 64},
                {1, 0, 256, 784, 64}, {0, 1, 1000, 256, 784}, {0, 1, 37, 256, 784}};
        long seed = 9500;
        for (int[] s : shapes) Problem.random(seed++, s[0] == 1, s[1] == 1, s[2], s[3], s[4], 1f, 0f, 0).assertMatchesReference();
    }

    @Test void largeProblemMatchesReference() {
        Parallel.setThreads(2);
        Problem.random(77, false, false, 200, 300, 700, 1f, 0f, 0).assertMatchesReference();
        Problem.random(78, true, true, 129, 257, 513, 1f, 1f, 0).assertMatchesReference();
    }

    @Test void badArgumentsAreRejectedWithAMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, 2, 2, 2, 1f, new float[3], 0, 2, new float[4], 0, 2, 0f, new float[4], 0, 2));
        assertTrue(e.getMessage().contains("matrix A"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, 2, 2, 2, 1f, new float[4], 0, 1, new float[4], 0, 2, 0f, new float[4], 0, 2));
    }
}
