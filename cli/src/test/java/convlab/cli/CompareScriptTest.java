package convlab.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * bench/compare.py's own checks (its doctests: how many multiply-adds a training step counts, which sets the GFLOP/s
 * and fraction of peak of every row of the README's performance tables). Skipped where no python3 is installed.
 */
class CompareScriptTest {
    @Test void compareScriptsDoctestsPass() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(python), "no /usr/bin/python3");
        Path script = Path.of("..", "bench", "compare.py");
        assertTrue(Files.isRegularFile(script), script + " is missing");
        Process p = new ProcessBuilder(python.toString(), "-m", "doctest", "-v", script.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "doctest did not finish");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("passed and 0 failed") && !out.contains("0 passed"), "no doctest ran: " + out);
    }
}
