package convlab.web;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The endpoints of the Sheets page, the explorer's gradient mode and the report browser under bad and hostile
 * requests. The sheet renderer here is a stand-in that takes a set time per block (the real one, convlab sheet's, is
 * in the CLI module and tested there: SheetServiceTest, SheetsPageBrowserTest); what is tested is the server's part:
 * who may ask, the body and block limits, the time limit, and that the server keeps serving.
 */
class SheetAndGradEndpointsTest {
    @TempDir Path tmp;
    WebServer server;
    String host;
    final AtomicInteger rendered = new AtomicInteger();
    volatile long msPerBlock = 0;
    /** How far in the future the server's deadline lay when the last render began (nanoseconds). */
    volatile long deadlineAheadNanos;

    /** Sleeps msPerBlock per block, stopping at the deadline as the real renderer does; the sheet's text comes back as its "HTML". */
    final Sheets slow = new Sheets() {
        @Override public Rendered render(String title, String markdown, long deadlineNanos) {
            if (!title.equals("warm-up")) rendered.incrementAndGet();   // the server renders one small sheet at start
            deadlineAheadNanos = deadlineNanos - System.nanoTime();
            List<convlab.sheet.SheetSource.Part> parts = convlab.sheet.SheetSource.parse(markdown);
            List<Block> blocks = new java.util.ArrayList<>();
            for (convlab.sheet.SheetSource.Part p : parts) {
                if (!(p instanceof convlab.sheet.SheetSource.Block b)) continue;
                if (System.nanoTime() > deadlineNanos) { blocks.add(new Block(b.line(), "failed", "not run: time limit")); continue; }
                try { Thread.sleep(msPerBlock); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
                blocks.add(new Block(b.line(), "ok", null));
            }
            return new Rendered(markdown, "<title>" + title + "</title>", blocks, 0);
        }

        @Override public byte[] pdf(String html) { return "%PDF-1.7 stand-in".getBytes(); }
    };

    @BeforeEach void start() throws IOException {
        server = new WebServer(null, 0, tmp.resolve("reports"), null, slow);
        host = "127.0.0.1:" + server.port();
    }

    @AfterEach void stop() { server.close(); }

    Raw post(String path, String body) throws IOException { return Raw.send(server.port(), "POST", path, host, "", body); }

    static String sheet(int blocks) {
        StringBuilder sb = new StringBuilder("# Problem set\n\n");
        for (int i = 0; i < blocks; i++) sb.append("```convlab\nconv --input \\\"1 2 3\\\" --kernel \\\"1 1\\\"\n```\n\n");
        return "{\"markdown\":\"" + sb.toString().replace("\n", "\\n") + "\"}";
    }

    void stillServing() throws IOException {
        Raw r = post("/api/grad", "{\"kind\":\"conv\",\"input\":\"1 2 3; 4 5 6; 7 8 9\",\"kernel\":\"1 0; 0 -1\",\"gradOutput\":\"1 1; 1 1\"}");
        assertEquals(200, r.status(), r.body());
        assertTrue(r.body().contains("\"gradKernel\":[[[12,16],[24,28]]]"), r.body());
    }

    @Test void aSheetIsRenderedAndTitled() throws IOException {
        Raw r = post("/api/sheet", sheet(2));
        assertEquals(200, r.status(), r.body());
        assertTrue(r.body().contains("<title>Problem set</title>"), r.body());
        assertTrue(r.body().contains("\"status\":\"ok\""), r.body());
        Raw pdf = post("/api/sheet/pdf", sheet(1));
        assertEquals(200, pdf.status());
        assertTrue(pdf.headers().contains("application/pdf") && pdf.headers().contains("attachment"), pdf.headers());
    }

    @Test void wrongHostOrOriginIsForbidden() throws IOException {
        Raw evilHost = Raw.send(server.port(), "POST", "/api/sheet", "evil.example:" + server.port(), "", sheet(1));
        assertEquals(403, evilHost.status());
        Raw evilOrigin = Raw.send(server.port(), "POST", "/api/sheet", host, "Origin: http://evil.example\r\n", sheet(1));
        assertEquals(403, evilOrigin.status());
        Raw crossSite = Raw.send(server.port(), "POST", "/api/grad", host, "Sec-Fetch-Site: cross-site\r\n", "{\"input\":\"1 2\",\"kernel\":\"1\"}");
        assertEquals(403, crossSite.status());
        Raw reports = Raw.send(server.port(), "GET", "/api/reports", host, "Origin: http://evil.example\r\n", null);
        assertEquals(403, reports.status());
        assertEquals(0, rendered.get(), "no refused request reached the renderer");
        stillServing();
    }

    @Test void oversizedSheetsAndTooManyBlocksAreRefused() throws IOException {
        Raw big = post("/api/sheet", "{\"markdown\":\"" + "x".repeat(WebServer.MAX_SHEET_BODY + 10) + "\"}");
        assertEquals(413, big.status(), big.body());
        Raw declared = Raw.send(server.port(), "POST", "/api/sheet", host, "Content-Length: 100000000\r\n", null);
        assertEquals(413, declared.status());
        Raw many = post("/api/sheet", sheet(Sheets.MAX_BLOCKS + 1));
        assertEquals(422, many.status(), many.body());
        assertTrue(many.body().contains("at most " + Sheets.MAX_BLOCKS), many.body());
        Raw bigGrad = post("/api/grad", "{\"input\":\"" + "1 ".repeat(WebServer.MAX_BODY) + "\",\"kernel\":\"1\"}");
        assertEquals(413, bigGrad.status());
        assertEquals(0, rendered.get());
        stillServing();
    }

    @Test void aSheetThatWouldRunTooLongStopsAtTheLimit() throws IOException {
        server.sheetTimeLimitMs(300);
        msPerBlock = 100;
        Raw r = post("/api/sheet", sheet(40));   // 4 s of blocks
        assertEquals(200, r.status(), r.body());
        assertTrue(r.body().contains("not run: time limit"), r.body());
        // The renderer got the configured limit as its deadline (not the wall time of the whole request, which a
        // loaded machine stretches): at most 300 ms ahead when rendering began.
        assertTrue(deadlineAheadNanos <= 300_000_000L, "deadline " + deadlineAheadNanos / 1_000_000 + " ms ahead");
        // one block that runs far past the limit: 503 after the grace period, and the server still serves
        msPerBlock = 6000;
        Raw stuck = post("/api/sheet", sheet(1));
        assertEquals(503, stuck.status(), stuck.body());
        assertTrue(stuck.body().contains("took longer than"), stuck.body());
        stillServing();
    }

    @Test void withoutTheCliThereIsNoSheetRenderer() throws IOException {
        try (WebServer bare = new WebServer(null, 0, tmp.resolve("reports2"), null)) {
            Raw r = Raw.send(bare.port(), "POST", "/api/sheet", "127.0.0.1:" + bare.port(), "", sheet(1));
            assertEquals(501, r.status());
            assertTrue(r.body().contains("./convlab serve"), r.body());
        }
    }

    @Test void badGradientRequestsGetClearErrors() throws IOException {
        Raw kind = post("/api/grad", "{\"kind\":\"softmax\",\"input\":\"1 2\"}");
        assertEquals(400, kind.status());
        assertTrue(kind.body().contains("conv, maxpool or avgpool"), kind.body());
        Raw shape = post("/api/grad", "{\"kind\":\"conv\",\"input\":\"1 2 3; 4 5 6; 7 8 9\",\"kernel\":\"1 0; 0 -1\",\"gradOutput\":\"1 1 1\"}");
        assertEquals(400, shape.status());
        assertTrue(shape.body().contains("dY must have the output's shape"), shape.body());
        Raw file = post("/api/grad", "{\"kind\":\"maxpool\",\"input\":\"1 2; 3 4\",\"gradOutput\":\"@/etc/passwd\"}");
        assertEquals(400, file.status());
        assertTrue(file.body().contains("@file"), file.body());
        Raw window = post("/api/grad", "{\"kind\":\"maxpool\",\"input\":\"1 2; 3 4\",\"size\":1000}");
        assertEquals(422, window.status());
        Raw huge = post("/api/grad", "{\"kind\":\"avgpool\",\"input\":\"" + "1 ".repeat(20000) + "\",\"size\":2}");
        assertEquals(422, huge.status(), huge.body());
        Raw fitted = post("/api/grad", "{\"kind\":\"maxpool\",\"input\":\"1 2 3 4; 5 6 7 8; 9 1 2 3; 4 5 6 7\",\"size\":2,\"gradOutput\":\"1\",\"fit\":true}");
        assertEquals(200, fitted.status(), fitted.body());
        assertTrue(fitted.body().contains("dY set to all ones"), fitted.body());
        stillServing();
    }

    @Test void reportFoldersAreListedWithoutLeavingTheReportFolder() throws IOException {
        Path reports = server.reports();
        Files.createDirectories(reports.resolve("sweeps/lr"));
        Files.writeString(reports.resolve("sweeps/lr/index.html"), "<h1>sweep</h1>");
        Files.writeString(reports.resolve("sweeps/lr/trials.csv"), "lr,seed,acc\n");
        Files.createDirectories(reports.resolve("runs/abc"));
        Files.writeString(reports.resolve("runs/abc/index.html"), "x");
        Files.createDirectories(reports.resolve(".hidden"));
        Files.writeString(reports.resolve(".hidden/index.html"), "x");
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("index.html"), "secret");
        Files.createSymbolicLink(reports.resolve("link"), outside);
        Raw r = Raw.send(server.port(), "GET", "/api/reports", host, "", null);
        assertEquals(200, r.status());
        assertTrue(r.body().contains("\"folder\":\"sweeps/lr\"") && r.body().contains("sweeps/lr/trials.csv"), r.body());
        assertTrue(!r.body().contains("runs/abc") && !r.body().contains("hidden") && !r.body().contains("link"), r.body());
        assertEquals(200, Raw.send(server.port(), "GET", "/reports/sweeps/lr/index.html", host, "", null).status());
        assertEquals(404, Raw.send(server.port(), "GET", "/reports/link/index.html", host, "", null).status());
    }
}
