package convlab.experiment;

import convlab.autograd.GradCheck;
import convlab.geometry.PaddingMode;
import convlab.geometry.PoolGeometry;
import convlab.nn.functional.Conv;
import convlab.nn.functional.ConvOptions;
import convlab.nn.functional.F;
import convlab.nn.functional.Normalization;
import convlab.nn.functional.Pooling;
import convlab.report.Charts;
import convlab.report.Report;
import convlab.report.Results;
import convlab.tensor.DType;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;
import org.knowm.xchart.XYChart;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The gradient check a student writes by hand, for every layer type convlab has: central finite differences
 * (f(x + h) − f(x − h)) / 2h in float64 against the backward pass, for every input and parameter element, as a
 * table a student can read.
 */
public final class GradientCheck implements Experiment {
    /** Errors above this (relative, as GradCheck measures them) would mean a wrong backward. */
    static final double TOLERANCE = 1e-6;

    /** One layer to check: what it is, the shapes of its inputs (input first, then parameters), and the op. */
    record Case(String layer, String settings, int[][] shapes, Function<Tensor[], Tensor> op) {}

    @Override public String name() { return "gradient-check"; }

    @Override public String description() {
        return "finite differences against autograd for every layer type (linear, conv, transposed conv, pooling, norms, loss)";
    }

    static List<Case> cases() {
        ConvOptions same = ConvOptions.DEFAULT.padding(1);
        return List.of(
                new Case("Linear", "5 → 3", new int[][] {{4, 5}, {3, 5}, {3}}, t -> F.linear(t[0], t[1], t[2])),
                new Case("Conv2d", "3×3, padding 1", new int[][] {{2, 2, 5, 5}, {3, 2, 3, 3}, {3}}, t -> Conv.conv2d(t[0], t[1], t[2], same)),
                new Case("Conv2d", "3×3, stride 2, dilation 2, reflect padding 2", new int[][] {{1, 2, 7, 7}, {2, 2, 3, 3}, {2}},
                        t -> Conv.conv2d(t[0], t[1], t[2], ConvOptions.DEFAULT.stride(2).dilation(2).padding(2).paddingMode(PaddingMode.REFLECT))),
                new Case("Conv2d", "3×3, circular padding 1, true convolution (flipped)", new int[][] {{1, 1, 5, 5}, {2, 1, 3, 3}, {2}},
                        t -> Conv.conv2d(t[0], t[1], t[2], same.paddingMode(PaddingMode.CIRCULAR).flip(true))),
                new Case("Conv1d", "kernel 3, stride 2", new int[][] {{2, 2, 9}, {3, 2, 3}, {3}},
                        t -> Conv.conv1d(t[0], t[1], t[2], ConvOptions.DEFAULT.stride(2))),
                new Case("ConvTranspose2d", "2×2, stride 2", new int[][] {{1, 2, 3, 3}, {2, 3, 2, 2}, {3}},
                        t -> Conv.convTranspose2d(t[0], t[1], t[2], ConvOptions.DEFAULT.stride(2))),
                new Case("MaxPool2d", "2×2, stride 2", new int[][] {{2, 2, 4, 4}}, t -> Pooling.maxPool2d(t[0], PoolGeometry.square(2, 2, 0))),
                new Case("AvgPool2d", "3×3, stride 2, padding 1", new int[][] {{1, 2, 5, 5}},
                        t -> Pooling.avgPool2d(t[0], PoolGeometry.square(3, 2, 1), true)),
                new Case("GlobalAvgPool2d", "", new int[][] {{2, 3, 4, 4}}, t -> Pooling.globalAvgPool2d(t[0])),
                new Case("BatchNorm2d", "training mode (batch statistics)", new int[][] {{3, 2, 3, 3}, {2}, {2}},
                        t -> Normalization.batchNorm(t[0], null, null, t[1], t[2], true, 0.1, 1e-5, false)),
                new Case("BatchNorm1d", "mean-only (the course's variant)", new int[][] {{4, 3}, {3}, {3}},
                        t -> Normalization.batchNorm(t[0], null, null, t[1], t[2], true, 0.1, 1e-5, true)),
                new Case("LayerNorm", "over 6 features", new int[][] {{3, 6}, {6}, {6}},
                        t -> Normalization.layerNorm(t[0], new int[] {6}, t[1], t[2], 1e-5)),
                new Case("GroupNorm", "2 groups of 2 channels", new int[][] {{2, 4, 3, 3}, {4}, {4}},
                        t -> Normalization.groupNorm(t[0], 2, t[1], t[2], 1e-5)),
                new Case("ReLU", "", new int[][] {{3, 7}}, t -> t[0].relu()),
                new Case("Cross-entropy", "mean over 4 examples, 5 classes", new int[][] {{4, 5}},
                        t -> F.crossEntropy(t[0], new int[] {0, 3, 1, 4})));
    }

    @Override
    public Results run(Path outputDir, boolean quick, long seed, ExperimentProgress progress) {
        List<Case> cases = cases();
        Report report = new Report(outputDir, "Gradient check: finite differences against autograd",
                "For every layer type, each input and parameter element x is moved by ±h (h = 1e-6) and the change of a fixed "
                        + "random projection of the layer's output is compared with what the backward pass computed: "
                        + "|autograd − (f(x+h) − f(x−h)) / 2h| / max(1, |numeric|), the largest over all elements. Everything in "
                        + "float64, inputs and parameters uniform in [−1, 1] (seed " + seed + ").");
        report.setting("seed", seed).setting("h", 1e-6).setting("tolerance", TOLERANCE);
        Results res = report.results();
        progress.phase("layers", cases.size());
        List<List<?>> rows = new ArrayList<>();
        List<Double> errors = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        double worst = 0;
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            Rng rng = new Rng(seed * 1000 + i);
            Tensor[] inputs = new Tensor[c.shapes().length];
            long elements = 0;
            for (int k = 0; k < inputs.length; k++) {
                inputs[k] = Tensor.uniform(rng, -1, 1, DType.F64, c.shapes()[k]);
                elements += inputs[k].numel();
            }
            GradCheck.Result r = GradCheck.check(c.op(), inputs);
            String label = c.layer() + (c.settings().isEmpty() ? "" : " (" + c.settings() + ")");
            rows.add(List.of(c.layer(), c.settings(), elements, r.maxError(), r.passed(TOLERANCE) ? "pass" : "FAIL"));
            errors.add(Math.max(r.maxError(), 1e-16));   // a log axis cannot show an exact 0
            worst = Math.max(worst, r.maxError());
            text.append(String.format(Locale.ROOT, "%d. %s: %d elements, largest error %.1e — %s. ", i + 1, label, elements,
                    r.maxError(), r.passed(TOLERANCE) ? "pass" : "FAIL at " + r.where()));
            progress.step(c.layer());
        }
        res.put("layers_checked", cases.size()).put("largest_error", worst)
                .put("failed", rows.stream().filter(r -> "FAIL".equals(r.get(4))).count());
        report.table("gradient_check", List.of("layer", "settings", "elements_checked", "max_relative_error", "verdict"), rows,
                "one row per layer: the largest finite-difference error over all input and parameter elements");
        XYChart chart = Charts.line("Largest finite-difference error per layer (float64)", "layer (numbered as in the table below)",
                "max |autograd − numeric| / max(1, |numeric|)");
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisDecimalPattern("0E0");   // 1E-10, not "0"
        double[] x = new double[errors.size()], y = new double[errors.size()];
        for (int i = 0; i < x.length; i++) { x[i] = i + 1; y[i] = errors.get(i); }
        Charts.points(chart, "largest error of the layer", x, y);
        Charts.hline(chart, "tolerance 1e-6", TOLERANCE, 1, x.length);
        report.figure("gradient_check", chart, String.format(Locale.ROOT, "Each point is one layer's largest error (log scale; numbered as in the list below); "
                + "the line is the tolerance 1e-6 a correct backward stays far below (central differences in float64 err by "
                + "about h² ≈ 1e-12 from truncation plus the rounding of f's value divided by 2h, 1e-10 to 1e-8 here). Largest of all: %.1e, %s.", worst,
                worst <= TOLERANCE ? "every layer passes" : "a layer FAILS: its backward disagrees with its forward"));
        report.section("Every layer", text.toString());
        report.section("How to read it", "A backward pass that is wrong (a missing term, a transposed index, the wrong "
                + "padding crop) gives errors of order 1e-2 to 1, not 1e-10: the check is decisive. Kinks (ReLU at 0, max "
                + "pooling at a tie) are where finite differences and autograd may legitimately differ; random inputs avoid them.");
        report.write();
        return res;
    }
}
