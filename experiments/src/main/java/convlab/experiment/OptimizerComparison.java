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
        FashionMnist fm = Nets.fashionMnist(quick);
        int steps = quick ? 60 : 1500, batch = quick ? 32 : 64, evalEvery = quick ? 10 : 100, testSize = quick ? 500 : 2000;
        Dataset val = fm.test().subset(firstN(Math.min(testSize, fm.test().size())), "first " + testSize + " test images");
        Report report = new Report(outputDir, "Optimizers on the course CNN",
                "The course CNN (CONV3-10 → ReLU → POOL2 → CONV3-10 → ReLU → POOL2 → FC-10) trained on " + fm.source() + " for "
                        + steps + " steps of " + batch + " images with each optimizer, all from the same initial weights and the same "
                        + "sequence of batches; validation on " + val.size() + " test images every " + evalEvery + " steps. Wall time "
                        + "counts training steps only (not evaluation) and depends on the machine's load.");
        report.setting("seed", seed).setting("quick", quick).setting("steps", steps).setting("batch", batch).setting("data", fm.source());
        Results res = report.results();
        // Warm-up before anything is timed: every contender's forward, backward and update run through the JIT on
        // throwaway copies, so the first contender does not pay the compilation the others then skip.
        progress.phase("warm-up", CONTENDERS.size());
        for (Contender c : CONTENDERS) {
            stepCost(c, fm.train(), val, quick ? 60 : 150, batch, seed);
            progress.step(c.name());
        }
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
        String cost = timeSteps(res, fm.train(), val, quick, batch, seed, progress);
        figure(report, curves, true, false, "loss_vs_time", "The same training loss against training wall time (after a JIT "
                + "warm-up of every optimizer). " + cost);
        figure(report, curves, true, true, "accuracy_vs_time", "Validation accuracy against training wall time.");
        StringBuilder sb = new StringBuilder();
        for (Contender c : CONTENDERS)
            sb.append(String.format(Locale.ROOT, "%s: %.1f%% validation accuracy, %.2f ms per step (median over %d timing rounds, "
                            + "round medians %.2f-%.2f). ", c.label(), 100 * res.number(c.name() + "_final_val_acc"), res.number(c.name() + "_ms_per_step"),
                    (int) res.number("timing_rounds"), res.number(c.name() + "_ms_per_step_min"), res.number(c.name() + "_ms_per_step_max")));
        report.section("Final numbers", sb.toString());
        report.write();
        return res;
    }

    /**
     * Times each update rule's training step in rounds, the contenders in a rotated order each round (round r starts
     * with contender r), so no rule always runs first or right after the same neighbour. Per rule: the median over
     * all its timed steps (robust to a load spike or a collection) and the range of the rounds' own medians; returns
     * a sentence that says what those numbers show.
     */
    private static String timeSteps(Results res, Dataset train, Dataset val, boolean quick, int batch, long seed,
                                    ExperimentProgress progress) {
        int rounds = quick ? 3 : 5, steps = quick ? 20 : 60, n = CONTENDERS.size();
        double[][] ms = new double[n][rounds * steps], roundMedians = new double[n][rounds];
        progress.phase("timing", rounds);
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < n; k++) {
                int i = (r + k) % n;
                double[] perStep = stepCost(CONTENDERS.get(i), train, val, steps, batch, seed + r);
                for (int j = 0; j < steps; j++) ms[i][r * steps + j] = 1000 * perStep[j];
                roundMedians[i][r] = 1000 * median(perStep);
            }
            progress.step("round " + (r + 1));
        }
        res.put("timing_rounds", rounds);
        int fast = 0, slow = 0;
        double[] medians = new double[n], lows = new double[n], highs = new double[n];
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < n; i++) {
            medians[i] = median(ms[i]);
            lows[i] = java.util.Arrays.stream(roundMedians[i]).min().orElseThrow();
            highs[i] = java.util.Arrays.stream(roundMedians[i]).max().orElseThrow();
            String name = CONTENDERS.get(i).name();
            res.put(name + "_ms_per_step", medians[i]).put(name + "_ms_per_step_min", lows[i]).put(name + "_ms_per_step_max", highs[i]);
            list.append(String.format(Locale.ROOT, "%s%s %.2f ms (%.2f-%.2f)", list.isEmpty() ? "" : ", ", name, medians[i], lows[i], highs[i]));
            if (medians[i] < medians[fast]) fast = i;
            if (medians[i] > medians[slow]) slow = i;
        }
        String fastName = CONTENDERS.get(fast).name(), slowName = CONTENDERS.get(slow).name();
        double ratio = medians[slow] / medians[fast];
        String verdict;
        if (ratio <= 1.25)
            verdict = String.format(Locale.ROOT, "The update rules differ little in cost: the slowest median (%s) is within %.0f%% of the "
                    + "fastest (%s), next to the forward and backward passes they share.", slowName, 100 * (ratio - 1), fastName)
                    + " On a shared machine these times also vary with the load.";
        else if (lows[slow] <= highs[fast])
            verdict = String.format(Locale.ROOT, "%s's median is %.1f× %s's, but their rounds overlap (%s's fastest round %.2f ms, %s's "
                    + "slowest %.2f ms): the machine's load moved the times more than the update rules do.", slowName, ratio, fastName,
                    slowName, lows[slow], fastName, highs[fast]) + " Rerun on a quiet machine to compare costs.";
        else
            verdict = String.format(Locale.ROOT, "%s costs %.1f× the step time of %s (medians, every round), so per second of training it "
                    + "makes less progress than per step.", slowName, ratio, fastName) + " On a shared machine these times also vary with the load.";
        return "Time per training step, median of " + rounds + " rounds of " + steps + " steps in rotated order (in brackets "
                + "the range of the rounds' medians): " + list + ". " + verdict;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Seconds of each training step (no evaluation) for a fresh course CNN and optimizer over the given steps. */
    private static double[] stepCost(Contender c, Dataset train, Dataset val, int steps, int batch, long seed) {
        Sequential net = Nets.courseCnn(10, new Rng(seed));
        Optimizer opt = Optimizers.create(c.name(), net, c.lr(), c.momentum(), 0);
        Training.Curve curve = Training.run(net, opt, train, val.subset(firstN(Math.min(100, val.size())), "timing"), steps, batch, steps, seed);
        return curve.stepSeconds();
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
