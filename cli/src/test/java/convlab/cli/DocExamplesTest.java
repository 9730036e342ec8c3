package convlab.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Runs every `$ ./convlab ...` example in docs/EXACT.md, docs/OPTIMIZERS.md and README.md and compares the printed output with the doc. */
class DocExamplesTest {
    @Test void examplesInExactMdRunAndPrintWhatTheDocSays() throws Exception {
        assertTrue(checkExamples(Path.of("..", "docs", "EXACT.md")) >= 10);
    }

    @Test void examplesInOptimizersMdRunAndPrintWhatTheDocSays() throws Exception {
        assertTrue(checkExamples(Path.of("..", "docs", "OPTIMIZERS.md")) >= 8);
    }

    @Test void examplesInTheReadmeRunAndPrintWhatTheReadmeSays() throws Exception {
        assertTrue(checkExamples(Path.of("..", "README.md")) >= 3);
    }

    @Test void examplesInSpecMdRunAndPrintWhatTheDocSays() throws Exception {
        assertTrue(checkExamples(Path.of("..", "docs", "SPEC.md")) >= 2);
    }

    /** Checks each example of a Markdown file; returns how many there were. */
    private static int checkExamples(Path doc) throws Exception {
        List<String> lines = Files.readAllLines(doc);
        int examples = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).startsWith("$ ./convlab ")) continue;
            String command = lines.get(i).substring("$ ./convlab ".length());
            StringBuilder expected = new StringBuilder();
            int j = i + 1;
            for (; j < lines.size() && !lines.get(j).startsWith("```") && !lines.get(j).startsWith("$ "); j++) expected.append(lines.get(j)).append('\n');
            // Examples run from the repository root; the test runs in the module directory.
            String[] args = shellWords(command).stream()
                    .map(w -> w.startsWith("docs/") ? "../" + w : w.startsWith("@docs/") ? "@../" + w.substring(1) : w).toArray(String[]::new);
            ExactCommandsTest.Run r = ExactCommandsTest.run(args);
            assertTrue(r.exit() == 0 || r.exit() == 1, "exit " + r.exit() + " for " + command + ": " + r.err());
            assertEquals(expected.toString().stripTrailing(), r.out().stripTrailing(), doc + ": output of ./convlab " + command);
            examples++;
            i = j - 1;
        }
        return examples;
    }

    /** Splits a command line as bash does (the sheet's splitter: one home for the rule). */
    static List<String> shellWords(String s) {
        return convlab.sheet.ShellWords.split(s);
    }
}
