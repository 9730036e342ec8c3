package convlab.web;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The workbench's HTTP server (the JDK's com.sun.net.httpserver): the bundled pages, a JSON API over the library
 * (the same calls as the CLI) and live updates as server-sent events. See {@link Guard} for who may connect.
 *
 * <p>Every request is bounded: bodies at most {@link #MAX_BODY} bytes, calculator requests by the sizes in
 * {@link ConvApi} and {@link SpecApi} with at most {@link #COMPUTE_SLOTS} at once, at most {@link #MAX_STREAMS} live
 * event streams, at most {@link TrainJobs#MAX_RUNNING} training runs. Files are served only from the report folder.
 */
public final class WebServer implements AutoCloseable {
    static final int MAX_BODY = 64 * 1024, COMPUTE_SLOTS = 2, MAX_STREAMS = 16;
    /** A sheet's Markdown may be larger than a calculator request: a problem set with its prose. */
    static final int MAX_SHEET_BODY = 256 * 1024;
    private static final Pattern STATIC = Pattern.compile("/static/([a-z0-9_-]+\\.(js|css|html))");
    private static final Pattern RUN = Pattern.compile("/api/runs/([^/]+)(/events|/stop)?");
    private static final Pattern EXPERIMENT = Pattern.compile("/api/experiments/([a-z0-9-]+)(/events|/files)?");
    private static final Map<String, String> TYPES = Map.of("js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
            "html", "text/html; charset=utf-8", "png", "image/png", "csv", "text/csv; charset=utf-8", "json", "application/json; charset=utf-8",
            "jsonl", "application/json; charset=utf-8", "txt", "text/plain; charset=utf-8", "svg", "image/svg+xml", "md", "text/plain; charset=utf-8");

    static {
        // Without TCP_NODELAY the JDK server's separate header and body writes meet the browser's delayed ACK:
        // ~40-90 ms per answer on loopback instead of ~2 ms. Read once, when the server classes load.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Guard guard;
    private final Path reports;
    private final TrainJobs runs;
    private final ExperimentJobs experiments;
    private final Semaphore compute = new Semaphore(COMPUTE_SLOTS), streams = new Semaphore(MAX_STREAMS);
    private final String address;
    private final Sheets sheets;
    private final Semaphore sheetSlot = new Semaphore(1);
    private volatile long sheetTimeLimitMs = Sheets.TIME_LIMIT_MS;

    /**
     * Starts serving. host null: 127.0.0.1 only, no token. A host given: listens there and every request needs
     * the token (a fresh random one when token is null). port 0 picks a free port.
     */
    public WebServer(String host, int port, Path reports, String token) throws IOException {
        this(host, port, reports, token, null);
    }

    /** As above, with the Sheets page rendered by sheets (null: the page says that it needs {@code convlab serve}). */
    public WebServer(String host, int port, Path reports, String token, Sheets sheets) throws IOException {
        this.sheets = sheets;
        this.reports = reports.toAbsolutePath().normalize();
        Files.createDirectories(this.reports);
        boolean local = host == null;
        String bind = local ? "127.0.0.1" : host;
        InetAddress addr = InetAddress.getByName(bind);
        server = HttpServer.create(new InetSocketAddress(addr, port), 64);
        int actual = server.getAddress().getPort();
        Set<String> hosts = new LinkedHashSet<>();
        if (local || addr.isLoopbackAddress()) {
            hosts.add("127.0.0.1:" + actual);
            hosts.add("localhost:" + actual);
            hosts.add("[::1]:" + actual);
        }
        if (!local && !addr.isAnyLocalAddress()) hosts.add(hostForUrl(bind) + ":" + actual);
        if (!local && addr.isAnyLocalAddress()) hosts.clear();   // any name may reach it; the token decides
        String tok = local ? null : token != null ? token : HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        this.guard = new Guard(hosts, tok);
        this.runs = new TrainJobs(this.reports);
        this.experiments = new ExperimentJobs(this.reports);
        String shownHost = local ? "127.0.0.1" : addr.isAnyLocalAddress() ? "127.0.0.1" : hostForUrl(bind);
        this.address = "http://" + shownHost + ":" + actual + "/" + (tok == null ? "" : "?token=" + tok);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        executor.submit(WebServer::warmUp);
        if (sheets != null) executor.submit(this::warmUpSheets);
    }

    /** Loads and compiles the calculators' code once at start, so the first page's first answer is not the slow one. */
    private static void warmUp() {
        try {
            JsonObject conv = new JsonObject();
            conv.addProperty("input", "1 2 3 0; 4 5 6 1; 7 8 9 2; 1 0 1 0");
            conv.addProperty("kernel", "1 0; 0 -1");
            conv.addProperty("padding", "1");
            conv.addProperty("answer", "1 2; 3 4");
            JsonObject spec = new JsonObject();
            spec.addProperty("spec", "CONV3-10 POOL2 CONV3-10 POOL2 FLATTEN FC-10");
            for (int i = 0; i < 20; i++) {
                ConvApi.handle(conv);
                SpecApi.handle(spec);
            }
        } catch (RuntimeException ignored) { /* a warm-up only */ }
    }

    /** Runs one small sheet at start (the CLI's command tree and the renderer load once), so the page's first preview is not the slow one. */
    private void warmUpSheets() {
        if (!sheetSlot.tryAcquire()) return;
        try {
            sheets.render("warm-up", "# warm-up\n\n```convlab\nconv --input \"1 2 3\" --kernel \"1 1\"\n```\n", System.nanoTime() + 10_000_000_000L);
        } catch (RuntimeException ignored) { /* a warm-up only */ } finally {
            sheetSlot.release();
        }
    }

    private static String hostForUrl(String h) {
        return h.contains(":") && !h.startsWith("[") ? "[" + h.toLowerCase(Locale.ROOT) + "]" : h.toLowerCase(Locale.ROOT);
    }

    /** The address to open (with the token when one is needed). */
    public String address() { return address; }

    public int port() { return server.getAddress().getPort(); }

    public Path reports() { return reports; }

    @Override public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) {
        try {
            try {
                boolean setCookie = guard.check(ex);
                if (setCookie) ex.getResponseHeaders().add("Set-Cookie", Guard.COOKIE + "=" + guard.token() + "; Path=/; HttpOnly; SameSite=Strict");
                route(ex);
            } catch (HttpError e) {
                Exchange.error(ex, e.status, e.getMessage());
            } catch (IllegalArgumentException e) {
                Exchange.json(ex, 400, SpecApi.error(e));
            } catch (OutOfMemoryError e) {
                Exchange.error(ex, 507, "the server ran out of memory for this request; try something smaller");
            }
        } catch (IOException | RuntimeException e) {
            try {
                Exchange.error(ex, 500, "internal error: " + e);
            } catch (IOException | RuntimeException gone) {
                ex.close();
            }
        }
    }

    private void route(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod(), path = ex.getRequestURI().getRawPath();
        boolean get = method.equals("GET"), post = method.equals("POST");
        if (!get && !post) throw new HttpError(405, method + " is not answered here (GET and POST only)");
        Matcher m;
        if (path.equals("/") && get) { resource(ex, "index.html"); return; }
        if (path.equals("/favicon.ico") && get) { Exchange.send(ex, 204, "image/x-icon", new byte[0]); return; }
        if ((m = STATIC.matcher(path)).matches() && get) {
            String name = m.group(1).equals("app.js") || m.group(1).equals("app.css") || m.group(1).equals("index.html") ? m.group(1) : null;
            if (name == null) throw new HttpError(404, "no such file: " + path);
            resource(ex, name);
            return;
        }
        if (path.equals("/api/conv") && post) { computed(ex, () -> ConvApi.handle(Exchange.jsonBody(ex, MAX_BODY))); return; }
        if (path.equals("/api/grad") && post) { computed(ex, () -> GradApi.handle(Exchange.jsonBody(ex, MAX_BODY))); return; }
        if (path.equals("/api/sheet") && post) { sheet(ex, false); return; }
        if (path.equals("/api/sheet/pdf") && post) { sheet(ex, true); return; }
        if (path.equals("/api/reports") && get) { Exchange.json(ex, 200, ReportFolders.list(reports)); return; }
        if (path.equals("/api/summary") && post) { computed(ex, () -> SpecApi.handle(Exchange.jsonBody(ex, MAX_BODY))); return; }
        if (path.equals("/api/models") && get) { Exchange.json(ex, 200, modelsInfo()); return; }
        if (path.equals("/api/runs") && get) { Exchange.json(ex, 200, runs.list()); return; }
        if (path.equals("/api/runs") && post) { Exchange.json(ex, 200, runs.start(Exchange.jsonBody(ex, MAX_BODY))); return; }
        if ((m = RUN.matcher(path)).matches()) {
            String id = m.group(1), what = m.group(2);
            Path dir = runs.runDir(id);
            if ("/stop".equals(what) && post) { runs.stop(id); Exchange.json(ex, 200, Map.of("stopping", id)); return; }
            if ("/events".equals(what) && get) {
                JsonObject start = TrainJobs.firstLine(dir.resolve("events.jsonl"));
                stream(ex, dir.resolve("events.jsonl"), () -> runs.alive(id, start));
                return;
            }
        }
        if (path.equals("/api/experiments") && get) { Exchange.json(ex, 200, experiments.list()); return; }
        if (path.equals("/api/sweeps") && get) { Exchange.json(ex, 200, new SweepReports(reports).list()); return; }
        if ((m = EXPERIMENT.matcher(path)).matches()) {
            String name = m.group(1), what = m.group(2);
            experiments.byName(name);
            if (what == null && post) {
                JsonObject req = Exchange.jsonBody(ex, MAX_BODY);
                experiments.start(name, !req.has("quick") || Exchange.bool(req, "quick"), (long) Exchange.num(req, "seed", 1));
                Exchange.json(ex, 200, Map.of("started", name));
                return;
            }
            if ("/events".equals(what) && get) { stream(ex, experiments.log(name), () -> experiments.isRunning(name)); return; }
            if ("/files".equals(what) && get) { Exchange.json(ex, 200, experiments.files(name)); return; }
        }
        if (path.startsWith("/reports/") && get) { reportFile(ex, path.substring("/reports/".length())); return; }
        if (path.startsWith("/api/") || path.startsWith("/static/") || path.startsWith("/reports/"))
            throw new HttpError(404, "no " + method + " " + path + " here");
        throw new HttpError(404, "no page " + path + " (the workbench is at /)");
    }

    private interface Computation { Object run() throws IOException; }

    /** A calculator request, at most COMPUTE_SLOTS at once (others wait up to 5 s, then get 503). */
    private void computed(HttpExchange ex, Computation c) throws IOException {
        boolean got;
        try {
            got = compute.tryAcquire(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            got = false;
        }
        if (!got) throw new HttpError(503, "the server is busy with other calculations; try again");
        try {
            Exchange.json(ex, 200, c.run());
        } finally {
            compute.release();
        }
    }

    /** For tests: a shorter time limit per sheet render. */
    void sheetTimeLimitMs(long ms) { sheetTimeLimitMs = ms; }

    /**
     * A sheet rendered for the preview (JSON: Markdown, HTML, each block's outcome) or as a PDF. Bounded: the body
     * (MAX_SHEET_BODY), the number of blocks (Sheets.MAX_BLOCKS, counted before anything runs), one render at a
     * time, and the time: blocks not started within the limit are shown as not run; a render still busy well after
     * it gets 503 (the slot is freed only when the render ends).
     */
    private void sheet(HttpExchange ex, boolean pdf) throws IOException {
        if (sheets == null) throw new HttpError(501, "sheets are rendered by the convlab CLI: start the workbench with ./convlab serve");
        JsonObject req = Exchange.jsonBody(ex, MAX_SHEET_BODY);
        String text = Exchange.str(req, "markdown", "");
        long blocks = convlab.sheet.SheetSource.parse(text).stream().filter(p -> p instanceof convlab.sheet.SheetSource.Block).count();
        if (blocks > Sheets.MAX_BLOCKS)
            throw new HttpError(422, "the sheet has " + blocks + " convlab blocks; the workbench renders at most " + Sheets.MAX_BLOCKS
                    + " at once (convlab sheet FILE.md renders any number)");
        boolean got;
        try {
            got = sheetSlot.tryAcquire(15, TimeUnit.SECONDS);   // renders are one at a time; a waiting request costs nothing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            got = false;
        }
        if (!got) throw new HttpError(503, "the server is rendering another sheet; try again");
        long limit = sheetTimeLimitMs, t0 = System.nanoTime();
        java.util.concurrent.CompletableFuture<Object> job = new java.util.concurrent.CompletableFuture<>();
        Thread.ofVirtual().name("convlab-sheet").start(() -> {
            try {
                Sheets.Rendered r = sheets.render(convlab.sheet.SheetSource.title(text, "sheet"), text, t0 + limit * 1_000_000L);
                job.complete(pdf ? sheets.pdf(r.html()) : r);
            } catch (Throwable t) {
                job.completeExceptionally(t);
            } finally {
                sheetSlot.release();
            }
        });
        Object result;
        try {
            // blocks stop at the limit; typesetting the PDF of at most MAX_BLOCKS results may take longer on a loaded machine
            result = job.get(limit + (pdf ? 60_000 : 5_000), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new HttpError(503, "the sheet took longer than " + (limit / 1000) + " s to render (one block runs long); shorten it, or use convlab sheet in a terminal");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpError(503, "interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IllegalArgumentException bad) throw new HttpError(422, bad.getMessage());
            if (e.getCause() instanceof OutOfMemoryError) throw new HttpError(507, "the server ran out of memory for this sheet; try something smaller");
            throw new HttpError(500, "the sheet could not be rendered: " + e.getCause());
        }
        if (result instanceof byte[] bytes) {
            ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"sheet.pdf\"");
            Exchange.send(ex, 200, "application/pdf", bytes);
            return;
        }
        Sheets.Rendered r = (Sheets.Rendered) result;
        JsonObject o = new JsonObject();
        o.addProperty("markdown", r.markdown());
        o.addProperty("html", r.html());
        o.add("blocks", Exchange.GSON.toJsonTree(r.blocks()));
        o.addProperty("exitCode", r.exitCode());
        o.addProperty("ms", (System.nanoTime() - t0) / 1e6);
        Exchange.json(ex, 200, o);
    }

    private void stream(HttpExchange ex, Path file, java.util.function.BooleanSupplier alive) throws IOException {
        if (!streams.tryAcquire()) throw new HttpError(503, "too many live pages (" + MAX_STREAMS + " event streams); close some tabs");
        try {
            EventTail.stream(ex, file, alive);
        } finally {
            streams.release();
        }
    }

    private static JsonObject modelsInfo() {
        JsonObject o = new JsonObject();
        o.add("named", Exchange.GSON.toJsonTree(convlab.spec.NamedModels.named()));
        o.add("optimizers", Exchange.GSON.toJsonTree(new String[] {"sgd", "nesterov", "adam", "adamw", "rmsprop", "adagrad", "signsgd", "signum", "muon"}));
        o.addProperty("installedData", TrainJobs.installedPresent());
        return o;
    }

    private static void resource(HttpExchange ex, String name) throws IOException {
        try (InputStream in = WebServer.class.getResourceAsStream("/convlab/web/static/" + name)) {
            if (in == null) throw new HttpError(500, "the front end is missing from the jar (" + name + "): rebuild with mvn package -pl web");
            String ext = name.substring(name.lastIndexOf('.') + 1);
            Exchange.send(ex, 200, TYPES.get(ext), in.readAllBytes());
        }
    }

    /** A file of the report folder; the path may not leave it (no "..", no hidden names, no links pointing out). */
    private void reportFile(HttpExchange ex, String rel) throws IOException {
        String decoded = java.net.URLDecoder.decode(rel.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        for (String part : decoded.split("/"))
            if (part.isEmpty() || part.startsWith(".") || part.contains("\\") || part.indexOf('\0') >= 0)
                throw new HttpError(404, "no report file '" + decoded + "'");
        Path p = reports.resolve(decoded).normalize();
        if (!p.startsWith(reports) || !Files.isRegularFile(p)) throw new HttpError(404, "no report file '" + decoded + "'");
        Path real = p.toRealPath(), root = reports.toRealPath();
        if (!real.startsWith(root) || !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) throw new HttpError(404, "no report file '" + decoded + "'");
        String name = p.getFileName().toString();
        String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT));
        if (type == null) type = "application/octet-stream";
        if (Files.size(real) > 64L << 20) throw new HttpError(413, "the file is larger than the workbench serves (64 MB)");
        Exchange.send(ex, 200, type, Files.readAllBytes(real));
    }
}
