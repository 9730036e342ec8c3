package convlab.experiment;

import convlab.data.Dataset;
import convlab.data.FashionMnist;
import convlab.nn.Sequential;
import convlab.optim.Optimizer;
import convlab.optim.Optimizers;
import convlab.report.Charts;
import convlab.report.Report;
import convlab.report.Results;
import convlab.tensor.Rng;
import org.knowm.xchart.XYChart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * SGD (momentum), Adam, SignSGD and Muon training the course CNN on Fashion-MNIST from the same initial weights
 * and the same batches: loss and accuracy against optimizer steps and against training wall time.
 */
public final class OptimizerComparison implements Experiment {
    /** One contender: display name, name for {@link Optimizers#create}, learning rate, momentum. */
    record Contender(String label, String name, double lr, double momentum) {}

    static final List<Contender> CONTENDERS = List.of(
            new Contender("SGD (momentum 0.9, lr 0.05)", "sgd", 0.05, 0.9),
            new Contender("Adam (lr 1e-3)", "adam", 1e-3, 0),
            new Contender("SignSGD (Signum, momentum 0.9, lr 1e-3)", "signum", 1e-3, 0.9),
            new Contender("Muon (lr 2e-3, AdamW for first layer, head, biases)", "muon", 2e-3, 0.95));

    @Override public String name() { return "optimizers"; }

    @Override public String description() {
        return "SGD, Adam, SignSGD and Muon on the course CNN (Fashion-MNIST): loss/accuracy vs steps and vs wall time";
    }

    @Override
    public Results run(Path outputDir, boolean quick, long seed, ExperimentProgress progress) {
        FashionMnist fm;
        try {
            fm = quick ? FashionMnist.loadSample() : FashionMnist.load(null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Fashion-MNIST: " + e.getMessage(), e);
        }
        int steps = quick ? 60 : 1500, batch = quick ? 32 : 64, evalEvery = quick ? 10 : 100, testSize = quick ? 500 : 2000;
        Dataset val = fm.test().subset(firstN(Math.min(testSize, fm.test().size())), "first " + testSize + " test images");
        Report report = new Report(outputDir, "Optimizers on the course CNN",
                "The course CNN (CONV3-10 → ReLU → POOL2 → CONV3-10 → ReLU → POOL2 → FC-10) trained on " + fm.source() + " for "
                        + steps + " steps of " + batch + " images with each optimizer, all from the same initial weights and the same "
                        + "sequence of batches; validation on " + val.size() + " test images every " + evalEvery + " steps. Wall time "
                        + "counts training steps only (not evaluation) and depends on the machine's load.");
        report.setting("seed", seed).setting("quick", quick).setting("steps", steps).setting("batch", batch).setting("data", fm.source());
        Results res = report.results();
        progress.phase("optimizers", CONTENDERS.size());
        List<Training.Curve> curves = new ArrayList<>();
        List<List<?>> rows = new ArrayList<>();
        for (Contender c : CONTENDERS) {
            Sequential net = Nets.courseCnn(10, new Rng(seed));
            Optimizer opt = Optimizers.create(c.name(), net, c.lr(), c.momentum(), 0);
            Training.Curve curve = Training.run(net, opt, fm.train(), val, steps, batch, evalEvery, seed + 1);
            curves.add(curve);
            for (int i = 0; i < curve.steps().size(); i++)
                rows.add(List.of(c.name(), curve.steps().get(i), curve.seconds().get(i), curve.trainLoss().get(i),
                        curve.valLoss().get(i), curve.valAccuracy().get(i)));
            res.put(c.name() + "_final_val_acc", curve.finalAccuracy()).put(c.name() + "_final_val_loss", curve.last().loss())
                    .put(c.name() + "_seconds_per_step", curve.seconds().getLast() / steps);
            progress.step(c.name());
        }
        report.table("curves", List.of("optimizer", "step", "train_seconds", "train_loss", "val_loss", "val_acc"), rows,
                "every evaluation of every run");
        String best = CONTENDERS.get(0).name();
        for (Contender c : CONTENDERS) if (res.number(c.name() + "_final_val_acc") > res.number(best + "_final_val_acc")) best = c.name();
        res.put("best", best);
        figure(report, curves, false, false, "loss_vs_steps", "Training loss (mean over the steps since the previous point).");
        figure(report, curves, false, true, "accuracy_vs_steps", "Validation accuracy against optimizer steps: per step, which update "
                + "rule makes the most progress. Best final accuracy: " + best + ".");
        StringBuilder perStep = new StringBuilder();
        for (Contender c : CONTENDERS)
            perStep.append(String.format(Locale.ROOT, "%s%s %.1f ms", perStep.isEmpty() ? "" : ", ", c.name(), 1000 * res.number(c.name() + "_seconds_per_step")));
        figure(report, curves, true, false, "loss_vs_time", "The same training loss against training wall time. Time per step: " + perStep
                + ". The update rules differ little in cost next to the forward and backward passes of this small network (Muon's "
                + "Newton-Schulz iterations act on one 10×90 matrix); on a shared machine these times also vary with the load.");
        figure(report, curves, true, true, "accuracy_vs_time", "Validation accuracy against training wall time.");
        StringBuilder sb = new StringBuilder();
        for (Contender c : CONTENDERS)
            sb.append(String.format(Locale.ROOT, "%s: %.1f%% validation accuracy, %.2f ms per step. ", c.label(),
                    100 * res.number(c.name() + "_final_val_acc"), 1000 * res.number(c.name() + "_seconds_per_step")));
        report.section("Final numbers", sb.toString());
        report.write();
        return res;
    }

    private static void figure(Report report, List<Training.Curve> curves, boolean time, boolean accuracy, String name, String caption) {
        XYChart c = Charts.line((accuracy ? "Validation accuracy" : "Training loss") + " against " + (time ? "wall time" : "steps"),
                time ? "training time (s)" : "optimizer step", accuracy ? "validation accuracy" : "training cross-entropy");
        for (int i = 0; i < curves.size(); i++) {
            Training.Curve cv = curves.get(i);
            double[] x = time ? Training.Curve.array(cv.seconds()) : cv.stepsArray();
            Charts.series(c, CONTENDERS.get(i).label(), x, Training.Curve.array(accuracy ? cv.valAccuracy() : cv.trainLoss()));
        }
        report.figure(name, c, caption);
    }

    private static int[] firstN(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }
}
