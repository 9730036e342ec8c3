package convlab.experiment;

import convlab.nn.Dropout;
import convlab.nn.Linear;
import convlab.nn.Sequential;
import convlab.optim.Adam;
import convlab.optim.Optimizer;
import convlab.optim.SGD;
import convlab.report.Charts;
import convlab.report.Report;
import convlab.report.Results;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;
import convlab.data.Batch;
import convlab.train.BatchSource;
import convlab.train.Loss;
import convlab.train.Trainer;
import convlab.train.TrainingListener;
import org.knowm.xchart.XYChart;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Dropout on the inputs of a linear regression is Tikhonov regularization in expectation. With inverted
 * dropout of rate r (keep probability p = 1 − r, kept inputs scaled by 1/p) the expected training loss is
 * <pre>  ‖y − Xw‖² + λ‖Γw‖²,  λ = r/(1 − r),  Γ = diag(column norms of X)</pre>
 * which is the course's ‖y − pXw‖² + p(1−p)‖Γw‖² written for w' = p·w. Its minimizer is
 * w = (XᵀX + λ·diag(XᵀX))⁻¹ Xᵀy.
 *
 * <p>The two features are collinear and of very different scales (x₂ = s·x₁, s = 0.2), so without dropout
 * every w on the line w₁ + s·w₂ = b fits equally well and SGD from zero picks the minimum-norm one, which
 * leans on the large feature. Any dropout rate, however small, picks the minimum-‖Γw‖ one instead, which
 * spreads the prediction equally over both features: the learned weights jump at rate 0.
 */
public final class DropoutRegression implements Experiment {
    static final double SCALE = 0.2;     // x₂ = SCALE · x₁
    static final double BETA = 1.0;      // y = BETA · x₁ + noise
    static final double NOISE = 0.1;

    @Override public String name() { return "dropout-regression"; }

    @Override public String description() {
        return "Input dropout in linear regression = Tikhonov regularization: SGD/Adam vs the closed form, sweep over rate";
    }

    /** The data: n rows of two collinear features of scales 1 and SCALE, and targets. */
    record Data(double[][] x, double[] y) {
        static Data make(int n, Rng rng) {
            double[][] x = new double[n][2];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                double a = rng.nextGaussian();
                x[i][0] = a;
                x[i][1] = SCALE * a;
                y[i] = BETA * a + NOISE * rng.nextGaussian();
            }
            return new Data(x, y);
        }

        int n() { return y.length; }
    }

    /** Minimizer of ‖y − Xw‖² + λ‖Γw‖² for λ > 0: (XᵀX + λ·diag(XᵀX))⁻¹ Xᵀy (a 2×2 solve). */
    static double[] tikhonov(Data d, double lambda) {
        double a = 0, b = 0, c = 0, u = 0, v = 0;
        for (int i = 0; i < d.n(); i++) {
            double x0 = d.x()[i][0], x1 = d.x()[i][1];
            a += x0 * x0; b += x0 * x1; c += x1 * x1;
            u += x0 * d.y()[i]; v += x1 * d.y()[i];
        }
        double m00 = a * (1 + lambda), m11 = c * (1 + lambda), det = m00 * m11 - b * b;
        return new double[] {(m11 * u - b * v) / det, (m00 * v - b * u) / det};
    }

    /** Minimum-norm least-squares solution (the limit of gradient descent from zero without dropout). */
    static double[] minimumNorm(Data d) {
        // X has rank one: X = x₁·(1, s), so the fits are w₁ + s·w₂ = b with b = ⟨x₁, y⟩/⟨x₁, x₁⟩.
        double xx = 0, xy = 0;
        for (int i = 0; i < d.n(); i++) { xx += d.x()[i][0] * d.x()[i][0]; xy += d.x()[i][0] * d.y()[i]; }
        double b = xy / xx;
        return new double[] {b / (1 + SCALE * SCALE), b * SCALE / (1 + SCALE * SCALE)};
    }

    /** The r → 0⁺ limit of the Tikhonov solution: minimum ‖Γw‖ among the fits, b/2 on each feature. */
    static double[] dropoutLimit(Data d) {
        double[] mn = minimumNorm(d);
        double b = mn[0] + SCALE * mn[1];
        return new double[] {b / 2, b / (2 * SCALE)};
    }

    enum Opt { SGD, ADAM }

    /** Trained weights: the average of the iterates over the second half of training (Polyak averaging). */
    record Fit(double[] averaged, List<double[]> path) {}

    /**
     * Trains dropout → linear with the library's training loop ({@link Trainer}, mean squared error, no metric): each
     * step draws a batch of examples with replacement, and a listener reads the weights after every update.
     */
    static Fit train(Data d, double rate, Opt opt, int steps, int batch, long seed) {
        return train(d, rate, opt, steps, batch, seed, loss -> {});
    }

    /** As above, also handing each step's batch loss (mean squared error on the dropped-out inputs) to onLoss. */
    static Fit train(Data d, double rate, Opt opt, int steps, int batch, long seed, java.util.function.DoubleConsumer onLoss) {
        Rng rng = new Rng(seed);
        Linear lin = new Linear(2, 1, false, rng);
        lin.weight.copyFrom(Tensor.zeros(1, 2));           // start at zero: gradient descent then stays minimum-norm
        Dropout drop = new Dropout(rate, new Rng(seed + 1));   // inverted dropout on the inputs
        Optimizer o = opt == Opt.SGD ? new SGD(lin.parameters(), 0.05, 0, 0) : new Adam(lin.parameters(), 0.01, 0.9, 0.999, 1e-8, 0, false);
        double[] sum = new double[2];
        int[] averaged = {0};
        List<double[]> path = new ArrayList<>();
        path.add(new double[] {0, 0});
        BatchSource draws = BatchSource.steps(steps, batch, () -> {
            float[] xb = new float[batch * 2], yb = new float[batch];
            for (int k = 0; k < batch; k++) {
                int i = rng.nextInt(d.n());
                xb[2 * k] = (float) d.x()[i][0];
                xb[2 * k + 1] = (float) d.x()[i][1];
                yb[k] = (float) d.y()[i];
            }
            return Batch.regression(Tensor.of(xb, batch, 2), Tensor.of(yb, batch, 1));
        });
        TrainingListener weights = new TrainingListener() {
            int t;
            @Override public void stepLoss(long step, double loss, double accuracy) { onLoss.accept(loss); }
            @Override public void stepFinished(int epoch, int step, double loss, double accuracy, double ips) {
                float[] w = lin.weight.data();
                if ((t + 1) % Math.max(1, steps / 200) == 0) path.add(new double[] {w[0], w[1]});
                if (t >= steps / 2) { sum[0] += w[0]; sum[1] += w[1]; averaged[0]++; }
                t++;
            }
        };
        new Trainer(new Sequential(drop, lin), o, weights, Loss.MSE, List.of()).fit(draws, null, 1, 0);
        return new Fit(new double[] {sum[0] / averaged[0], sum[1] / averaged[0]}, path);
    }

    @Override
    public Results run(Path outputDir, boolean quick, long seed, ExperimentProgress progress) {
        int n = quick ? 32 : 64, steps = quick ? 4000 : 20000, batch = 8;
        double[] sgdRates = quick ? new double[] {0, 0.2, 0.5} : new double[] {0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7};
        Report report = new Report(outputDir, "Dropout as Tikhonov regularization in linear regression",
                "Linear regression with two collinear features of very different scales (x2 = " + SCALE + "·x1), trained by "
                        + "mini-batch SGD and Adam with inverted dropout on the inputs, compared with the closed-form minimizer of "
                        + "the loss dropout is equivalent to in expectation: ‖y − Xw‖² + λ‖Γw‖² with λ = r/(1 − r) and Γ the diagonal "
                        + "of the column norms (the course's ‖y − pXw‖² + p(1−p)‖Γw‖² for w' = p·w, p = 1 − r).");
        report.setting("seed", seed).setting("quick", quick).setting("examples", n).setting("steps", steps)
                .setting("batch", batch).setting("sgd_lr", 0.05).setting("adam_lr", 0.01).setting("feature_scale", SCALE);
        Data d = Data.make(n, new Rng(seed));
        Results res = report.results();
        double[] mn = minimumNorm(d), lim = dropoutLimit(d);
        res.put("min_norm_w", mn).put("dropout_limit_w", lim);

        // Closed-form curve over rate; dense near 0 to show where it is heading.
        List<Double> rates = new ArrayList<>();
        for (double r = 1e-4; r < 0.01; r *= 1.5) rates.add(r);
        for (double r = 0.01; r <= 0.9001; r += 0.01) rates.add(r);
        double[] cr = rates.stream().mapToDouble(Double::doubleValue).toArray(), cw1 = new double[cr.length], cw2 = new double[cr.length];
        for (int i = 0; i < cr.length; i++) {
            double[] w = tikhonov(d, cr[i] / (1 - cr[i]));
            cw1[i] = w[0]; cw2[i] = w[1];
        }

        progress.phase("SGD and Adam over dropout rates", 2 * sgdRates.length);
        double[] s1 = new double[sgdRates.length], s2 = new double[sgdRates.length], a1 = new double[sgdRates.length], a2 = new double[sgdRates.length];
        List<List<?>> rows = new ArrayList<>();
        Fit sgdNoDrop = null, sgdDrop = null, adamNoDrop = null;
        for (int i = 0; i < sgdRates.length; i++) {
            double r = sgdRates[i];
            Fit s = train(d, r, Opt.SGD, steps, batch, seed + 100 + i);
            progress.step(String.format(Locale.ROOT, "SGD rate %.2f", r));
            Fit a = train(d, r, Opt.ADAM, steps, batch, seed + 200 + i);
            progress.step(String.format(Locale.ROOT, "Adam rate %.2f", r));
            s1[i] = s.averaged()[0]; s2[i] = s.averaged()[1]; a1[i] = a.averaged()[0]; a2[i] = a.averaged()[1];
            double[] exact = r == 0 ? mn : tikhonov(d, r / (1 - r));
            rows.add(List.of(r, exact[0], exact[1], s1[i], s2[i], a1[i], a2[i]));
            String tag = String.format(Locale.ROOT, "%.2f", r);
            res.put("sgd_w_rate_" + tag, s.averaged()).put("adam_w_rate_" + tag, a.averaged()).put("exact_w_rate_" + tag, exact);
            if (r == 0) { sgdNoDrop = s; adamNoDrop = a; }
            if (Math.abs(r - 0.5) < 1e-9) sgdDrop = s;
        }
        report.table("weights_by_rate", List.of("rate", "exact_w1", "exact_w2", "sgd_w1", "sgd_w2", "adam_w1", "adam_w2"), rows,
                "learned and closed-form weights at each dropout rate (rate 0: exact = minimum-norm least squares)");
        List<List<?>> curveRows = new ArrayList<>();
        for (int i = 0; i < cr.length; i++) curveRows.add(List.of(cr[i], cw1[i], cw2[i]));
        report.table("closed_form_curve", List.of("rate", "w1", "w2"), curveRows, "the closed-form Tikhonov solution over dropout rate");

        for (int f = 0; f < 2; f++) {
            String w = f == 0 ? "w1 (large feature)" : "w2 (small feature)";
            XYChart c = Charts.line("Learned " + w + " against dropout rate", "dropout rate r", w);
            Charts.dashed(c, "closed form (Tikhonov, λ = r/(1−r))", cr, f == 0 ? cw1 : cw2);
            Charts.points(c, "SGD with input dropout", sgdRates, f == 0 ? s1 : s2);
            Charts.points(c, "Adam with input dropout", sgdRates, f == 0 ? a1 : a2);
            Charts.points(c, "minimum-norm fit (rate 0 limit of GD)", new double[] {0}, new double[] {mn[f]});
            report.figure("w" + (f + 1) + "_vs_rate", c, "The " + w + " weight learned with dropout rate r (markers) and the "
                    + "closed-form solution (dashed). At r = 0 SGD lands on the minimum-norm fit (" + fmt(mn[f]) + "), while as r → 0⁺ the "
                    + "closed form tends to " + fmt(lim[f]) + ": the weights jump at rate 0. Adam at r = 0 finds yet another fit.");
        }

        XYChart path = Charts.line("Weight trajectories (w1, w2) during training", "w1 (large feature)", "w2 (small feature)");
        double b = mn[0] + SCALE * mn[1];
        Charts.dashed(path, "all exact fits: w1 + " + SCALE + "·w2 = " + fmt(b), new double[] {-0.2, b + 0.1},
                new double[] {(b + 0.2) / SCALE, -0.1 / SCALE});
        plotPath(path, "SGD, no dropout", sgdNoDrop);
        plotPath(path, "Adam, no dropout", adamNoDrop);
        if (sgdDrop != null) plotPath(path, "SGD, dropout 0.5", sgdDrop);
        Charts.points(path, "min-norm / dropout→0⁺ limit", new double[] {mn[0], lim[0]}, new double[] {mn[1], lim[1]});
        report.figure("trajectories", path, "Paths of the weights from zero. Without dropout, SGD moves along the data's only "
                + "direction (1, " + SCALE + ") to the minimum-norm fit; Adam's per-coordinate scaling moves both weights at the same "
                + "speed and ends elsewhere on the line of exact fits; dropout pulls the weights towards the solution that shares "
                + "the prediction between the features.");

        res.put("jump_w2", lim[1] - mn[1]);
        report.section("What this shows", String.format(Locale.ROOT,
                "Without dropout every point of the line w1 + %.1f·w2 = %.3f fits the data exactly; gradient descent from zero "
                        + "picks the minimum-norm point (%.3f, %.3f). With any dropout rate the expected loss adds λ‖Γw‖², whose "
                        + "minimizer as λ → 0 is (%.3f, %.3f): the small feature's weight is %.1f times larger. The SGD points follow "
                        + "the closed-form curve at every rate > 0.", SCALE, b, mn[0], mn[1], lim[0], lim[1], lim[1] / mn[1]));
        report.write();
        return res;
    }

    private static void plotPath(XYChart c, String name, Fit f) {
        if (f == null) return;
        double[] x = new double[f.path().size()], y = new double[x.length];
        for (int i = 0; i < x.length; i++) { x[i] = f.path().get(i)[0]; y[i] = f.path().get(i)[1]; }
        Charts.curve(c, name, x, y);
    }

    private static String fmt(double v) { return String.format(Locale.ROOT, "%.3f", v); }
}
