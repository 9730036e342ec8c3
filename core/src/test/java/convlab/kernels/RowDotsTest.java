package convlab.kernels;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RowDots} against float64 dot products: every row count from 1 to past two tiles in both operands (partial
 * tiles repeat the last row into padding slots), rows at arbitrary overlapping offsets (as the shifted rows of a
 * padded image are), lanes that accumulate over calls and are added in lane order by the caller.
 */
class RowDotsTest {
    @Test
    void laneSumsAreTheDotProductsOfEveryRowPair() {
        Random rnd = new Random(5);
        int vl = RowDots.VL;
        for (int ma = 1; ma <= 2 * RowDots.MA + 1; ma++)
            for (int nb = 1; nb <= 2 * RowDots.MB + 1; nb++) {
                int Q = vl * (1 + rnd.nextInt(4));
                float[] a = random(rnd, 40 + Q), b = random(rnd, 40 + Q);
                int[] aRows = new int[ma], bRows = new int[nb];
                for (int i = 0; i < ma; i++) aRows[i] = rnd.nextInt(40);
                for (int j = 0; j < nb; j++) bRows[j] = rnd.nextInt(40);
                int off = 3;   // lanes start anywhere in the array
                float[] lanes = new float[off + RowDots.lanesLength(ma, nb)];
                RowDots.accumulate(a, aRows, ma, b, bRows, nb, Q, lanes, off);
                RowDots.accumulate(a, aRows, ma, b, bRows, nb, Q, lanes, off);   // sums continue over calls
                int ld = RowDots.padB(nb) * vl;
                for (int i = 0; i < ma; i++)
                    for (int j = 0; j < nb; j++) {
                        double dot = 0;
                        for (int q = 0; q < Q; q++) dot += (double) a[aRows[i] + q] * b[bRows[j] + q];
                        double sum = 0;
                        for (int l = 0; l < vl; l++) sum += lanes[off + i * ld + j * vl + l];
                        assertTrue(Math.abs(sum - 2 * dot) <= 1e-4 * (1 + Math.abs(dot)),
                                ma + "x" + nb + " rows, Q " + Q + ": (" + i + ", " + j + ") " + sum + " vs " + 2 * dot);
                    }
                assertEquals(0f, lanes[off - 1], "nothing written before the lanes");
            }
    }

    @Test
    void courseCnnWeightGradientsFillTheirTilesWith512BitVectors() {
        // 10 output channels against 9 taps (layer 1) and 90 (layer 2): the 5x3 tile leaves no padding slot
        if (RowDots.MA != 5) return;   // the 3x3 tile of 256-bit vectors pads 10 rows to 12
        assertTrue(RowDots.betterAsA(10, 9) && RowDots.betterAsA(10, 90));
        assertEquals(10 * 9 * RowDots.VL, RowDots.lanesLength(10, 9));
        assertEquals(10 * 90 * RowDots.VL, RowDots.lanesLength(10, 90));
    }

    private static float[] random(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (r.nextDouble() * 2 - 1);
        return x;
    }
}
