package convlab.nn.functional;

import convlab.kernels.Parallel;
import convlab.nn.Parameter;
import convlab.spec.ModelBuilder;
import convlab.tensor.DType;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused fully connected layer with ReLU (float32 fast path: bias and ReLU applied per thread block of the
 * product) against the separate passes, bitwise, forward and backward; PyTorch parity of the fused layer is the
 * golden wide-bn network (its FC-128 RELU), the float64 finite-difference check is in OpsGradTest.
 */
class LinearReluTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach void restoreThreads() { Parallel.setThreads(savedThreads); }

    /** Batch × in × out: the MLP's training and evaluation shapes, partial tiles, a row fewer than a tile, 1 output. */
    private static final int[][] SHAPES = {{64, 784, 256}, {1000, 256, 10}, {64, 3136, 128}, {7, 13, 37}, {3, 5, 70}, {130, 33, 1}, {1, 9, 4}};

    @Test void fusedIsBitwiseLinearThenReluForwardAndBackward() {
        for (int threads : new int[] {1, 2, 3}) {
            Parallel.setThreads(threads);
            for (int[] s : SHAPES)
                for (double scale : new double[] {1.0, 0.37})
                    for (boolean bias : new boolean[] {true, false}) {
                        String what = threads + " threads, shape " + s[0] + "x" + s[1] + "->" + s[2] + ", scale " + scale + ", bias " + bias;
                        Rng rng = new Rng(s[0] * 31L + s[2]);
                        Tensor x = Tensor.randn(rng, s[0], s[1]), w = Tensor.randn(rng, s[2], s[1]);
                        Tensor b = bias ? Tensor.randn(rng, s[2]) : null, g = Tensor.randn(rng, s[0], s[2]);
                        Tensor[] fused = run(x, w, b, g, scale, true), separate = run(x, w, b, g, scale, false);
                        for (int i = 0; i < fused.length; i++) {
                            if (fused[i] == null) { assertEquals(null, separate[i], what); continue; }
                            assertEquals(DType.F32, fused[i].dtype(), what);
                            assertArrayEquals(separate[i].toDoubleArray(), fused[i].toDoubleArray(), what + ", output " + i);
                        }
                    }
        }
    }

    /**
     * The forward rounds as it always did: the bias put in C, then the product added at beta 1. Below one depth block
     * the bias is added after the product instead (the same sums), above it (the wide CNN's 3136 inputs) it goes first.
     */
    @Test void theBiasRoundsAsWhenPutInFirst() {
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            for (int in : new int[] {784, 1024, 1025, 3136}) {
                Rng rng = new Rng(in);
                int n = 64, out = 128;
                Tensor x = Tensor.randn(rng, n, in), w = Tensor.randn(rng, out, in), b = Tensor.randn(rng, out);
                float[] want = new float[n * out];
                for (int i = 0; i < n; i++) System.arraycopy(b.data(), 0, want, i * out, out);
                convlab.kernels.Gemm.sgemm(false, true, n, out, in, 1f, x.data(), 0, in, w.data(), 0, in, 1f, want, 0, out);
                assertArrayEquals(want, F.linear(x, w, b).data(), threads + " threads, " + in + " inputs");
            }
        }
    }

    @Test void nanAndNegativeZeroFollowTheSeparateRelu() {
        Tensor x = Tensor.of(new float[] {Float.NaN, 1f, -0f, 0f}, 2, 2);
        Tensor w = Tensor.of(new float[] {1f, 0f, 0f, 1f, -1f, 0f}, 3, 2);
        Tensor fused = F.linearRelu(x, w, null, 1.0), separate = F.linear(x, w, null, 1.0).relu();
        float[] a = fused.data(), e = separate.data();
        for (int i = 0; i < e.length; i++) assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(a[i]), "element " + i);
        assertTrue(Float.isNaN(a[0]));
    }

    @Test void aSequentialRunsLinearThenReluAsOnePassWithTheSameNamesAndNumbers() {
        var model = ModelBuilder.build("FLATTEN FC-256 RELU FC-10", "28x28x1", 1);
        assertEquals(java.util.List.of("1.weight", "1.bias", "3.weight", "3.bias"), java.util.List.copyOf(model.namedParameters().keySet()),
                "the modules and their names stay PyTorch's nn.Sequential(Flatten, Linear, ReLU, Linear)");
        Tensor x = Tensor.randn(new Rng(3), 5, 1, 28, 28);
        Tensor byLayers = x;
        for (var m : model.layers()) byLayers = m.forward(byLayers);
        assertArrayEquals(byLayers.toDoubleArray(), model.forward(x).toDoubleArray());
    }

    /** Output, then the gradients of x, w and b for the loss sum(out · g). */
    private static Tensor[] run(Tensor x, Tensor w, Tensor b, Tensor g, double scale, boolean fused) {
        Parameter px = new Parameter(x.copy()), pw = new Parameter(w.copy()), pb = b == null ? null : new Parameter(b.copy());
        Tensor out = fused ? F.linearRelu(px, pw, pb, scale) : F.linear(px, pw, pb, scale).relu();
        out.mul(g).sum().backward();
        return new Tensor[] {out.detach(), px.grad(), pw.grad(), pb == null ? null : pb.grad()};
    }
}
