package convlab.cli;

import org.junit.jupiter.api.Test;

import static convlab.cli.ExactCommandsTest.run;
import static org.junit.jupiter.api.Assertions.*;

/** Every --check/--expect reads the same answer language: exit 0 correct, 1 not correct, 2 unreadable (one line). */
class AnswerCommandsTest {
    static final String[] PARAMS = {"params", "--in-channels", "10", "--out-channels", "10", "--kernel-size", "3"};

    static String[] with(String[] base, String... more) { return ExactCommandsTest.concat(base, more); }

    static void unreadable(ExactCommandsTest.Run r, String fragment) {
        assertEquals(2, r.exit(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(fragment), r.err());
    }

    @Test void wholeExpressionsAreReadNotTheirLastNumber() {
        assertEquals(0, run(with(PARAMS, "--check", "3 \\times 3 \\times 10 \\times 10 + 10")).exit());
        assertEquals(1, run(with(PARAMS, "--check", "5^112")).exit());
        assertEquals(1, run(with(PARAMS, "--check", "2^7 - 16")).exit());  // 112, not 16 and not 910
        assertEquals(0, run("params", "--in-channels", "3", "--out-channels", "4", "--kernel-size", "3", "--check", "2^7 - 16").exit());
        unreadable(run(with(PARAMS, "--check", "910 apples")), "cannot read '910 apples' after position 4");
        unreadable(run(with(PARAMS, "--check", "5^99999999")), "too large for exact arithmetic");
        unreadable(run(with(PARAMS, "--check", "9\u001b[31m10")), "\\u001b");
    }

    @Test void formulasAndConventions() {
        assertEquals(0, run(with(PARAMS, "--check", "K^2 C F + F")).exit());
        ExactCommandsTest.Run forgot = run(with(PARAMS, "--check", "K^2 C F"));
        assertEquals(1, forgot.exit());
        assertTrue(forgot.out().contains("diagnosis: biases forgotten"), forgot.out());
        String[] sep = {"params", "--kind", "separable", "--in-channels", "3", "--out-channels", "4", "--kernel-size", "3"};
        ExactCommandsTest.Run keras = run(with(sep, "--check", "43", "--json"));
        assertEquals(0, keras.exit(), keras.err());
        var c = com.google.gson.JsonParser.parseString(keras.out()).getAsJsonObject().getAsJsonObject("check_params");
        assertEquals("other_convention", c.get("outcome").getAsString());
        assertTrue(c.get("convention").getAsString().startsWith("Keras SeparableConv2D"));
        assertEquals(0, run(with(sep, "--check", "46")).exit());
        assertEquals(1, run(with(sep, "--check", "44")).exit());
        assertEquals(0, run("params", "--in-channels", "1", "--out-channels", "10", "--kernel-size", "3", "--padding", "1", "--input-size", "28",
                "--expect-shape", "[28, 28, 10]").exit());
    }

    @Test void convAndSolveFilterReadExpressions() {
        String[] conv = {"conv", "--input", "1 2 3; 4 5 6; 7 8 9", "--kernel", "1 2; 3 4", "--flip"};
        assertEquals(0, run(with(conv, "--check", "\\frac{1}{2} \\begin{bmatrix} 46 & 66 \\\\ 106 & 126 \\end{bmatrix}")).exit());
        assertEquals(0, run(with(conv, "--check", "[[23, 33], [53, 3^4 - 18]]")).exit());
        assertEquals(0, run(with(conv, "--check", "2 \\times 2")).exit());
        unreadable(run(with(conv, "--check", "[[23, 33], [53, 63]] ??")), "");
        assertEquals(1, run("conv", "--input", "1 2", "--kernel", "1", "--check", "1/2/3 2").exit() == 2 ? 1 : 0, "1/2/3 as a list entry is refused");
        assertEquals(0, run("solve-filter", "--input", "1 2 0 1", "--output", "1 6 -1", "--size", "2", "--flip", "--check", "[-1, 2 + 1]").exit());
    }

    @Test void costChecksFormulasOrdersAndRefusesBadSizes() {
        String[] ns = {"cost", "1/2 (3I - W W^T) W", "--dims", "W: d_out x d_in", "--assume", "d_out >> d_in"};
        assertEquals(0, run(with(ns, "--check", "2 c \\cdot d_{out} d_{in}^2")).exit());
        assertEquals(0, run(with(ns, "--check", "O(d_out d_in^2)")).exit());
        assertEquals(1, run(with(ns, "--check", "\\Theta(d_out^2 d_in)")).exit());
        unreadable(run("cost", "W V", "--dims", "W: 0 x 3, V: 3 x 2"), "must be a name such as d_out or a whole number of at least 1");
        unreadable(run("cost", "W V", "--dims", "W: 2 x 3, V: 3 x -2"), "at least 1");
        unreadable(run("cost", "W V", "--dims", "W: n x 3, V: 3 x m", "--sizes", "n=0,m=2"), "must be at least 1");
    }

    @Test void receptiveFieldListsAndRecursions() {
        assertEquals(0, run("receptive-field", "CONV3-8 CONV3-8 CONV3-8", "--check", "1, 3, 5, 7").exit());
        assertEquals(0, run("receptive-field", "CONV3-8 CONV3-8 CONV3-8", "--check", "3, 5, 7").exit());
        assertEquals(0, run("receptive-field", "CONV3-8 CONV3-8 CONV3-8", "--check", "r_0 = 1, r_n = r_{n-1} + 2").exit());
        assertEquals(0, run("receptive-field", "CONV3-8 CONV3-8 CONV3-8", "--check", "r_n = 2n + 1").exit());
        ExactCommandsTest.Run wrong = run("receptive-field", "CONV3-8 POOL2 CONV3-8 POOL2", "--check", "r_0 = 1, r_n = 2 r_{n-1} + 1");
        assertEquals(1, wrong.exit());
        assertTrue(wrong.out().contains("layer 3 POOL2: given 7, right 4"), wrong.out());
        unreadable(run("receptive-field", "CONV3-8", "--check", "1, 3 apples"), "cannot read");
    }

    @Test void summaryChecksTheCoursesTableCellByCell() {
        String spec = "CONV3-10 POOL2 CONV3-10 POOL2 FLATTEN FC-3";
        String right = "Layer\tNumber of Parameters\tDimension of Activations\nInput\t0\t$28 \\times 28 \\times 1$\n"
                + "CONV3-10\t$3 \\times 3 \\times 1 \\times 10 + 10$\t$28 \\times 28 \\times 10$\nPOOL2\t0\t$14 \\times 14 \\times 10$\n"
                + "CONV3-10\t$3 \\times 3 \\times 10 \\times 10 + 10$\t$14 \\times 14 \\times 10$\nPOOL2\t0\t$7 \\times 7 \\times 10$\n"
                + "FLATTEN\t0\t490\nFC-3\t$490 \\times 3 + 3$\t3\n";
        ExactCommandsTest.Run ok = run("summary", spec, "--input", "28x28x1", "--check", right);
        assertEquals(0, ok.exit(), ok.out() + ok.err());
        assertTrue(ok.out().contains("summary: correct (all 14 filled cells are right)"), ok.out());
        String wrong = right.replace("$490 \\times 3 + 3$", "1470").replace("$7 \\times 7 \\times 10$", "$6 \\times 6 \\times 10$");
        ExactCommandsTest.Run bad = run("summary", spec, "--input", "28x28x1", "--check", wrong);
        assertEquals(1, bad.exit());
        assertTrue(bad.out().contains("summary: not correct: 2 of 14 filled cells are wrong"), bad.out());
        assertTrue(bad.out().contains("row 6 POOL2: activations: not correct: the output is 7×7×10"), bad.out());
        assertTrue(bad.out().contains("row 8 FC-3: params: not correct: given 1470, right 1473"), bad.out());
        unreadable(run("summary", spec, "--input", "28x28x1", "--check", "CONV3-10 | 100 | 28x28x10; FC-3 | 1473 | 3"), "is not the next layer");
        unreadable(run("summary", spec, "--input", "28x28x1", "--check", "CONV3-10 | 5^ | 28x28x10"), "row 1 CONV3-10: cannot read");
    }
}
