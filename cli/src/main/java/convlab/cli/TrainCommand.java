package convlab.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import convlab.data.DataLoader;
import convlab.data.FashionMnist;
import convlab.kernels.Parallel;
import convlab.nn.Module;
import convlab.optim.Optimizer;
import convlab.optim.LrSchedule;
import convlab.optim.Optimizers;
import convlab.optim.UnitScaling;
import convlab.optim.fp8.Fp8Storage;
import convlab.io.Checkpoint;
import convlab.io.CheckpointStore;
import convlab.io.ModelFile;
import convlab.io.StrictJson;
import convlab.report.TrainingReport;
import convlab.train.TrainingCheckpoints;
import convlab.train.TrainingListener;
import convlab.tensor.Rng;
import convlab.train.EpochStats;
import convlab.train.LoaderBatches;
import convlab.train.JitWarmup;
import convlab.train.Trainer;
import convlab.web.RunLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code convlab train}: trains a classifier on Fashion-MNIST and reports its test accuracy. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a network on Fashion-MNIST and report test accuracy and training throughput.",
                "Data: --data DIR, else the Debian package dataset-fashion-mnist when installed,",
                "else the sample embedded in convlab (6,000 train / 1,000 test images).",
                "One --seed drives both the initial weights and the shuffling: the same seed and",
                "--threads give bitwise identical results."})
public final class TrainCommand implements Runnable {
    @Option(names = "--model", defaultValue = "mlp",
            description = "A named model (mlp = FLATTEN FC-256 RELU FC-10) or an architecture spec (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--data", description = "Directory with the four Fashion-MNIST IDX files (.gz or raw).")
    Path data;

    @Option(names = "--epochs", defaultValue = "3", description = "Passes over the training set (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "64", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--optimizer", defaultValue = "sgd",
            description = "sgd, nesterov, adam, adamw, rmsprop, adagrad, signsgd, signum or muon (default: ${DEFAULT-VALUE}); "
                    + "see docs/OPTIMIZERS.md.")
    String optimizer;

    @Option(names = "--lr", defaultValue = "0.01", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--momentum", defaultValue = "0.9", description = "Momentum (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--weight-decay", defaultValue = "0", description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--lr-schedule", paramLabel = "SPEC",
            description = "Learning-rate schedule over optimizer steps: constant, step:SIZE:GAMMA, cosine:TOTAL[:MIN], "
                    + "optionally after warmup:STEPS[:START]+ (e.g. warmup:200+cosine:2800); default constant.")
    String lrSchedule;

    @Option(names = "--unit-scaled", description = "Unit-scaled parametrization: N(0,1) weights, forward multiplier 1/sqrt(fan_in); "
            + "signsgd/signum/muon then take --lr as the per-step output change and scale it per layer (docs/OPTIMIZERS.md).")
    boolean unitScaled;

    @Option(names = "--fp8-params", paramLabel = "FORMAT[:master][:stochastic][:saturate]",
            description = "Store parameters in fp8 (e4m3 or e5m2) after every step, with or without a float32 master copy.")
    String fp8Params;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", description = "Threads for the kernels (default: min(2, processors) = ${DEFAULT-VALUE}).")
    int threads = Parallel.threads();

    @Option(names = "--checkpoint-dir", description = "Save a checkpoint after every epoch (and every --checkpoint-every steps) in this folder.")
    Path checkpointDir;

    @Option(names = "--checkpoint-every", defaultValue = "0", description = "Also checkpoint every N optimizer steps (default: ${DEFAULT-VALUE} = epoch ends only).")
    int checkpointEvery;

    @Option(names = "--keep", defaultValue = "2", description = "Checkpoints kept in --checkpoint-dir (default: ${DEFAULT-VALUE}).")
    int keep;

    @Option(names = "--resume", description = "Continue from the newest checkpoint in --checkpoint-dir (same model, optimizer, "
            + "batch and --threads give a result bitwise identical to an uninterrupted run).")
    boolean resume;

    @Option(names = "--resume-change", split = ",", paramLabel = "SETTING",
            description = "With --resume: settings allowed to differ from the checkpoint's, applied from the resumed step on and "
                    + "recorded in later checkpoints: lr, momentum, weight-decay, lr-schedule, optimizer (starts with fresh "
                    + "optimizer state). Without it a resume with other settings is refused, naming each difference.")
    List<String> resumeChange = new ArrayList<>();

    @Option(names = "--save-model", description = "Write the trained model here (safetensors, readable by ./convlab eval and PyTorch).")
    Path saveModel;

    @Option(names = "--on-nan", defaultValue = "stop",
            description = "When a loss or gradient is not finite: stop (name the step and layer) or skip (skip the step, halve the "
                    + "learning rate) (default: ${DEFAULT-VALUE}).")
    String onNan;

    @Option(names = "--json", description = "Print the result as JSON on standard output (progress stays on standard error).")
    boolean json;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @Option(names = "--report", paramLabel = "DIR",
            description = "Write a report to DIR: loss/accuracy curves, confusion matrix, first-layer filters (PNG), CSV, JSON, index.html.")
    Path reportDir;

    @Option(names = "--dashboard", arity = "0..1", fallbackValue = "reports", paramLabel = "REPORTS",
            description = "Log progress live for the workbench's training dashboard (convlab serve): REPORTS/runs/ID/events.jsonl "
                    + "(REPORTS: the report folder, default reports); the dashboard can stop the run.")
    Path dashboard;

    /** Warm-up: at least enough steps for C2 to compile the course CNN's kernels, then until steps run at a steady
     *  speed (JitWarmup), bounded in time for big models and busy machines. */
    private static final int WARMUP_STEPS = 60;
    private static final long WARMUP_MILLIS = 4_000;
    /** Batch size of the evaluation pass after each epoch. */
    private static final int EVAL_BATCH = 1000;

    /** Settings --resume-change may change, by their option names. */
    static final List<String> CHANGEABLE = List.of("lr", "momentum", "weight-decay", "lr-schedule", "optimizer");

    @Override
    public void run() {
        checkOptions();
        // Everything that could fail after training is checked first: where the results go, and whether the model fits.
        if (saveModel != null) convlab.io.OutputFolders.checkFile(saveModel, "--save-model");
        if (reportDir != null) convlab.io.OutputFolders.check(reportDir, "--report");
        Models.requireTrainable(model, 1, 28, 28, batch, EVAL_BATCH);
        CheckpointStore store = checkpointDir == null ? null : openStore();
        try (AutoCloseable lock = store == null ? null : store.lock()) {
            train(store);
        } catch (IOException e) {
            throw new IllegalArgumentException("--checkpoint-dir " + checkpointDir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private void train(CheckpointStore store) {
        Parallel.setThreads(threads);
        // The JIT compiles the kernels on a throwaway copy (Fashion-MNIST's 28x28x1 images) while the data loads.
        JitWarmup warmup = new JitWarmup(() -> Models.build(model, 1, 28, 28, 10, new Rng(seed + 1)),
                new int[] {batch, 1, 28, 28}, EVAL_BATCH, 10, WARMUP_STEPS, WARMUP_MILLIS);
        FashionMnist fm;
        try {
            fm = load();
        } finally {
            warmup.finish();
        }
        var train = fm.train();
        Models.requireTrainable(model, train.channels(), train.height(), train.width(), batch, EVAL_BATCH);
        String spec = Models.specOf(model);
        Module net = Models.build(model, train.channels(), train.height(), train.width(), train.numClasses(), new Rng(seed));
        if (unitScaled) UnitScaling.apply(net, new Rng(seed ^ 0x756E6974L));   // own stream: the model's generators stay as they are
        Optimizer opt = Optimizers.create(optimizer, net, lr, momentum, weightDecay, unitScaled);
        if (fp8Params != null) opt = Fp8Storage.fromSpec(fp8Params, opt, seed);
        // The data order gets its own stream of the seed, so changing the model does not change the order.
        DataLoader loader = new DataLoader(train, batch, true, false, seed ^ 0x5DEECE66DL, true);
        boolean bar = !noProgress && !json && System.console() != null;
        PrintStream lines = json ? System.err : System.out;
        lines.println("convlab train: " + spec + " (" + String.format(Locale.ROOT, "%,d", net.parameterCount())
                + " parameters) on " + fm.source() + "; " + optimizer + " lr " + lr + ", batch " + batch
                + ", " + threads + " thread" + (threads == 1 ? "" : "s") + ", seed " + seed);
        Trainer trainer = new Trainer(net, opt, new Progress(bar, epochs, lines)).skipNonFinite(onNan.equals("skip"));
        TrainingCheckpoints checkpoints = null;
        if (store != null) {
            checkpoints = new TrainingCheckpoints(store, checkpointEvery, net, spec, opt, loader, trainer::position);
            JsonObject settings = settings(spec);
            if (resume) settings = resumeFrom(store, spec, net, opt, loader, trainer, lines, settings);
            checkpoints.settings(settings);
            trainer.listen(checkpoints);
        }
        if (lrSchedule != null) {   // lr of step t = initial lr · factor(t), also right after a resume
            LrSchedule schedule = LrSchedule.parse(lrSchedule);
            Optimizer scheduled = opt;
            schedule.apply(scheduled, trainer.position().steps());
            trainer.listen(new TrainingListener() {
                @Override public void stepFinished(int epoch, int step, double loss, double acc, double imagesPerSecond) {
                    schedule.apply(scheduled, trainer.position().steps());
                }
            });
        }
        TrainingReport trainingReport = reportDir == null ? null
                : new TrainingReport(reportDir, train.classNames(), train.channels(), train.height(), train.width());
        if (trainingReport != null) {
            // A long epoch also gets test points inside it: about five per epoch on the first 1,000 test images.
            int perEpoch = loader.batchesPerEpoch();
            if (perEpoch >= 50) {
                var probe = LoaderBatches.inOrder(fm.test().subset(java.util.stream.IntStream.range(0, Math.min(1000, fm.test().size())).toArray(),
                        "first 1000 test images"), EVAL_BATCH);
                trainingReport.probeTestEvery(perEpoch / 5, () -> Trainer.evaluate(net, probe, train.numClasses()));
            }
            trainer.listen(trainingReport);
        }
        RunLog dash = dashboard != null ? RunLog.create(dashboard, dashboardSettings(fm, net), net) : null;
        if (dash != null) {
            trainer.listen(dash);
            lines.println("dashboard: run " + dash.id() + " logged in " + dash.dir() + "; watch it with ./convlab serve (Training page)");
        }
        List<EpochStats> history;
        try {
            history = trainer.fit(new LoaderBatches(loader), LoaderBatches.inOrder(fm.test(), EVAL_BATCH), epochs, train.numClasses());
            if (dash != null) dash.end("done", null);
        } catch (Trainer.NonFiniteException e) {
            String last = checkpoints != null && checkpoints.last() != null ? "; last good checkpoint: " + checkpoints.last() : "";
            if (dash != null) dash.end("failed", e.getMessage());
            throw new IllegalStateException(e.diagnosis() + " (try a smaller --lr)" + last, e);
        } catch (RuntimeException | Error e) {
            if (dash != null) dash.end(e instanceof RunLog.Stopped ? "stopped" : "failed", e.getMessage());
            throw e;
        }
        if (saveModel != null) saveModel(net, spec);
        report(fm, net, history);
        if (trainingReport != null) writeReport(trainingReport, fm, net);
    }

    private void writeReport(TrainingReport r, FashionMnist fm, Module net) {
        r.write(net, "convlab train: " + Models.specOf(model), settings(fm, net));
        (json ? System.err : System.out).println("report written to " + reportDir.resolve("index.html"));
    }

    /** The run's settings, as the report and the dashboard log show them. */
    private Map<String, Object> settings(FashionMnist fm, Module net) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("model", Models.specOf(model));
        settings.put("parameters", net.parameterCount());
        settings.put("data", fm.source());
        settings.put("optimizer", optimizer);
        settings.put("lr", lr);
        settings.put("momentum", momentum);
        settings.put("weight_decay", weightDecay);
        settings.put("epochs", epochs);
        settings.put("batch", batch);
        settings.put("seed", seed);
        settings.put("threads", threads);
        return settings;
    }

    private Map<String, Object> dashboardSettings(FashionMnist fm, Module net) {
        Map<String, Object> settings = settings(fm, net);
        settings.put("classes", fm.train().classNames());
        settings.put("origin", "convlab train --dashboard");
        return settings;
    }

    private CheckpointStore openStore() {
        try {
            return new CheckpointStore(checkpointDir, keep);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The settings a resume compares, by option name (recorded in every checkpoint). */
    private JsonObject settings(String spec) {
        JsonObject s = new JsonObject();
        s.addProperty("model", spec);
        s.addProperty("optimizer", optimizer);
        s.addProperty("lr", lr);
        s.addProperty("momentum", momentum);
        s.addProperty("weight-decay", weightDecay);
        s.addProperty("lr-schedule", lrSchedule == null ? "constant" : lrSchedule);
        s.addProperty("batch", batch);
        s.addProperty("seed", seed);
        s.addProperty("unit-scaled", unitScaled);
        s.addProperty("fp8-params", fp8Params == null ? "none" : fp8Params);
        return s;
    }

    /**
     * Restores the newest checkpoint. Settings that differ from the checkpoint's are refused, each named, unless
     * --resume-change allows them; allowed changes are applied and listed under "changes" in the returned settings
     * (which later checkpoints record).
     */
    private JsonObject resumeFrom(CheckpointStore store, String spec, Module net, Optimizer opt, DataLoader loader, Trainer trainer,
                                  PrintStream lines, JsonObject now) {
        try {
            Checkpoint c = store.loadLatest().orElseThrow(() ->
                    new IllegalArgumentException("--resume: no checkpoint in " + checkpointDir + " yet"));
            JsonObject then = TrainingCheckpoints.settingsOf(c);
            List<String> changed = new ArrayList<>(), refused = new ArrayList<>();
            JsonArray history = new JsonArray();
            if (then != null) {
                if (then.has("changes") && then.get("changes").isJsonArray()) history = then.getAsJsonArray("changes");
                for (String key : now.keySet()) {
                    JsonElement old = then.get(key), cur = now.get(key);
                    if (old == null || sameValue(old, cur)) continue;
                    String d = "--" + key + " " + shown(old) + " in the checkpoint, " + shown(cur) + " now";
                    if (resumeChange.contains(key)) changed.add(key + " " + shown(old) + " -> " + shown(cur));
                    else refused.add(d);
                }
            }
            if (!refused.isEmpty())
                throw new IllegalArgumentException("--resume: the settings differ from the checkpoint's: " + String.join("; ", refused)
                        + ". Give the checkpoint's settings, or --resume-change with the names to change (possible: "
                        + String.join(", ", CHANGEABLE) + "; model, batch, seed, unit-scaled and fp8-params cannot change)");
            boolean freshOptimizer = changed.stream().anyMatch(x -> x.startsWith("optimizer "));
            TrainingCheckpoints.restore(c, spec, net, opt, loader, trainer, !freshOptimizer);
            if (changed.stream().anyMatch(x -> x.startsWith("lr "))) opt.setLr(lr);
            JsonObject out = now.deepCopy();
            if (!changed.isEmpty()) {
                JsonObject entry = new JsonObject();
                entry.addProperty("step", c.step());
                entry.addProperty("changes", String.join(", ", changed));
                history.add(entry);
            }
            if (!history.isEmpty()) out.add("changes", history);
            lines.println("resumed from " + store.latestFolder().orElseThrow() + " (epoch " + c.epoch() + " done, step " + c.step() + ")"
                    + (changed.isEmpty() ? "" : "; changed: " + String.join(", ", changed)));
            return out;
        } catch (IOException e) {
            throw new IllegalArgumentException("--resume: cannot read the checkpoint in " + checkpointDir + ": " + e.getMessage(), e);
        }
    }

    private static boolean sameValue(JsonElement a, JsonElement b) {
        if (a.isJsonPrimitive() && b.isJsonPrimitive() && a.getAsJsonPrimitive().isNumber() && b.getAsJsonPrimitive().isNumber())
            return a.getAsDouble() == b.getAsDouble();
        return a.equals(b);
    }

    private static String shown(JsonElement e) {
        if (e.isJsonPrimitive() && !e.getAsJsonPrimitive().isString()) return e.getAsString();   // numbers and booleans as they are
        return convlab.io.UserMessages.quote(e.isJsonPrimitive() ? e.getAsString() : e.toString());
    }

    private void saveModel(Module net, String spec) {
        try {
            ModelFile.save(saveModel, net, spec);
        } catch (IOException e) {
            throw new IllegalArgumentException("--save-model: cannot write " + saveModel + ": " + e.getMessage(), e);
        }
    }

    private void checkOptions() {
        if (epochs < 1) throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        if (lrSchedule != null) {
            try {
                LrSchedule.parse(lrSchedule);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--lr-schedule: " + e.getMessage(), e);
            }
        }
        if (batch < 1) throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        if (!(lr > 0) || !Double.isFinite(lr)) throw new IllegalArgumentException("--lr must be a positive number, got " + lr);
        if (momentum < 0 || momentum >= 1) throw new IllegalArgumentException("--momentum must be in [0, 1), got " + momentum);
        if (weightDecay < 0) throw new IllegalArgumentException("--weight-decay must be >= 0, got " + weightDecay);
        if (threads < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        if (!onNan.equals("stop") && !onNan.equals("skip")) throw new IllegalArgumentException("--on-nan must be stop or skip, got '" + onNan + "'");
        if (resume && checkpointDir == null) throw new IllegalArgumentException("--resume needs --checkpoint-dir");
        if (checkpointEvery < 0) throw new IllegalArgumentException("--checkpoint-every must be >= 0, got " + checkpointEvery);
        if (keep < 1) throw new IllegalArgumentException("--keep must be >= 1, got " + keep);
        for (String c : resumeChange)
            if (!CHANGEABLE.contains(c))
                throw new IllegalArgumentException("--resume-change " + convlab.io.UserMessages.quote(c) + " is not a setting that can change on resume ("
                        + String.join(", ", CHANGEABLE) + ")");
        if (!resumeChange.isEmpty() && !resume) throw new IllegalArgumentException("--resume-change applies only with --resume");
    }

    private FashionMnist load() {
        try {
            return FashionMnist.load(data);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read Fashion-MNIST: " + e.getMessage(), e);
        }
    }

    private void report(FashionMnist fm, Module net, List<EpochStats> history) {
        if (history.isEmpty())
            throw new IllegalArgumentException("the checkpoint in " + checkpointDir + " has already finished " + epochs
                    + " epochs; ask for more --epochs to train further");
        EpochStats last = history.getLast();
        double trainSeconds = history.stream().mapToDouble(EpochStats::trainSeconds).sum();
        double images = history.stream().mapToDouble(s -> s.trainImagesPerSecond() * s.trainSeconds()).sum();
        double imagesPerSecond = images / trainSeconds;
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("test_acc", last.testAccuracy());
            out.put("test_loss", last.testLoss());
            out.put("train_acc", last.trainAccuracy());
            out.put("train_loss", last.trainLoss());
            out.put("train_images_per_s", imagesPerSecond);
            out.put("train_seconds", trainSeconds);
            out.put("infer_images_per_s", last.testImagesPerSecond());
            out.put("peak_rss_mb", PeakMemory.residentMegabytes());
            out.put("epochs", epochs);
            out.put("seed", seed);
            out.put("threads", threads);
            out.put("batch", batch);
            out.put("optimizer", optimizer);
            out.put("lr", lr);
            out.put("momentum", momentum);
            out.put("weight_decay", weightDecay);
            out.put("model", Models.specOf(model));
            out.put("parameters", net.parameterCount());
            out.put("data", fm.source());
            List<Map<String, Object>> perEpoch = new ArrayList<>();
            for (EpochStats s : history) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("epoch", s.epoch());
                e.put("train_loss", s.trainLoss());
                e.put("train_acc", s.trainAccuracy());
                e.put("test_loss", s.testLoss());
                e.put("test_acc", s.testAccuracy());
                e.put("train_images_per_s", s.trainImagesPerSecond());
                perEpoch.add(e);
            }
            out.put("history", perEpoch);
            System.out.println(StrictJson.write(out));
        } else {
            System.out.printf(Locale.ROOT, "test accuracy %.4f after %d epoch%s (train loss %.4f, %,.0f images/s, %.1f s training)%n",
                    last.testAccuracy(), epochs, epochs == 1 ? "" : "s", last.trainLoss(), imagesPerSecond, trainSeconds);
        }
    }
}
