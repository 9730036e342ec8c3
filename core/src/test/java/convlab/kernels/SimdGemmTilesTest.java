package convlab.kernels;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GEMM tiles ({@link SimdGemmTiles}) against the scalar rule of every element, an fma chain over p from +0 and
 * then {@link SimdGemmTiles#epilogue} (bitwise, for beta 0 and 1 at any depth, with zeros and negative zeros among
 * the inputs), and beta 0's "old C is ignored"
 * through every loop nest that uses them: full, partial and transposed tiles. Runs at the machine's vector width
 * and again at 256 bits (surefire execution kernels-256-bit).
 */
class SimdGemmTilesTest {
    private static final int MR = SimdGemmTiles.MR, NR = SimdGemmTiles.NR;

    private static float[] fill(SplittableRandom rnd, int len) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) {
            int kind = rnd.nextInt(10);
            x[i] = kind == 0 ? 0f : kind == 1 ? -0f : (float) (rnd.nextDouble() * 2 - 1);
        }
        return x;
    }

    @Test void theTileShapeFitsTheRegisters() {
        assertEquals(6, MR);
        assertEquals(2 * Vectors.lanes(), NR);
    }

    @Test void pickIsOneForBetaOneAndZeroForBetaZero() {
        assertEquals(1, SimdGemmTiles.pick(1f));
        assertEquals(0, SimdGemmTiles.pick(0f));
        assertEquals(0, SimdGemmTiles.pick(-0f));
        assertTrue(SimdGemmTiles.direct(1f, 0f) && SimdGemmTiles.direct(1f, 1f) && SimdGemmTiles.direct(1f, -0f));
        assertTrue(!SimdGemmTiles.direct(0.5f, 0f) && !SimdGemmTiles.direct(1f, 2f) && !SimdGemmTiles.direct(1f, -1f));
    }

    /** The scalar rule: C[r][j] = epilogue(fma chain of a[p*MR + r]·b[p*NR + j] over p from +0, 1, beta, old C). */
    private static float[] scalarTile(int kc, float[] a, float[] b, float beta, float[] start, int cIdx, int ldc) {
        float[] c = start.clone();
        for (int r = 0; r < MR; r++)
            for (int j = 0; j < NR; j++) {
                float acc = 0f;
                for (int p = 0; p < kc; p++) acc = Math.fma(a[p * MR + r], b[p * NR + j], acc);
                int ci = cIdx + r * ldc + j;
                c[ci] = SimdGemmTiles.epilogue(acc, 1f, beta, c[ci]);
            }
        return c;
    }

    @Test void tilesAreBitwiseTheScalarFmaChain() {
        SplittableRandom rnd = new SplittableRandom(17);
        int ldc = NR + 5;
        for (int kc : new int[] {1, 2, 7, 64, 300, 784}) {
            float[] a = fill(rnd, kc * MR), b = fill(rnd, kc * NR), start = fill(rnd, MR * ldc + 3);
            // A's rows in place for the unpacked twin, and as the packed sliver tile() reads (SimdGemmTiles.packedA).
            int lda = kc + 3;
            float[] rowsA = new float[MR * lda], packedA = new float[kc * MR];
            for (int r = 0; r < MR; r++)
                for (int p = 0; p < kc; p++) {
                    rowsA[r * lda + p] = a[p * MR + r];
                    packedA[SimdGemmTiles.packedA(kc, p, r)] = a[p * MR + r];
                }
            for (int sel = 0; sel <= 1; sel++) {
                float beta = sel;
                float[] want = scalarTile(kc, a, b, beta, start, 2, ldc), got = start.clone(), gotU = start.clone();
                float[] old = sel == 1 ? got : SimdGemmTiles.ZEROS;
                SimdGemmTiles.tile(kc, packedA, 0, b, 0, old, sel * 2, sel * ldc, got, 2, ldc);
                assertArrayEquals(want, got, "packed tile (" + (SimdGemmTiles.PACKED_A_BY_ROWS ? "by rows" : "interleaved")
                        + "), kc=" + kc + " beta=" + beta);
                SimdGemmTiles.tileUnpackedA(kc, rowsA, 0, lda, 2 * lda, 3 * lda, 4 * lda, 5 * lda, b, 0,
                        sel == 1 ? gotU : SimdGemmTiles.ZEROS, sel * 2, sel * ldc, gotU, 2, ldc);
                assertArrayEquals(want, gotU, "in-place tile, kc=" + kc + " beta=" + beta);
                float[] gotI = start.clone();   // the interleaved kernel, also where tile() stores slivers by rows
                SimdGemmTiles.tileInterleavedA(kc, a, 0, b, 0, sel == 1 ? gotI : SimdGemmTiles.ZEROS, sel * 2, sel * ldc, gotI, 2, ldc);
                assertArrayEquals(want, gotI, "interleaved tile, kc=" + kc + " beta=" + beta);
            }
        }
    }

    @Test void scratchTileRoundTripsAndMasksBetaZero() {
        // loadOld/storeTile at every partial size, plain and transposed: beta 1 copies C, beta 0 gives +0 (even for NaN).
        int ldc = 40;
        for (boolean transposed : new boolean[] {false, true})
            for (int rows = 1; rows <= MR; rows++)
                for (int cols = 1; cols <= NR; cols += Math.max(1, NR / 5)) {
                    float[] c = new float[ldc * ldc];
                    for (int i = 0; i < c.length; i++) c[i] = i % 7 == 0 ? Float.NaN : i * 0.5f - 100f;
                    float[] old = new float[MR * NR];
                    SimdGemmTiles.loadOld(1, c, 3, ldc, rows, cols, transposed, old);
                    float[] back = new float[c.length];
                    SimdGemmTiles.storeTile(old, back, 3, ldc, rows, cols, transposed);
                    for (int q = 0; q < rows; q++)
                        for (int j = 0; j < cols; j++) {
                            int ci = transposed ? 3 + j * ldc + q : 3 + q * ldc + j;
                            assertEquals(Float.floatToRawIntBits(c[ci]), Float.floatToRawIntBits(back[ci]));
                        }
                    SimdGemmTiles.loadOld(0, c, 3, ldc, rows, cols, transposed, old);
                    for (int q = 0; q < rows; q++)
                        for (int j = 0; j < cols; j++) assertEquals(0, Float.floatToRawIntBits(old[q * NR + j]));
                }
    }

    @Test void betaZeroIgnoresNaNOnEveryLoopNest() {
        // Full, partial and transposed tiles of each loop nest the dense GEMM takes (the MLP's shapes among them).
        int[][] shapes = {{0, 1, 64, 256, 78}, {0, 1, 1000, 40, 30}, {0, 0, 64, 70, 10}, {1, 0, 40, 78, 64},
                {1, 1, 13, 29, 31}, {0, 1, 7, 300, 20}};
        SplittableRandom rnd = new SplittableRandom(5);
        for (int[] s : shapes) {
            boolean ta = s[0] == 1, tb = s[1] == 1;
            int m = s[2], n = s[3], k = s[4];
            float[] a = fill(rnd, m * k), b = fill(rnd, k * n);
            int lda = ta ? m : k, ldb = tb ? k : n;
            float[] want = new float[m * n], got = new float[m * n];
            java.util.Arrays.fill(got, Float.NaN);
            GemmReference.sgemm(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, want, 0, n);
            Gemm.sgemm(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, got, 0, n);
            for (int i = 0; i < got.length; i++)
                assertTrue(Math.abs(want[i] - got[i]) <= 1e-4f * (1 + Math.abs(want[i])),
                        "shape " + java.util.Arrays.toString(s) + " element " + i + ": " + want[i] + " vs " + got[i]);
        }
    }
}
