package convlab.kernels;

import convlab.tensor.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FiniteCheckTest {
    private static final float[] BAD = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};

    @Test void vectorCheckMatchesScalarForEveryPositionOfABadValue() {
        Rng rng = new Rng(3);
        for (int len : new int[] {0, 1, 7, 8, 15, 16, 31, 32, 33, 63, 64, 65, 100, 1027}) {
            float[] a = new float[len + 6];
            for (int i = 0; i < a.length; i++) a[i] = (float) (rng.nextGaussian() * 1e30);
            a[2] = Float.MAX_VALUE; a[3] = -Float.MAX_VALUE; a[4] = Float.MIN_VALUE; a[5] = -0f;
            assertTrue(FiniteCheck.allFinite(a, 2, len), "length " + len);
            assertTrue(FiniteCheck.allFiniteScalar(a, 2, len), "length " + len);
            for (int pos = 0; pos < len; pos++)
                for (float bad : BAD) {
                    float keep = a[2 + pos];
                    a[2 + pos] = bad;
                    assertFalse(FiniteCheck.allFinite(a, 2, len), "length " + len + ", " + bad + " at " + pos);
                    assertFalse(FiniteCheck.allFiniteScalar(a, 2, len), "length " + len + ", " + bad + " at " + pos);
                    a[2 + pos] = keep;
                }
        }
    }

    @Test void valuesOutsideTheRangeAreNotLookedAt() {
        float[] a = {Float.NaN, 1f, 2f, 3f, Float.POSITIVE_INFINITY};
        assertTrue(FiniteCheck.allFinite(a, 1, 3));
        assertEquals(FiniteCheck.allFiniteScalar(a, 1, 3), FiniteCheck.allFinite(a, 1, 3));
    }

    @Test void aLargeArrayIsCheckedWholeOnTwoThreads() {
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(2);
            float[] a = new float[(1 << 17) + 3];
            java.util.Arrays.fill(a, 0.5f);
            assertTrue(FiniteCheck.allFinite(a, 1, a.length - 1));
            for (int pos : new int[] {1, 777, a.length / 2, a.length / 2 + 1, a.length - 2, a.length - 1})
                for (float bad : BAD) {
                    a[pos] = bad;
                    assertFalse(FiniteCheck.allFinite(a, 1, a.length - 1), bad + " at " + pos);
                    a[pos] = 0.5f;
                }
            a[0] = Float.NaN;   // outside the range
            assertTrue(FiniteCheck.allFinite(a, 1, a.length - 1));
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test void largeFiniteValuesDoNotOverflowTheCheck() {
        float[] a = new float[4096];
        java.util.Arrays.fill(a, Float.MAX_VALUE);
        assertTrue(FiniteCheck.allFinite(a, 0, a.length));
    }
}
