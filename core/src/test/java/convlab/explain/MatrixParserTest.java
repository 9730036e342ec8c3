package convlab.explain;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class MatrixParserTest {
    static final ExactArray M = ExactArray.matrix(new long[][] {{1, 2}, {3, 4}});

    @Test void everyFormatGivesTheSameMatrix() {
        assertEquals(M, MatrixParser.parse("1 2; 3 4"));
        assertEquals(M, MatrixParser.parse("1, 2\n3, 4"));
        assertEquals(M, MatrixParser.parse("[[1,2],[3,4]]"));
        assertEquals(M, MatrixParser.parse("[[1 2] [3 4]]"));
        assertEquals(M, MatrixParser.parse("\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}"));
        assertEquals(M, MatrixParser.parse("\\begin{pmatrix}1&2\\\\3&4\\\\\\end{pmatrix}"));
    }

    @Test void sequencesFractionsAndDecimalsAreExact() {
        ExactArray s = MatrixParser.parse("0.1 -3/4 1e-2 \\tfrac12");
        assertEquals(1, s.rank());
        assertEquals(Rational.of(1, 10), s.get(0));
        assertEquals(Rational.of(-3, 4), s.get(1));
        assertEquals(Rational.of(1, 100), s.get(2));
        assertEquals(Rational.of(1, 2), MatrixParser.parse("\\begin{bmatrix} \\frac{1}{2} & −1 \\end{bmatrix}").get(0, 0));
        assertEquals(Rational.of(-1), MatrixParser.parse("\\begin{bmatrix} \\frac{1}{2} & −1 \\end{bmatrix}").get(0, 1));
    }

    @Test void channelsAndTruncation() {
        ExactArray c = MatrixParser.parse("1 2; 3 4 | 5 6; 7 8");
        assertArrayEquals(new int[] {2, 2, 2}, c.shape());
        assertEquals(Rational.of(7), c.get(1, 1, 0));
        MatrixParser.Input t = MatrixParser.read("1, 1/2, 1/4, ...");
        assertTrue(t.truncated());
        assertEquals(3, t.value().size());
        assertFalse(MatrixParser.read("1 2 3").truncated());
    }

    @Test void errorsSayWhere() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MatrixParser.parse("1 2; 3 x")).getMessage().startsWith("row 2, entry 2: 'x' is not a number"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MatrixParser.parse("1 2; 3")).getMessage().contains("row 2 has 1 entries but row 1 has 2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MatrixParser.parse("[[1,2],[3]]")).getMessage().contains("ragged"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MatrixParser.parse("[[1,2],[3,4]")).getMessage().contains("missing ']'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MatrixParser.parse("1 2 | 3 4 5")).getMessage().contains("channel 2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MatrixParser.parse("1 1e999999999")).getMessage().contains("exponent too large"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MatrixParser.parse("1 1/0")).getMessage().contains("row 1, entry 2"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MatrixParser.parse("@/no/such/file")).getMessage().contains("no such file"));
    }

    @Test void answersAreExtractedFromPastedText() {
        Answer a = Answer.parse("The input is [[1,2],[3,4]] and after flipping the kernel we get\n\n  5 6\n  7 8\n\nwhich is the answer.");
        assertEquals(Answer.Kind.MATRIX, a.kind());
        assertEquals(MatrixParser.parse("5 6; 7 8"), a.matrix());
        Answer n = Answer.parse("So the count is 3×3×10×10 + 10 = 910.");
        assertEquals(Rational.of(910), n.number());
        assertEquals(Rational.of(910), Answer.parse("3*3*10*10+10").number());
        assertEquals(MatrixParser.parse("3 -1"), Answer.parse("3 -1").matrix());
        assertEquals(Rational.of(2), Answer.parse("3 - 1").number());
        assertArrayEquals(new int[] {28, 28, 10}, Answer.parse("28 x 28 x 10").shape());
    }
}
