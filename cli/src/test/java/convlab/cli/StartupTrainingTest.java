package convlab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's start-up cache is trained on {@link StartupTraining}: a command line there that stopped being
 * valid (an option renamed) would only make the cache cover less, silently. So each one must still run: exit 0,
 * or 1 where it checks a wrong answer on purpose, and nothing on stderr.
 */
class StartupTrainingTest {
    @Test
    void everyTrainingCommandStillRuns() {
        for (String[] command : StartupTraining.COMMANDS) {
            CliTestSupport.Result r = CliTestSupport.run(command);
            String what = String.join(" ", command);
            assertTrue(r.exitCode() == 0 || r.exitCode() == 1, what + " -> exit " + r.exitCode() + ": " + r.err());
            assertTrue(r.err().isBlank(), what + " wrote to stderr: " + r.err());
            assertTrue(!r.out().isBlank(), what + " printed nothing");
        }
    }

    @Test
    void trainingSheetRendersAllThreeFormatsWithItsOneDeliberateError(@TempDir Path dir) throws Exception {
        Path sheet = dir.resolve("sheet.md");
        Files.writeString(sheet, StartupTraining.SHEET, StandardCharsets.UTF_8);
        CliTestSupport.Result r = CliTestSupport.run(StartupTraining.sheetCommand(sheet, dir));
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("9 blocks, 1 failed"), r.err());
        for (String f : new String[] {"s.md", "s.html", "s.pdf"}) assertTrue(Files.size(dir.resolve(f)) > 0, f);
    }
}
