package convlab.spec;

import convlab.autograd.GradMode;
import convlab.nn.DefaultDType;
import convlab.nn.GraphModel;
import convlab.nn.Module;
import convlab.nn.Sequential;
import convlab.tensor.DType;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static convlab.testing.Checks.assertGradients;
import static convlab.testing.Checks.rand64;
import static org.junit.jupiter.api.Assertions.*;

/** Skip connections in the spec language: labels, CONCAT, ADD; shapes, receptive fields, errors, the graph model. */
class BranchesTest {
    static final String ENCODER_DECODER = "CONV3-16 @a POOL2 CONV3-32 TCONV2-8(s2) CONCAT(a) CONV3-8 CONV1-2";

    private static Analysis analyse(String spec, String input) { return Analysis.of(Spec.parse(spec), FeatureShape.parse(input)); }

    private static LayerStats row(Analysis a, String source) {
        return a.layers().stream().filter(s -> s.layer().source().equals(source)).findFirst().orElseThrow();
    }

    /** A fuzz finding (CI, session 6): a newline inside CONCAT( … ) reached the error message through the layer's source. */
    @Test void aLayerWrittenAcrossLinesIsQuotedOnOneLine() {
        String spec = "CONV3-16 @a POOL2 CONV3-8(\n s1,\tp1) CONCAT(a\u2028) GAP FC-3";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> analyse(spec, "28x28x1"));
        assertEquals(3, e.getMessage().split("\n").length, e.getMessage());
        assertTrue(e.getMessage().contains("layer 7 (CONCAT(a )) with input 14×14×8"), e.getMessage());
        assertFalse(e.getMessage().contains("\u2028"), e.getMessage());
        Analysis ok = analyse("CONV3-8(\n s1,\tp1) GAP FC-3", "28x28x1");
        assertEquals("CONV3-8(  s1, p1)", ok.layers().getFirst().layer().source(), "every whitespace character becomes one space");
    }

    @Test void encoderDecoderConcatHas16Plus8Channels() {
        Analysis a = analyse(ENCODER_DECODER, "28x28x1");
        LayerStats cat = row(a, "CONCAT(a)");
        assertEquals("28×28×8", cat.input().toString());
        assertEquals("28×28×24", cat.output().toString(), "16 encoder channels + 8 decoder channels");
        assertEquals(0, cat.params());
        assertEquals("cat with @a (#3)", cat.settings(), "the label sits after the implied ReLU of CONV3-16");
        assertEquals(3 * 3 * 24 * 8 + 8, row(a, "CONV3-8").params(), "the next conv sees 24 channels");
        assertTrue(Spec.parse(ENCODER_DECODER).hasBranches());
        assertFalse(Spec.parse("CONV3-16 @a POOL2").hasBranches(), "a label alone merges nothing");
    }

    @Test void residualAddKeepsTheShapeAndRepeatsResolveToTheirOwnLabel() {
        Analysis a = analyse("CONV3-8 [@r CONV3-8 CONV3-8 ADD(r)]x2 GAP FC-10", "8x8x3");
        List<Layer.Merge> merges = a.layers().stream().map(LayerStats::layer)
                .filter(l -> l instanceof Layer.Merge).map(l -> (Layer.Merge) l).toList();
        assertEquals(2, merges.size());
        assertNotEquals(merges.get(0).from(), merges.get(1).from(), "each block adds its own input");
        for (Layer.Merge m : merges) assertEquals(List.of("r"), m.labels());
        LayerStats add = a.layers().stream().filter(s -> s.layer() == merges.getFirst()).findFirst().orElseThrow();
        assertEquals("8×8×8", add.output().toString());
        assertEquals(2L * (3 * 3 * 8 * 8 + 8) * 2 + 3 * 3 * 3 * 8 + 8 + 8 * 10 + 10, a.totalParams());
    }

    @Test void receptiveFieldThroughAMergeIsTheLargestOverThePaths() {
        // The labelled path sees 3 input pixels; the main path three more 3×3 convolutions: 9.
        Analysis a = analyse("CONV3-4 @a CONV3-4 CONV3-4 CONV3-4 ADD(a)", "16x16x1");
        LayerStats add = a.layers().getLast();
        assertEquals(9, add.rf().size());
        assertTrue(add.rfStep().startsWith("max over paths: r = max(9 this path, 3 @a) = 9"), add.rfStep());
        // With the short path current, the labelled one is larger and its field is taken.
        Analysis b = analyse("CONV5-4(p2) @a CONV1-4 @b CONV1-4 ADD(a)", "16x16x1");
        assertEquals(5, b.layers().getLast().rf().size());
        Analysis c = analyse("CONV3-4 @a POOL2 CONV3-4 @b POOL2 TCONV2-4(s2) CONCAT(b)", "16x16x1");
        assertEquals("n/a", c.layers().getLast().rf().sizeText(), "a transposed convolution on one path");
        // Without an input shape the receptive-field report applies the same rule.
        var rows = ReceptiveFieldReport.rows(Spec.parse("CONV3-4 @a CONV3-4 CONV3-4 CONV3-4 ADD(a)"), null);
        assertEquals(9, rows.getLast().rf().size());
    }

    @Test void badBranchesAreCaretErrors() {
        assertCaret("CONV3-16 @a POOL2 CONV3-8 CONCAT(a)", "28x28x1", "CONCAT stacks channels, so every path needs the same spatial size, but @a",
                "CONCAT(a)");
        assertCaret("CONV3-16 @a CONV3-8 ADD(a)", "8x8x1", "ADD needs the same shape on every path, but @a (row 3) is 8×8×16", "ADD(a)");
        assertCaret("CONV3-16 @a CONV3-8 ADD(b)", null, "unknown label 'b' (labels before it: @a)", "b");
        assertCaret("CONV3-16 CONCAT(a) CONV3-8 @a", null, "label @a is defined after this CONCAT", "a");
        assertCaret("CONV3-16 CONCAT CONV3-8", null, "CONCAT needs the label of an earlier output in parentheses", "CONCAT");
        assertCaret("CONV3-16 @ CONV3-8", null, "a label is '@' and a name", "@");
        assertCaret("CONV3-16 @a ADD()", null, "ADD needs at least one label", ")");
        assertCaret("CONV3-16 @a ADD(1x)", null, "expected a label name", "1x");
    }

    private static void assertCaret(String spec, String input, String message, String underlined) {
        var e = assertThrows(IllegalArgumentException.class, () -> {
            Spec s = Spec.parse(spec);
            if (input != null) Analysis.of(s, FeatureShape.parse(input));
        }, spec);
        String[] lines = e.getMessage().split("\n");
        assertEquals(3, lines.length, e.getMessage());
        assertTrue(lines[0].startsWith("bad spec: "), e.getMessage());
        assertTrue(lines[0].contains(message), e.getMessage());
        int caret = lines[2].indexOf('^');
        assertEquals(underlined, lines[1].substring(caret, caret + underlined.length()), e.getMessage());
        assertEquals(underlined.length(), lines[2].strip().length(), e.getMessage());
    }

    @Test void labelAttachedToALayerWordIsTheSameSpec() {
        assertEquals(analyse("CONV3-16 @a POOL2 CONV3-16 TCONV2-8(s2) CONCAT(a)", "8x8x1").layers().stream().map(LayerStats::output).toList(),
                analyse("CONV3-16@a POOL2 CONV3-16 TCONV2-8(s2) CONCAT(@a)", "8x8x1").layers().stream().map(LayerStats::output).toList());
    }

    @Test void theBuiltGraphMatchesTheAnalysis() {
        for (String[] c : new String[][] {{ENCODER_DECODER + " GAP FC-3", "12x12x1"}, {"CONV3-8 [@r CONV3-8 BN CONV3-8 BN ADD(r)]x2 GAP FC-10", "8x8x3"},
                {"@x CONV3-4 RELU CONCAT(x) CONV5-2(p2) RELU CONCAT(x) FLATTEN FC-3", "10x2"}, {"FC-6 @h RELU FC-6 ADD(h) @g FC-4 CONCAT(g, h) FC-2", "5"}}) {
            for (boolean fuse : new boolean[] {true, false}) {
                Spec spec = Spec.parse(c[0]);
                FeatureShape in = FeatureShape.parse(c[1]);
                Analysis a = Analysis.of(spec, in);
                Module m = ModelBuilder.buildModel(spec, in, new Rng(1), fuse);
                assertInstanceOf(GraphModel.class, m, c[0]);
                assertEquals(a.totalParams(), m.parameterCount(), c[0]);
                m.eval();
                try (var g = GradMode.noGrad()) {
                    assertArrayEquals(a.output().withBatch(2), m.forward(Tensor.randn(new Rng(2), in.withBatch(2))).shape(), c[0]);
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> ModelBuilder.build(Spec.parse(ENCODER_DECODER), FeatureShape.parse("8x8x1"), new Rng(1), true));
    }

    @Test void aChainSpecStillBuildsTheSameSequential() {
        String spec = "CONV3-10 POOL2 CONV3-10 POOL2 FLATTEN FC-10";
        Module viaModel = ModelBuilder.buildModel(Spec.parse(spec), FeatureShape.parse("28x28x1"), new Rng(5));
        Sequential direct = ModelBuilder.build(spec, "28x28x1", 5);
        assertInstanceOf(Sequential.class, viaModel);
        assertEquals(direct.toString(), viaModel.toString());
        for (var e : direct.namedParameters().entrySet())
            assertArrayEquals(e.getValue().toFloatArray(), viaModel.namedParameters().get(e.getKey()).toFloatArray(), e.getKey());
    }

    @Test void catAndAddBackwardPassFiniteDifferences() {
        assertGradients("cat axis 1", t -> convlab.tensor.Ops.cat(1, t[0], t[1], t[2]), rand64(1, 2, 3, 2, 2), rand64(2, 2, 1, 2, 2), rand64(3, 2, 2, 2, 2));
        assertGradients("cat axis 0", t -> convlab.tensor.Ops.cat(0, t[0], t[1]), rand64(4, 2, 3), rand64(5, 1, 3));
        assertGradients("cat last axis", t -> convlab.tensor.Ops.cat(-1, t[0], t[1]), rand64(6, 2, 3), rand64(7, 2, 4));
        assertGradients("add same shape", t -> convlab.tensor.Ops.add(t[0], t[1]), rand64(8, 2, 3, 2, 2), rand64(9, 2, 3, 2, 2));
        // Through whole graph models in float64: every parameter and the input.
        for (String spec : new String[] {"CONV3-3 @a CONV3-3(circular) CONV3-3 ADD(a) POOL2 TCONV2-2(s2) CONCAT(a) GAP FC-2",
                "CONV3-2 @a RELU CONV1-2 CONCAT(a, a) CONV3-2(s2) @b AVGPOOL1 ADD(b, b) FLATTEN FC-3"}) {
            Module m;
            try (var scope = DefaultDType.float64()) { m = ModelBuilder.buildModel(Spec.parse(spec), FeatureShape.parse("6x6x2"), new Rng(3)); }
            List<convlab.nn.Parameter> ps = m.parameters();
            Tensor x = rand64(11, 2, 2, 6, 6);
            for (var p : ps) assertEquals(DType.F64, p.dtype());
            Tensor[] inputs = new Tensor[ps.size() + 1];
            inputs[0] = x;
            for (int i = 0; i < ps.size(); i++) inputs[i + 1] = ps.get(i);
            final Module model = m;
            assertGradients(spec, t -> model.forward(t[0]), inputs);
        }
    }

    @Test void catChecksShapesAndDtypes() {
        var e = assertThrows(IllegalArgumentException.class, () -> convlab.tensor.Ops.cat(1, Tensor.zeros(2, 3, 4), Tensor.zeros(2, 3, 5)));
        assertTrue(e.getMessage().contains("does not match"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> convlab.tensor.Ops.cat(1, Tensor.zeros(2, 3), Tensor.zeros(DType.F64, 2, 3)));
        float[] out = convlab.tensor.Ops.cat(1, Tensor.of(new float[] {1, 2, 3, 4}, 2, 2), Tensor.of(new float[] {5, 6}, 2, 1)).toFloatArray();
        assertArrayEquals(new float[] {1, 2, 5, 3, 4, 6}, out);
    }
}
