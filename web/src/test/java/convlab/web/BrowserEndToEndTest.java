package convlab.web;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The workbench in a real browser: starts the server and runs web/frontend/e2e/run.mjs (playwright-core driving
 * Debian's Chromium). Skipped, saying why, when /usr/bin/chromium is missing on a developer's machine; in CI
 * (CI=true) a missing browser fails the test (scripts/install-deps.sh installs it). Screenshots of a failure go to
 * web/target/e2e/.
 */
class BrowserEndToEndTest {
    @TempDir Path tmp;

    @Test void everyPageWorksInChromium() throws Exception {
        Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
        boolean ci = "true".equals(System.getenv("CI"));
        if (!Files.isExecutable(chromium)) {
            if (ci) fail("CI needs Chromium for the browser tests: " + chromium + " is missing (scripts/install-deps.sh installs the Debian package chromium)");
            Assumptions.abort("browser test skipped: " + chromium + " is missing (apt-get install chromium, or scripts/install-deps.sh)");
        }
        Path frontend = Path.of(System.getenv().getOrDefault("CONVLAB_WEB_FRONTEND", "frontend")).toAbsolutePath();
        assertTrue(Files.isDirectory(frontend.resolve("node_modules/playwright-core")), "npm ci has run (web/frontend/build.sh) in " + frontend);
        Path out = frontend.resolveSibling("target").resolve("e2e");
        // a report folder as a sweep writes it (index.html, a table with a seed column): listed, its seed runs charted
        Path sweep = Files.createDirectories(tmp.resolve("reports/sweep-demo"));
        Files.writeString(sweep.resolve("index.html"), "<!DOCTYPE html><title>sweep</title><h1>sweep demo</h1>");
        Files.writeString(sweep.resolve("trials.csv"), "lr,seed,test_acc,test_loss\n0.01,1,0.71,0.90\n0.01,2,0.69,0.95\n0.01,3,0.74,0.85\n"
                + "0.05,1,0.80,0.60\n0.05,2,0.83,0.55\n0.05,3,0.78,0.66\n0.1,1,0.82,0.58\n0.1,2,0.76,0.70\n0.1,3,0.85,0.50\n");
        try (WebServer server = new WebServer(null, 0, tmp.resolve("reports"), null)) {
            Process p = new ProcessBuilder("node", "e2e/run.mjs", "http://127.0.0.1:" + server.port() + "/", out.toString())
                    .directory(frontend.toFile()).redirectErrorStream(true).redirectOutput(out.resolveSibling("e2e.log").toFile()).start();
            Files.createDirectories(out);
            if (!p.waitFor(170, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                fail("the browser test did not finish in 170 s; log: " + out.resolveSibling("e2e.log"));
            }
            String log = Files.readString(out.resolveSibling("e2e.log"));
            System.out.println(log.strip());
            assertEquals(0, p.exitValue(), "browser test failed (screenshot in " + out + "): " + log);
        }
    }
}
