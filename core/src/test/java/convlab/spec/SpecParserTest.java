package convlab.spec;

import convlab.geometry.PaddingMode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SpecParserTest {

    private static String names(Spec s) {
        return String.join(" ", s.layers().stream().map(l -> l instanceof Layer.Relu r && r.implied() ? "relu*" : l.source()).toList());
    }

    @Test void courseSpecImpliesReluAfterEachConv() {
        Spec s = Spec.parse("CONV3-10 POOL2 CONV3-10 POOL2 FLATTEN FC-3");
        assertTrue(s.reluImplied());
        assertEquals("CONV3-10 relu* POOL2 CONV3-10 relu* POOL2 FLATTEN FC-3", names(s));
        Layer.Conv c = (Layer.Conv) s.layers().getFirst();
        assertEquals(new Layer.Conv("CONV3-10", Layer.ConvKind.STANDARD, 3, 10, 1, 1, false, PaddingMode.ZEROS, 1, 1, true, false, 0), c);
        assertEquals(new Layer.Pool("POOL2", true, 2, 2, 0, false, true), s.layers().get(2));
        assertEquals(new Layer.Fc("FC-3", 3, true), s.layers().getLast());
    }

    @Test void arrowsCommasAndCaseAreAllAccepted() {
        Spec a = Spec.parse("CONV2-3(circular) → ReLU → CONV2-3(circular) → ReLU → GAP → FC-3");
        Spec b = Spec.parse("conv2-3(CIRCULAR)->relu,conv2-3( circular )  ->  relu gap fc-3");
        assertFalse(a.reluImplied(), "activations are written, so none is implied");
        assertEquals(a.layers().size(), b.layers().size());
        for (int i = 0; i < a.layers().size(); i++)
            assertEquals(a.layers().get(i).getClass(), b.layers().get(i).getClass());
        Layer.Conv c = (Layer.Conv) a.layers().getFirst();
        assertEquals(2, c.kernel());
        assertEquals(List.of(true, 0, 1), List.of(c.same(), c.leftPadding(), c.rightPadding()),
                "CONV2 pads one row/column in total (size kept), the course's \"padding 1\" for CONV2-3");
        Layer.Conv strided = (Layer.Conv) Spec.parse("CONV2-3(s2)").layers().getFirst();
        assertEquals(List.of(false, 0), List.of(strided.same(), strided.padding()));
        Layer.Conv explicit = (Layer.Conv) Spec.parse("CONV2-3(p1)").layers().getFirst();
        assertEquals(List.of(false, 1, 1), List.of(explicit.same(), explicit.leftPadding(), explicit.rightPadding()));
        assertEquals(PaddingMode.CIRCULAR, c.mode());
        Layer.Conv d = (Layer.Conv) b.layers().getFirst();
        assertEquals(List.of(2, 3, 1, PaddingMode.CIRCULAR), List.of(d.kernel(), d.filters(), d.rightPadding(), d.mode()));
    }

    @Test void impliedReluGoesAfterNormalizationAndNotAfterTheLastFc() {
        Spec s = Spec.parse("[CONV3-32 BN]x2 POOL2 FLATTEN FC-128 DROPOUT0.5 FC-10");
        assertEquals("CONV3-32 BN relu* CONV3-32 BN relu* POOL2 FLATTEN FC-128 relu* DROPOUT0.5 FC-10", names(s));
        assertEquals("CONV3-10 FC-3", names(Spec.parse("CONV3-10 FC-3", false)));
        assertTrue(Spec.parse("CONV3-10").activationNote().contains("implied"));
    }

    @Test void repetitionNestsAndExpands() {
        Spec s = Spec.parse("[[CONV3-8 RELU]x2 POOL2]×2 FLATTEN FC-10");
        assertEquals("CONV3-8 RELU CONV3-8 RELU POOL2 CONV3-8 RELU CONV3-8 RELU POOL2 FLATTEN FC-10", names(s));
        assertEquals(3, Spec.parse("[RELU]X3").layers().size());
    }

    @Test void overridesAndVariants() {
        List<Layer> l = Spec.parse("CONV5-16(s2, p0, d2, g4, nobias, flip, reflect) CONV3-8(same) CONV3-8(stride=2,padding=3,replicate) "
                + "DWCONV3 DWCONV3-64(s2) SEPCONV3-64 TCONV2-16(s2) TCONV3-8(s2,p1,op1,g2) MAXPOOL3(s2,p1,ceil) "
                + "AVGPOOL2(nopadcount) GAP BN(meanonly,eps=1e-3,momentum=0.01) LN(noaffine) GN4 DROPOUT DROPOUT2D0.2 FC-10(nobias) RELU").layers();
        assertEquals(new Layer.Conv("CONV5-16(s2, p0, d2, g4, nobias, flip, reflect)", Layer.ConvKind.STANDARD, 5, 16, 2, 0, false,
                PaddingMode.REFLECT, 2, 4, false, true, 0), l.get(0));
        Layer.Conv same = (Layer.Conv) l.get(1);
        assertTrue(same.same());
        assertEquals(1, same.leftPadding());
        Layer.Conv c3 = (Layer.Conv) l.get(2);
        assertEquals(List.of(2, 3, PaddingMode.REPLICATE), List.of(c3.stride(), c3.padding(), c3.mode()));
        Layer.Conv dw = (Layer.Conv) l.get(3);
        assertEquals(List.of(Layer.ConvKind.DEPTHWISE, 0, 0, 1), List.of(dw.kind(), dw.filters(), dw.groups(), dw.padding()));
        assertEquals(64, ((Layer.Conv) l.get(4)).filters());
        Layer.Conv sepDw = (Layer.Conv) l.get(5), sepPw = (Layer.Conv) l.get(6);
        assertEquals("SEPCONV3-64 depthwise", sepDw.source());
        assertEquals(List.of(Layer.ConvKind.DEPTHWISE, 3), List.of(sepDw.kind(), sepDw.kernel()));
        assertEquals(List.of(Layer.ConvKind.STANDARD, 1, 64, 0), List.of(sepPw.kind(), sepPw.kernel(), sepPw.filters(), sepPw.padding()));
        Layer.Conv t1 = (Layer.Conv) l.get(7), t2 = (Layer.Conv) l.get(8);
        assertEquals(List.of(Layer.ConvKind.TRANSPOSED, 2, 0), List.of(t1.kind(), t1.stride(), t1.padding()));
        assertEquals(List.of(1, 1, 2), List.of(t2.padding(), t2.outputPadding(), t2.groups()));
        assertEquals(new Layer.Pool("MAXPOOL3(s2,p1,ceil)", true, 3, 2, 1, true, true), l.get(9));
        assertEquals(new Layer.Pool("AVGPOOL2(nopadcount)", false, 2, 2, 0, false, false), l.get(10));
        assertInstanceOf(Layer.GlobalAvgPool.class, l.get(11));
        assertEquals(new Layer.BatchNorm("BN(meanonly,eps=1e-3,momentum=0.01)", 1e-3, 0.01, true, true), l.get(12));
        assertEquals(new Layer.LayerNorm("LN(noaffine)", 1e-5, false), l.get(13));
        assertEquals(new Layer.GroupNorm("GN4", 4, 1e-5, true), l.get(14));
        assertEquals(new Layer.Dropout("DROPOUT", 0.5, false), l.get(15));
        assertEquals(new Layer.Dropout("DROPOUT2D0.2", 0.2, true), l.get(16));
        assertEquals(new Layer.Fc("FC-10(nobias)", 10, false), l.get(17));
    }

    /** The message of a bad spec, checked to carry the caret line under the expected column. */
    private static String bad(String spec, String column) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Spec.parse(spec), spec);
        String[] lines = e.getMessage().split("\n");
        assertEquals(3, lines.length, e.getMessage());
        assertEquals("    " + spec, lines[1]);
        assertEquals("    " + column, lines[2], "caret position in\n" + e.getMessage());
        return lines[0];
    }

    @Test void badSpecsPointAtTheOffendingToken() {
        assertEquals("bad spec: expected a filter count after CONV3- (as in CONV3-10)",
                bad("CONV3- POOL2", "      ^"));
        assertEquals("bad spec: expected '-' and a filter count after CONV3 (as in CONV3-10)",
                bad("POOL2 CONV3 FC-3", "           ^"));
        assertEquals("bad spec: expected a kernel size after CONV (as in CONV3-10)",
                bad("CONV-10", "    ^^^"));
        assertTrue(bad("CONVx-10", "^^^^^^^^").startsWith("bad spec: unknown layer 'CONVx-10'; expected one of CONV,"));
        assertTrue(bad("CONV3-10 POOLL2 FC-3", "         ^^^^^^").startsWith("bad spec: unknown layer 'POOLL2'"));
        assertEquals("bad spec: expected '-' and an output count after FC (as in FC-10)", bad("FLATTEN FC10", "          ^^"));
        assertEquals("bad spec: unexpected '6' after RELU", bad("RELU6", "    ^"));
        assertEquals("bad spec: unexpected '/s2/p0' after CONV3-10; options go in parentheses, as in CONV3-10(s2, p0)",
                bad("CONV3-10/s2/p0", "        ^^^^^^"));
        assertEquals("bad spec: kernel size must be between 1 and 1000000, got 0", bad("CONV0-3", "    ^"));
        assertEquals("bad spec: expected a repeat count after ']', as in [CONV3-32 BN]x2", bad("[CONV3-32 BN] FC-3", "              ^^^^"));
        assertEquals("bad spec: expected a repeat count after ']', as in [CONV3-32 BN]x2", bad("[CONV3-32 BN]", "             ^"));
        assertTrue(bad("[CONV3-32 BN", "^").contains("never closed"));
        assertEquals("bad spec: ']' without a matching '['", bad("CONV3-3] x2", "       ^"));
        assertEquals("bad spec: expected a layer after '→'", bad("CONV3-3 →", "        ^"));
        assertEquals("bad spec: expected a layer before '->'", bad("CONV3-3 -> -> RELU", "           ^^"));
        assertTrue(bad("CONV3-3(s2", "       ^").contains("never closed"));
        assertTrue(bad("CONV3-10(s2,ceil)", "            ^^^^").startsWith("bad spec: option 'ceil' does not apply to CONV3-10; it takes s, p, same"));
        assertTrue(bad("CONV3-10(k9)", "         ^^").startsWith("bad spec: unknown option 'k9'"));
        assertEquals("bad spec: expected a value after option 's' (as in s2)", bad("CONV3-10(s)", "         ^"));
        assertEquals("bad spec: option 's0' must be at least 1", bad("CONV3-10(s0)", "         ^^"));
        assertEquals("bad spec: option 'stride=3' repeats 's2'", bad("CONV3-10(s2 stride=3)", "            ^^^^^^^^"));
        assertEquals("bad spec: padding 'same' needs stride 1 (PyTorch's rule), but the stride is 2", bad("CONV3-10(s2,same)", "            ^^^^"));
        assertEquals("bad spec: give either a padding or 'same', not both", bad("CONV3-10(p1,same)", "         ^^"));
        assertEquals("bad spec: drop probability must be in [0, 1), got 1.5", bad("DROPOUT1.5", "       ^^^"));
        assertEquals("bad spec: expected a drop probability after DROPOUT (as in DROPOUT0.5)", bad("DROPOUT-1", "       ^^"));
        assertEquals("bad spec: output padding 2 must be smaller than the stride (2) or the dilation (1)", bad("TCONV3-8(s2,op2)", "            ^^^"));
        assertTrue(bad("TCONV3-8(circular)", "         ^^^^^^^^").contains("does not apply to TCONV3-8"));
        assertEquals("bad spec: pooling padding 2 must be at most half the window size 3 (PyTorch's rule)", bad("POOL3(p2)", "      ^^"));
        assertEquals("bad spec: option 's2' does not apply to RELU; it takes no options", bad("RELU(s2)", "     ^^"));
        assertEquals("bad spec: expected a number in [0, 1] in 'momentum=2'", bad("BN(momentum=2)", "   ^^^^^^^^^^"));
        assertEquals("bad spec: options in '(' ')' must directly follow a layer, as in CONV3-10(s2)", bad("(s2) CONV3-3", "^"));
        assertEquals("bad spec: expected a group count after GN (as in GN4)", bad("GN", "  ^"));
    }

    @Test void emptySpecIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> Spec.parse("  "));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        assertTrue(bad("[]x2", " ^").contains("expected a layer"));
    }
}
