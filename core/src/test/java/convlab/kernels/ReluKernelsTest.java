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

    @Test void vectorReluMatchesMathMaxBitForBitIncludingNaNAndSignedZero() {
        Rng rng = new Rng(2);
        float[] specials = {0f, -0f, Float.NaN, Float.MIN_VALUE, -Float.MIN_VALUE, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, Float.MAX_VALUE, -Float.MAX_VALUE, 1f, -1f};
        for (int len : new int[] {0, 1, 7, 8, 15, 16, 17, 31, 33, 100, 1027}) {
            float[] x = new float[len + 5];
            for (int i = 0; i < x.length; i++) x[i] = rng.nextInt(3) == 0 ? specials[rng.nextInt(specials.length)] : (float) rng.nextGaussian();
            float[] a = new float[x.length], b = new float[x.length];
            ReluKernels.relu(x, 3, len, a);
            ReluKernels.reluScalar(x, 3, len, b);
            assertArrayEquals(b, a, "length " + len);   // compares bits: −0 and +0 differ
        }
        float[] signed = {-0f, Float.NaN, -3f, 2f, 0f, -0f, -0f, -0f, -0f};
        float[] out = new float[signed.length];
        ReluKernels.relu(signed, 0, signed.length, out);
        assertArrayEquals(new float[] {0f, Float.NaN, 0f, 2f, 0f, 0f, 0f, 0f, 0f}, out);
    }
}
