package convlab.kernels;

import convlab.tensor.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class LinearKernelsTest {
    /** The bias gradient as F.linear summed it before the kernel: a zeroed output, each input row added in order. */
    private static float[] columnSumsScalar(float[] g, int rows, int cols) {
        float[] out = new float[cols];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) out[j] += g[i * cols + j];
        return out;
    }

    @Test void columnSumsAreBitwiseTheScalarRowOrderSums() {
        Rng rng = new Rng(3);
        float[] specials = {0f, -0f, Float.NaN, Float.MIN_VALUE, -Float.MIN_VALUE, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, Float.MAX_VALUE, -Float.MAX_VALUE, 1e-30f};
        for (int rows : new int[] {0, 1, 2, 5, 64, 65})
            for (int cols : new int[] {1, 7, 8, 10, 15, 16, 17, 33, 256, 259}) {
                float[] g = new float[rows * cols];
                // Mostly ordinary values whose sum depends on the order; some specials, and columns of ±0 only.
                for (int i = 0; i < g.length; i++) {
                    int col = i % cols;
                    g[i] = col % 5 == 4 ? (rng.nextInt(2) == 0 ? 0f : -0f)
                            : rng.nextInt(8) == 0 ? specials[rng.nextInt(specials.length)] : (float) (rng.nextGaussian() * 1e3);
                }
                float[] out = new float[cols];
                java.util.Arrays.fill(out, Float.NaN);   // every element is written
                LinearKernels.columnSums(g, rows, cols, out);
                assertArrayEquals(columnSumsScalar(g, rows, cols), out, rows + "x" + cols);   // compares bits: −0 ≠ +0
            }
        float[] negativeZeros = {-0f, -0f, -0f, -0f};
        float[] out = new float[2];
        LinearKernels.columnSums(negativeZeros, 2, 2, out);
        assertEquals(0, Float.floatToRawIntBits(out[0]), "+0 + (−0) + (−0) is +0, as the zeroed scalar sum gives");
    }
}
