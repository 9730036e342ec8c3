package convlab.kernels;

import convlab.tensor.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class ReluKernelsTest {
    @Test void vectorMaskMatchesScalarOverAwkwardLengthsAndSpecialValues() {
        Rng rng = new Rng(1);
        float[] specials = {0f, -0f, Float.NaN, Float.MIN_VALUE, -Float.MIN_VALUE, Float.POSITIVE_INFINITY, 1f, -1f};
        for (int len : new int[] {0, 1, 7, 8, 15, 16, 17, 31, 33, 100, 1027}) {
            float[] g = new float[len + 5], y = new float[len + 5];
            for (int i = 0; i < g.length; i++) { g[i] = (float) rng.nextGaussian(); y[i] = specials[rng.nextInt(specials.length)]; }
            float[] a = new float[g.length], b = new float[g.length];
            ReluKernels.maskByPositive(g, y, 3, len, a);
            ReluKernels.maskByPositiveScalar(g, y, 3, len, b);
            assertArrayEquals(b, a, "length " + len);
        }
    }
}
