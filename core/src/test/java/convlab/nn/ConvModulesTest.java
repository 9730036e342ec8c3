package convlab.nn;

import convlab.geometry.PaddingMode;
import convlab.nn.functional.Conv;
import convlab.nn.functional.ConvOptions;
import convlab.tensor.DType;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;
import convlab.testing.Checks;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Conv1d/Conv2d/ConvTranspose1d/2d modules: parameters, init, shapes, fused ReLU, errors, and shift invariance. */
class ConvModulesTest {

    @Test
    void parameterShapesAndTorchDefaultInit() {
        Rng rng = new Rng(1);
        Conv2d c = new Conv2d(4, 6, 3, ConvOptions.DEFAULT.groups(2), true, rng);
        assertArrayEquals(new int[] {6, 2, 3, 3}, c.weight().shape());
        assertArrayEquals(new int[] {6}, c.bias().shape());
        double bound = 1 / Math.sqrt(2 * 9);   // fanIn = in/groups · k²
        for (double v : c.weight().toDoubleArray()) assertTrue(Math.abs(v) <= bound);
        for (double v : c.bias().toDoubleArray()) assertTrue(Math.abs(v) <= bound);
        assertEquals(6 * 2 * 9 + 6, c.parameterCount());

        ConvTranspose2d t = new ConvTranspose2d(4, 6, 3, ConvOptions.DEFAULT.groups(2), false, rng);
        assertArrayEquals(new int[] {4, 3, 3, 3}, t.weight().shape());
        assertNull(t.bias());
        for (double v : t.weight().toDoubleArray()) assertTrue(Math.abs(v) <= 1 / Math.sqrt(3 * 9));   // fanIn = out/groups · k²

        assertArrayEquals(new int[] {5, 2, 4}, new Conv1d(2, 5, 4, ConvOptions.DEFAULT, true, rng).weight().shape());
        assertArrayEquals(new int[] {2, 5, 4}, new ConvTranspose1d(2, 5, 4, ConvOptions.DEFAULT, true, rng).weight().shape());
        assertEquals(4, c.inChannels());
        assertEquals(6, c.outChannels());
        assertEquals(3, c.kernelSize());
        assertEquals(ConvOptions.DEFAULT.groups(2), c.options());
    }

    @Test
    void outputShapeMatchesForward() {
        Rng rng = new Rng(2);
        ConvLayer[] layers = {
                new Conv2d(1, 10, 3, ConvOptions.DEFAULT.padding(1), true, rng),
                new Conv2d(3, 4, 3, ConvOptions.DEFAULT.stride(2).dilation(2).padding(1).paddingMode(PaddingMode.REFLECT), true, rng),
                new Conv2d(3, 3, 4, ConvOptions.DEFAULT.samePadding().groups(3), false, rng),
                new Conv1d(2, 3, 3, ConvOptions.DEFAULT.stride(2), true, rng),
                new ConvTranspose2d(3, 2, 3, ConvOptions.DEFAULT.stride(2).padding(1).outputPadding(1), true, rng),
                new ConvTranspose1d(3, 2, 3, ConvOptions.DEFAULT.stride(3).outputPadding(2), true, rng),
        };
        int[][] inputs = {{2, 1, 28, 28}, {2, 3, 9, 8}, {1, 3, 5, 6}, {2, 2, 11}, {2, 3, 5, 4}, {2, 3, 7}};
        int[][] expected = {{2, 10, 28, 28}, {2, 4, 4, 3}, {1, 3, 5, 6}, {2, 3, 5}, {2, 2, 10, 8}, {2, 2, 23}};
        for (int i = 0; i < layers.length; i++) {
            assertArrayEquals(expected[i], layers[i].outputShape(inputs[i]), layers[i].toString());
            assertArrayEquals(expected[i], layers[i].forward(Tensor.zeros(inputs[i])).shape(), layers[i].toString());
        }
    }

    @Test
    void fusedReluEqualsConvThenRelu() {
        Rng rng = new Rng(3);
        Conv2d c = new Conv2d(2, 3, 3, ConvOptions.DEFAULT.padding(1), true, rng);
        Tensor x = Tensor.randn(rng, 2, 2, 5, 5);
        Tensor separate = c.forward(x).relu();
        assertFalse(c.fusedRelu());
        assertSame(c, c.enableFusedRelu());
        assertTrue(c.fusedRelu());
        Tensor fused = c.forward(x);
        assertArrayEquals(separate.toFloatArray(), fused.toFloatArray());
        assertTrue(c.toString().contains("fused ReLU"), c.toString());

        // the fused backward (float32 kernels) gives the gradients of conv followed by relu
        Tensor gy = Tensor.randn(rng, 2, 3, 5, 5);
        Tensor xs = x.copy().requiresGrad(true), xf = x.copy().requiresGrad(true);
        Tensor ws = c.weight().detach().copy().requiresGrad(true), bs = c.bias().detach().copy().requiresGrad(true);
        Conv.conv2d(xs, ws, bs, c.options()).relu().backward(gy);
        c.zeroGrad();
        c.forward(xf).backward(gy);
        Checks.assertClose(xs.grad().toDoubleArray(), xf.grad().toDoubleArray(), 1e-6, 1e-6, "input gradient");
        Checks.assertClose(ws.grad().toDoubleArray(), c.weight().grad().toDoubleArray(), 1e-5, 1e-5, "weight gradient");
        Checks.assertClose(bs.grad().toDoubleArray(), c.bias().grad().toDoubleArray(), 1e-5, 1e-5, "bias gradient");
    }

    @Test
    void badConfigurationsAndInputsExplainThemselves() {
        Rng rng = new Rng(4);
        var e = assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 4, 3, ConvOptions.DEFAULT.groups(2), true, rng));
        assertTrue(e.getMessage().contains("groups=2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ConvTranspose2d(3, 4, 3, ConvOptions.DEFAULT.paddingMode(PaddingMode.CIRCULAR), true, rng));
        assertTrue(e.getMessage().contains("zeros"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 4, 3, ConvOptions.DEFAULT.samePadding().stride(2), true, rng));
        assertTrue(e.getMessage().contains("stride 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Conv1d(3, 4, 3, ConvOptions.DEFAULT.stride(2, 1), true, rng));
        assertTrue(e.getMessage().contains("one value"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ConvTranspose2d(2, 2, 3, ConvOptions.DEFAULT.stride(2).outputPadding(2), true, rng));
        assertTrue(e.getMessage().contains("output padding"), e.getMessage());

        Conv2d c = new Conv2d(3, 4, 3, ConvOptions.DEFAULT, true, rng);
        e = assertThrows(IllegalArgumentException.class, () -> c.forward(Tensor.zeros(2, 1, 8, 8)));
        assertTrue(e.getMessage().contains("expects 3 input channels"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> c.forward(Tensor.zeros(2, 3, 2, 8)));
        assertTrue(e.getMessage().contains("smaller than the kernel"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> c.forward(Tensor.zeros(3, 8, 8)));
        assertTrue(e.getMessage().contains("(N, C, H, W)"), e.getMessage());
        Conv2d r = new Conv2d(1, 1, 3, ConvOptions.DEFAULT.padding(3).paddingMode(PaddingMode.REFLECT), true, rng);
        e = assertThrows(IllegalArgumentException.class, () -> r.forward(Tensor.zeros(1, 1, 3, 5)));
        assertTrue(e.getMessage().contains("reflect padding 3"), e.getMessage());
    }

    /** CONV2-3 → ReLU → CONV2-3 → ReLU → GAP with the given options, as the course draws it (problem 7). */
    private static Tensor gapNetwork(Tensor x, ConvOptions o, long seed) {
        Rng rng = new Rng(seed);
        Conv2d c1 = new Conv2d(1, 3, 2, o, true, rng).enableFusedRelu(), c2 = new Conv2d(3, 3, 2, o, true, rng).enableFusedRelu();
        Tensor w1 = c1.weight().to(DType.F64), b1 = c1.bias().to(DType.F64), w2 = c2.weight().to(DType.F64), b2 = c2.bias().to(DType.F64);
        if (x.isF32()) return c2.forward(c1.forward(x)).mean(new int[] {2, 3}, false);
        return Conv.conv2dRelu(Conv.conv2dRelu(x, w1, b1, o), w2, b2, o).mean(new int[] {2, 3}, false);
    }

    private static Tensor roll(Tensor x, int dy, int dx) {
        int n = x.size(0), h = x.size(2), w = x.size(3);
        Tensor out = Tensor.zeros(x.dtype(), x.shape());
        for (int i = 0; i < n; i++)
            for (int r = 0; r < h; r++)
                for (int c = 0; c < w; c++) out.set(x.get(i, 0, r, c), i, 0, (r + dy) % h, (c + dx) % w);
        return out;
    }

    private static double worstShiftChange(Tensor x, ConvOptions o) {
        double[] base = gapNetwork(x, o, 11).toDoubleArray();
        double worst = 0;
        for (int dy = 0; dy < x.size(2); dy++)
            for (int dx = 0; dx < x.size(3); dx++) {
                double[] shifted = gapNetwork(roll(x, dy, dx), o, 11).toDoubleArray();
                for (int i = 0; i < base.length; i++) worst = Math.max(worst, Math.abs(shifted[i] - base[i]));
            }
        return worst;
    }

    @Test
    void circularPaddingMakesTheGapNetworkShiftInvariant() {
        // "padding 1" of a 2×2 kernel read as one row/column in total (padding "same"): the output keeps the
        // 8×8 torus, every layer commutes with circular shifts, and the global average forgets the position.
        ConvOptions circular = ConvOptions.DEFAULT.samePadding().paddingMode(PaddingMode.CIRCULAR);
        for (long seed = 0; seed < 3; seed++) {
            Tensor x64 = Checks.rand64(seed, 2, 1, 8, 8);
            assertTrue(worstShiftChange(x64, circular) < 1e-12, "float64, seed " + seed);
            assertTrue(worstShiftChange(x64.to(DType.F32), circular) < 1e-5, "float32 (fast kernels), seed " + seed);
            assertTrue(worstShiftChange(x64, ConvOptions.DEFAULT.samePadding()) > 1e-3, "zero padding is generally not invariant, seed " + seed);
        }
        // The other reading, one row/column on EACH side (PyTorch padding=1), grows the map to 9×9 with a
        // duplicated row and column: exact invariance is lost even with circular padding.
        Tensor x = Checks.rand64(5, 1, 1, 8, 8);
        assertTrue(worstShiftChange(x, ConvOptions.DEFAULT.padding(1).paddingMode(PaddingMode.CIRCULAR)) > 1e-3);
    }

    @Test
    void courseEdgeImagesGiveEqualFeaturesForShiftedEdges() {
        // Problem 7's horizontal edge in row 1 and the same edge in row 5 give the same GAP features.
        ConvOptions circular = ConvOptions.DEFAULT.samePadding().paddingMode(PaddingMode.CIRCULAR);
        Tensor a = Tensor.zeros(DType.F64, 1, 1, 8, 8), b = Tensor.zeros(DType.F64, 1, 1, 8, 8);
        for (int c = 0; c < 8; c++) { a.set(1, 0, 0, 1, c); b.set(1, 0, 0, 5, c); }
        Checks.assertClose(gapNetwork(a, circular, 3).toDoubleArray(), gapNetwork(b, circular, 3).toDoubleArray(), 1e-12, 0, "GAP features");
    }
}
