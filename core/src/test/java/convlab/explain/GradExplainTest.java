package convlab.explain;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Hand-computed gradients of the course's questions, the named mistakes of the answer checks, and Surd arithmetic. */
class GradExplainTest {
    private static ExactArray m(String s) { return MatrixParser.parse(s); }

    @Test void hw4Problem7aKernelGradientIsTheCorrelationOfInputWithDy() {
        ExactConvGrad.Result r = ExactConvGrad.compute(m("1 2 3; 4 5 6; 7 8 9"), m("1 0; 0 -1"), m("1 2; 3 4"), ConvSpec.plain(false));
        assertEquals(m("37 47; 67 77"), r.gradKernel());  // = conv(x, dY) as a cross-correlation
        assertEquals(ExactConv.apply(m("1 2 3; 4 5 6; 7 8 9"), m("1 2; 3 4"), ConvSpec.plain(false)), r.gradKernel());
        assertEquals(m("1 2 0; 3 3 -2; 0 -3 -4"), r.gradInput());
        assertEquals(Rational.of(10), r.gradBias());
        String text = ConvGradExplain.worksheet(r, true).toText();
        assertTrue(text.contains("dK[0,0] = x[0,0]·dY[0,0] + x[0,1]·dY[0,1] + x[1,0]·dY[1,0] + x[1,1]·dY[1,1] = 1·1 + 2·2 + 4·3 + 5·4 = 37"), text);
        assertTrue(text.contains("identity: dK = cross-correlation of the input with dY"), text);
        assertTrue(text.contains("identity: dX = full convolution of dY with the kernel"), text);
    }

    @Test void strideAndPaddingGoThroughTheIdentity() {
        ConvSpec s = ConvSpec.plain(true).withStride(1, 2).withPadding(0, 1);
        ExactConvGrad.Result r = ExactConvGrad.compute(m("1 2 3 4 5"), m("1 2 3"), m("1 -1 2"), s);
        assertEquals(m("2 2 -2 -1 4"), r.gradInput());
        assertEquals(m("6 8 -2"), r.gradKernel());
        assertEquals(m("1 0 -1 0 2"), r.identity().spreadGradOutput().reshape(5));
        assertEquals(m("1 2 2 -2 -1 4 6"), r.identity().full().reshape(7));
    }

    @Test void namedMistakesOfTheInputGradient() {
        ConvSpec s = ConvSpec.plain(true).withStride(1, 2).withPadding(0, 1);
        ExactConvGrad.Result r = ExactConvGrad.compute(m("1 2 3 4 5"), m("1 2 3"), m("1 -1 2"), s);
        assertDiagnosis(ConvGradExplain.checkInput(r, Answer.parse("1 3 1")), "stride ignored");
        assertDiagnosis(ConvGradExplain.checkInput(r, Answer.parse("1 2 2 -2 -1 4 6")), "padding rows not cropped");
        assertDiagnosis(ConvGradExplain.checkInput(r, Answer.parse("-2 -2 2 1 -4")), "sign error");
        ExactConvGrad.Result sq = ExactConvGrad.compute(m("1 2 3; 4 5 6; 7 8 9"), m("1 2; 3 4"), m("1 0; 0 1"), ConvSpec.plain(false));
        assertDiagnosis(ConvGradExplain.checkInput(sq, Answer.parse("4 3 0; 2 5 3; 0 2 1")), "kernel not flipped");
        assertDiagnosis(ConvGradExplain.checkInput(sq, Answer.parse("1 3 0; 2 5 3; 0 2 4")), "transposed");
        assertDiagnosis(ConvGradExplain.checkKernel(sq, Answer.parse("14 12; 8 6")), "rotated 180°");
        assertDiagnosis(ConvGradExplain.checkBias(sq, Answer.parse("1/2")), "mean of dY");
        assertTrue(ConvGradExplain.checkBias(sq, Answer.parse("2")).correct());
        assertTrue(ConvGradExplain.checkInput(sq, Answer.parse("\\begin{bmatrix} 1 & 2 & 0 \\\\ 3 & 5 & 2 \\\\ 0 & 3 & 4 \\end{bmatrix}")).correct());
        // Every mistake the checker knows is recognised when given as the answer.
        for (var e : ConvGradExplain.inputMistakes(r).entrySet())
            assertTrue(ConvGradExplain.checkInput(r, Answer.parse(Render.text(e.getValue()).replace("[", "").replace("]", "").replace("\n", ";"))).diagnoses().contains(e.getKey()), e.getKey());
    }

    @Test void kernelTransposedInsteadOfRotatedIsNamed() {
        ExactConvGrad.Result r = ExactConvGrad.compute(m("1 2 3; 4 5 6; 7 8 9"), m("1 2; 3 4"), m("0 1; 0 0"), ConvSpec.plain(false));
        // dY picks one window: dX is the kernel placed there. Correlating the padded dY with Kᵀ where rot180(K)
        // belongs puts rot180(Kᵀ) = 4 2; 3 1 there instead (not flipping at all would give 4 3; 2 1).
        assertEquals(m("0 1 2; 0 3 4; 0 0 0"), r.gradInput());
        assertDiagnosis(ConvGradExplain.checkInput(r, Answer.parse("0 4 2; 0 3 1; 0 0 0")), "kernel transposed instead of rotated 180°");
    }

    @Test void hw4Problem7cMaxPoolRoutesToTheFirstMaximum() {
        ExactPoolGrad.Result r = ExactPoolGrad.compute(ExactPoolGrad.Kind.MAX, m("1 3 2 1; 4 4 0 1; 5 6 7 8; 1 2 8 0"), 2, null, 0, m("1 2; 3 4"));
        assertEquals(m("0 0 2 0; 1 0 0 0; 0 3 0 4; 0 0 0 0"), r.gradInput());
        assertEquals(m("4 2; 6 8"), r.output());
        assertDiagnosis(ExactPoolGrad.check(r, Answer.parse("0 0 2 0; 1 1 0 0; 0 3 0 4; 0 0 4 0")), "every tied maximum");
        assertDiagnosis(ExactPoolGrad.check(r, Answer.parse("0 0 2 0; 0 1 0 0; 0 3 0 0; 0 0 4 0")), "the last maximum");
        assertDiagnosis(ExactPoolGrad.check(r, Answer.parse("1/4 1/4 1/2 1/2; 1/4 1/4 1/2 1/2; 3/4 3/4 1 1; 3/4 3/4 1 1")), "average-pooling rule");
        String text = ExactPoolGrad.worksheet(r, true).toText();
        assertTrue(text.contains("max 4 at x[1,0] (tied with x[1,1]; the first in row-major order wins)"), text);
    }

    @Test void overlappingWindowsAddUp() {
        ExactPoolGrad.Result r = ExactPoolGrad.compute(ExactPoolGrad.Kind.MAX, m("1 3 2; 4 9 0; 5 6 7"), 2, 1, 0, m("1 2; 3 4"));
        assertEquals(m("0 0 0; 0 10 0; 0 0 0"), r.gradInput());
        assertDiagnosis(ExactPoolGrad.check(r, Answer.parse("0 0 0; 0 4 0; 0 0 0")), "overlapping windows not added");
        ExactPoolGrad.Result avg = ExactPoolGrad.compute(ExactPoolGrad.Kind.AVG, m("1 2 3 4"), 2, 1, 0, m("1 2 3"));
        assertEquals(m("1/2 3/2 5/2 3/2"), avg.gradInput());
        assertDiagnosis(ExactPoolGrad.check(avg, Answer.parse("1 3 5 3")), "not divided by the window size");
    }

    @Test void batchNormWithPerfectSquareVarianceIsRational() {
        ExactNormGrad.Result r = ExactNormGrad.compute(ExactNormGrad.Kind.BATCH, m("1 0; 3 4; 1 0; 3 4"), m("1 2; 0 -1; 2 0; 1 1"), m("2 1"), m("0 1"),
                Rational.ZERO, false, true);
        assertTrue(r.exact());
        assertEquals(m("-1 1/2; -1 -1/2; 1 -1/2; 1 1/2"), ExactNormGrad.rationalOrNull(r.gradInput(), 4, 2));
        assertDiagnosis(ExactNormGrad.check(r, Answer.parse("1 -1/2; 1 1/2; -1 1/2; -1 -1/2")), "sign error");
        assertTrue(ExactNormGrad.check(r, Answer.parse("-1 1/2; -1 -1/2; 1 -1/2; 1 1/2")).correct());
    }

    @Test void irrationalRootsStayExactInSymbols() {
        ExactNormGrad.Result r = ExactNormGrad.compute(ExactNormGrad.Kind.BATCH, m("1 2 3"), m("1 0 0"), null, null, Rational.ZERO, false, false);
        assertFalse(r.exact());
        assertEquals("(1/6)/√(2/3)", r.gradInput()[0].symbol());
        assertEquals(1 / 6.0 / Math.sqrt(2 / 3.0), r.gradInput()[0].toDouble(), 1e-15);
        assertThrows(IllegalArgumentException.class,
                () -> ExactNormGrad.compute(ExactNormGrad.Kind.BATCH, m("1 2 3"), m("1 0 0"), null, null, Rational.ZERO, false, true));
        assertThrows(IllegalArgumentException.class, () -> ExactNormGrad.check(r, Answer.parse("1 2 3")));
    }

    @Test void surdArithmetic() {
        assertEquals(Surd.of(Rational.of(3, 2)), Surd.over(Rational.of(3), Rational.of(4)));
        Surd a = Surd.over(Rational.ONE, Rational.of(2)), b = Surd.over(Rational.of(-1), Rational.of(2));
        assertEquals(Surd.ZERO, a.add(b));
        assertEquals("1 + 2/√2 ≈ 2.414213562", a.multiply(Rational.of(2)).add(Rational.ONE).text());
        assertNull(Surd.sqrtExact(Rational.of(2, 9)));
        assertEquals(Rational.of(2, 3), Surd.sqrtExact(Rational.of(4, 9)));
    }

    @Test void timeAxisOfTheShiftedRect() {
        ExactConv.Result r = ExactConv.compute(m("1 1 1"), m("1 1/2"), ConvSpec.plain(true).withFlip(true).withPadding(0, 1));
        TimeAxis t = TimeAxis.of(r, 5, 0);
        assertEquals(5, t.outputStart());  // y starts where x starts when h starts at 0: time invariance
        assertEquals(-4, TimeAxis.of(r, -6, 2).outputStart());  // N + M + K − 1 − p = −6 + 2 + 1 − 1
        assertThrows(IllegalArgumentException.class, () -> TimeAxis.of(ExactConv.compute(m("1 2; 3 4"), m("1"), ConvSpec.plain(false)), 0, 0));
    }

    private static void assertDiagnosis(ConvCheck.Verdict v, String part) {
        assertFalse(v.correct());
        assertTrue(v.diagnoses().stream().anyMatch(d -> d.contains(part)), "expected a diagnosis containing '" + part + "', got " + v.diagnoses() + " / " + v.summary());
    }
}
