package convlab.explain.answer;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import convlab.explain.Answer;
import convlab.testing.Fuzzing;

import java.nio.charset.StandardCharsets;

/**
 * Fuzz target for the answer language every --check/--expect reads: any text is read or refused with one
 * clear line (an IllegalArgumentException), never another exception, never a hang: the same text as a plain
 * answer ({@link Answer#parse}) and as an answer to a question with names, a formula, a named convention,
 * an order of growth and random-point identity checks ({@link Question#check}). A normal test run replays
 * the seed corpus in {@code AnswerFuzzTestInputs/parse/}; {@code JAZZER_FUZZ=1} fuzzes (docs/RELIABILITY.md).
 */
class AnswerFuzzTest {
    @FuzzTest(maxDuration = "2m")
    @DictionaryEntries({"\\times", "\\cdot", "\\frac{", "}{", "^{", "\\sqrt{", "\\left(", "\\right)", "\\lfloor", "\\rfloor", "\\lceil", "\\rceil",
            "\\begin{bmatrix}", "\\end{bmatrix}", "&", "\\\\", "O(", "\\Theta(", "d_{out}", "K", "C", "F", "W", "^", "/", "=", "[", "]", "x", "²", "√"})
    void parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.strip().startsWith("@")) return;   // "@file" reads a file: not the parser's input
        long start = System.nanoTime();
        Fuzzing.parse(() -> Answer.parse(text));
        Fuzzing.parse(() -> question().check(text));
        long ms = (System.nanoTime() - start) / 1_000_000;
        if (ms > 5_000) throw new AssertionError("reading took " + ms + " ms");
    }

    static Question question() {
        return Question.of("output size", 14).variable("W", 28, 1, 60).variable("K", 2, 1, 9).variable("P", 0, 0, 4).variable("S", 2, 1, 5)
                .variable("d_out", 7, 1, 50).unit("c")
                .formula("\\lfloor (W - K + 2P)/S \\rfloor + 1")
                .convention("a convention", convlab.explain.Rational.of(15), "(W - K + 2P)/S + 2")
                .dominance(java.util.List.of("W", "K"));
    }
}
