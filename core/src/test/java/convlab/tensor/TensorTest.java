package convlab.tensor;

import convlab.autograd.GradMode;
import convlab.nn.functional.F;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class TensorTest {

    @Test void viewsShareStorage() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor t = a.t();
        assertArrayEquals(new int[] {3, 2}, t.shape());
        assertEquals(4f, (float) t.get(0, 1));
        t.set(40, 0, 1);
        assertEquals(40f, (float) a.get(1, 0));                 // a view, not a copy
        assertFalse(t.isContiguous());
        assertArrayEquals(new float[] {1, 40, 2, 5, 3, 6}, t.toFloatArray());
        assertArrayEquals(new float[] {2, 5}, a.slice(1, 1, 2).reshape(-1).toFloatArray());
    }

    @Test void broadcastingAndErrors() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensor.of(new float[] {10, 20, 30}, 3);
        assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36}, a.add(b).toFloatArray());
        Tensor col = Tensor.of(new float[] {1, 2}, 2, 1);
        assertArrayEquals(new float[] {1, 2, 3, 8, 10, 12}, a.mul(col).toFloatArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.add(Tensor.zeros(2)));
        assertTrue(e.getMessage().contains("2x3") && e.getMessage().contains("do not broadcast"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> a.reshape(4, -1));
    }

    @Test void reductionsAndArgmax() {
        Tensor a = Tensor.of(new float[] {1, 9, 3, 7, 5, 7}, 2, 3);
        assertEquals(32.0, a.sum().item(), 0);
        assertArrayEquals(new float[] {13, 19}, a.sum(1, false).toFloatArray());
        assertArrayEquals(new int[] {1, 0}, a.argmax(1));           // ties: first maximum
        assertArrayEquals(new float[] {9, 7}, a.max(1, false).toFloatArray());
    }

    @Test void argmaxOfFloatRowsIsTheArgmaxOfTheirDoubles() {
        // Rows of float32 logits are compared in place as floats; the float64 path decides every case alike:
        // ties (first maximum), NaN (the first NaN wins), infinities, signed zeros.
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(77);
        float[] pool = {0f, -0f, 1f, -1f, 2.5f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE};
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + rnd.nextInt(20), c = 1 + rnd.nextInt(12);
            float[] v = new float[n * c];
            for (int i = 0; i < v.length; i++) v[i] = rnd.nextInt(3) == 0 ? pool[rnd.nextInt(pool.length)] : (float) rnd.nextGaussian();
            Tensor a = Tensor.of(v, n, c);
            assertArrayEquals(a.to(DType.F64).argmax(1), a.argmax(1), "trial " + trial);
            assertArrayEquals(a.to(DType.F64).argmax(0), a.argmax(0), "trial " + trial + ", columns");
        }
    }

    @Test void matmulMatchesHandComputation() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensor.of(new float[] {7, 8, 9, 10, 11, 12}, 3, 2);
        assertArrayEquals(new float[] {58, 64, 139, 154}, a.matmul(b).toFloatArray());
        assertArrayEquals(new float[] {58, 139, 64, 154}, b.t().matmul(a.t()).toFloatArray());
    }

    @Test void gradientsAccumulateAcrossBackwardCalls() {
        Tensor x = Tensor.of(new double[] {1, 2, 3}, 3).requiresGrad(true);
        x.mul(x).sum().backward();
        x.mul(x).sum().backward();
        assertArrayEquals(new double[] {4, 8, 12}, x.grad().toDoubleArray());
    }

    @Test void noGradScopeRecordsNothing() {
        Tensor x = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        Tensor y;
        try (var s = GradMode.noGrad()) { y = x.mul(x).sum(); }
        assertFalse(y.requiresGrad());
        assertThrows(IllegalStateException.class, y::backward);
        assertTrue(GradMode.isEnabled());
    }

    @Test void crossEntropyIsStableForHugeLogits() {
        Tensor z = Tensor.of(new float[] {1000f, 0f, -1000f}, 1, 3);
        assertEquals(0.0, F.crossEntropy(z, new int[] {0}).item(), 1e-6);
        assertEquals(1000.0, F.crossEntropy(z, new int[] {1}).item(), 1e-3);
    }

    @Test void rngIsReproducibleAndRestorable() {
        Rng a = new Rng(42), b = new Rng(42);
        for (int i = 0; i < 10; i++) assertEquals(a.nextLong(), b.nextLong());
        a.nextGaussian();
        long[] st = a.state();
        double next = a.nextGaussian();
        b.setState(st);
        assertEquals(next, b.nextGaussian());
    }
}
