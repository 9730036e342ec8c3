package convlab.explain;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class SolveFilterTest {
    @Test void uniqueOneD() {
        // x = (1,2,0,1), w = (3,−1): y = (3−2, 6−0, 0−1) = (1, 6, −1); windows (1,2),(2,0),(0,1) have rank 2.
        SolveFilter.Result r = SolveFilter.solve(MatrixParser.parse("1 2 0 1"), MatrixParser.parse("1 6 -1"), new int[] {2}, ConvSpec.plain(true));
        assertEquals(LinearSystem.Kind.UNIQUE, r.solution().kind());
        assertEquals(MatrixParser.parse("3 -1"), r.kernel());
        assertEquals("y[0]: w[0] + 2·w[1] = 1", r.equations().getFirst());
    }

    @Test void uniqueWithFlipAndBias() {
        // w = (−1,3) flipped is (3,−1), which gives (1,6,−1) as above; plus bias 1: (2,7,0).
        SolveFilter.Result r = SolveFilter.solve(MatrixParser.parse("1 2 0 1"), MatrixParser.parse("2 7 0"), new int[] {2},
                ConvSpec.plain(true).withFlip(true).withBias(Rational.ONE));
        assertEquals(MatrixParser.parse("-1 3"), r.kernel());
    }

    @Test void rampInputGivesAFamily() {
        // 3×3 ramp x = 1..9: every 2×2 window is the first one plus a constant, so only 2 equations are
        // independent: 2 free parameters.
        ExactArray x = MatrixParser.parse("1 2 3; 4 5 6; 7 8 9");
        SolveFilter.Result r = SolveFilter.solve(x, MatrixParser.parse("37 47; 67 77"), new int[] {2, 2}, ConvSpec.plain(false));
        assertEquals(LinearSystem.Kind.FAMILY, r.solution().kind());
        assertEquals(2, r.solution().rank());
        assertEquals(2, r.solution().free().length);
        SolveFilter.Equations eq = SolveFilter.equations(x, MatrixParser.parse("37 47; 67 77"), new int[] {2, 2}, ConvSpec.plain(false));
        assertTrue(r.satisfiedBy(eq.a(), eq.b(), MatrixParser.parse("1 2; 3 4")));
        assertTrue(r.satisfiedBy(eq.a(), eq.b(), r.kernel()));
        // every member of the family solves the system
        for (Rational[] d : r.solution().directions()) {
            Rational[] v = r.solution().particular().clone();
            for (int i = 0; i < v.length; i++) v[i] = v[i].add(d[i].multiply(Rational.of(7, 3)));
            assertTrue(r.satisfiedBy(eq.a(), eq.b(), new ExactArray(new int[] {2, 2}, v)));
        }
        assertEquals(4, r.familyLines().size());
    }

    @Test void inconsistentOutputHasNoSolution() {
        // y[1,1] − y[0,0] must be 4·(y[0,1] − y[0,0]) = 40 for a ramp; 78 − 37 = 41 breaks it.
        SolveFilter.Result r = SolveFilter.solve(MatrixParser.parse("1 2 3; 4 5 6; 7 8 9"), MatrixParser.parse("37 47; 67 78"),
                new int[] {2, 2}, ConvSpec.plain(false));
        assertEquals(LinearSystem.Kind.NONE, r.solution().kind());
        assertNull(r.kernel());
    }

    @Test void recoversHw4SobelKernelWithPadding() {
        // hw4 problem 3(d)i output (worked by hand in ExactConvTest) determines h uniquely.
        ExactArray y = MatrixParser.parse("-19 -28 -32 -36 -29; -30 -40 -40 -40 -30; -30 -40 -40 -40 -30; -30 -40 -40 -40 -30; 49 68 72 76 59");
        SolveFilter.Result r = SolveFilter.solve(ExactConvTest.X, y, new int[] {3, 3}, ConvSpec.plain(false).withFlip(true).withPadding(1, 1));
        assertEquals(LinearSystem.Kind.UNIQUE, r.solution().kind());
        assertEquals(ExactConvTest.H, r.kernel());
    }

    @Test void wrongOutputShapeIsExplained() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> SolveFilter.solve(MatrixParser.parse("1 2 3 4"), MatrixParser.parse("1 2"), new int[] {2}, ConvSpec.plain(true)));
        assertTrue(e.getMessage().contains("gives a 3 output"), e.getMessage());
    }
}
