package convlab.spec;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz target for the architecture language: any text either parses and analyses on a 28×28×1 input,
 * or is rejected with an IllegalArgumentException. Spec errors quote the spec with a caret under the
 * offending token, so unlike the byte parsers' one-line contract their message has at most three lines
 * (message, spec, caret). A normal test run replays the seed corpus in
 * {@code SpecFuzzTestInputs/parseAndAnalyse/}; {@code JAZZER_FUZZ=1} fuzzes (docs/RELIABILITY.md).
 */
class SpecFuzzTest {
    @FuzzTest(maxDuration = "2m")
    @DictionaryEntries({"CONV", "POOL", "AVGPOOL", "FC-", "FLATTEN", "GAP", "RELU", "BN", "LN", "GN", "DROPOUT",
            "DROPOUT2D", "DWCONV", "SEPCONV", "TCONV", "[", "]x2", "(", ")", ",", "->", "circular", "s2", "p1", "same",
            "@a", "CONCAT(a)", "ADD(a)", "CONCAT(a, b)"})
    void parseAndAnalyse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        Analysis a;
        try {
            a = Analysis.of(Spec.parse(text), FeatureShape.image(28, 28, 1));
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            assertTrue(m != null && !m.isBlank(), "rejection without a message");
            assertTrue(m.split("\n").length <= 3, "spec error of more than three lines: " + m);
            assertTrue(m.length() <= 2000 + 2 * text.length(), "spec error too long: " + m.length() + " characters");
            String line = convlab.io.UserMessages.of(e);   // what the CLI prints: one line, bounded (issue 14)
            assertTrue(!line.contains("\n") && line.length() <= convlab.io.UserMessages.MAX_MESSAGE + 60, "CLI line: " + line);
            return;
        }
        // Accepted: the analysis is consistent with itself.
        assertEquals(a.layers().isEmpty() ? a.input() : a.layers().getLast().output(), a.output());
    }
}
