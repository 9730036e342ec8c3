package convlab.explain;

import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

class ConvExplainTest {
    @Test void hw4Problem3aTruncatedKernelSaysWhichEntriesAreExact() {
        // h = (1/2)^n given as its first 5 terms "...": y[n] = 2 − (1/2)^n is complete for n < 5 only.
        MatrixParser.Input h = MatrixParser.read("1, 1/2, 1/4, 1/8, 1/16, ...");
        ExactArray x = MatrixParser.parse("1 1 1 1 1 1 1");
        ConvSpec full = ConvSpec.plain(true).withFlip(true).withPadding(0, 4);
        ExactConv.Result r = ExactConv.compute(x, h.value(), full);
        for (int n = 0; n < 5; n++) assertEquals(Rational.of(2).subtract(Rational.of(1, 1L << n)), r.output().get(n));
        assertEquals("note: the sequence continues beyond the values given: y[0..4] are exact, y[5] onwards would change with the missing values",
                ConvExplain.truncationNote(r, false, h.truncated()));
        ExactConv.Result s = ExactConv.compute(MatrixParser.parse("1 2 3"), MatrixParser.parse("1 1"), ConvSpec.plain(true).withPadding(0, 1));
        // padding 1: y[2] reads positions 1, 2 and y[3] reads 2, 3 — position 3 is past the given input
        assertTrue(ConvExplain.truncationNote(s, true, false).contains("y[0..2] are exact, y[3] onwards"));
    }

    @Test void markdownIsBalancedLatex() {
        ExactConv.Result r = ExactConv.compute(MatrixParser.parse("1 2; 3 4"), MatrixParser.parse("1/2 0; 0 -1"),
                ConvSpec.plain(false).withFlip(true).withPadding(1, 1).withMode(convlab.geometry.PaddingMode.REFLECT));
        String md = ConvExplain.worksheet(r).toMarkdown();
        assertEquals(0, count(md, "\\$\\$") % 2, md);
        assertEquals(count(md, "\\\\begin\\{bmatrix\\}"), count(md, "\\\\end\\{bmatrix\\}"));
        assertFalse(md.contains("\\\\ \\end"), "no empty last row");
        assertTrue(md.contains("-\\frac{1}{2}") || md.contains("\\frac{1}{2}"), md);
        // every display-math line is one $$…$$ on its own line
        for (String line : md.split("\n")) if (line.startsWith("$$")) assertTrue(line.endsWith("$$") && line.length() > 4, line);
    }

    @Test void textShowsFormulaPaddedInputFlippedKernelAndEachSum() {
        ExactConv.Result r = ExactConv.compute(ExactConvTest.X, ExactConvTest.H, ExactConvTest.TRUE_CONV.withPadding(1, 1).withStride(2, 2));
        String t = ConvExplain.worksheet(r).toText();
        assertTrue(t.contains("height: ⌊(5 + 2·1 − 1·(3−1) − 1)/2⌋ + 1 = 3"), t);
        assertTrue(t.contains("padded input (zeros):"), t);
        assertTrue(t.contains("[  1  2  1 ]"), t);  // flipped kernel's first row
        assertTrue(t.contains("y[0,0] = 0·1 + 0·2 + 0·1 + 0·0 + 1·0 + 2·0 + 0·(-1) + 6·(-2) + 7·(-1) = -19"), t);
    }

    private static int count(String s, String regex) {
        Matcher m = Pattern.compile(regex).matcher(s);
        int n = 0;
        while (m.find()) n++;
        return n;
    }
}
