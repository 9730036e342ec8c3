package convlab.experiment;

import convlab.data.Dataset;
import convlab.data.FashionMnist;
import convlab.nn.Flatten;
import convlab.nn.Init;
import convlab.nn.Linear;
import convlab.nn.MaxPool2d;
import convlab.nn.Module;
import convlab.nn.Parameter;
import convlab.nn.ReLU;
import convlab.nn.Sequential;
import convlab.nn.functional.Conv;
import convlab.nn.functional.ConvOptions;
import convlab.optim.Adam;
import convlab.optim.Optimizer;
import convlab.optim.ParamGroup;
import convlab.optim.fp8.Fp8Format;
import convlab.optim.fp8.Fp8Storage;
import convlab.report.Charts;
import convlab.report.Report;
import convlab.report.Results;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;
import org.knowm.xchart.XYChart;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * hw4 problem 2(a, b): parameters stored in fp8 (E4M3). Xavier-initialized weights are small, so many fall
 * into E4M3's subnormal range or round to zero; the unit-scaled parametrization stores W ~ N(0, 1) and
 * multiplies the layer's output by c = 1/√fanIn, which is the same function at initialization but uses the
 * format's well-resolved range. Measured: the fraction of weights that round to zero (or to subnormals)
 * against fan-in, and the course CNN trained with fp8 weights in both parametrizations.
 */
public final class Fp8UnitScaling implements Experiment {
    static final Fp8Format FORMAT = Fp8Format.E4M3;

    @Override public String name() { return "fp8-unit-scaling"; }

    @Override public String description() {
        return "Course CNN with E4M3 (fp8) weights: Xavier vs unit-scaled N(0,1)+constant; accuracy and weights rounding to zero";
    }

    /** A 2-D convolution y = conv(x, c·W) + b: c = 1 with a conventional init, c = 1/√fanIn with W ~ N(0, 1). */
    static final class ScaledConv2d extends Module {
        final Parameter weight, bias;
        final double c;
        private final ConvOptions options;

        ScaledConv2d(Tensor weight, double c, ConvOptions options) {
            this.weight = registerParameter("weight", weight);
            this.bias = registerParameter("bias", Tensor.zeros(weight.size(0)));
            this.c = c;
            this.options = options;
        }

        @Override public Tensor forward(Tensor x) {
            return Conv.conv2d(x, c == 1 ? weight : weight.mul(c), bias, options);
        }

        @Override public String toString() { return "ScaledConv2d(c=" + (float) c + ")"; }
    }

    /** Xavier-normal standard deviation for a weight with these fans (the library's Init). */
    static double xavierStd(int fanIn, int fanOut) { return Init.xavierNormalStd(fanIn, fanOut); }

    /** The course CNN, unit-scaled or Xavier-initialized; weightStd receives each weight's initial scale (for its lr). */
    static Sequential courseCnn(boolean unitScaled, Rng rng, List<Double> weightStd) {
        ConvOptions same = ConvOptions.DEFAULT.padding(1);
        List<Module> layers = new ArrayList<>();
        int[][] convs = {{1, 10}, {10, 10}};
        for (int[] io : convs) {
            int fanIn = io[0] * 9, fanOut = io[1] * 9;
            double std = unitScaled ? 1 : xavierStd(fanIn, fanOut);
            weightStd.add(std);
            layers.add(new ScaledConv2d(unitScaled ? Tensor.randn(rng, 1, convlab.tensor.DType.F32, io[1], io[0], 3, 3)
                    : Init.xavierNormal(rng, fanIn, fanOut, io[1], io[0], 3, 3),
                    unitScaled ? 1 / Math.sqrt(fanIn) : 1, same));
            layers.add(new ReLU());
            layers.add(new MaxPool2d(2));
        }
        layers.add(new Flatten());
        Linear head = new Linear(490, 10, rng);
        if (unitScaled) head.unitScale(rng);
        else {
            head.weight.copyFrom(Init.xavierNormal(rng, 490, 10, 10, 490));
            head.bias.copyFrom(Tensor.zeros(10));
        }
        weightStd.add(unitScaled ? 1 : xavierStd(490, 10));
        layers.add(head);
        return new Sequential(layers);
    }

    /** A wide MLP 784 → width → width → 10 (fan-in ≥ 1024 for the hidden and output layers), Xavier or unit-scaled. */
    static Sequential wideMlp(int width, boolean unitScaled, Rng rng, List<Double> weightStd) {
        int[] sizes = {784, width, width, 10};
        List<Module> layers = new ArrayList<>();
        for (int i = 0; i + 1 < sizes.length; i++) {
            Linear l = new Linear(sizes[i], sizes[i + 1], rng);
            if (unitScaled) l.unitScale(rng);
            else {
                l.weight.copyFrom(Init.xavierNormal(rng, sizes[i], sizes[i + 1], sizes[i + 1], sizes[i]));
                l.bias.copyFrom(Tensor.zeros(sizes[i + 1]));
            }
            weightStd.add(unitScaled ? 1 : xavierStd(sizes[i], sizes[i + 1]));
            if (i > 0) layers.add(new ReLU());
            layers.add(l);
        }
        layers.add(0, new Flatten());
        return new Sequential(layers);
    }

    /** Adam with weight lr = eta · (the weight's initial scale), so both parametrizations take the same relative steps. */
    static Optimizer adam(Sequential net, List<Double> weightStd, double eta, double biasLr) {
        List<ParamGroup> groups = new ArrayList<>();
        int w = 0;
        for (var e : net.namedParameters().entrySet()) {
            boolean isWeight = e.getKey().endsWith("weight");
            double lr = isWeight ? eta * weightStd.get(w++) : biasLr;
            groups.add(new ParamGroup(e.getKey(), List.of(e.getValue()), List.of(e.getKey()), lr, 0));
        }
        return new Adam(groups, 0.9, 0.999, 1e-8, false, false);
    }

    /** Fraction of the weight (not bias) values equal to zero. */
    static double zeroFraction(Module net) {
        long zeros = 0, total = 0;
        for (var e : net.namedParameters().entrySet()) {
            if (!e.getKey().endsWith("weight")) continue;
            for (float v : e.getValue().data()) { if (v == 0f) zeros++; total++; }
        }
        return (double) zeros / total;
    }

    /** Fractions of N(0, std²) samples that E4M3 rounds to zero and to a subnormal (nonzero) value. */
    static double[] underflow(double std, int samples, Rng rng) {
        int zero = 0, sub = 0;
        double minNormal = FORMAT.minNormal();
        for (int i = 0; i < samples; i++) {
            double r = FORMAT.round(std * rng.nextGaussian(), true);
            if (r == 0) zero++;
            else if (Math.abs(r) < minNormal) sub++;
        }
        return new double[] {(double) zero / samples, (double) sub / samples};
    }

    @Override
    public Results run(Path outputDir, boolean quick, long seed, ExperimentProgress progress) {
        FashionMnist fm = Nets.fashionMnist(quick);
        int steps = quick ? 60 : 1500, batch = quick ? 32 : 64, evalEvery = quick ? 10 : 100, testSize = quick ? 500 : 2000;
        double eta = 0.01, biasLr = 1e-3;
        int[] idx = new int[Math.min(testSize, fm.test().size())];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        Dataset val = fm.test().subset(idx, "first " + idx.length + " test images");
        Report report = new Report(outputDir, "fp8 (E4M3) weights: Xavier vs unit scaling (problem 2)",
                "Weights stored in E4M3 (4 exponent bits, 3 mantissa bits; smallest normal 2⁻⁶ ≈ 0.0156, smallest subnormal "
                        + "2⁻⁹ ≈ 0.00195, largest 448). Xavier initialization gives weights of standard deviation √(2/(fanIn+fanOut)); "
                        + "unit scaling stores N(0, 1) weights and multiplies each layer's output by c = 1/√fanIn instead. The course "
                        + "CNN is trained on " + fm.source() + " with fp8 weights (no float32 master copy, stochastic rounding after "
                        + "every step) by Adam with weight learning rate " + eta + " × the weight's initial scale (the same relative "
                        + "step in both parametrizations).");
        report.setting("seed", seed).setting("quick", quick).setting("steps", steps).setting("batch", batch).setting("eta", eta)
                .setting("bias_lr", biasLr).setting("format", FORMAT.name());
        Results res = report.results();
        int[] fans = {16, 64, 256, 1024, 4096, 16384};
        progress.phase("fp8 runs", 3 + 1 + (quick ? 2 : 4));

        // 1. Underflow against fan-in (fanOut = fanIn), Xavier vs N(0, 1).
        Rng rng = new Rng(seed);
        double[] x = new double[fans.length], xz = new double[fans.length], xs = new double[fans.length], uz = new double[fans.length], us = new double[fans.length];
        int samples = quick ? 20_000 : 200_000;
        List<List<?>> rows = new ArrayList<>();
        for (int i = 0; i < fans.length; i++) {
            x[i] = fans[i];
            double[] a = underflow(xavierStd(fans[i], fans[i]), samples, rng), b = underflow(1, samples, rng);
            xz[i] = a[0]; xs[i] = a[1]; uz[i] = b[0]; us[i] = b[1];
            rows.add(List.of(fans[i], a[0], a[1], b[0], b[1]));
        }
        progress.step("underflow sweep");
        report.table("underflow", List.of("fan_in", "xavier_zero", "xavier_subnormal", "unit_zero", "unit_subnormal"), rows,
                "fractions of initial weights that E4M3 rounds to zero or to a subnormal, by fan-in (fan-out = fan-in)");
        res.put("underflow_fan_in", x).put("xavier_zero_fraction", xz).put("unit_zero_fraction", uz)
                .put("xavier_subnormal_fraction", xs).put("unit_subnormal_fraction", us);
        XYChart u = Charts.logX("Initial weights in E4M3: lost (rounded to 0) and kept as subnormals", "fan-in (= fan-out), log scale", "fraction of weights");
        u.getStyler().setXAxisLogarithmicDecadeOnly(true);   // over three decades the in-between labels collide
        Charts.series(u, "Xavier: lost (rounds to 0)", x, xz);
        Charts.dashed(u, "Xavier: kept, subnormal (fewer bits)", x, xs);
        Charts.series(u, "unit-scaled N(0,1): lost (rounds to 0)", x, uz);
        Charts.dashed(u, "unit-scaled N(0,1): kept, subnormal", x, us);
        int last = fans.length - 1;
        report.figure("underflow", u, String.format(Locale.ROOT, "Freshly initialized weights stored in E4M3. Lost (solid) counts only "
                + "the weights rounded to 0; a subnormal (dashed) still holds a value, only with fewer significant bits and a fixed "
                + "grid spacing of 2⁻⁹, so it is not counted as lost. Xavier's scale shrinks like 1/√fanIn: at fan-in %d it "
                + "loses %.1f%% of its weights and keeps %.1f%% as subnormals; N(0, 1) weights lose %.2f%% (and %.2f%% subnormal) "
                + "at every width: the reason to initialize from N(0, 1) and move the 1/√fanIn into a forward constant.",
                fans[last], 100 * xz[last], 100 * xs[last], 100 * uz[last], 100 * us[last]));

        // 2. Training with fp8 weights.
        record Run(String label, boolean fp8, boolean unit) {}
        List<Run> runs = List.of(new Run("float32 weights, Xavier", false, false), new Run("E4M3 weights, Xavier", true, false),
                new Run("E4M3 weights, unit-scaled", true, true));
        XYChart acc = Charts.line("Course CNN with fp8 weights", "optimizer step", "validation accuracy");
        XYChart zeros = Charts.line("Weights stored as exactly zero during training", "optimizer step", "fraction of weights = 0");
        List<List<?>> curveRows = new ArrayList<>();
        for (Run r : runs) {
            List<Double> stds = new ArrayList<>();
            Sequential net = courseCnn(r.unit(), new Rng(seed + 7), stds);
            Optimizer opt = adam(net, stds, eta, biasLr);
            if (r.fp8()) opt = new Fp8Storage(opt, FORMAT, false, Fp8Format.Rounding.STOCHASTIC, true, seed + 8);
            String key = (r.fp8() ? "fp8_" : "fp32_") + (r.unit() ? "unit" : "xavier");
            res.put(key + "_zero_weights_at_init", zeroFraction(net));
            Training.Curve c = Training.run(net, opt, fm.train(), val, steps, batch, evalEvery, seed + 9, Fp8UnitScaling::zeroFraction);
            res.put(key + "_final_val_acc", c.finalAccuracy()).put(key + "_zero_weights_at_end", zeroFraction(net));
            Charts.series(acc, r.label(), c.stepsArray(), Training.Curve.array(c.valAccuracy()));
            if (r.fp8()) {
                double[] steps0 = new double[c.steps().size() + 1], z = new double[steps0.length];
                z[0] = res.number(key + "_zero_weights_at_init");
                for (int i = 0; i < c.steps().size(); i++) { steps0[i + 1] = c.steps().get(i); z[i + 1] = c.probe().get(i); }
                Charts.series(zeros, r.label(), steps0, z);
            }
            for (int i = 0; i < c.steps().size(); i++)
                curveRows.add(List.of(key, c.steps().get(i), c.valLoss().get(i), c.valAccuracy().get(i), c.probe().get(i)));
            progress.step(r.label());
        }
        report.table("training", List.of("run", "step", "val_loss", "val_acc", "zero_weight_fraction"), curveRows, "validation after every " + evalEvery + " steps");
        report.figure("training", acc, String.format(Locale.ROOT, "Validation accuracy during training. Final: float32 Xavier %.1f%%, "
                        + "E4M3 Xavier %.1f%%, E4M3 unit-scaled %.1f%%. Weights stored as exactly zero at the end: E4M3 Xavier %.2f%%, "
                        + "E4M3 unit-scaled %.2f%%. The course CNN's layers are narrow (fan-in 9, 90, 490), so Xavier's weights are "
                        + "still large enough for E4M3 and the two parametrizations train alike; the wide network below shows where that ends.",
                100 * res.number("fp32_xavier_final_val_acc"), 100 * res.number("fp8_xavier_final_val_acc"),
                100 * res.number("fp8_unit_final_val_acc"), 100 * res.number("fp8_xavier_zero_weights_at_end"),
                100 * res.number("fp8_unit_zero_weights_at_end")));
        report.figure("zeros", zeros, "Fraction of the network's weights (not biases) stored as exactly 0 in E4M3, at initialization "
                + "(step 0) and after every evaluation. Stochastic rounding moves weights in and out of zero; Xavier's smaller "
                + "weights sit closer to the format's underflow threshold (2⁻¹⁰ ≈ 0.001 rounds to 0), so more of them are zero.");
        wideNetwork(report, fm, val, quick, seed, eta, biasLr, progress);
        report.write();
        return res;
    }

    /**
     * A wide MLP (fan-in ≥ 1024) with E4M3 weights, Xavier against unit-scaled, with round-to-nearest storage (and, in the
     * full run, stochastic rounding too). Xavier's weights (std ≈ 0.03) sit in or near E4M3's subnormal range, whose grid
     * spacing is 2⁻⁹ ≈ 0.002; an Adam step of eta·std ≈ 3·10⁻⁴ is under half of that, so round-to-nearest undoes every step.
     */
    private static void wideNetwork(Report report, FashionMnist fm, Dataset fullVal, boolean quick, long seed, double eta, double biasLr,
                                    ExperimentProgress progress) {
        int width = 1024, steps = quick ? 25 : 300, batch = 32, evalEvery = quick ? 25 : 50;
        int[] idx = new int[Math.min(quick ? 300 : 2000, fullVal.size())];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        Dataset val = fullVal.subset(idx, "first " + idx.length + " test images");
        report.setting("wide_width", width).setting("wide_steps", steps);
        Results res = report.results();
        record Wide(String label, boolean unit, Fp8Format.Rounding rounding) {}
        List<Wide> runs = new ArrayList<>(List.of(new Wide("Xavier, round to nearest", false, Fp8Format.Rounding.NEAREST_EVEN),
                new Wide("unit-scaled, round to nearest", true, Fp8Format.Rounding.NEAREST_EVEN)));
        if (!quick) {
            runs.add(new Wide("Xavier, stochastic rounding", false, Fp8Format.Rounding.STOCHASTIC));
            runs.add(new Wide("unit-scaled, stochastic rounding", true, Fp8Format.Rounding.STOCHASTIC));
        }
        XYChart acc = Charts.line("Wide MLP 784 → " + width + " → " + width + " → 10 with E4M3 weights", "optimizer step", "validation accuracy");
        for (Wide r : runs) {
            List<Double> stds = new ArrayList<>();
            Sequential net = wideMlp(width, r.unit(), new Rng(seed + 11), stds);
            Optimizer opt = new Fp8Storage(adam(net, stds, eta, biasLr), FORMAT, false, r.rounding(), true, seed + 12);
            String key = "wide_" + (r.unit() ? "unit" : "xavier") + (r.rounding() == Fp8Format.Rounding.STOCHASTIC ? "_stochastic" : "_nearest");
            double initAcc = Training.accuracy(net, val);
            Training.Curve c = Training.run(net, opt, fm.train(), val, steps, batch, evalEvery, seed + 13);
            res.put(key + "_init_val_acc", initAcc).put(key + "_final_val_acc", c.finalAccuracy());
            double[] xs = new double[c.steps().size() + 1], ys = new double[xs.length];
            ys[0] = initAcc;
            for (int i = 0; i < c.steps().size(); i++) { xs[i + 1] = c.steps().get(i); ys[i + 1] = c.valAccuracy().get(i); }
            if (r.rounding() == Fp8Format.Rounding.STOCHASTIC) Charts.dashed(acc, r.label(), xs, ys);
            else Charts.series(acc, r.label(), xs, ys);
            progress.step("wide " + r.label());
        }
        String stochastic = quick ? " (The full run adds stochastic rounding, which moves a weight up a grid step with probability "
                + "step/spacing and so lets Xavier learn too.)" : String.format(Locale.ROOT, " With stochastic rounding (dashed), which "
                + "moves a weight up a grid step with probability step/spacing, both learn: Xavier %.1f%%, unit-scaled %.1f%%; "
                + "stochastic rounding rescues Xavier, round-to-nearest does not.",
                100 * res.number("wide_xavier_stochastic_final_val_acc"), 100 * res.number("wide_unit_stochastic_final_val_acc"));
        report.figure("wide", acc, String.format(Locale.ROOT, "A wide network (fan-in %d for the hidden and output layers), weights "
                + "stored in E4M3 after every Adam step (learning rate %.2f × the weight's initial scale). Round to nearest: Xavier "
                + "stays at %.1f%% (%.1f%% at initialization) while unit-scaled reaches %.1f%% (from %.1f%%). Xavier's weights "
                + "(std √(2/(fanIn+fanOut)) ≈ %.3f) lie in or near E4M3's subnormal range, where the grid spacing is fixed at "
                + "2⁻⁹ ≈ 0.002; Adam's step there is about %.1e, under half a spacing, so every update rounds back to the old "
                + "weight. Unit-scaled weights spread over the normal range, where the spacing shrinks with the value, so the "
                + "weights near zero still move.%s", width, eta, 100 * res.number("wide_xavier_nearest_final_val_acc"),
                100 * res.number("wide_xavier_nearest_init_val_acc"), 100 * res.number("wide_unit_nearest_final_val_acc"),
                100 * res.number("wide_unit_nearest_init_val_acc"), xavierStd(width, width), eta * xavierStd(width, width), stochastic));
    }
}
