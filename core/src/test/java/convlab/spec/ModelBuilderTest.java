package convlab.spec;

import convlab.autograd.GradMode;
import convlab.nn.BatchNorm2d;
import convlab.nn.Conv2d;
import convlab.nn.Module;
import convlab.nn.Sequential;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static convlab.testing.Checks.assertClose;
import static org.junit.jupiter.api.Assertions.*;

class ModelBuilderTest {
    /** Specs with inputs covering every layer word and option that changes a module. */
    private static final List<String[]> CASES = List.of(
            new String[] {"CONV3-10 POOL2 CONV3-10 POOL2 FLATTEN FC-3", "28x28x1"},
            new String[] {"CONV2-3(circular) → ReLU → CONV2-3(circular) → ReLU → GAP → FC-3", "8x8x1"},
            new String[] {"[CONV3-8 BN RELU]x2 POOL2 [CONV3-16 BN RELU]x2 POOL2 FLATTEN FC-32 RELU DROPOUT0.5 FC-10", "16x16x3"},
            new String[] {"CONV5-6(s2,p0,d1,nobias,flip,reflect) CONV3-12(g3,replicate) CONV4-8(same) CONV3-8(d2) MAXPOOL3(s2,p1,ceil) GAP FC-4", "17x15x3"},
            new String[] {"DWCONV3 DWCONV3-8(s2,circular) SEPCONV3-16 SEPCONV5-8(s2,nobias) AVGPOOL3(s1,p1,nopadcount) AVGPOOL2(ceil) FLATTEN FC-5(nobias)", "13x13x4"},
            new String[] {"CONV3-8 TCONV2-4(s2) TCONV3-6(s2,p1,op1,g2) TCONV3-4(d2,nobias) LN GN2 DROPOUT2D0.2 BN(meanonly) BN(noaffine,eps=1e-3,momentum=0.2)", "6x7x2"},
            new String[] {"CONV5-8 POOL2 CONV3-8(s2,circular) TCONV2-4(s2) BN AVGPOOL2 DROPOUT2D GAP FC-6 BN FC-2", "40x3"},
            new String[] {"CONV5-8 MAXPOOL3(s2,ceil) LN FLATTEN FC-8 LN DROPOUT FC-2", "21x2"},
            new String[] {"FC-16 BN(meanonly) FC-8 LN FC-2", "30"});

    private static long bufferValues(Module m) {
        return m.namedBuffers().values().stream().mapToLong(t -> t.numel()).sum();
    }

    @Test void modelShapesAndCountsMatchTheAnalysis() {
        for (String[] c : CASES) {
            for (boolean fuse : new boolean[] {true, false}) {
                Spec spec = Spec.parse(c[0]);
                FeatureShape input = FeatureShape.parse(c[1]);
                Analysis a = Analysis.of(spec, input);
                Sequential model = ModelBuilder.build(spec, input, new Rng(1), fuse);
                String what = c[0] + " on " + c[1] + (fuse ? " (fused)" : "");
                assertEquals(a.totalParams(), model.parameterCount(), what);
                assertEquals(a.totalBuffers(), bufferValues(model), what);
                int[] expected = a.output().withBatch(3);
                assertArrayEquals(expected, model.outputShape(input.withBatch(3)), what);
                model.eval();
                try (var g = GradMode.noGrad()) {
                    Tensor y = model.forward(Tensor.randn(new Rng(2), input.withBatch(3)));
                    assertArrayEquals(expected, y.shape(), what + ": forward gives " + Arrays.toString(y.shape()));
                }
                if (!fuse) assertEquals(spec.layers().size() + (c[0].contains("GAP") && c[1].split("x").length == 2 ? 1 : 0),
                        model.layers().size(), what + ": one module per layer record (1-d GAP is two)");
            }
        }
    }

    @Test void fusedReluGivesTheSameOutputs() {
        String spec = "CONV3-8 POOL2 CONV3-8(circular) BN CONV3-4 BN GAP FC-3";   // ReLU implied after conv / after BN
        Sequential fused = ModelBuilder.build(Spec.parse(spec), FeatureShape.parse("12x12x2"), new Rng(7), true);
        Sequential plain = ModelBuilder.build(Spec.parse(spec), FeatureShape.parse("12x12x2"), new Rng(7), false);
        assertTrue(fused.layers().getFirst() instanceof Conv2d c && c.fusedRelu(), fused.toString());
        assertTrue(fused.layers().get(3) instanceof BatchNorm2d b && b.fusedRelu(), fused.toString());
        assertFalse(fused.layers().get(4) instanceof Conv2d c && c.fusedRelu(), "a conv followed by BN keeps its output");
        assertEquals(plain.layers().size() - 3, fused.layers().size());
        Tensor x = Tensor.randn(new Rng(3), 4, 2, 12, 12);
        for (boolean training : new boolean[] {true, false}) {
            if (training) { fused.train(); plain.train(); } else { fused.eval(); plain.eval(); }
            try (var g = GradMode.noGrad()) {
                assertClose(plain.forward(x).toDoubleArray(), fused.forward(x).toDoubleArray(), 1e-6, 1e-6,
                        "fused vs plain, training " + training);
            }
        }
    }

    @Test void sameSeedSameModel() {
        String spec = "[CONV3-8 BN RELU]x2 POOL2 FLATTEN FC-16 RELU DROPOUT0.5 FC-10";
        Sequential a = ModelBuilder.build(spec, "8x8x1", 42), b = ModelBuilder.build(spec, "8x8x1", 42);
        Tensor x = Tensor.randn(new Rng(5), 2, 1, 8, 8);
        assertArrayEquals(a.forward(x).toFloatArray(), b.forward(x).toFloatArray(), "training mode, dropout included");
    }

    /** Issue 3: with circular padding the CONV2-3 → ReLU → CONV2-3 → ReLU → GAP network is invariant to circular shifts. */
    @Test void circularPaddingMakesTheGapNetworkShiftInvariant() {
        float[] img = Tensor.randn(new Rng(9), 1, 1, 8, 8).toFloatArray();
        float[] shifted = new float[64];
        for (int r = 0; r < 8; r++) for (int c = 0; c < 8; c++) shifted[((r + 3) % 8) * 8 + (c + 5) % 8] = img[r * 8 + c];
        Tensor x = Tensor.of(img, 1, 1, 8, 8), xs = Tensor.of(shifted, 1, 1, 8, 8);
        try (var g = GradMode.noGrad()) {
            Sequential circ = ModelBuilder.build("CONV2-3(circular) → ReLU → CONV2-3(circular) → ReLU → GAP", "8x8x1", 11);
            assertClose(circ.forward(x).toDoubleArray(), circ.forward(xs).toDoubleArray(), 1e-6, 1e-5, "circular");
            Sequential zeros = ModelBuilder.build("CONV2-3 → ReLU → CONV2-3 → ReLU → GAP", "8x8x1", 11);
            double[] a = zeros.forward(x).toDoubleArray(), b = zeros.forward(xs).toDoubleArray();
            double diff = 0;
            for (int i = 0; i < a.length; i++) diff = Math.max(diff, Math.abs(a[i] - b[i]));
            assertTrue(diff > 1e-4, "zero padding is not shift invariant here, max difference " + diff);
        }
    }

    /** The built model trains: a few SGD steps on a fixed batch of 16 images lower the loss substantially. */
    @Test void builtModelLearnsAFixedBatch() {
        Sequential model = ModelBuilder.build("CONV3-4 BN POOL2 CONV3-4 POOL2 FLATTEN FC-16 DROPOUT0.1 FC-3", "8x8x1", 3);
        Tensor x = Tensor.randn(new Rng(4), 16, 1, 8, 8);
        int[] y = new int[16];
        for (int i = 0; i < 16; i++) y[i] = i % 3;
        var opt = new convlab.optim.SGD(model.parameters(), 0.1, 0.9, 0);
        double first = 0, last = 0;
        for (int step = 0; step < 60; step++) {
            opt.zeroGrad();
            Tensor loss = convlab.nn.functional.F.crossEntropy(model.forward(x), y);
            loss.backward();
            opt.step();
            if (step == 0) first = loss.item();
            last = loss.item();
        }
        assertTrue(last < 0.5 * first, "loss " + first + " -> " + last);
    }

    @Test void badShapeFailsBeforeAnyModuleIsBuilt() {
        var e = assertThrows(IllegalArgumentException.class, () -> ModelBuilder.build("CONV3-10 FC-3", "8x8x1", 1));
        assertTrue(e.getMessage().startsWith("layer 3 (FC-3)"), e.getMessage());
    }
}
