package convlab.web;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import convlab.data.FashionMnist;
import convlab.optim.Optimizers;
import convlab.spec.Analysis;
import convlab.spec.LayerStats;
import convlab.spec.NamedModels;
import convlab.tensor.Rng;
import convlab.train.TrainRun;
import convlab.train.TrainSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Training runs started from the dashboard (at most {@link #MAX_RUNNING} at once), and the list of every run
 * logged under the report folder's runs/ (these and those of {@code convlab train --dashboard}).
 */
final class TrainJobs {
    static final int MAX_RUNNING = 2, MAX_EPOCHS = 50, MAX_BATCH = 1024;
    /** A model the server will build: parameters and activation floats of one training batch (forward + gradients). */
    static final long MAX_PARAMS = 50_000_000L, MAX_STEP_FLOATS = 200_000_000L;
    static final Pattern RUN_ID = Pattern.compile("[0-9]{8}-[0-9]{6}(-[0-9]{1,4})?");

    private final Path reports;
    private final Semaphore slots = new Semaphore(MAX_RUNNING);
    private final Map<String, Thread> running = new ConcurrentHashMap<>();
    private volatile FashionMnist sample, installed;

    TrainJobs(Path reports) { this.reports = reports; }

    Path runsDir() { return reports.resolve("runs"); }

    /** Starts a run; returns its id at once (the page then follows its events). */
    JsonObject start(JsonObject req) {
        String model = Exchange.str(req, "model", "course-cnn");
        String optimizer = Exchange.str(req, "optimizer", "sgd");
        double lr = Exchange.num(req, "lr", 0.05), momentum = Exchange.num(req, "momentum", 0.9);
        int epochs = (int) Exchange.num(req, "epochs", 1), batch = (int) Exchange.num(req, "batch", 64);
        long seed = (long) Exchange.num(req, "seed", 1);
        String data = Exchange.str(req, "data", "sample");
        if (epochs < 1 || epochs > MAX_EPOCHS) throw new HttpError(400, "epochs must be 1 to " + MAX_EPOCHS + ", got " + epochs);
        if (batch < 1 || batch > MAX_BATCH) throw new HttpError(400, "batch must be 1 to " + MAX_BATCH + ", got " + batch);
        if (!(lr > 0) || !Double.isFinite(lr)) throw new HttpError(400, "lr must be a positive number");
        if (momentum < 0 || momentum >= 1) throw new HttpError(400, "momentum must be in [0, 1)");
        if (!data.equals("sample") && !data.equals("installed")) throw new HttpError(400, "data must be 'sample' or 'installed'");
        if (data.equals("installed") && !installedPresent())
            throw new HttpError(400, "the Fashion-MNIST data set is not installed (Debian package dataset-fashion-mnist); use the embedded sample");
        if (model.length() > SpecApi.MAX_SPEC_CHARS) throw new HttpError(422, "the model spec is too long");
        Analysis a = NamedModels.analyze(model, 1, 28, 28, FashionMnist.CLASS_NAMES.size());
        checkSize(a, batch);
        Optimizers.create(optimizer, NamedModels.build("FLATTEN FC-10", 1, 28, 28, 10, new Rng(0)), lr, momentum, 0, false);  // names the bad optimizer now
        if (!slots.tryAcquire())
            throw new HttpError(429, "at most " + MAX_RUNNING + " training runs at once; stop one or wait for it to finish");
        try {
            TrainSettings ts = TrainSettings.builder().model(model).optimizer(optimizer).lr(lr).momentum(momentum)
                    .epochs(epochs).batch(batch).seed(seed).sampleData(data.equals("sample")).build();
            TrainRun run = TrainRun.open(ts);
            // The library's one description of a run, as `train --dashboard` logs it, and where the run came from.
            Map<String, Object> settings = ts.describe(NamedModels.specOf(model), a.totalParams(),
                    data.equals("sample") ? "embedded sample (6,000 train / 1,000 test)" : "installed Fashion-MNIST");
            settings.put("classes", FashionMnist.CLASS_NAMES);
            settings.put("origin", "workbench");
            RunLog log = RunLog.create(reports, settings, run.model());
            Thread t = Thread.ofPlatform().name("convlab-run-" + log.id()).daemon(true).unstarted(() -> {
                try {
                    run(log, run, data);
                } finally {
                    running.remove(log.id());
                    slots.release();
                }
            });
            running.put(log.id(), t);
            t.start();
            JsonObject o = new JsonObject();
            o.addProperty("id", log.id());
            return o;
        } catch (RuntimeException e) {
            slots.release();
            throw e;
        }
    }

    private void run(RunLog log, TrainRun run, String data) {
        try (run) {
            run.useData(() -> data(data)).start(log).fit();
            log.end("done", null);
        } catch (RunLog.Stopped s) {
            log.end("stopped", s.getMessage());
        } catch (Throwable e) {   // OutOfMemoryError included: the run fails, the server goes on
            log.end("failed", e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private FashionMnist data(String which) throws IOException {
        if (which.equals("sample")) {
            if (sample == null) sample = FashionMnist.loadSample();
            return sample;
        }
        if (installed == null) installed = FashionMnist.loadDirectory(Path.of(FashionMnist.DEBIAN_DIR), "Debian package dataset-fashion-mnist");
        return installed;
    }

    static boolean installedPresent() {
        Path d = Path.of(FashionMnist.DEBIAN_DIR);
        return Files.isRegularFile(d.resolve("train-images-idx3-ubyte.gz")) || Files.isRegularFile(d.resolve("train-images-idx3-ubyte"));
    }

    /** Refuses a model the server could not hold: too many parameters, or a batch whose activations would not fit. */
    static void checkSize(Analysis a, int batch) {
        if (a.totalParams() > MAX_PARAMS)
            throw new HttpError(422, "the model has " + a.totalParams() + " parameters; the workbench trains at most " + MAX_PARAMS);
        long perExample = a.input().numel();
        for (LayerStats s : a.layers()) perExample += s.output().numel();
        if (perExample > MAX_STEP_FLOATS / 2 / batch)
            throw new HttpError(422, "one batch of " + batch + " would need " + (perExample * batch * 2 * 4 >> 20)
                    + " MB of activations and gradients; the workbench allows " + (MAX_STEP_FLOATS * 4 >> 20) + " MB (use a smaller batch or model)");
    }

    /** Asks a run (of this server or of another process) to stop at its next step. */
    void stop(String id) throws IOException {
        Path dir = runDir(id);
        Files.writeString(dir.resolve("stop"), "stop requested from the workbench\n");
    }

    Path runDir(String id) {
        if (!RUN_ID.matcher(id).matches()) throw new HttpError(404, "no run '" + id + "'");
        Path d = runsDir().resolve(id);
        if (!Files.isRegularFile(d.resolve("events.jsonl"))) throw new HttpError(404, "no run '" + id + "'");
        return d;
    }

    /** Whether the run's writer is still at work: a thread of this server, or the process that started it. */
    boolean alive(String id, JsonObject start) {
        if (running.containsKey(id)) return true;
        if (start == null || !start.has("pid")) return false;
        long pid = start.get("pid").getAsLong();
        if (pid == ProcessHandle.current().pid()) return false;
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    static JsonObject firstLine(Path events) {
        try (Stream<String> lines = Files.lines(events, StandardCharsets.UTF_8)) {
            return lines.findFirst().map(l -> JsonParser.parseString(l).getAsJsonObject()).orElse(null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Every run under runs/, newest first: id, settings, status (running, done, stopped, failed, interrupted). */
    JsonArray list() throws IOException {
        List<Path> dirs = new ArrayList<>();
        if (Files.isDirectory(runsDir()))
            try (Stream<Path> s = Files.list(runsDir())) {
                s.filter(p -> RUN_ID.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p.resolve("events.jsonl"))).forEach(dirs::add);
            }
        dirs.sort((x, y) -> y.getFileName().toString().compareTo(x.getFileName().toString()));
        JsonArray out = new JsonArray();
        for (Path d : dirs.subList(0, Math.min(dirs.size(), 200))) {
            String id = d.getFileName().toString();
            JsonObject start = firstLine(d.resolve("events.jsonl"));
            JsonObject o = new JsonObject();
            o.addProperty("id", id);
            if (start != null) o.add("settings", start);
            String last = lastLine(d.resolve("events.jsonl"));
            String status = "interrupted";
            if (last != null && last.contains("\"type\":\"end\"")) status = JsonParser.parseString(last).getAsJsonObject().get("status").getAsString();
            else if (alive(id, start)) status = "running";
            o.addProperty("status", status);
            out.add(o);
        }
        return out;
    }

    private static String lastLine(Path f) {
        try (var raf = new java.io.RandomAccessFile(f.toFile(), "r")) {
            long len = raf.length();
            int n = (int) Math.min(len, 4096);
            byte[] b = new byte[n];
            raf.seek(len - n);
            raf.readFully(b);
            String[] lines = new String(b, StandardCharsets.UTF_8).strip().split("\n");
            return lines.length == 0 ? null : lines[lines.length - 1];
        } catch (IOException e) {
            return null;
        }
    }
}
