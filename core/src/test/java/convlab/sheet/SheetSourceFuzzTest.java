package convlab.sheet;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import convlab.explain.MathML;
import convlab.testing.Fuzzing;

import java.nio.charset.StandardCharsets;

/**
 * Fuzz target for the reading side of {@code convlab sheet}: the Markdown document split into prose, code and
 * ```convlab blocks (block lines split into words as a shell would), the math found in the prose, and each
 * formula translated to MathML. Any text is read, or a formula is rejected with one clear line. A normal test run
 * replays {@code SheetSourceFuzzTestInputs/parse/}; {@code JAZZER_FUZZ=1} fuzzes (docs/RELIABILITY.md).
 */
class SheetSourceFuzzTest {
    @FuzzTest(maxDuration = "2m")
    @DictionaryEntries({"```convlab", "```", "~~~", "$$", "$", "\\frac{", "\\begin{bmatrix}", "\\end{bmatrix}", "&", "\\\\",
            "\\left(", "\\right)", "^{", "_{", "\\text{", "'", "\"", "`", "--check"})
    void parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        for (SheetSource.Part p : SheetSource.parse(text)) {
            switch (p) {
                case SheetSource.Block b -> {
                    if ((b.words() == null) == (b.error() == null)) throw new AssertionError("a block has words or an error, not both: " + b);
                    if (b.error() != null) Fuzzing.checkMessage(new IllegalArgumentException(b.error()));
                }
                case SheetSource.Code c -> { }
                case SheetSource.Prose pr -> {
                    for (ProseMath.Piece piece : ProseMath.split(pr.markdown()))
                        if (piece instanceof ProseMath.Math m) Fuzzing.parse(() -> MathML.of(m.latex(), m.display()));
                }
            }
        }
        Fuzzing.parse(() -> ShellWords.split(text));
        Fuzzing.parse(() -> MathML.of(text, true));
    }
}
