package convlab.web;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import convlab.nn.Module;
import convlab.nn.Parameter;
import convlab.tensor.Tensor;
import convlab.train.EpochStats;
import convlab.train.TrainingListener;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * A training run's live log for the dashboard: a listener of the trainer that appends one JSON line per event to
 * {@code runs/ID/events.jsonl} under the report folder (start, every step, every epoch's test point with the
 * confusion matrix and the first layer's weights, end). The workbench's server tails the file, so a run started
 * from the page and one started by {@code convlab train --dashboard} in another process are watched alike.
 *
 * <p>Cost to training: a step writes ~100 bytes into a buffer; the buffer reaches the file at most 5 times a
 * second. A run is stopped by creating {@code runs/ID/stop} (the page's Stop button does): the next step
 * throws {@link Stopped}, looked for at most 4 times a second.
 *
 * <p>Per-step loss and accuracy: the trainer reports the epoch's running means; the step's own values are
 * recovered as k·mean_k − (k−1)·mean_{k−1} (exact when the batches have equal size, i.e. all but an epoch's last).
 */
public final class RunLog implements TrainingListener, AutoCloseable {
    /** Thrown from a step when the run was asked to stop. */
    public static final class Stopped extends IllegalStateException {
        Stopped(String m) { super(m); }
    }

    private static final long FLUSH_NANOS = 200_000_000L, STOP_CHECK_NANOS = 250_000_000L;
    private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

    private final Path dir;
    private final BufferedWriter out;
    private final Module model;
    private long lastFlush = System.nanoTime(), lastStopCheck = System.nanoTime();
    private long globalStep;
    private int epoch;
    private double prevLoss, prevAcc;
    private boolean ended;
    private final StringBuilder line = new StringBuilder(128);

    /** Creates runs/ID (a fresh ID of the current time) under reports and writes the start line with these settings. */
    public static RunLog create(Path reports, Map<String, Object> settings, Module model) {
        Path runs = reports.resolve("runs");
        try {
            Files.createDirectories(runs);
            String base = LocalDateTime.now().format(ID);
            for (int i = 0; ; i++) {
                Path d = runs.resolve(i == 0 ? base : base + "-" + i);
                try {
                    Files.createDirectory(d);
                    return new RunLog(d, settings, model);
                } catch (java.nio.file.FileAlreadyExistsException taken) { /* next suffix */ }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the dashboard log under " + runs + ": " + e.getMessage(), e);
        }
    }

    private RunLog(Path dir, Map<String, Object> settings, Module model) throws IOException {
        this.dir = dir;
        this.model = model;
        this.out = Files.newBufferedWriter(dir.resolve("events.jsonl"), StandardCharsets.UTF_8);
        JsonObject o = Exchange.GSON.toJsonTree(settings).getAsJsonObject();
        o.addProperty("type", "start");
        o.addProperty("id", id());
        o.addProperty("pid", ProcessHandle.current().pid());
        o.addProperty("time", System.currentTimeMillis());
        write(o, true);
    }

    public String id() { return dir.getFileName().toString(); }

    public Path dir() { return dir; }

    @Override public void epochStarted(int epoch, int batches) {
        this.epoch = epoch;
        prevLoss = 0;
        prevAcc = 0;
        JsonObject o = new JsonObject();
        o.addProperty("type", "epoch");
        o.addProperty("epoch", epoch + 1);
        o.addProperty("batches", batches);
        write(o, true);
    }

    @Override public void stepFinished(int epoch, int step, double runningLoss, double runningAccuracy, double imagesPerSecond) {
        globalStep++;
        double loss = runningLoss * step - prevLoss * (step - 1), acc = runningAccuracy * step - prevAcc * (step - 1);
        prevLoss = runningLoss;
        prevAcc = runningAccuracy;
        // The one line written per step, by hand (a third of the time of building a JsonObject).
        line.setLength(0);
        line.append("{\"type\":\"step\",\"step\":").append(globalStep).append(",\"epoch\":").append(epoch + 1)
                .append(",\"loss\":").append(json(loss)).append(",\"acc\":").append(json(acc))
                .append(",\"ips\":").append(Math.round(imagesPerSecond)).append("}\n");
        long now = System.nanoTime();
        write(line, now - lastFlush > FLUSH_NANOS);
        if (now - lastStopCheck > STOP_CHECK_NANOS) {
            lastStopCheck = now;
            if (Files.exists(dir.resolve("stop"))) throw new Stopped("stopped from the dashboard at step " + globalStep);
        }
    }

    @Override public void stepSkipped(long step, String why) {
        JsonObject o = new JsonObject();
        o.addProperty("type", "skipped");
        o.addProperty("step", step);
        o.addProperty("why", why);
        write(o, false);
    }

    @Override public void epochFinished(EpochStats s) {
        JsonObject o = new JsonObject();
        o.addProperty("type", "test");
        o.addProperty("step", globalStep);
        o.addProperty("epoch", s.epoch());
        number(o, "trainLoss", s.trainLoss());
        number(o, "trainAcc", s.trainAccuracy());
        number(o, "testLoss", s.testLoss());
        number(o, "testAcc", s.testAccuracy());
        number(o, "trainIps", s.trainImagesPerSecond());
        number(o, "testIps", s.testImagesPerSecond());
        o.add("confusion", Exchange.GSON.toJsonTree(s.testConfusion()));
        JsonObject filters = firstLayer();
        if (filters != null) o.add("filters", filters);
        write(o, true);
    }

    /**
     * The first layer's weights as small images: a convolution's filters (mean over input channels), or a
     * fully connected layer's rows into its first 16 units drawn at the input's size (H×W when it is a square).
     */
    private JsonObject firstLayer() {
        if (model == null) return null;
        for (Parameter p : model.parameters()) {
            Tensor t = p.contiguous();
            int[] shape = t.shape();
            float[] v = t.data();
            if (shape.length == 4) {
                int n = Math.min(shape[0], 64), c = shape[1], kh = shape[2], kw = shape[3];
                JsonArray imgs = new JsonArray();
                for (int f = 0; f < n; f++) {
                    double[] img = new double[kh * kw];
                    for (int ch = 0; ch < c; ch++)
                        for (int i = 0; i < kh * kw; i++) img[i] += v[(f * c + ch) * kh * kw + i] / c;
                    imgs.add(Exchange.GSON.toJsonTree(img));
                }
                return filters("first convolution's filters (mean over input channels)", kh, kw, imgs);
            }
            if (shape.length == 2) {
                int side = (int) Math.round(Math.sqrt(shape[1]));
                if (side * side != shape[1]) return null;
                JsonArray imgs = new JsonArray();
                for (int u = 0; u < Math.min(16, shape[0]); u++) {
                    double[] img = new double[shape[1]];
                    for (int i = 0; i < shape[1]; i++) img[i] = v[u * shape[1] + i];
                    imgs.add(Exchange.GSON.toJsonTree(img));
                }
                return filters("first fully connected layer's weights into its first units", side, side, imgs);
            }
            return null;
        }
        return null;
    }

    private static JsonObject filters(String title, int h, int w, JsonArray imgs) {
        JsonObject f = new JsonObject();
        f.addProperty("title", title);
        f.addProperty("h", h);
        f.addProperty("w", w);
        f.add("images", imgs);
        return f;
    }

    /** The last line: done, stopped or failed (with the message). Idempotent. */
    public synchronized void end(String status, String message) {
        if (ended) return;
        JsonObject o = new JsonObject();
        o.addProperty("type", "end");
        o.addProperty("status", status);
        if (message != null) o.addProperty("message", message);
        o.addProperty("time", System.currentTimeMillis());
        write(o, true);
        ended = true;
        try {
            out.close();
        } catch (IOException ignored) { /* the run is over; nothing more to save */ }
    }

    @Override public void close() { end("done", null); }

    private static void number(JsonObject o, String key, double v) {
        if (Double.isFinite(v)) o.addProperty(key, v);
        else o.add(key, com.google.gson.JsonNull.INSTANCE);
    }

    /** A number as JSON: NaN and infinities (a diverging run) become null, which the page leaves out. */
    private static String json(double v) { return Double.isFinite(v) ? Double.toString(v) : "null"; }

    private void write(JsonObject o, boolean flush) {
        write(new StringBuilder(Exchange.GSON.toJson(o)).append('\n'), flush);
    }

    private synchronized void write(CharSequence text, boolean flush) {
        if (ended) return;
        try {
            out.append(text);
            if (flush) {
                out.flush();
                lastFlush = System.nanoTime();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the dashboard log " + dir + ": " + e.getMessage(), e);
        }
    }
}
