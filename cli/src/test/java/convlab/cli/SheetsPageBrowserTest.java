package convlab.cli;

import convlab.web.WebServer;
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
 * The workbench's Sheets page in a real browser, with the renderer {@code convlab serve} gives it (convlab sheet's own):
 * web/frontend/e2e/run.mjs --sheets-only types a sheet, checks the preview (a wrong answer, an error in place, MathML)
 * and downloads the PDF and the Markdown. The other pages are BrowserEndToEndTest's (web module). Skipped as that
 * test is when Chromium is missing outside CI.
 */
class SheetsPageBrowserTest {
    @TempDir Path tmp;

    @Test void sheetPageRendersBlocksInChromium() throws Exception {
        Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
        if (!Files.isExecutable(chromium)) {
            if ("true".equals(System.getenv("CI"))) fail("CI needs Chromium for the browser tests: " + chromium + " is missing");
            Assumptions.abort("browser test skipped: " + chromium + " is missing (scripts/install-deps.sh installs it)");
        }
        Path frontend = Path.of("../web/frontend").toAbsolutePath().normalize();
        assertTrue(Files.isDirectory(frontend.resolve("node_modules/playwright-core")), "npm ci has run (web/frontend/build.sh) in " + frontend);
        Path out = Files.createDirectories(Path.of("target/e2e-sheets").toAbsolutePath());
        Path log = out.resolve("e2e.log");
        try (WebServer server = new WebServer(null, 0, tmp.resolve("reports"), null, new SheetService())) {
            Process p = new ProcessBuilder("node", "e2e/run.mjs", "http://127.0.0.1:" + server.port() + "/", out.toString(), "--sheets-only")
                    .directory(frontend.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(150, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                fail("the browser test did not finish in 150 s; log: " + log);
            }
            String text = Files.readString(log);
            System.out.println(text.strip());
            assertEquals(0, p.exitValue(), "browser test failed (screenshot in " + out + "): " + text);
        }
    }
}
