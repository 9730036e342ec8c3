package convlab.explain;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import convlab.testing.Fuzzing;

import java.nio.charset.StandardCharsets;

/**
 * Fuzz target for the matrix parser of the exact calculators ({@code ./convlab conv "1 2; 3 4" ...}):
 * any text is parsed or rejected with one clear line. A normal test run replays the seed corpus in
 * {@code MatrixParserFuzzTestInputs/parse/}; {@code JAZZER_FUZZ=1} fuzzes (docs/RELIABILITY.md).
 */
class MatrixParserFuzzTest {
    @FuzzTest(maxDuration = "2m")
    @DictionaryEntries({"[", "]", ";", ",", "|", "/", ".", "e", "-", "\\frac{", "\\begin{bmatrix}", "\\end{bmatrix}", "&", "\\\\"})
    void parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.strip().startsWith("@")) return;   // "@file" reads a file: not the parser's input
        Fuzzing.parse(() -> MatrixParser.parse(text));
    }
}
