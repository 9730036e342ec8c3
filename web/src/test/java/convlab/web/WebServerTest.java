package convlab.web;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import convlab.explain.Answer;
import convlab.explain.ConvCheck;
import convlab.explain.ConvSettings;
import convlab.explain.MatrixParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server's answers to bad and hostile requests: each gets a clear error, and the server keeps serving. */
class WebServerTest {
    @TempDir Path tmp;
    WebServer server;
    String host;

    @BeforeEach void start() throws IOException {
        server = new WebServer(null, 0, tmp.resolve("reports"), null);
        host = "127.0.0.1:" + server.port();
    }

    @AfterEach void stop() { server.close(); }

    Raw get(String path) throws IOException { return Raw.send(server.port(), "GET", path, host, "", null); }

    Raw post(String path, String body) throws IOException { return Raw.send(server.port(), "POST", path, host, "", body); }

    void stillServing() throws IOException {
        Raw r = post("/api/summary", "{\"spec\":\"CONV3-10 POOL2 FLATTEN FC-10\"}");
        assertEquals(200, r.status(), r.body());
        assertTrue(r.body().contains("\"params\":19710"), r.body());
    }

    @Test void servesThePageAndTheBundle() throws IOException {
        Raw page = get("/");
        assertEquals(200, page.status());
        assertTrue(page.body().contains("/static/app.js"));
        Raw js = get("/static/app.js");
        assertEquals(200, js.status());
        assertTrue(js.headers().contains("text/javascript"));
        assertTrue(js.body().length() > 10_000, "the bundle holds uPlot and the pages");
    }

    @Test void wrongHostIsForbidden() throws IOException {
        for (String h : new String[] {"evil.example:" + server.port(), "evil.example", "127.0.0.1:1", "localhost.evil.example:" + server.port()}) {
            Raw r = Raw.send(server.port(), "GET", "/", h, "", null);
            assertEquals(403, r.status(), h);
            assertTrue(r.body().contains("is not this server"), r.body());
        }
        assertEquals(200, Raw.send(server.port(), "GET", "/", "localhost:" + server.port(), "", null).status());
        stillServing();
    }

    @Test void crossOriginRequestsAreForbidden() throws IOException {
        Raw evil = Raw.send(server.port(), "POST", "/api/runs", host, "Origin: http://evil.example\r\n", "{\"epochs\":1}");
        assertEquals(403, evil.status());
        assertTrue(evil.body().contains("cross-origin request from 'http://evil.example'"), evil.body());
        Raw site = Raw.send(server.port(), "POST", "/api/summary", host, "Sec-Fetch-Site: cross-site\r\n", "{\"spec\":\"FLATTEN FC-10\"}");
        assertEquals(403, site.status());
        Raw same = Raw.send(server.port(), "POST", "/api/summary", host, "Origin: http://" + host + "\r\n", "{\"spec\":\"FLATTEN FC-10\"}");
        assertEquals(200, same.status(), same.body());
        assertTrue(TrainJobs.RUN_ID.matcher("x").matches() == false);
        assertTrue(!Files.exists(server.reports().resolve("runs")), "the refused request started no run");
    }

    @Test void oversizedBodiesAreRefused() throws IOException {
        Raw declared = Raw.send(server.port(), "POST", "/api/conv", host, "Content-Length: 10000000\r\n", null);
        assertEquals(413, declared.status());
        assertTrue(declared.body().contains("larger than the server accepts (65536 bytes)"), declared.body());
        // No Content-Length: a chunked upload is cut off once it passes the limit.
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream o = s.getOutputStream();
            o.write(("POST /api/conv HTTP/1.1\r\nHost: " + host + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            byte[] chunk = "a".repeat(8192).getBytes(StandardCharsets.UTF_8);
            try {
                for (int i = 0; i < 20; i++) {
                    o.write(("2000\r\n").getBytes(StandardCharsets.UTF_8));
                    o.write(chunk);
                    o.write("\r\n".getBytes(StandardCharsets.UTF_8));
                }
                o.write("0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
                o.flush();
            } catch (IOException closedEarly) { /* the server may stop reading once it has refused */ }
            Raw r = Raw.read(s.getInputStream());
            assertEquals(413, r.status());
        }
        stillServing();
    }

    @Test void unknownPathsAreNotFound() throws IOException {
        for (String p : new String[] {"/nope", "/api/nope", "/static/secret.js", "/static/../pom.xml", "/api/runs/../../etc/passwd/events", "/api/experiments/no-such/events"}) {
            Raw r = get(p);
            assertEquals(404, r.status(), p + " " + r.body());
            assertTrue(r.body().startsWith("{\"error\":"), r.body());
        }
        for (String method : new String[] {"HEAD", "PUT", "DELETE", "OPTIONS"}) {
            Raw r = Raw.send(server.port(), method, "/api/runs", host, "", null);
            assertEquals(405, r.status(), method);
        }
        stillServing();
    }

    @Test void reportFilesCannotLeaveTheReportFolder() throws IOException {
        Files.writeString(tmp.resolve("secret.txt"), "secret");
        Files.createDirectories(server.reports().resolve("exp"));
        Files.writeString(server.reports().resolve("exp/numbers.csv"), "a,b\n1,2\n");
        Files.createSymbolicLink(server.reports().resolve("exp/link.txt"), tmp.resolve("secret.txt"));
        assertEquals(200, get("/reports/exp/numbers.csv").status());
        for (String p : new String[] {"/reports/../secret.txt", "/reports/%2e%2e/secret.txt", "/reports/exp/..%2f..%2fsecret.txt",
                "/reports/exp/link.txt", "/reports//etc/passwd", "/reports/%2fetc%2fpasswd", "/reports/exp/%00", "/reports/.hidden"}) {
            Raw r = get(p);
            assertEquals(404, r.status(), p);
            assertTrue(!r.body().contains("secret\""), p);
        }
        Raw file = post("/api/conv", "{\"input\":\"@" + tmp.resolve("secret.txt") + "\",\"kernel\":\"1\"}");
        assertEquals(400, file.status());
        assertTrue(file.body().contains("@file is a command-line form"), file.body());
        stillServing();
    }

    @Test void sweepReportFoldersAreListedAndServed() throws IOException {
        Path sweep = Files.createDirectories(server.reports().resolve("lr-sweep"));
        Files.writeString(sweep.resolve("sweep.json"), "{\"grid\": \"lr=0.01,0.05\", \"trials\": 2}");
        Files.writeString(sweep.resolve("results.json"), "{\"results\": {\"trials\": 2, \"best_final_test_acc\": 0.81}}");
        Files.writeString(sweep.resolve("index.html"), "<h1>Sweep</h1>");
        Files.createDirectories(server.reports().resolve("not-a-sweep"));
        Raw list = get("/api/sweeps");
        assertEquals(200, list.status(), list.body());
        assertTrue(list.body().contains("\"name\":\"lr-sweep\"") && list.body().contains("lr=0.01,0.05") && list.body().contains("0.81"), list.body());
        assertTrue(!list.body().contains("not-a-sweep"), list.body());
        assertEquals(200, get("/reports/lr-sweep/index.html").status());
    }

    @Test void specsTooBigForMemoryAreRefusedBeforeBuilding() throws IOException {
        Raw params = post("/api/runs", "{\"model\":\"FLATTEN FC-1000000 FC-1000000 FC-10\",\"epochs\":1}");
        assertEquals(422, params.status(), params.body());
        assertTrue(params.body().contains("parameters; the workbench trains at most"), params.body());
        Raw acts = post("/api/runs", "{\"model\":\"CONV3-100000 GAP FC-10\",\"epochs\":1}");
        assertEquals(422, acts.status(), acts.body());
        assertTrue(acts.body().contains("MB of activations"), acts.body());
        Raw count = post("/api/summary", "{\"spec\":\"CONV3-1000000 CONV3-1000000 FLATTEN FC-1000000\",\"input\":\"1000000x1000000x3\"}");
        assertTrue(count.status() == 200 || count.status() == 400 || count.status() == 422, count.body());
        Raw badSpec = post("/api/summary", "{\"spec\":\"CONV3-10 POOLX FC-10\"}");
        assertEquals(400, badSpec.status());
        JsonObject e = JsonParser.parseString(badSpec.body()).getAsJsonObject();
        assertEquals(9, e.get("pos").getAsInt());
        assertEquals(5, e.get("length").getAsInt());
        Raw bigKernel = post("/api/conv", "{\"input\":\"1 2; 3 4\",\"kernel\":\"" + "1 ".repeat(40).strip() + ("; " + "1 ".repeat(40).strip()).repeat(39) + "\"}");
        assertEquals(422, bigKernel.status(), bigKernel.body());
        assertEquals(400, post("/api/conv", "not json").status());
        assertEquals(400, post("/api/runs", "{\"epochs\":1000}").status());
        assertTrue(!Files.exists(server.reports().resolve("runs")) || Files.list(server.reports().resolve("runs")).findAny().isEmpty(), "no run was started");
        stillServing();
    }

    @Test void convolutionAnswersAsTheCliChecks() throws IOException {
        Raw r = post("/api/conv", "{\"input\":\"1 2 3; 4 5 6; 7 8 9\",\"kernel\":\"1 0; 0 -1\",\"flip\":true,\"answer\":\"-4 -4; -4 -4\"}");
        assertEquals(200, r.status(), r.body());
        JsonObject o = JsonParser.parseString(r.body()).getAsJsonObject();
        var spec = new ConvSettings("1", "0", "zeros", "1", "0", true, false, null).spec(false, 2, 2);
        ConvCheck.Verdict v = ConvCheck.check(MatrixParser.parse("1 2 3; 4 5 6; 7 8 9"), MatrixParser.parse("1 0; 0 -1"), spec, Answer.parse("-4 -4; -4 -4"));
        assertEquals(v.worksheet().toText(), o.getAsJsonObject("check").get("text").getAsString());
        assertTrue(o.getAsJsonObject("check").get("text").getAsString().contains("kernel not flipped"));
        assertEquals("[[4,4],[4,4]]", o.get("output").toString());
        assertEquals("y[0,0] = 1·(-1) + 2·0 + 4·0 + 5·1 = 4", o.getAsJsonArray("entries").get(0).getAsJsonObject().get("text").getAsString());
    }

    @Test void atMostTwoTrainingRunsAtOnce() throws Exception {
        String req = "{\"model\":\"mlp\",\"epochs\":50,\"lr\":0.01}";
        Raw a = post("/api/runs", req), b = post("/api/runs", req), c = post("/api/runs", req);
        assertEquals(200, a.status(), a.body());
        assertEquals(200, b.status(), b.body());
        assertEquals(429, c.status(), c.body());
        assertTrue(c.body().contains("at most 2 training runs at once"), c.body());
        for (Raw r : new Raw[] {a, b}) {
            String id = JsonParser.parseString(r.body()).getAsJsonObject().get("id").getAsString();
            assertEquals(200, post("/api/runs/" + id + "/stop", "{}").status());
        }
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline && get("/api/runs").body().contains("\"running\"")) Thread.sleep(200);
        String list = get("/api/runs").body();
        assertTrue(!list.contains("\"running\"") && list.contains("\"stopped\""), list);
        assertEquals(200, post("/api/runs", "{\"model\":\"mlp\",\"epochs\":1}").status(), "slots are free again");
        stillServing();
    }

    @Test void anExplicitHostNeedsTheToken() throws IOException {
        try (WebServer open = new WebServer("127.0.0.1", 0, tmp.resolve("r2"), "s3cret")) {
            String h = "127.0.0.1:" + open.port();
            assertTrue(open.address().endsWith("?token=s3cret"), open.address());
            Raw none = Raw.send(open.port(), "GET", "/", h, "", null);
            assertEquals(403, none.status());
            assertTrue(none.body().contains("access token"), none.body());
            assertEquals(403, Raw.send(open.port(), "GET", "/?token=wrong", h, "", null).status());
            Raw withQuery = Raw.send(open.port(), "GET", "/?token=s3cret", h, "", null);
            assertEquals(200, withQuery.status());
            assertTrue(withQuery.headers().toLowerCase(java.util.Locale.ROOT).contains("set-cookie: convlab_token=s3cret; path=/; httponly; samesite=strict"), withQuery.headers());
            assertEquals(200, Raw.send(open.port(), "GET", "/api/runs", h, "Cookie: convlab_token=s3cret\r\n", null).status());
            assertEquals(200, Raw.send(open.port(), "GET", "/api/runs", h, "X-Convlab-Token: s3cret\r\n", null).status());
            assertEquals(403, Raw.send(open.port(), "GET", "/?token=s3cret", "evil.example:" + open.port(), "", null).status());
        }
    }
}
