package convlab.explain;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Answer checking for solve-filter lives in explain (SolveFilter.check), not in the CLI. */
class SolveFilterCheckTest {
    private static final ExactArray X = MatrixParser.parse("1 2 3; 4 5 6; 7 8 9"), Y = MatrixParser.parse("37 47; 67 77");
    private static final int[] SHAPE = {2, 2};

    private static SolveFilter.Check check(ConvSpec spec, String answer) {
        return SolveFilter.check(X, Y, SHAPE, spec, SolveFilter.solve(X, Y, SHAPE, spec), Answer.parse(answer));
    }

    @Test void rightWrongAndFlipped() {
        ConvSpec xcorr = ConvSpec.plain(false);
        SolveFilter.Check right = check(xcorr, "1 2; 3 4");
        assertTrue(right.correct(), right.verdict());
        assertNull(right.diagnosis());
        SolveFilter.Check wrong = check(xcorr, "1 2; 3 5");
        assertFalse(wrong.correct());
        assertTrue(wrong.verdict().startsWith("not correct"), wrong.verdict());
        SolveFilter.Check flipped = check(xcorr, "4 3; 2 1");
        assertFalse(flipped.correct());
        assertTrue(flipped.diagnosis() != null && flipped.diagnosis().contains("true convolution"), String.valueOf(flipped.diagnosis()));
        var e = assertThrows(IllegalArgumentException.class, () -> check(xcorr, "1 2 3"));
        assertEquals("the answer must be a kernel with 4 entries", e.getMessage());
    }
}
