package convlab.experiment;

import convlab.experiment.DropoutRegression.Data;
import convlab.experiment.DropoutRegression.Fit;
import convlab.report.Charts;
import convlab.report.Report;
import convlab.report.Results;
import convlab.tensor.Rng;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The dropout notebook's parts (d) and (e): input dropout (rate 0.5) in the linear regression of
 * {@link DropoutRegression} (same data, same SGD), trained with one example per step and with 1024. The batch-1 training
 * loss jumps from step to step; the large batch's is smooth. Both sit around the same expected loss, that of the
 * Tikhonov problem dropout is equivalent to, and the trained weights are compared with its closed-form minimizer.
 *
 * <p>Why batch 1 is spiky: each step's loss is one example under one random mask. With two inputs there are four masks
 * (keep both, keep one of two, drop both), whose predictions differ by factors of 2 (inverted dropout scales kept inputs
 * by 1/(1 − r)), so single-example losses range over orders of magnitude around their mean. A batch of B examples
 * averages B independent masks: its standard deviation is √B times smaller.
 */
public final class DropoutBatchSize implements Experiment {
    static final double RATE = 0.5;
    static final int SMALL = 1, LARGE = 1024;
    /** Steps of the loss curve drawn (the rest is in the CSV): the descent and a stretch of the steady state. */
    static final int DRAWN = 400;

    @Override public String name() { return "dropout-batch-size"; }

    @Override public String description() {
        return "dropout notebook (d)(e): the spiky batch-1 training loss with input dropout against batch 1024, weights vs the closed form";
    }

    /** One training run's every step loss and its weights. */
    record Run(int batch, double[] loss, Fit fit) {
        double[] last() { return fit.path().getLast(); }
    }

    static Run train(Data d, int batch, int steps, long seed) {
        double[] loss = new double[steps];
        int[] at = {0};
        Fit f = DropoutRegression.train(d, RATE, DropoutRegression.Opt.SGD, steps, batch, seed, l -> loss[at[0]++] = l);
        return new Run(batch, loss, f);
    }

    /**
     * The expected training loss (mean squared error per example, averaged over rows and dropout masks) at w:
     * (‖y − Xw‖² + λ‖Γw‖²)/n with λ = r/(1 − r) and Γ = diag(column norms of X).
     */
    static double expectedLoss(Data d, double[] w, double rate) {
        double lambda = rate / (1 - rate), sum = 0;
        for (int i = 0; i < d.n(); i++) {
            double x0 = d.x()[i][0], x1 = d.x()[i][1], r = d.y()[i] - x0 * w[0] - x1 * w[1];
            sum += r * r + lambda * (x0 * x0 * w[0] * w[0] + x1 * x1 * w[1] * w[1]);
        }
        return sum / d.n();
    }

    /**
     * The standard deviation of one example's dropout loss at w, exactly: over the n rows (uniform) and the four masks
     * (each input kept with probability 1 − rate and then scaled by 1/(1 − rate)).
     */
    static double singleLossStd(Data d, double[] w, double rate) {
        double keep = 1 - rate, mean = 0, sq = 0;
        for (int i = 0; i < d.n(); i++)
            for (int k0 = 0; k0 < 2; k0++)
                for (int k1 = 0; k1 < 2; k1++) {
                    double p = (k0 == 1 ? keep : rate) * (k1 == 1 ? keep : rate) / d.n();
                    double e = d.y()[i] - (k0 * d.x()[i][0] * w[0] + k1 * d.x()[i][1] * w[1]) / keep, l = e * e;
                    mean += p * l;
                    sq += p * l * l;
                }
        return Math.sqrt(Math.max(0, sq - mean * mean));
    }

    /** Mean |ℓ_t − ℓ_{t−1}| over the second half of the steps, divided by the mean loss there: step-to-step jitter. */
    static double relativeJitter(double[] loss) {
        int from = loss.length / 2;
        double diff = 0, mean = 0;
        for (int t = from; t < loss.length; t++) { mean += loss[t]; if (t > from) diff += Math.abs(loss[t] - loss[t - 1]); }
        mean /= loss.length - from;
        diff /= loss.length - from - 1;
        return diff / mean;
    }

    /** Mean, standard deviation and median over the second half of the steps. */
    static double[] steadyMeanStd(double[] loss) {
        int from = loss.length / 2, n = loss.length - from;
        double mean = 0, sq = 0;
        for (int t = from; t < loss.length; t++) mean += loss[t] / n;
        for (int t = from; t < loss.length; t++) sq += (loss[t] - mean) * (loss[t] - mean) / (n - 1);
        double[] sorted = java.util.Arrays.copyOfRange(loss, from, loss.length);
        java.util.Arrays.sort(sorted);
        return new double[] {mean, Math.sqrt(sq), sorted[n / 2]};
    }

    @Override
    public Results run(Path outputDir, boolean quick, long seed, ExperimentProgress progress) {
        int n = quick ? 32 : 64, steps = quick ? 3000 : 6000;
        double lambda = RATE / (1 - RATE);
        Report report = new Report(outputDir, "Dropout in linear regression: batch size 1 against 1024",
                "The data of dropout-regression (" + n + " rows, two collinear features x2 = " + DropoutRegression.SCALE + "·x1, "
                        + "y = x1 + noise) and its SGD (lr 0.05, weights from zero) with inverted dropout of rate " + RATE + " on the "
                        + "inputs, trained for " + steps + " steps with " + SMALL + " example per step and with " + LARGE + " (rows "
                        + "drawn with replacement). Closed form: the minimizer of ‖y − Xw‖² + λ‖Γw‖², λ = r/(1 − r) = " + lambda
                        + ", Γ = diag(column norms of X), which is the dropout loss in expectation (course problem 4, notebook "
                        + "parts (d) and (e)).");
        report.setting("seed", seed).setting("quick", quick).setting("examples", n).setting("steps", steps).setting("rate", RATE)
                .setting("small_batch", SMALL).setting("large_batch", LARGE).setting("sgd_lr", 0.05);
        Results res = report.results();
        Data d = Data.make(n, new Rng(seed));
        double[] exact = DropoutRegression.tikhonov(d, lambda);
        double floor = expectedLoss(d, exact, RATE);
        res.put("closed_form_w", exact).put("expected_loss_at_closed_form", floor);

        progress.phase("SGD with input dropout", 2);
        Run small = train(d, SMALL, steps, seed + 300);
        progress.step("batch " + SMALL);
        Run large = train(d, LARGE, steps, seed + 300);
        progress.step("batch " + LARGE);

        List<List<?>> rows = new ArrayList<>();
        for (Run r : List.of(small, large))
            for (int t = 0; t < steps; t++) rows.add(List.of(r.batch(), t + 1, r.loss()[t]));
        report.table("loss_per_step", List.of("batch", "step", "loss"), rows, "every step's training loss (dropped-out inputs) at both batch sizes");

        List<List<?>> wrows = new ArrayList<>();
        StringBuilder wtext = new StringBuilder();
        for (Run r : List.of(small, large)) {
            String k = "batch" + r.batch();
            double[] avg = r.fit().averaged(), last = r.last(), ms = steadyMeanStd(r.loss());
            double jitter = relativeJitter(r.loss());
            res.put(k + "_final_w", last).put(k + "_averaged_w", avg).put(k + "_relative_jitter", jitter)
                    .put(k + "_steady_loss_mean", ms[0]).put(k + "_steady_loss_std", ms[1]).put(k + "_steady_loss_median", ms[2])
                    .put(k + "_final_w_distance", dist(last, exact)).put(k + "_averaged_w_distance", dist(avg, exact));
            wrows.add(List.of(r.batch(), last[0], last[1], avg[0], avg[1], exact[0], exact[1], jitter, ms[0], ms[1], ms[2]));
            wtext.append(String.format(Locale.ROOT, "Batch %d: last weights (%.3f, %.3f), averaged over the second half (%.3f, %.3f); "
                    + "loss over the second half: mean %.3f, std %.3f, median %.3f; mean step-to-step change %.0f%% of the mean loss. ",
                    r.batch(), last[0], last[1], avg[0], avg[1], ms[0], ms[1], ms[2], 100 * jitter));
        }
        report.table("weights", List.of("batch", "final_w1", "final_w2", "averaged_w1", "averaged_w2", "closed_form_w1", "closed_form_w2",
                "relative_jitter", "steady_loss_mean", "steady_loss_std", "steady_loss_median"), wrows, "trained weights against the closed form, and the loss's noise");
        double ratio = relativeJitter(small.loss()) / relativeJitter(large.loss());
        res.put("jitter_ratio", ratio);

        int drawn = Math.min(DRAWN, steps);
        XYChart lc = Charts.line("Training loss with input dropout " + RATE + ": batch 1 vs batch " + LARGE, "SGD step",
                "training loss (MSE on dropped-out inputs, log scale)");
        lc.getStyler().setYAxisLogarithmic(true);
        lc.getStyler().setYAxisDecimalPattern("0.#####");   // the 1e-5 decade is not "0"
        double[] x = new double[drawn];
        for (int t = 0; t < drawn; t++) x[t] = t + 1;
        XYSeries s1 = Charts.curve(lc, "batch 1: one example, one random mask per step", x, positive(small.loss(), drawn));
        s1.setLineWidth(1f);
        s1.setLineColor(Charts.PALETTE[1]);
        XYSeries s2 = Charts.curve(lc, "batch " + LARGE + ": averages " + LARGE + " masks per step", x, positive(large.loss(), drawn));
        s2.setLineWidth(2.5f);
        s2.setLineColor(Charts.PALETTE[0]);
        Charts.hline(lc, String.format(Locale.ROOT, "expected loss at the closed-form weights (%.3f)", floor), floor, 1, drawn)
                .setLineColor(Color.BLACK);
        double[] sm = steadyMeanStd(small.loss()), lm = steadyMeanStd(large.loss());
        double single = singleLossStd(d, exact, RATE);
        res.put("single_example_loss_std_at_closed_form", single);
        report.figure("loss_curves", lc, String.format(Locale.ROOT, "The first %d steps (all %d in loss_per_step.csv). Batch 1 "
                + "jumps by a factor of ten and more from one step to the next (mean step-to-step change %.0f%% of the mean loss) "
                + "while batch %d is smooth (%.1f%%): %.0f× less jitter. Batch %d sits on the expected loss at the closed-form "
                + "weights (dashed, %.3f; its mean over the second half %.3f). The reason: one step's loss is one example under "
                + "one of four masks (keep both inputs, keep x1 only, keep x2 only, drop both; kept inputs are doubled), whose "
                + "predictions differ by factors of two or are 0, so single losses are spread over orders of magnitude: over the "
                + "second half their median is %.3f, their mean %.3f and their standard deviation %.2f (a few huge losses, from "
                + "rows with large x, carry the mean; and the wandering weights of the next figure add to it). A batch averages "
                + "%d masks and rows, which divides the standard deviation by √%d = %.0f: at the closed-form weights one example's loss has standard deviation "
                + "%.3f (exact, over the rows and the four masks), so a batch's has %.4f; measured %.4f.",
                drawn, steps, 100 * relativeJitter(small.loss()), LARGE, 100 * relativeJitter(large.loss()), ratio, LARGE, floor,
                lm[0], sm[2], sm[0], sm[1], LARGE, LARGE, Math.sqrt(LARGE), single, single / Math.sqrt(LARGE), lm[1]));

        XYChart wc = Charts.line("Weights during training: batch 1 wanders, batch " + LARGE + " settles", "SGD step", "weight value");
        int points = small.fit().path().size();
        double[] px = new double[points];
        for (int i = 0; i < points; i++) px[i] = i == 0 ? 0 : (double) i * Math.max(1, steps / 200);
        for (int f = 0; f < 2; f++) {
            String wName = f == 0 ? "w1 (feature x1)" : "w2 (feature x2 = 0.2·x1)";
            XYSeries a = Charts.curve(wc, wName + ", batch 1", px, component(small.fit().path(), f));
            a.setLineColor(f == 0 ? Charts.PALETTE[1] : Charts.PALETTE[4]);
            a.setLineWidth(1.2f);
            XYSeries b = Charts.curve(wc, wName + ", batch " + LARGE, px, component(large.fit().path(), f));
            b.setLineColor(f == 0 ? Charts.PALETTE[0] : Charts.PALETTE[2]);
            b.setLineWidth(2.5f);
        }
        Charts.hline(wc, String.format(Locale.ROOT, "closed form w1 = %.3f, w2 = %.3f", exact[0], exact[1]), exact[0], 0, px[points - 1])
                .setLineColor(Color.BLACK);
        XYSeries w2line = Charts.hline(wc, "closed form w2", exact[1], 0, px[points - 1]);
        w2line.setLineColor(Color.BLACK);
        w2line.setShowInLegend(false);
        report.figure("weights", wc, String.format(Locale.ROOT, "The two weights every %d steps from zero, against the closed-form "
                + "Tikhonov solution (dashed). With batch %d they settle on it and stay (last weights (%.3f, %.3f), %.3f away); with batch 1 "
                + "each step follows one noisy example, so at the same learning rate they keep wandering around it (last weights "
                + "(%.3f, %.3f), %.3f away). %s", Math.max(1, steps / 200), LARGE, large.last()[0], large.last()[1],
                dist(large.last(), exact), small.last()[0], small.last()[1], dist(small.last(), exact), averagedReading(small, exact, steps)));

        report.section("Notebook answers (d), (e)", wtext + String.format(Locale.ROOT, "Closed form (%.3f, %.3f). (d) With batch 1 "
                + "the loss falls within a few dozen steps and then jumps up and down by orders of magnitude; the weights hover "
                + "around the closed form without settling, so the last iterate is not the closed-form solution. "
                + "(e) With batch %d the curve is smooth and flat at the expected loss, and the weights match the closed form. Same "
                + "expected loss and same minimizer; only the noise of the gradient estimate differs.", exact[0], exact[1], LARGE));
        report.write();
        return res;
    }

    /** What averaging batch 1's iterates gives, in words: the noise is zero-mean but correlated over many steps. */
    static String averagedReading(Run small, double[] exact, int steps) {
        double[] avg = small.fit().averaged();
        double a = dist(avg, exact), l = dist(small.last(), exact);
        String head = String.format(Locale.ROOT, "Averaging batch 1's iterates over the last %d steps gives (%.3f, %.3f), %.3f away: ",
                steps - steps / 2, avg[0], avg[1], a);
        return head + (a < 0.5 * l
                ? "the noise is zero-mean (the gradient is linear in w and the mask independent of w), so its average tends to the closed form."
                : "the noise is zero-mean (the gradient is linear in w and the mask independent of w), but w2's feature is small, so w2 "
                + "moves slowly and its excursions last hundreds of steps; this many steps average out only part of them.");
    }

    private static double[] positive(double[] v, int count) {
        double[] out = new double[count];
        for (int i = 0; i < count; i++) out[i] = Math.max(v[i], 1e-6);   // a log axis cannot show an exact 0
        return out;
    }

    private static double[] component(List<double[]> path, int f) {
        double[] out = new double[path.size()];
        for (int i = 0; i < out.length; i++) out[i] = path.get(i)[f];
        return out;
    }

    private static double dist(double[] a, double[] b) { return Math.hypot(a[0] - b[0], a[1] - b[1]); }
}
