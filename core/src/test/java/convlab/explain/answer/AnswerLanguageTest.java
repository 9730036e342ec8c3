package convlab.explain.answer;

import convlab.explain.Rational;
import convlab.explain.cost.Poly;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

/** Many answers, right, wrong, right under another convention and unreadable, with the verdict and message. */
class AnswerLanguageTest {
    /** hw4 4(e): CONV3-10 after CONV3-10 POOL2: 3×3×10×10 + 10. */
    static Question conv910() {
        return Question.of("params", 910).note("3×3×10×10 + 10")
                .variable("K", 3, 1, 7, "k").variable("C", 10, 1, 64, "C_in", "c_in").variable("F", 10, 1, 64, "C_out", "c_out")
                .formula("K^2 C F + F").mistake("biases forgotten", Rational.of(900), "K^2 C F");
    }

    /** Depthwise-separable 3→4, 3×3: 46 with both biases, 43 when only the pointwise step has one. */
    static Question separable() {
        return Question.of("params", 46).variable("K", 3, 1, 7).variable("C", 3, 1, 64).variable("F", 4, 1, 64)
                .formula("K^2 C + C + C F + F")
                .convention("Keras SeparableConv2D (only the pointwise step has a bias)", Rational.of(43), "K^2 C + C F + F");
    }

    static Question number(long right) { return Question.of("value", right); }

    static Question outputSize() {
        return Question.of("output size", 14).variable("W", 28, 1, 60).variable("K", 2, 1, 9).variable("P", 0, 0, 4).variable("S", 2, 1, 5)
                .constraint(m -> m.get("W").add(m.get("P").multiply(Rational.of(2))).compareTo(m.get("K")) >= 0)
                .formula("\\lfloor (W - K + 2P)/S \\rfloor + 1");
    }

    static Question cost() {
        Poly right = Poly.product("2", "d_out", "d_in", "d_in");
        return Question.of("cost", null).unit("c").variable("d_out", (Rational) null, 1, 500).variable("d_in", (Rational) null, 1, 500)
                .formula(right).dominance(List.of("d_out", "d_in"));
    }

    record Case(Supplier<Question> q, String answer, String outcome, String fragment) {}

    static final String ERROR = "error";

    static final List<Case> CASES = List.of(
            new Case(AnswerLanguageTest::conv910, "910", "CORRECT", "params: correct (910)"),
            new Case(AnswerLanguageTest::conv910, "3 \\times 3 \\times 10 \\times 10 + 10", "CORRECT", "correct (910)"),
            new Case(AnswerLanguageTest::conv910, "3*3*10*10+10", "CORRECT", "correct (910)"),
            new Case(AnswerLanguageTest::conv910, "3×3×10×10 + 10", "CORRECT", "correct (910)"),
            new Case(AnswerLanguageTest::conv910, "$3 \\cdot 3 \\cdot 10 \\cdot 10 + 10$", "CORRECT", "correct (910)"),
            new Case(AnswerLanguageTest::conv910, "\\left(3^{2}\\cdot 10 + 1\\right) \\times 10", "CORRECT", "correct (910)"),
            new Case(AnswerLanguageTest::conv910, "3² · 10 · 10 + 10", "CORRECT", "correct (910)"),
            new Case(AnswerLanguageTest::conv910, "9.1e2", "CORRECT", "correct (910)"),
            new Case(AnswerLanguageTest::conv910, "\\frac{1820}{2}", "CORRECT", "correct (910)"),
            new Case(AnswerLanguageTest::conv910, "So the count is 3×3×10×10 + 10 = 910.", "CORRECT", "correct (910)"),
            new Case(AnswerLanguageTest::conv910, "K^2 C F + F", "CORRECT", "is the same formula as K^2 C F + F (910 here)"),
            new Case(AnswerLanguageTest::conv910, "F (k^2 c_{in} + 1)", "CORRECT", "same formula"),
            new Case(AnswerLanguageTest::conv910, "KKCF + F", "CORRECT", "same formula"),
            new Case(AnswerLanguageTest::conv910, "3 \\times 3 \\times 10 \\times 10", "NOT_CORRECT", "given 900, right 910 = 3×3×10×10 + 10 (difference -10)"),
            new Case(AnswerLanguageTest::conv910, "K^2 C F", "NOT_CORRECT", "not correct: K^2 C F is not K^2 C F + F"),
            new Case(AnswerLanguageTest::conv910, "K^2 C + F", "NOT_CORRECT", "at K = 3, C = 10, F = 10 it gives 100, the right formula 910"),
            new Case(AnswerLanguageTest::conv910, "10", "NOT_CORRECT", "given 10, right 910"),
            new Case(AnswerLanguageTest::conv910, "910 apples", ERROR, "cannot read '910 apples' after position 4: 'apples' is not a name this question knows"),
            new Case(AnswerLanguageTest::conv910, "3 \\times 3 \\times", ERROR, "after position 17: the answer ends too early"),
            new Case(AnswerLanguageTest::conv910, "3 \\foo 3", ERROR, "after position 2: the LaTeX command '\\foo' is not read here"),
            new Case(AnswerLanguageTest::conv910, "[910, 1]", ERROR, "must be a number or an expression, got a 2 array"),
            new Case(AnswerLanguageTest::separable, "46", "CORRECT", "params: correct (46)"),
            new Case(AnswerLanguageTest::separable, "43", "OTHER_CONVENTION", "correct under another convention: Keras SeparableConv2D (only the pointwise step has a bias) (convlab counts 46)"),
            new Case(AnswerLanguageTest::separable, "K^2 C + C F + F", "OTHER_CONVENTION", "Keras SeparableConv2D"),
            new Case(AnswerLanguageTest::separable, "45", "NOT_CORRECT", "given 45, right 46"),
            new Case(() -> number(112), "2^7 - 16", "CORRECT", "correct (112)"),
            new Case(() -> number(112), "2^{7} - 16", "CORRECT", "correct (112)"),
            new Case(() -> number(112), "5^112", "NOT_CORRECT", "given 19259299443872358530559779425849273185381016482153881952399387955665588378906"),
            new Case(() -> number(112), "112.000", "CORRECT", "correct (112)"),
            new Case(() -> number(112), "\\sqrt{12544}", "CORRECT", "correct (112)"),
            new Case(() -> number(112), "√12544", "CORRECT", "correct (112)"),
            new Case(() -> number(112), "-(-112)", "CORRECT", "correct (112)"),
            new Case(() -> number(112), "2^7 - 16 ?", ERROR, "after position 9: unexpected '?'"),
            new Case(() -> number(112), "5^99999999", ERROR, "too large for exact arithmetic"),
            new Case(() -> number(112), "2^2^2^2^2^2", ERROR, "too large for exact arithmetic"),
            new Case(() -> number(112), "\\sqrt{2}", ERROR, "is not a rational number"),
            new Case(() -> number(112), "1/0", ERROR, "division by zero"),
            new Case(() -> number(112), "3 -1", ERROR, "reads as a list of numbers"),
            new Case(() -> number(112), "K", ERROR, "'K' is not a number"),
            new Case(() -> number(112), "(".repeat(500) + "1" + ")".repeat(500), ERROR, "nested more than 100 levels deep"),
            new Case(() -> number(112), "-".repeat(5000) + "1", ERROR, "nested more than 100 levels deep"),
            new Case(() -> number(112), "112 = 2^7 - 17", "NOT_CORRECT", "given 111"),
            new Case(() -> Question.of("value", Rational.of(1, 6)), "1/2/3", "CORRECT", "correct (1/6)"),
            new Case(() -> Question.of("value", Rational.of(1, 6)), "\\frac{1}{2} \\div 3", "CORRECT", "correct (1/6)"),
            new Case(() -> Question.of("value", Rational.of(3, 2)), "1/2/3", "NOT_CORRECT", "given 1/6, right 3/2"),
            new Case(() -> Question.of("value", Rational.of(-4)), "-2^2", "CORRECT", "correct (-4)"),
            new Case(() -> Question.of("value", Rational.of(512)), "2^3^2", "CORRECT", "correct (512)"),
            new Case(() -> Question.of("value", Rational.of(1, 10)), "0.1", "CORRECT", "correct (1/10)"),
            new Case(() -> Question.of("value", Rational.of(1, 10)), "0.1000000000000000055511151231257827", "NOT_CORRECT", "given 1000000000000000055511151231257827/10000000000000000000000000000000000"),
            new Case(AnswerLanguageTest::outputSize, "14", "CORRECT", "correct (14)"),
            new Case(AnswerLanguageTest::outputSize, "\\lfloor (W - K + 2P)/S \\rfloor + 1", "CORRECT", "same formula"),
            new Case(AnswerLanguageTest::outputSize, "floor((W + 2P - K)/S) + 1", "CORRECT", "same formula"),
            new Case(AnswerLanguageTest::outputSize, "\\left\\lfloor \\frac{W + 2P - K + S}{S} \\right\\rfloor", "CORRECT", "same formula"),
            new Case(AnswerLanguageTest::outputSize, "⌈(W + 2P - K + 1)/S⌉", "CORRECT", "same formula"),
            new Case(AnswerLanguageTest::outputSize, "(W - K + 2P)/S + 1", "NOT_CORRECT", "it gives"),
            new Case(AnswerLanguageTest::outputSize, "\\lfloor (W - K + P)/S \\rfloor + 1", "NOT_CORRECT", "not correct"),
            new Case(AnswerLanguageTest::cost, "2c d_out d_in^2", "CORRECT", "same formula"),
            new Case(AnswerLanguageTest::cost, "2 c \\cdot d_{out} d_{in}^{2}", "CORRECT", "same formula"),
            new Case(AnswerLanguageTest::cost, "2 c d_{\\text{out}} d_{\\text{in}}²", "CORRECT", "same formula"),
            new Case(AnswerLanguageTest::cost, "2c d_out^2 d_in", "NOT_CORRECT", "is not 2·d_out·d_in²"),
            new Case(AnswerLanguageTest::cost, "O(d_out d_in^2)", "CORRECT", "the leading term of 2·d_out·d_in² when d_out ≫ d_in is d_out·d_in²"),
            new Case(AnswerLanguageTest::cost, "\\Theta(d_{out} d_{in}^2 + d_in)", "CORRECT", "leading term"),
            new Case(AnswerLanguageTest::cost, "O(d_out^2 d_in)", "NOT_CORRECT", "not d_out²·d_in"),
            new Case(AnswerLanguageTest::cost, "100", ERROR, "is asked as a formula"));

    @Test void everyAnswerGetsTheRightVerdictAndMessage() {
        StringBuilder failures = new StringBuilder();
        for (Case c : CASES) {
            String got;
            String message;
            try {
                Verdict v = c.q().get().check(c.answer());
                got = v.outcome().name();
                message = String.join(" | ", v.lines());
            } catch (IllegalArgumentException e) {
                got = ERROR;
                message = e.getMessage();
                assertFalse(message.contains("\n"), message);
            }
            if (!got.equals(c.outcome()) || !message.contains(c.fragment()))
                failures.append("\n  ").append(c.answer().length() > 60 ? c.answer().substring(0, 60) + "…" : c.answer())
                        .append(": expected ").append(c.outcome()).append(" with '").append(c.fragment()).append("', got ").append(got).append(": ").append(message);
        }
        assertEquals("", failures.toString());
    }

    @Test void hostileAnswersAreRefusedInOneLineQuickly() {
        String[] hostile = {"[".repeat(45_000) + "1" + "]".repeat(45_000), "(".repeat(45_000) + "1", "9".repeat(150_000),
                "9".repeat(150_000) + " 1", "2^2^2^2^2^2", "10^99999 * 10^99999", "\\begin{bmatrix}".repeat(1000), "\u0000\u001b[2J",
                "x".repeat(199_000), "1" + "+1".repeat(99_000)};
        // This thread's CPU time, not wall time: on a shared machine the wall clock also counts other programs' turns.
        var cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        for (String h : hostile) {
            long t = cpu.getCurrentThreadCpuTime();
            try {
                convlab.explain.Answer.parse(h);
            } catch (IllegalArgumentException e) {
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
                assertTrue(e.getMessage().length() < 600, e.getMessage());
            }
            long ms = (cpu.getCurrentThreadCpuTime() - t) / 1_000_000;
            assertTrue(ms < 3000, h.substring(0, Math.min(20, h.length())) + "… took " + ms + " ms of CPU");
        }
        assertEquals(Rational.of(99_001), convlab.explain.Answer.parse("1" + "+1".repeat(99_000)).number());
    }

    @Test void exitCodes() {
        assertEquals(0, separable().check("43").exitCode());
        assertEquals(0, separable().check("46").exitCode());
        assertEquals(1, separable().check("42").exitCode());
    }

    @Test void formulasEvaluateExactly() {
        assertEquals(Rational.of(910), Formula.parse("3 \\times 3 \\times 10 \\times 10 + 10", java.util.Set.of()).number(Map.of()));
        assertArrayEquals(new int[] {28, 28, 10}, Formula.parse("28 \\times 28 \\times 10", java.util.Set.of()).shapeFactors());
        assertArrayEquals(new int[] {2, 2}, Formula.parse("2x2", java.util.Set.of()).shapeFactors());
        assertNull(Formula.parse("2 \\times 2 + 1", java.util.Set.of()).shapeFactors());
        assertEquals(Rational.of(1, 2), Formula.parse("\\tfrac12", java.util.Set.of()).number(Map.of()));
    }
}
