package convlab.cli;

import convlab.data.FashionMnist;
import convlab.kernels.Parallel;
import convlab.nn.Module;
import convlab.io.StrictJson;
import convlab.report.TrainingReport;
import convlab.train.EpochStats;
import convlab.train.LoaderBatches;
import convlab.train.Trainer;
import convlab.train.TrainRun;
import convlab.train.TrainSettings;
import convlab.web.RunLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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

    /** Batch size of the evaluation pass after each epoch. */
    private static final int EVAL_BATCH = TrainRun.EVAL_BATCH;

    /** Settings --resume-change may change, by their option names. */
    static final List<String> CHANGEABLE = TrainSettings.CHANGEABLE;

    /** The run these options ask for (the library's settings; the CLI adds only output: progress, report, dashboard, JSON). */
    TrainSettings settings() {
        if (!onNan.equals("stop") && !onNan.equals("skip")) throw new IllegalArgumentException("--on-nan must be stop or skip, got '" + onNan + "'");
        return TrainSettings.builder().model(model).data(data).epochs(epochs).batch(batch).optimizer(optimizer).lr(lr)
                .momentum(momentum).weightDecay(weightDecay).lrSchedule(lrSchedule).unitScaled(unitScaled).fp8Params(fp8Params)
                .seed(seed).threads(threads).checkpointDir(checkpointDir).checkpointEvery(checkpointEvery).keep(keep)
                .resume(resume).resumeChange(resumeChange).saveModel(saveModel).skipNonFinite(onNan.equals("skip")).build();
    }

    /** How the library's setting names read on this command line ("lr" is --lr). */
    static String option(String setting) { return "--" + setting; }

    @Override
    public void run() {
        TrainSettings settings = settings();
        // Everything that could fail after training is checked first: the settings, where the results go, whether the model fits.
        try (TrainRun run = TrainRun.open(settings, TrainCommand::option)) {
            if (reportDir != null) convlab.io.OutputFolders.check(reportDir, "--report");
            train(run);
        }
    }

    private void train(TrainRun run) {
        FashionMnist fm = run.load();
        var train = fm.train();
        String spec = run.spec();
        Module net = run.model();
        boolean bar = !noProgress && !json && System.console() != null;
        PrintStream lines = json ? System.err : System.out;
        lines.println("convlab train: " + spec + " (" + String.format(Locale.ROOT, "%,d", net.parameterCount())
                + " parameters) on " + fm.source() + "; " + optimizer + " lr " + lr + ", batch " + batch
                + ", " + threads + " thread" + (threads == 1 ? "" : "s") + ", seed " + seed);
        run.notes(lines::println).start(new Progress(bar, epochs, lines));
        Trainer trainer = run.trainer();
        TrainingReport trainingReport = reportDir == null ? null
                : new TrainingReport(reportDir, train.classNames(), train.channels(), train.height(), train.width());
        if (trainingReport != null) {
            // A long epoch also gets test points inside it: about five per epoch on the first 1,000 test images.
            int perEpoch = run.loader().batchesPerEpoch();
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
            history = run.fit().history();
            if (dash != null) dash.end("done", null);
        } catch (RuntimeException | Error e) {
            String why = e.getCause() instanceof Trainer.NonFiniteException n ? n.getMessage() : e.getMessage();
            if (dash != null) dash.end(e instanceof RunLog.Stopped ? "stopped" : "failed", why);
            throw e;
        }
        report(fm, net, history);
        if (trainingReport != null) writeReport(trainingReport, fm, net);
    }

    private void writeReport(TrainingReport r, FashionMnist fm, Module net) {
        r.write(net, "convlab train: " + Models.specOf(model), settings(fm, net));
        (json ? System.err : System.out).println("report written to " + reportDir.resolve("index.html"));
    }

    /** The run's settings, as the report and the dashboard log show them (the library's one description of a run). */
    private Map<String, Object> settings(FashionMnist fm, Module net) {
        return settings().describe(Models.specOf(model), net.parameterCount(), fm.source());
    }

    private Map<String, Object> dashboardSettings(FashionMnist fm, Module net) {
        Map<String, Object> settings = settings(fm, net);
        settings.put("classes", fm.train().classNames());
        settings.put("origin", "convlab train --dashboard");
        return settings;
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
            out.putAll(settings(fm, net));
            out.put("weight_decay", weightDecay);   // the name --json gave it before the one description said weight-decay
            List<Map<String, Object>> perEpoch = new ArrayList<>();
            for (EpochStats s : history) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("epoch", s.epoch());
                e.put("train_loss", s.trainLoss());
                e.put("train_acc", s.trainAccuracy());
                e.put("test_loss", s.testLoss());
                e.put("test_acc", s.testAccuracy());
                e.put("train_images_per_s", s.trainImagesPerSecond());
                e.put("test_images_per_s", s.testImagesPerSecond());   // that epoch's test pass; the last is infer_images_per_s
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
