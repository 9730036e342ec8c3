package convlab.explain;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** --expect diagnostics. Values worked by hand: x = 1..9 (3×3), w = [1 2; 3 4]. */
class ConvCheckTest {
    static final ExactArray X = MatrixParser.parse("1 2 3; 4 5 6; 7 8 9");
    static final ExactArray W = MatrixParser.parse("1 2; 3 4");
    // cross-correlation: 1·1+2·2+4·3+5·4 = 37, 47, 67, 77; with the kernel flipped ([4 3; 2 1]): 23, 33, 53, 63
    static final ConvSpec CONV = ConvSpec.plain(false).withFlip(true);

    static ConvCheck.Verdict check(ConvSpec spec, String answer) {
        return ConvCheck.check(X, W, spec, Answer.parse(answer));
    }

    @Test void correctAnswerInEveryFormat() {
        assertTrue(check(CONV, "23 33; 53 63").correct());
        assertTrue(check(CONV, "[[23, 33], [53, 63]]").correct());
        assertTrue(check(CONV, "\\begin{bmatrix} 23 & 33 \\\\ 53 & 63 \\end{bmatrix}").correct());
        assertTrue(check(CONV, "2x2").correct());
    }

    @Test void kernelNotFlipped() {
        ConvCheck.Verdict v = check(CONV, "37 47; 67 77");
        assertFalse(v.correct());
        assertEquals(4, v.mismatches().size());
        assertTrue(v.diagnoses().getFirst().startsWith("kernel not flipped"), v.diagnoses().toString());
    }

    @Test void kernelFlippedWhenItShouldNotBe() {
        ConvCheck.Verdict v = check(ConvSpec.plain(false), "23 33; 53 63");
        assertTrue(v.diagnoses().getFirst().startsWith("kernel flipped"), v.diagnoses().toString());
    }

    @Test void biasForgotten() {
        ConvCheck.Verdict v = check(ConvSpec.plain(false).withBias(Rational.of(1, 2)), "37 47; 67 77");
        assertEquals("bias forgotten", v.diagnoses().getFirst());
        assertTrue(check(ConvSpec.plain(false).withBias(Rational.of(1, 2)), "75/2 95/2; 135/2 155/2").correct());
    }

    @Test void oneWrongEntryGetsItsWorking() {
        ConvCheck.Verdict v = check(CONV, "23 33; 54 63");
        assertEquals(1, v.mismatches().size());
        ConvCheck.Mismatch m = v.mismatches().getFirst();
        assertArrayEquals(new int[] {1, 0}, m.index());
        assertEquals(Rational.of(53), m.correct());
        assertEquals("y[1,0] = 4·4 + 5·3 + 7·2 + 8·1 = 53", m.working());
        assertTrue(v.diagnoses().isEmpty());
    }

    @Test void oneEntryFromTheUnflippedKernelIsNamed() {
        ConvCheck.Verdict v = check(CONV, "23 33; 67 63");
        assertEquals(1, v.mismatches().size());
        assertTrue(v.mismatches().getFirst().explainedBy().getFirst().startsWith("kernel not flipped"));
    }

    @Test void transposedOutputAndSignError() {
        assertTrue(check(CONV, "23 53; 33 63").diagnoses().getFirst().startsWith("rows and columns swapped"));
        assertTrue(check(CONV, "-23 -33; -53 -63").diagnoses().getFirst().startsWith("sign error"));
    }

    @Test void paddingIgnoredAndWrongMode() {
        ConvSpec padded = ConvSpec.plain(false).withPadding(1, 1).withMode(convlab.geometry.PaddingMode.CIRCULAR);
        // circular padding 1 on 3×3 with a 2×2 kernel gives 4×4; ignoring it gives the 2×2 cross-correlation
        ConvCheck.Verdict v = check(padded, "37 47; 67 77");
        assertFalse(v.correct());
        assertTrue(v.diagnoses().contains("padding ignored"), v.diagnoses().toString());
        ExactArray zeros = ExactConv.apply(X, W, ConvSpec.plain(false).withPadding(1, 1));
        ConvCheck.Verdict z = ConvCheck.check(X, W, padded, new Answer(Answer.Kind.MATRIX, zeros, null, null, ""));
        assertEquals("zeros padding used instead of circular", z.diagnoses().getFirst());
    }

    @Test void offByOneSize() {
        ConvCheck.Verdict v = check(CONV, "3x3");
        assertFalse(v.correct());
        assertTrue(v.diagnoses().stream().anyMatch(d -> d.startsWith("off by one in the height")), v.diagnoses().toString());
    }

    @Test void pastedAnswerTextUsesTheFinalMatrix() {
        String text = """
                First flip the kernel to get [[4,3],[2,1]].
                Then slide it over x:
                $$y = \\begin{bmatrix} 23 & 33 \\\\ 53 & 63 \\end{bmatrix}$$
                """;
        assertTrue(check(CONV, text).correct());
    }

    @Test void strideIgnored() {
        ExactArray x = MatrixParser.parse("1 2 3 4 5");
        ConvSpec s2 = ConvSpec.plain(true).withStride(1, 2);
        ConvCheck.Verdict v = ConvCheck.check(x, MatrixParser.parse("1 1"), s2, Answer.parse("[3, 5, 7, 9]"));
        assertTrue(v.diagnoses().getFirst().startsWith("stride ignored"), v.diagnoses().toString());
        assertTrue(ConvCheck.check(x, MatrixParser.parse("1 1"), s2, Answer.parse("[3, 7]")).correct());
    }
}
