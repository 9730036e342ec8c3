package convlab.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The exact calculators through the command line: output, exit codes, formats. */
class ExactCommandsTest {
    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        CliTestSupport.Result r = CliTestSupport.run(args);
        return new Run(r.exitCode(), r.out(), r.err());
    }

    static final String X = "1 2 3 4 5; 6 7 8 9 10; 11 12 13 14 15; 16 17 18 19 20; 21 22 23 24 25";
    static final String H = "-1 -2 -1; 0 0 0; 1 2 1";

    @Test void convHw4Problem3dStride2() {
        Run r = run("conv", "--input", X, "--kernel", H, "--flip", "--padding", "1", "--stride", "2");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("[ -19 -32 -29 ]"), r.out());
        assertTrue(r.out().contains("[  49  72  59 ]"), r.out());
    }

    @Test void convExplainShowsFormulaPaddedInputFlippedKernelAndSums() {
        Run r = run("conv", "--input", X, "--kernel", H, "--flip", "--padding", "1", "--stride", "2", "--explain");
        assertTrue(r.out().contains("⌊(5 + 2·1 − 1·(3−1) − 1)/2⌋ + 1 = 3"), r.out());
        assertTrue(r.out().contains("padded input (zeros)"), r.out());
        assertTrue(r.out().contains("flipped kernel"), r.out());
        assertTrue(r.out().contains("y[2,2] = 19·1 + 20·2 + 0·1 + 24·0 + 25·0 + 0·0 + 0·(-1) + 0·(-2) + 0·(-1) = 59"), r.out());
    }

    @Test void convExpectExitCodesAndDiagnosis() {
        assertEquals(0, run("conv", "--input", X, "--kernel", H, "--flip", "--expect", "[[-40,-40,-40],[-40,-40,-40],[-40,-40,-40]]").exit());
        Run wrong = run("conv", "--input", "1 2 3; 4 5 6; 7 8 9", "--kernel", "1 2; 3 4", "--flip", "--expect", "37 47; 67 77");
        assertEquals(1, wrong.exit());
        assertTrue(wrong.out().contains("diagnosis: kernel not flipped"), wrong.out());
    }

    @Test void convMarkdownHasValidBmatrix() {
        Run r = run("conv", "--input", "1 2; 3 4", "--kernel", "1/2", "--markdown");
        assertTrue(r.out().contains("$$y = \\begin{bmatrix} \\frac{1}{2} & 1 \\\\ \\frac{3}{2} & 2 \\end{bmatrix}$$"), r.out());
    }

    @Test void convJsonKeepsFractions() {
        Run r = run("conv", "--input", "1 2; 3 4", "--kernel", "0.5", "--json");
        var j = com.google.gson.JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals("1/2", j.getAsJsonArray("output").get(0).getAsJsonArray().get(0).getAsString());
        assertEquals(2, j.getAsJsonArray("output").get(1).getAsJsonArray().get(1).getAsInt());
    }

    @Test void badMatrixIsOneLineExit2() {
        Run r = run("conv", "--input", "1 2; 3", "--kernel", "1");
        assertEquals(2, r.exit());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("row 2 has 1 entries but row 1 has 2"), r.err());
        Run bad = run("conv", "--input", "[[1, 2], [3, x]]", "--kernel", "1");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("at character"), bad.err());
    }

    @Test void solveFilterUniqueFamilyNone() {
        Run unique = run("solve-filter", "--input", "1 2 0 1", "--output", "1 6 -1", "--size", "2");
        assertEquals(0, unique.exit(), unique.err());
        assertTrue(unique.out().contains("y[1]: 2·w[0] = 6"), unique.out());
        assertTrue(unique.out().contains("exactly one kernel") && unique.out().contains("[ 3 -1 ]"), unique.out());
        Run family = run("solve-filter", "--input", "1 2 3; 4 5 6; 7 8 9", "--output", "37 47; 67 77", "--size", "2x2", "--expect", "1 2; 3 4");
        assertEquals(0, family.exit(), family.err());
        assertTrue(family.out().contains("w[0,1] = 27 - 3·t1 - 4·t2"), family.out());
        Run wrongGuess = run("solve-filter", "--input", "1 2 3; 4 5 6; 7 8 9", "--output", "37 47; 67 77", "--size", "2", "--expect", "1 2; 3 5");
        assertEquals(1, wrongGuess.exit());
        Run none = run("solve-filter", "--input", "1 2 3; 4 5 6; 7 8 9", "--output", "37 47; 67 78", "--size", "2", "--json");
        assertEquals("none", com.google.gson.JsonParser.parseString(none.out()).getAsJsonObject().get("solutions").getAsString());
    }

    @Test void paramsCountsAndChecks() {
        Run r = run("params", "--in-channels", "3", "--out-channels", "4", "--kernel-size", "3", "--no-bias", "--expect", "4×3×3×3");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("3×3×3×4 = 108"), r.out());
        Run forgot = run("params", "--in-channels", "10", "--out-channels", "10", "--kernel-size", "3", "--expect", "3×3×10×10");
        assertEquals(1, forgot.exit());
        assertTrue(forgot.out().contains("diagnosis: biases forgotten"), forgot.out());
        Run macs = run("params", "--in-channels", "1", "--out-channels", "10", "--kernel-size", "3", "--padding", "1",
                "--input-size", "28x28", "--expect-macs", "28*28*10*9", "--json");
        assertEquals(0, macs.exit(), macs.err());
        assertEquals(70560, com.google.gson.JsonParser.parseString(macs.out()).getAsJsonObject().get("macs").getAsLong());
    }

    @Test void costNewtonSchulz() {
        Run r = run("cost", "1/2 (3I - W W^T) W", "--dims", "W: d_out x d_in", "--assume", "d_out >> d_in",
                "--sizes", "d_out=4096,d_in=256", "--expect", "2c d_out d_in^2");
        assertEquals(0, r.exit(), r.err() + r.out());
        assertTrue(r.out().contains("1/2·((3I - W·Wᵀ)·W)    cost 2c·d_out²·d_in    (as written)"), r.out());
        assertTrue(r.out().contains("cheapest when d_out ≫ d_in: 2. 3/2·W - 1/2·(W·(Wᵀ·W)), cost 2c·d_out·d_in²"), r.out());
        assertTrue(r.out().contains("536870912·c"), r.out());
        Run wrong = run("cost", "1/2 (3I - W W^T) W", "--dims", "W: d_out x d_in", "--assume", "d_out >> d_in", "--expect", "2c d_out^2 d_in");
        assertEquals(1, wrong.exit());
        assertTrue(wrong.out().contains("diagnosis: that is the cost of order"), wrong.out());
        Run bad = run("cost", "W W", "--dims", "W: d_out x d_in");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("inner dimensions d_in and d_out differ"), bad.err());
    }

    @Test void solveFilterNamesAFlippedKernel() {
        Run r = run("solve-filter", "--input", "1 2 0 1", "--output", "1 6 -1", "--size", "2", "--flip", "--expect", "3 -1");
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.out().contains("diagnosis: the given kernel flipped (rotated 180°) is a solution"), r.out());
    }

    @Test void paramsChecksTheOutputShapeInEitherConvention() {
        // hw4 4(e): CONV3-10 (pad 1) on 28×28×1 gives 28×28×10
        String[] base = {"params", "--in-channels", "1", "--out-channels", "10", "--kernel-size", "3", "--padding", "1", "--input-size", "28"};
        assertEquals(0, run(concat(base, "--expect-shape", "28 x 28 x 10")).exit());
        assertEquals(0, run(concat(base, "--expect-shape", "10x28x28")).exit());
        Run wrong = run(concat(base, "--expect-shape", "26x26x10"));
        assertEquals(1, wrong.exit());
        assertTrue(wrong.out().contains("the output is 10×28×28"), wrong.out());
    }

    static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test void costExpectAsANumberUsesTheSizes() {
        Run r = run("cost", "1/2 (3I - W W^T) W", "--dims", "W: d_out x d_in", "--sizes", "d_out=4096,d_in=256", "--expect", "536870912");
        assertEquals(0, r.exit(), r.out() + r.err());
        Run w = run("cost", "1/2 (3I - W W^T) W", "--dims", "W: d_out x d_in", "--sizes", "d_out=4096,d_in=256", "--expect", "8589934592");
        assertEquals(1, w.exit(), w.out());
    }
}
