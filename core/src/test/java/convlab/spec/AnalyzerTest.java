package convlab.spec;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Expected values are worked by hand (the course's problem 4 and the output-size formulas), not taken from the code. */
class AnalyzerTest {

    private static Analysis analyze(String spec, String input) { return Analysis.of(Spec.parse(spec), FeatureShape.parse(input)); }

    /** The layers other than implied ReLUs, to compare with tables that leave activations out. */
    private static List<LayerStats> written(Analysis a) {
        return a.layers().stream().filter(s -> !(s.layer() instanceof Layer.Relu r && r.implied())).toList();
    }

    private static void row(LayerStats s, String shape, long params, String expr, long macs) {
        assertEquals(shape, s.output().toString(), s.name());
        assertEquals(params, s.params(), s.name());
        assertEquals(expr, s.paramsExpr(), s.name());
        assertEquals(macs, s.macs(), s.name());
    }

    private static void rf(LayerStats s, long size, long jump, String start) {
        assertEquals(ReceptiveField.Kind.LOCAL, s.rf().kind(), s.name());
        assertEquals(List.of(size, jump, start), List.of(s.rf().size(), s.rf().jump(), s.rf().start()), s.name());
    }

    @Test void hw4Problem4eTable() {
        Analysis a = analyze("CONV3-10 POOL2 CONV3-10 POOL2 FLATTEN FC-3", "28x28x1");
        List<LayerStats> w = written(a);
        assertEquals(6, w.size());
        row(w.get(0), "28×28×10", 100, "3×3×1×10 + 10", 28 * 28 * 10 * 9);
        row(w.get(1), "14×14×10", 0, "", 0);
        row(w.get(2), "14×14×10", 910, "3×3×10×10 + 10", 14 * 14 * 10 * 90);
        row(w.get(3), "7×7×10", 0, "", 0);
        row(w.get(4), "490", 0, "", 0);
        row(w.get(5), "3", 1473, "490×3 + 3", 1470);
        assertEquals(2483, a.totalParams());
        assertEquals(0, a.totalBuffers());
        assertEquals(70560 + 176400 + 1470, a.totalMacs());
        assertEquals("28×28×10 × 3×3×1", w.get(0).macsExpr());
        // Receptive field worked by hand: r 3, 4, 8, 10; j 1, 2, 2, 4; start 0, 0.5, 0.5, 1.5.
        rf(w.get(0), 3, 1, "0");
        rf(w.get(1), 4, 2, "0.5");
        rf(w.get(2), 8, 2, "0.5");
        rf(w.get(3), 10, 4, "1.5");
        rf(w.get(4), 10, 4, "1.5");
        assertEquals(ReceptiveField.Kind.GLOBAL, w.get(5).rf().kind());
        assertEquals("k=3 s=1 p=1:  r = 4 + (3−1)×2 = 8;  j = 2×1 = 2;  start = 0.5 + ((3−1)/2 − 1)×2 = 0.5", w.get(2).rfStep());
    }

    @Test void hw4Problem4fCircularNetwork() {
        Analysis a = analyze("CONV2-3(circular) → ReLU → CONV2-3(circular) → ReLU → GAP → FC-3", "8x8x1");
        List<LayerStats> l = a.layers();
        // One row/column of padding in total keeps the 8×8 torus (see docs/SPEC.md, default padding).
        row(l.get(0), "8×8×3", 15, "2×2×1×3 + 3", 8 * 8 * 3 * 4);
        row(l.get(2), "8×8×3", 39, "2×2×3×3 + 3", 8 * 8 * 3 * 12);
        row(l.get(4), "3", 0, "", 0);
        row(l.get(5), "3", 12, "3×3 + 3", 9);
        assertEquals(66, a.totalParams());
        rf(l.get(0), 2, 1, "0.5");
        rf(l.get(2), 3, 1, "1");
        // PyTorch's padding=1 on each side, written out, grows the map to 9×9 and then 10×10.
        Analysis sym = analyze("CONV2-3(circular,p1) RELU CONV2-3(circular,p1) RELU GAP FC-3", "8x8x1");
        assertEquals(List.of("9×9×3", "10×10×3"), List.of(sym.layers().get(0).output().toString(), sym.layers().get(2).output().toString()));
        rf(sym.layers().get(2), 3, 1, "-1");
        assertEquals(ReceptiveField.Kind.GLOBAL, l.get(4).rf().kind());
    }

    @Test void hw4Problem4cAnd4dReceptiveFieldRules() {
        for (int layers = 1; layers <= 5; layers++)
            for (int k = 1; k <= 7; k++)   // L stacked stride-1 convolutions of size K see L(K−1) + 1 inputs
                assertEquals(layers * (k - 1) + 1, analyze("[CONV" + k + "-2]x" + layers, "64x64x1").receptiveField().size());
        // A 2×2 stride-2 pool adds 1 (one input step) and doubles how much every later layer adds.
        assertEquals(4, analyze("CONV3-1 POOL2", "16x16x1").receptiveField().size());
        assertEquals(5, analyze("CONV3-1 CONV3-1", "16x16x1").receptiveField().size());
        assertEquals(8, analyze("CONV3-1 POOL2 CONV3-1", "16x16x1").receptiveField().size());
        ReceptiveField d = analyze("CONV3-4(d2)", "10x10x1").layers().getFirst().rf();
        assertEquals(List.of(5L, "0"), List.of(d.size(), d.start()), "default padding ⌊k_eff/2⌋ = 2 centres the field");
    }

    @Test void separableDepthwiseGroupedAndTransposed() {
        List<LayerStats> l = analyze("SEPCONV3-64", "32x32x16").layers();
        row(l.get(0), "32×32×16", 160, "3×3×1×16 + 16", 32 * 32 * 16 * 9);
        row(l.get(1), "32×32×64", 1088, "1×1×16×64 + 64", 32 * 32 * 64 * 16);
        assertInstanceOf(Layer.Relu.class, l.get(2).layer(), "ReLU after the pair, not between");
        row(analyze("DWCONV3-32(s2,nobias)", "8x8x16").layers().getFirst(), "4×4×32", 288, "3×3×1×32", 4 * 4 * 32 * 9);
        row(analyze("CONV3-8(g2)", "4x4x4").layers().getFirst(), "4×4×8", 152, "3×3×2×8 + 8", 4 * 4 * 8 * 18);
        row(analyze("TCONV2-16(s2)", "7x7x32").layers().getFirst(), "14×14×16", 2064, "2×2×32×16 + 16", 7 * 7 * 32 * 4 * 16);
        row(analyze("TCONV3-8(s2,p1,op1,g2)", "7x7x4").layers().getFirst(), "14×14×8", 152, "3×3×4×4 + 8", 7 * 7 * 4 * 9 * 4);
        assertEquals(ReceptiveField.Kind.UNDEFINED, analyze("CONV3-4 TCONV2-4(s2) CONV3-4", "8x8x1").receptiveField().kind());
    }

    @Test void settingsShowTheResolvedDefaults() {
        List<LayerStats> l = analyze("CONV3-10 CONV2-3(circular) CONV2-4(p1) DWCONV3(s2,d2,flip,nobias) TCONV3-4(s2,p1,op1,g2) "
                + "POOL2 AVGPOOL3(s1,p1,ceil,nopadcount)", "32x32x2").layers();
        List<String> settings = l.stream().map(LayerStats::settings).filter(s -> !s.isEmpty()).toList();
        assertEquals(List.of("3×3 s1 p1", "2×2 s1 p0+1 circular", "2×2 s1 p1", "3×3 s2 p2 d2 depthwise flip nobias",
                "3×3 s2 p1 op1 g2", "max 2×2 s2 p0", "avg 3×3 s1 p1 ceil nopadcount"), settings);
        assertEquals("5 s1 p2", analyze("CONV5-8", "100x3").layers().getFirst().settings());
    }

    @Test void outputSizeRules() {
        assertEquals("4×4×1", analyze("MAXPOOL3(s2,ceil)", "8x8x1").output().toString());
        assertEquals("3×3×1", analyze("MAXPOOL3(s2)", "8x8x1").output().toString());
        assertEquals("3×3×1", analyze("MAXPOOL2(p1,ceil)", "5x5x1").output().toString(), "last window must start inside");
        assertEquals("10×10×8", analyze("CONV4-8(same)", "10x10x3").output().toString());
        assertEquals("10×10×4", analyze("CONV3-4(d2)", "10x10x1").output().toString());
        assertEquals("14×14×4", analyze("CONV2-4(s2)", "28x28x1").output().toString());
        assertEquals("14×14×4", analyze("CONV4-4(s2)", "28x28x1").output().toString());
        assertEquals("14×14×4", analyze("CONV3-4(s2)", "28x28x1").output().toString());
        assertEquals("28×28×4", analyze("CONV4-4", "28x28x1").output().toString());
        assertEquals("13×13×4", analyze("CONV3-4(s2,p0)", "28x28x1").output().toString());
        assertEquals("5×7×2", analyze("CONV3-2(p0)", "7x9x1").output().toString());
        assertEquals("6×6×4", analyze("CONV3-4(d2,p0)", "10x10x1").output().toString());
    }

    @Test void normalizationParamsAndBuffers() {
        LayerStats bn = analyze("BN", "28x28x32").layers().getFirst();
        assertEquals(List.of(64L, "2×32", 64L, "2×32"), List.of(bn.params(), bn.paramsExpr(), bn.buffers(), bn.buffersExpr()));
        LayerStats mean = analyze("BN(meanonly,noaffine)", "4x4x8").layers().getFirst();
        assertEquals(List.of(0L, 8L), List.of(mean.params(), mean.buffers()));
        assertEquals(980, analyze("LN", "7x7x10").totalParams());
        assertEquals(20, analyze("GN5", "7x7x10").totalParams());
        assertEquals(64, analyze("FLATTEN BN", "2x2x8").layers().get(1).buffers(), "BatchNorm1d over 32 features");
    }

    @Test void oneDimensionalInput() {
        Analysis a = analyze("CONV5-8 POOL2 FLATTEN FC-4", "100x3");
        List<LayerStats> w = written(a);
        row(w.get(0), "100×8", 128, "5×3×8 + 8", 100 * 8 * 15);
        row(w.get(1), "50×8", 0, "", 0);
        row(w.get(3), "4", 1604, "400×4 + 4", 1600);
        assertEquals(List.of(6L, 2L), List.of(w.get(1).rf().size(), w.get(1).rf().jump()));
    }

    private static String fails(String spec, String input) {
        return assertThrows(IllegalArgumentException.class, () -> analyze(spec, input)).getMessage();
    }

    @Test void shapeErrorsNameTheLayer() {
        assertEquals("layer 6 (FC-3) with input 14×14×10: FC needs a flat input but gets 14×14×10; put FLATTEN (or GAP) before it",
                fails("CONV3-10 POOL2 CONV3-10 FC-3", "28x28x1"));
        assertEquals("layer 5 (POOL2) with input 1×1×1: the height would be 0 (⌊(1 + 0 − 2)/2⌋ + 1); the input is too small for this layer",
                fails("[POOL2]x6", "28x28x1"));
        assertTrue(fails("FLATTEN CONV3-4", "4x4x1").startsWith("layer 2 (CONV3-4) with input 16: a convolution needs an image"));
        assertTrue(fails("CONV3-8(g3)", "4x4x4").contains("groups 3 must divide both the 4 input channels and the 8 filters"));
        assertTrue(fails("DWCONV3-6", "4x4x4").contains("multiple of the 4 input channels, got 6"));
        assertTrue(fails("CONV3-4(circular,p5)", "4x4x1").contains("circular padding 5 is larger than the height size 4"));
        assertTrue(fails("GN3", "4x4x8").contains("3 groups do not divide the 8 channels"));
        assertTrue(fails("FLATTEN DROPOUT2D", "4x4x8").contains("DROPOUT2D (it drops whole channels) needs an image"));
        assertTrue(fails("CONV3-4(p0)", "2x5x1").contains("the height would be 0"));
        assertTrue(fails("[TCONV2-1(s1000)]x3", "1000x1000x1").contains("too large"));
        assertTrue(fails("CONV3-4(p0)", "5x2x1").contains("the width would be 0"));
    }

    @Test void inputShapeParsing() {
        assertEquals(FeatureShape.image(28, 28, 1), FeatureShape.parse("28x28x1"));
        assertEquals(FeatureShape.image(32, 16, 3), FeatureShape.parse("32 × 16 × 3"));
        assertEquals(FeatureShape.flat(784), FeatureShape.parse("784"));
        assertArrayEquals(new int[] {5, 3, 32, 16}, FeatureShape.parse("32x16x3").withBatch(5));
        var e = assertThrows(IllegalArgumentException.class, () -> FeatureShape.parse("28x0x1"));
        assertTrue(e.getMessage().contains("'0' is not a positive whole number"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FeatureShape.parse("1x2x3x4"));
    }
}
