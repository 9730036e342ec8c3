package convlab.cli;

import com.google.gson.GsonBuilder;
import convlab.data.DataLoader;
import convlab.data.FashionMnist;
import convlab.kernels.Parallel;
import convlab.nn.Module;
import convlab.optim.Optimizer;
import convlab.optim.Optimizers;
import convlab.report.TrainingReport;
import convlab.tensor.Rng;
import convlab.train.EpochStats;
import convlab.train.LoaderBatches;
import convlab.train.Trainer;
import convlab.train.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
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

    @Option(names = "--optimizer", defaultValue = "sgd", description = "Optimizer: sgd, nesterov, adam, adamw, rmsprop, adagrad, signsgd, signum, muon (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--lr", defaultValue = "0.01", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--momentum", defaultValue = "0.9", description = "Momentum (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--weight-decay", defaultValue = "0", description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", description = "Threads for the kernels (default: min(2, processors) = ${DEFAULT-VALUE}).")
    int threads = Parallel.threads();

    @Option(names = "--json", description = "Print the result as JSON on standard output (progress stays on standard error).")
    boolean json;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @Option(names = "--report", paramLabel = "DIR",
            description = "Write a report to DIR: loss/accuracy curves, confusion matrix, first-layer filters (PNG), CSV, JSON, index.html.")
    Path reportDir;

    @Override
    public void run() {
        checkOptions();
        Parallel.setThreads(threads);
        FashionMnist fm = load();
        var train = fm.train();
        Rng initRng = new Rng(seed);
        Module net = Models.build(model, train.channels(), train.height(), train.width(), train.numClasses(), initRng);
        Optimizer opt = optimizer(net);
        // The data order gets its own stream of the seed, so changing the model does not change the order.
        DataLoader loader = new DataLoader(train, batch, true, false, seed ^ 0x5DEECE66DL, true);
        boolean bar = !noProgress && !json && System.console() != null;
        if (!json) System.out.println("convlab train: " + Models.specOf(model) + " (" + String.format(Locale.ROOT, "%,d", net.parameterCount())
                + " parameters) on " + fm.source() + "; " + opt.getClass().getSimpleName() + " lr " + lr + ", batch " + batch
                + ", " + threads + " thread" + (threads == 1 ? "" : "s") + ", seed " + seed);
        Progress progress = new Progress(bar, epochs, json ? System.err : System.out);
        TrainingReport trainingReport = reportDir == null ? null
                : new TrainingReport(reportDir, train.classNames(), train.channels(), train.height(), train.width());
        List<EpochStats> history = new Trainer(net, opt, trainingReport == null ? progress : both(progress, trainingReport))
                .fit(new LoaderBatches(loader), LoaderBatches.inOrder(fm.test(), 1000), epochs, train.numClasses());
        report(fm, net, history);
        if (trainingReport != null) writeReport(trainingReport, fm, net);
    }

    private void writeReport(TrainingReport r, FashionMnist fm, Module net) {
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
        r.write(net, "convlab train: " + Models.specOf(model), settings);
        (json ? System.err : System.out).println("report written to " + reportDir.resolve("index.html"));
    }

    /** Both listeners, in order. */
    private static TrainingListener both(TrainingListener a, TrainingListener b) {
        return new TrainingListener() {
            @Override public void epochStarted(int epoch, int batches) { a.epochStarted(epoch, batches); b.epochStarted(epoch, batches); }
            @Override public void stepFinished(int epoch, int step, double loss, double acc, double ips) {
                a.stepFinished(epoch, step, loss, acc, ips);
                b.stepFinished(epoch, step, loss, acc, ips);
            }
            @Override public void epochFinished(EpochStats s) { a.epochFinished(s); b.epochFinished(s); }
        };
    }

    private void checkOptions() {
        if (epochs < 1) throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        if (batch < 1) throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        if (!(lr > 0) || !Double.isFinite(lr)) throw new IllegalArgumentException("--lr must be a positive number, got " + lr);
        if (momentum < 0 || momentum >= 1) throw new IllegalArgumentException("--momentum must be in [0, 1), got " + momentum);
        if (weightDecay < 0) throw new IllegalArgumentException("--weight-decay must be >= 0, got " + weightDecay);
        if (threads < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
    }

    private FashionMnist load() {
        try {
            return FashionMnist.load(data);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read Fashion-MNIST: " + e.getMessage(), e);
        }
    }

    private Optimizer optimizer(Module net) {
        return Optimizers.create(optimizer, net, lr, momentum, weightDecay);
    }

    private void report(FashionMnist fm, Module net, List<EpochStats> history) {
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
            System.out.println(new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(out));
        } else {
            System.out.printf(Locale.ROOT, "test accuracy %.4f after %d epoch%s (train loss %.4f, %,.0f images/s, %.1f s training)%n",
                    last.testAccuracy(), epochs, epochs == 1 ? "" : "s", last.trainLoss(), imagesPerSecond, trainSeconds);
        }
    }
}
