package convlab.nn;

import convlab.tensor.Rng;
import convlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Module behaviour: shapes, parameters vs buffers, train()/eval(), errors, dropout masks. */
class PoolNormModulesTest {

    @Test void poolingShapesAndNames() {
        assertArrayEquals(new int[] {2, 3, 14, 14}, new MaxPool2d(2).outputShape(new int[] {2, 3, 28, 28}));
        assertArrayEquals(new int[] {1, 1, 4, 4}, new MaxPool2d(2, 2, 0, true).outputShape(new int[] {1, 1, 7, 7}));
        assertArrayEquals(new int[] {1, 2, 3, 3}, new AvgPool2d(3, 2, 1, false, false).outputShape(new int[] {1, 2, 5, 5}));
        assertArrayEquals(new int[] {4, 8}, new GlobalAvgPool2d().outputShape(new int[] {4, 8, 3, 3}));
        assertArrayEquals(new int[] {2, 3, 5}, new MaxPool1d(3, 2, 1, true).outputShape(new int[] {2, 3, 9}));
        assertArrayEquals(new int[] {2, 3, 4}, new AvgPool1d(2).outputShape(new int[] {2, 3, 9}));
        Tensor x = Tensor.randn(new Rng(1), 2, 3, 7, 5);
        for (Module m : new Module[] {new MaxPool2d(3, 2, 1, true), new AvgPool2d(2, 1, 1, true, false), new GlobalAvgPool2d()})
            assertArrayEquals(m.forward(x).shape(), m.outputShape(x.shape()), m.toString());
        assertEquals("MaxPool2d(2)", new MaxPool2d(2).toString());
        assertEquals("AvgPool2d(3, stride 2, padding 1, ceil, exclude padding)", new AvgPool2d(3, 2, 1, true, false).toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(2).forward(Tensor.zeros(3, 4, 4)));
        assertTrue(e.getMessage().contains("(N, C, H, W)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(3).outputShape(new int[] {1, 1, 2, 2}));
        assertThrows(IllegalArgumentException.class, () -> new MaxPool2d(2, 2, 2, false));
    }

    @Test void batchNormRegistersParametersAndBuffersAndFollowsTrainEval() {
        BatchNorm2d bn = new BatchNorm2d(3);
        assertEquals(java.util.List.of("weight", "bias"), java.util.List.copyOf(bn.namedParameters().keySet()));
        assertEquals(java.util.List.of("running_mean", "running_var"), java.util.List.copyOf(bn.namedBuffers().keySet()));
        assertEquals(6, bn.parameterCount());

        Tensor x = Tensor.randn(new Rng(2), 1.0, convlab.tensor.DType.F32, 4, 3, 2, 2).add(3);
        bn.outputShape(x.shape());                          // must not touch the statistics
        assertEquals(0.0, bn.runningMean.getFlat(0));
        Tensor y = bn.forward(x);                           // training: batch statistics, running update
        double mean0 = 0;
        for (int i = 0; i < 4; i++) for (int k = 0; k < 4; k++) mean0 += x.getFlat(i * 12 + k);
        mean0 /= 16;
        assertEquals(0.1 * mean0, bn.runningMean.getFlat(0), 1e-6);
        double ySum = 0;
        for (int i = 0; i < 4; i++) for (int k = 0; k < 4; k++) ySum += y.getFlat(i * 12 + k);
        assertEquals(0, ySum, 1e-4);

        bn.eval();
        Tensor single = x.slice(0, 0, 1).contiguous();      // batch of one is fine in evaluation
        Tensor ye = bn.forward(single);
        double expected = (single.getFlat(0) - bn.runningMean.getFlat(0)) / Math.sqrt(bn.runningVar.getFlat(0) + 1e-5);
        assertEquals(expected, ye.getFlat(0), 1e-5);
        Tensor before = bn.runningMean.copy();
        bn.forward(x);
        assertArrayEquals(before.toFloatArray(), bn.runningMean.toFloatArray(), "eval must not update running statistics");
    }

    @Test void resultsDoNotDependOnTheThreadCount() {
        int saved = convlab.kernels.Parallel.threads();
        try {
            float[][] results = new float[2][];
            for (int threads = 1; threads <= 2; threads++) {
                convlab.kernels.Parallel.setThreads(threads);
                Tensor x = Tensor.randn(new Rng(4), 16, 8, 24, 24).requiresGrad(true);   // big enough to split
                BatchNorm2d bn = new BatchNorm2d(8);
                Tensor y = new MaxPool2d(3, 2, 1, true).forward(bn.forward(x));
                y.backward(Tensor.randn(new Rng(5), y.shape()));
                float[] out = y.toFloatArray(), gx = x.grad().toFloatArray(), gw = bn.weight.grad().toFloatArray();
                float[] all = java.util.Arrays.copyOf(out, out.length + gx.length + gw.length);
                System.arraycopy(gx, 0, all, out.length, gx.length);
                System.arraycopy(gw, 0, all, out.length + gx.length, gw.length);
                results[threads - 1] = all;
            }
            assertArrayEquals(results[0], results[1]);
        } finally {
            convlab.kernels.Parallel.setThreads(saved);
        }
    }

    @Test void batchNormTrainingWithOneValuePerChannelIsRefusedLikePyTorch() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(4).forward(Tensor.ones(1, 4)));
        assertTrue(e.getMessage().contains("expected more than 1 value per channel when training"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(2).forward(Tensor.ones(1, 2, 1, 1)));
        new BatchNorm2d(2).forward(Tensor.ones(1, 2, 2, 1));                 // N = 1 but 2 values per channel: fine
        new BatchNorm1d(4, 1e-5, 0.1, true, true).forward(Tensor.ones(1, 4)); // mean-only: allowed
    }

    @Test void batchNormOptions() {
        BatchNorm1d plain = new BatchNorm1d(5, 1e-3, 0.2, false, false);
        assertTrue(plain.parameters().isEmpty());
        assertNull(plain.weight);
        BatchNorm2d meanOnly = new BatchNorm2d(2, 1e-5, 0.1, true, true);
        assertEquals(java.util.List.of("running_mean"), java.util.List.copyOf(meanOnly.namedBuffers().keySet()));
        Tensor x = Tensor.of(new float[] {1, 10, 3, 20}, 2, 2, 1, 1);      // channel 0: {1, 3}, channel 1: {10, 20}
        assertArrayEquals(new float[] {-1, -5, 1, 5}, meanOnly.forward(x).toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(3).forward(Tensor.zeros(2, 4, 2, 2)));
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(3).forward(Tensor.zeros(2, 3, 2, 2)));
        Sequential model = new Sequential(new Linear(3, 4, new Rng(1)), new BatchNorm1d(4));
        assertEquals(java.util.Set.of("1.running_mean", "1.running_var"), model.namedBuffers().keySet());
    }

    @Test void fusedReluEqualsBatchNormThenReLU() {
        for (boolean training : new boolean[] {true, false}) {
            BatchNorm2d plain = new BatchNorm2d(4), fused = new BatchNorm2d(4).enableFusedRelu();
            for (BatchNorm2d bn : new BatchNorm2d[] {plain, fused}) {
                bn.weight.copyFrom(Tensor.randn(new Rng(6), 4));
                bn.bias.copyFrom(Tensor.randn(new Rng(7), 4));
                if (!training) { convlab.tensor.Ops.copyInto(Tensor.randn(new Rng(8), 4), bn.runningMean); bn.eval(); }
            }
            Tensor x1 = Tensor.randn(new Rng(9), 5, 4, 6, 6).requiresGrad(true), x2 = x1.detach().copy().requiresGrad(true);
            Tensor gy = Tensor.randn(new Rng(10), 5, 4, 6, 6);
            Tensor y1 = new ReLU().forward(plain.forward(x1)), y2 = fused.forward(x2);
            y1.backward(gy);
            y2.backward(gy);
            assertArrayEquals(y1.toFloatArray(), y2.toFloatArray(), "output, training=" + training);
            assertArrayEquals(x1.grad().toFloatArray(), x2.grad().toFloatArray(), "input gradient, training=" + training);
            assertArrayEquals(plain.weight.grad().toFloatArray(), fused.weight.grad().toFloatArray());
            assertArrayEquals(plain.bias.grad().toFloatArray(), fused.bias.grad().toFloatArray());
            assertArrayEquals(plain.runningVar.toFloatArray(), fused.runningVar.toFloatArray());
        }
        assertEquals("BatchNorm2d(4, fused ReLU)", new BatchNorm2d(4).enableFusedRelu().toString());
    }

    @Test void layerAndGroupNormShapesAndParameters() {
        LayerNorm ln = new LayerNorm(new int[] {3, 4}, 1e-5, true);
        assertArrayEquals(new int[] {3, 4}, ln.weight.shape());
        assertArrayEquals(new int[] {2, 3, 4}, ln.outputShape(new int[] {2, 3, 4}));
        assertThrows(IllegalArgumentException.class, () -> ln.forward(Tensor.zeros(2, 4, 3)));
        GroupNorm gn = new GroupNorm(2, 4, 1e-5, false);
        assertTrue(gn.parameters().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new GroupNorm(3, 4, 1e-5, true));
        Tensor y = gn.forward(Tensor.randn(new Rng(3), 2, 4, 3, 3));
        double s = 0;
        for (int k = 0; k < 18; k++) s += y.getFlat(k);                      // first group of the first sample
        assertEquals(0, s, 1e-4);
    }

    @Test void dropoutMasksAreSeededScaledAndOffInEvaluation() {
        Tensor x = Tensor.ones(50, 40);
        float[] a = new Dropout(0.25, new Rng(11)).forward(x).toFloatArray();
        float[] b = new Dropout(0.25, new Rng(11)).forward(x).toFloatArray();
        assertArrayEquals(a, b, "same seed, same mask");
        int zeros = 0;
        for (float v : a) {
            assertTrue(v == 0f || v == (float) (1 / 0.75), "survivors scaled by 1/(1-p), got " + v);
            if (v == 0f) zeros++;
        }
        assertEquals(0.25, zeros / 2000.0, 0.04);
        Dropout d = new Dropout(0.5, new Rng(1));
        d.eval();
        assertSame(x, d.forward(x));
        assertArrayEquals(new float[] {0, 0, 0}, new Dropout(1, new Rng(1)).forward(Tensor.ones(3)).toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5, new Rng(1)));
    }

    @Test void dropout2dDropsWholeChannels() {
        Tensor x = Tensor.ones(8, 6, 3, 3);
        float[] y = new Dropout2d(0.5, new Rng(5)).forward(x).toFloatArray();
        int dropped = 0;
        for (int ch = 0; ch < 48; ch++) {
            float first = y[ch * 9];
            for (int k = 1; k < 9; k++) assertEquals(first, y[ch * 9 + k], "channel " + ch + " is all kept or all dropped");
            assertTrue(first == 0f || first == 2f);
            if (first == 0f) dropped++;
        }
        assertTrue(dropped > 10 && dropped < 38, "about half the channels dropped, got " + dropped);
        Dropout2d d = new Dropout2d(0.5, new Rng(5));
        d.eval();
        assertSame(x, d.forward(x));
    }
}
