package convlab.experiment;

import convlab.nn.functional.Conv;
import convlab.nn.functional.ConvOptions;
import convlab.nn.AvgPool2d;
import convlab.nn.MaxPool2d;
import convlab.report.Charts;
import convlab.report.ImageGrid.Style;
import convlab.report.Report;
import convlab.report.Results;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;
import org.knowm.xchart.XYChart;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * hw4 problem 7(b): the weight gradient of a convolution is a sum over all output positions,
 * dw[h,l] = Σ_ij x[i+h, j+l]·dy[i,j], of m² = (n − k + 1)² uncorrelated zero-mean terms, so its standard
 * deviation is (n − k + 1)·σx·σg: it grows linearly with the image side n (weight sharing). Measured with
 * non-Gaussian inputs (uniform x, Laplace dy), many independent trials computed at once as the channels of
 * one grouped convolution. Also problem 7(c): where max and average pooling send the gradient.
 */
public final class WeightGradientScale implements Experiment {
    static final int K = 3;
    static final double SIGMA_X = 0.5, SIGMA_G = 2.0;

    @Override public String name() { return "weight-gradient-scale"; }

    @Override public String description() {
        return "Std of a conv weight gradient vs image size n on log-log axes, beside (n-k+1)·σx·σg; max/avg-pool gradient routing";
    }

    /** Standard deviation (over trials and kernel taps) and mean of dw for images of side n. */
    record Measurement(int n, double std, double mean, int samples) {}

    static Measurement measure(int n, int trials, Rng rng) {
        // x uniform on ±√3·σx (variance σx²); dy Laplace with scale σg/√2 (variance σg²): neither is normal
        Tensor x = Tensor.zeros(1, trials, n, n);
        float[] xv = x.data();
        double a = Math.sqrt(3) * SIGMA_X;
        for (int i = 0; i < xv.length; i++) xv[i] = (float) (a * (2 * rng.nextDouble() - 1));
        Tensor w = Tensor.zeros(trials, 1, K, K).requiresGrad(true);
        Tensor y = Conv.conv2d(x, w, null, ConvOptions.DEFAULT.groups(trials));   // trial t: channel t with its own kernel
        Tensor dy = Tensor.zeros(y.shape());
        float[] gv = dy.data();
        double b = SIGMA_G / Math.sqrt(2);
        for (int i = 0; i < gv.length; i++) {
            double u = rng.nextDouble() - 0.5;
            gv[i] = (float) (-b * Math.signum(u) * Math.log(1 - 2 * Math.abs(u)));
        }
        y.backward(dy);
        double[] g = w.grad().toDoubleArray();
        double s = 0, ss = 0;
        for (double v : g) { s += v; ss += v * v; }
        double mean = s / g.length;
        return new Measurement(n, Math.sqrt(ss / g.length - mean * mean), mean, g.length);
    }

    static double predicted(int n) { return (n - K + 1) * SIGMA_X * SIGMA_G; }

    /** Least-squares slope of log y against log x. */
    static double logLogSlope(double[] x, double[] y) {
        int m = x.length;
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int i = 0; i < m; i++) {
            double lx = Math.log(x[i]), ly = Math.log(y[i]);
            sx += lx; sy += ly; sxx += lx * lx; sxy += lx * ly;
        }
        return (m * sxy - sx * sy) / (m * sxx - sx * sx);
    }

    @Override
    public Results run(Path outputDir, boolean quick, long seed, ExperimentProgress progress) {
        int[] sizes = quick ? new int[] {4, 8, 16, 32, 64} : new int[] {4, 5, 6, 8, 11, 16, 23, 32, 45, 64, 91, 128, 181, 256};
        // fewer trials for large images (each trial has more terms, and memory grows as trials·n²): at most ~2M pixels per size
        int maxTrials = quick ? 200 : 2000, pixelBudget = quick ? 200_000 : 2_000_000;
        Report report = new Report(outputDir, "Weight-gradient scale of a convolution (problem 7)",
                "A " + K + "×" + K + " convolution (no padding, stride 1) on n×n images with independent zero-mean inputs "
                        + "(uniform, σx = " + SIGMA_X + ") and upstream gradients (Laplace, σg = " + SIGMA_G + "). For each n, "
                        + "up to " + maxTrials + " independent trials (at least 50, fewer for large n); the standard deviation is taken "
                        + "over all trials and kernel taps.");
        report.setting("seed", seed).setting("quick", quick).setting("kernel", K).setting("max_trials", maxTrials)
                .setting("sigma_x", SIGMA_X).setting("sigma_g", SIGMA_G);
        Results res = report.results();
        progress.phase("image sizes", sizes.length);
        Rng rng = new Rng(seed);
        double[] n = new double[sizes.length], measured = new double[sizes.length], theory = new double[sizes.length], m = new double[sizes.length];
        List<List<?>> rows = new ArrayList<>();
        double worstRatio = 0;
        for (int i = 0; i < sizes.length; i++) {
            int trials = Math.max(50, Math.min(maxTrials, pixelBudget / (sizes[i] * sizes[i])));
            Measurement r = measure(sizes[i], trials, rng);
            n[i] = sizes[i];
            m[i] = sizes[i] - K + 1;
            measured[i] = r.std();
            theory[i] = predicted(sizes[i]);
            worstRatio = Math.max(worstRatio, Math.abs(r.std() / theory[i] - 1));
            rows.add(List.of(sizes[i], r.std(), theory[i], r.std() / theory[i], r.mean(), r.samples()));
            progress.step("n = " + sizes[i]);
        }
        report.table("gradient_std", List.of("n", "measured_std", "predicted_std", "ratio", "measured_mean", "samples"), rows,
                "measured and predicted standard deviation of dw for each image size");
        int half = sizes.length / 2;
        double slopeLarge = logLogSlope(java.util.Arrays.copyOfRange(n, half, n.length), java.util.Arrays.copyOfRange(measured, half, n.length));
        double slopeM = logLogSlope(m, measured);
        res.put("sizes", n).put("measured_std", measured).put("predicted_std", theory)
                .put("slope_vs_n_large_half", slopeLarge).put("slope_vs_n_minus_k_plus_1", slopeM).put("largest_relative_error", worstRatio);

        XYChart c = Charts.logLog("Std of the weight gradient against image size", "image side n (log scale)", "std of dw[h,l] (log scale)");
        Charts.fineLogTicks(c);
        Charts.points(c, "measured", n, measured);
        Charts.dashed(c, "predicted (n − k + 1)·σx·σg", n, theory);
        report.figure("gradient_std", c, String.format(Locale.ROOT, "Measured standard deviation of the weight gradient (markers) and "
                + "the prediction (n − k + 1)·σx·σg (dashed). On log-log axes the points follow a line of slope %.3f against n over "
                + "the larger half of the sizes (%.3f against n − k + 1 over all sizes): the gradient grows linearly with the image "
                + "side, because every output position adds an uncorrelated term. Largest relative deviation from the prediction: "
                + "%.1f%%.", slopeLarge, slopeM, 100 * worstRatio));
        poolingGradients(report, rng);
        report.write();
        return res;
    }

    /** Problem 7(c): dX for 2×2 max and average pooling with an all-ones upstream gradient. */
    private static void poolingGradients(Report report, Rng rng) {
        int n = 8;
        Tensor x = Tensor.zeros(1, 1, n, n);
        float[] xv = x.data();
        for (int i = 0; i < xv.length; i++) xv[i] = (float) rng.nextDouble();
        Tensor xm = x.copy().detach().requiresGrad(true), xa = x.copy().detach().requiresGrad(true);
        Tensor ym = new MaxPool2d(2).forward(xm), ya = new AvgPool2d(2).forward(xa);
        ym.backward(Tensor.ones(ym.shape()));
        ya.backward(Tensor.ones(ya.shape()));
        var grid = Figures.grid(28, "Gradient through 2×2 pooling (upstream gradient all ones; orange lines: the pooling windows)");
        grid.row("", List.of(
                convlab.report.ImageGrid.Tile.of(x.toFloatArray(), n, n, "input X", Style.GRAY_AUTO).withBlocks(2),
                convlab.report.ImageGrid.Tile.of(xm.grad().toFloatArray(), n, n, "dX, max pool", Style.GRAY_UNIT).withBlocks(2).withValues(),
                convlab.report.ImageGrid.Tile.of(xa.grad().toFloatArray(), n, n, "dX, average pool", Style.GRAY_UNIT).withBlocks(2).withValues()));
        double maxSum = 0, avgMax = 0;
        for (float v : xm.grad().toFloatArray()) maxSum += v;
        for (float v : xa.grad().toFloatArray()) avgMax = Math.max(avgMax, v);
        report.results().put("maxpool_grad_total", maxSum).put("avgpool_grad_max", avgMax);
        report.figure("pooling_gradients", grid, "Max pooling sends each window's whole gradient to the position of its maximum "
                + "(one white pixel, value 1, per 2×2 window, the rest 0); average pooling splits it evenly (every pixel gets 1/4, "
                + "dark grey on the same 0–1 scale). The orange lines mark the windows; in X the brightest pixel of each window "
                + "is where max pooling's 1 lands. Max pooling thus trains only the winning features; average pooling trains all "
                + "of them a little.");
    }
}
