package convlab.experiment;

import convlab.data.Batch;
import convlab.data.DataLoader;
import convlab.data.FashionMnist;
import convlab.nn.Sequential;
import convlab.nn.functional.F;
import convlab.optim.Optimizer;
import convlab.optim.Optimizers;
import convlab.report.Charts;
import convlab.report.Report;
import convlab.report.Results;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;
import org.knowm.xchart.XYChart;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The exam's training-bug questions: what a too-high learning rate and a forgotten {@code zero_grad} (gradients
 * summed over every step so far) look like in the loss curve, beside a correct run, all three from the same initial
 * weights and the same batches.
 *
 * <p>This experiment breaks the training loop's rules on purpose, so it runs its own few-line loop instead of the
 * library's trainer (which always clears the gradients and stops on a non-finite loss).
 */
public final class TrainingBugs implements Experiment {
    /** One run: label, learning rate, whether gradients are cleared before each backward. */
    record Run(String key, String label, double lr, boolean zeroGrad) {}

    static final List<Run> RUNS = List.of(
            new Run("correct", "correct (lr 0.05, zero_grad every step)", 0.05, true),
            new Run("lr_too_high", "learning rate too high (lr 1.5)", 1.5, true),
            new Run("no_zero_grad", "zero_grad forgotten (lr 0.05): gradients accumulate", 0.05, false));

    /** Loss values above this are drawn at it (a diverged run would flatten every other curve). */
    static final double CLIP = 4;

    @Override public String name() { return "training-bugs"; }

    @Override public String description() {
        return "what a too-high learning rate and a missing zero_grad look like in the loss curve, beside a correct run";
    }

    @Override
    public Results run(Path outputDir, boolean quick, long seed, ExperimentProgress progress) {
        FashionMnist fm = Nets.fashionMnist(quick);
        int steps = quick ? 80 : 600, batch = 64;
        Report report = new Report(outputDir, "Training bugs: a too-high learning rate and a forgotten zero_grad",
                "The course CNN trained with SGD (momentum 0.9) on " + fm.source() + " for " + steps + " steps of " + batch
                        + " images, three times from the same initial weights and the same batches: correctly, with a learning "
                        + "rate 30× too high, and without clearing the gradients between steps (so each step's gradient is the "
                        + "sum of all gradients so far, as PyTorch gives when optimizer.zero_grad() is missing).");
        report.setting("seed", seed).setting("quick", quick).setting("steps", steps).setting("batch", batch).setting("data", fm.source());
        Results res = report.results();
        progress.phase("runs", RUNS.size());
        XYChart chart = Charts.line("Training loss: a correct run and two bugs", "optimizer step", "training cross-entropy (batch)");
        List<List<?>> rows = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (Run run : RUNS) {
            double[] loss = train(run, fm, steps, batch, seed);
            int finite = 0;
            while (finite < loss.length && Double.isFinite(loss[finite])) finite++;
            double[] x = new double[finite], y = new double[finite];
            for (int i = 0; i < finite; i++) { x[i] = i + 1; y[i] = Math.min(loss[i], CLIP); rows.add(List.of(run.key(), i + 1, loss[i])); }
            if (finite > 0) Charts.curve(chart, run.label(), x, y);
            double last10 = finite >= 10 ? Arrays.stream(loss, finite - 10, finite).average().orElseThrow() : Double.NaN;
            res.put(run.key() + "_final_loss_mean10", last10).put(run.key() + "_steps_finite", finite);
            text.append(run.label()).append(": ").append(finite < loss.length
                    ? String.format(Locale.ROOT, "the loss became %s at step %d. ", loss[finite], finite + 1)
                    : String.format(Locale.ROOT, "mean loss of the last 10 steps %.3f. ", last10));
            progress.step(run.key());
        }
        report.table("losses", List.of("run", "step", "loss"), rows, "every step's batch loss of every run");
        report.figure("loss", chart, "Batch loss per step (values above " + CLIP + " drawn at " + CLIP + "; a curve that ends "
                + "early diverged to a non-finite loss). The correct run falls smoothly from ln 10 ≈ 2.30. Too high a learning "
                + "rate overshoots: the loss jumps up, stays near or above 2.30 (chance, often with dead ReLUs) or diverges. A "
                + "forgotten zero_grad first looks fine (the first step is identical), then the summed gradients make ever larger "
                + "steps in stale directions and the loss oscillates and climbs. " + text);
        report.section("What to look for", text + "A loss that is flat at 2.30 from the start points at a learning rate or "
                + "initialisation problem; a loss that first falls and then swings ever wider points at accumulating gradients "
                + "(or a learning-rate schedule that grows).");
        report.write();
        return res;
    }

    /** The batch loss of every step (non-finite from the step where the run diverged on). */
    static double[] train(Run run, FashionMnist fm, int steps, int batch, long seed) {
        Sequential net = Nets.courseCnn(10, new Rng(seed));
        Optimizer opt = Optimizers.create("sgd", net, run.lr(), 0.9, 0);
        DataLoader loader = new DataLoader(fm.train(), batch, true, false, seed + 1);
        double[] losses = new double[steps];
        Arrays.fill(losses, Double.NaN);
        net.train();
        for (int step = 0; step < steps; step++) {
            if (!loader.hasNext()) loader.nextEpoch();
            Batch b = loader.next();
            Tensor loss = F.crossEntropy(net.forward(b.inputs()), b.labels());
            losses[step] = loss.item();
            if (!Double.isFinite(losses[step])) break;
            if (run.zeroGrad()) opt.zeroGrad();   // the bug under study: without it, backward adds to the old gradients
            loss.backward();
            opt.step();
        }
        return losses;
    }
}
