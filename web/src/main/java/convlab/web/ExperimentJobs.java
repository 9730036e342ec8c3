package convlab.web;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import convlab.experiment.Experiment;
import convlab.experiment.ExperimentProgress;
import convlab.experiment.Experiments;
import convlab.report.Results;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Experiments run from the workbench, one at a time, into the report folder (reports/NAME, as
 * {@code convlab experiment NAME} writes it); their progress goes to reports/experiment-log/NAME.jsonl, which
 * the page follows as server-sent events, and the numbers they write are served as files for download.
 */
final class ExperimentJobs {
    private final Path reports;
    private final AtomicReference<String> running = new AtomicReference<>();

    ExperimentJobs(Path reports) { this.reports = reports; }

    JsonArray list() {
        JsonArray a = new JsonArray();
        for (Experiment e : Experiments.all()) {
            JsonObject o = new JsonObject();
            o.addProperty("name", e.name());
            o.addProperty("description", e.description());
            o.addProperty("hasReport", Files.isRegularFile(reports.resolve(e.name()).resolve("index.html")));
            o.addProperty("running", e.name().equals(running.get()));
            a.add(o);
        }
        return a;
    }

    Experiment byName(String name) {
        for (Experiment e : Experiments.all()) if (e.name().equals(name)) return e;
        throw new HttpError(404, "no experiment '" + name + "' (the list: GET /api/experiments)");
    }

    Path log(String name) { return reports.resolve("experiment-log").resolve(name + ".jsonl"); }

    boolean isRunning(String name) { return name.equals(running.get()); }

    void start(String name, boolean quick, long seed) throws IOException {
        Experiment e = byName(name);
        if (!running.compareAndSet(null, name))
            throw new HttpError(429, "the experiment " + running.get() + " is running; one experiment at a time");
        try {
            Files.createDirectories(log(name).getParent());
            BufferedWriter w = Files.newBufferedWriter(log(name), StandardCharsets.UTF_8);
            Thread.ofPlatform().name("convlab-experiment-" + name).daemon(true).start(() -> run(e, quick, seed, w));
        } catch (IOException | RuntimeException ex) {
            running.set(null);
            throw ex;
        }
    }

    private void run(Experiment e, boolean quick, long seed, BufferedWriter w) {
        try (w) {
            line(w, event("start", "quick", quick));
            long t0 = System.nanoTime();
            Results r;
            try {
                r = e.run(reports.resolve(e.name()), quick, seed, new ExperimentProgress() {
                    @Override public void phase(String name, int units) {
                        JsonObject o = event("phase", "name", name);
                        o.addProperty("units", units);
                        line(w, o);
                    }

                    @Override public void step(String note) { line(w, event("step", "note", note)); }
                });
            } catch (Throwable t) {
                JsonObject o = event("end", "status", "failed");
                o.addProperty("message", t.getMessage() == null ? t.toString() : t.getMessage());
                line(w, o);
                return;
            }
            JsonObject o = event("end", "status", "done");
            o.addProperty("seconds", (System.nanoTime() - t0) / 1e9);
            o.add("results", Exchange.GSON.toJsonTree(r.asMap()));
            line(w, o);
        } catch (IOException ignored) {
            // the log could not be closed; the report folder has the results
        } finally {
            running.set(null);
        }
    }

    private static JsonObject event(String type, String key, Object value) {
        JsonObject o = new JsonObject();
        o.addProperty("type", type);
        if (value instanceof Boolean b) o.addProperty(key, b);
        else o.addProperty(key, String.valueOf(value));
        return o;
    }

    private static void line(BufferedWriter w, JsonObject o) {
        try {
            w.write(Exchange.GSON.toJson(o));
            w.write('\n');
            w.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The files of an experiment's report folder (names relative to the report folder, for /reports/...). */
    JsonArray files(String name) throws IOException {
        byName(name);
        Path dir = reports.resolve(name);
        JsonArray a = new JsonArray();
        if (!Files.isDirectory(dir)) return a;
        try (Stream<Path> s = Files.list(dir)) {
            // hidden files (.convlab-output, the folder's owner mark) are not served: not listed either
            s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).filter(f -> !f.startsWith(".")).sorted().forEach(f -> a.add(name + "/" + f));
        }
        return a;
    }
}
