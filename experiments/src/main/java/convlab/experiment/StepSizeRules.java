package convlab.experiment;

import convlab.data.Dataset;
import convlab.data.FashionMnist;
import convlab.kernels.NewtonSchulz;
import convlab.nn.Flatten;
import convlab.nn.LayerNorm;
import convlab.nn.Linear;
import convlab.nn.Module;
import convlab.nn.ReLU;
import convlab.nn.Sequential;
import convlab.optim.Muon;
import convlab.optim.MuonLrScaling;
import convlab.optim.Optimizer;
import convlab.optim.ParamGroup;
import convlab.optim.SGD;
import convlab.optim.SignSGD;
import convlab.optim.StepSize;
import convlab.report.Charts;
import convlab.report.Report;
import convlab.report.Results;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;
import org.knowm.xchart.XYChart;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Homework 4 problem 2(c)–(e) checked in training: a unit-scaled MLP whose every dense layer gets the step size that
 * core's {@link StepSize} (the {@code convlab step-size} command) gives for RMS(Δy) = η, trained with batch 1 (the
 * rank-one gradient of the derivations) by convlab's SGD, SignSGD and Muon; after every step each layer's RMS(Δy) =
 * RMS(c·ΔW·x) for the input x of that step is measured.
 */
public final class StepSizeRules implements Experiment {
    /** The target RMS(Δy) per step; every α is η times the step-size API's α for RMS(Δy) = 1 (the rules are linear in it). */
    static final double ETA = 0.1;
    static final int HIDDEN = 128;
    static final List<StepSize.Update> UPDATES = List.of(StepSize.Update.SGD, StepSize.Update.SIGNSGD, StepSize.Update.MUON);

    @Override public String name() { return "step-size-rules"; }

    @Override public String description() {
        return "RMS(Δy) per layer per step for SGD, SignSGD and Muon at the step sizes of `step-size`, batch 1 (hw4 problem 2c-2e)";
    }

    /**
     * A unit-scaled dense layer that, in training mode, keeps the input of the current step and, from the backward pass,
     * the RMS and the number of nonzero entries of g = ∂L/∂y.
     */
    static final class Watched extends Module {
        final Linear linear;
        float[] lastInput;
        double lastGradRms;
        int lastGradNonzero;

        Watched(int in, int out, Rng rng) { linear = registerModule("linear", new Linear(in, out, false, rng).unitScale(rng)); }

        @Override public Tensor forward(Tensor x) {
            if (!isTraining()) return linear.forward(x);
            lastInput = x.contiguous().toFloatArray().clone();
            return GradientTap.apply(linear.forward(x), 1, g -> {
                double[] v = g.contiguous().toDoubleArray();
                lastGradRms = GradientTap.rms(v);
                lastGradNonzero = (int) Arrays.stream(v).filter(e -> e != 0).count();
            });
        }

        int dIn() { return linear.inFeatures; }
        int dOut() { return linear.outFeatures; }
        double c() { return linear.scale(); }
    }

    /** Flatten → LN → FC-128 → ReLU → LN → FC-128 → ReLU → LN → FC-10: every dense layer's input has RMS 1 (LayerNorm without affine). */
    static Sequential model(Rng rng, List<Watched> dense) {
        int[] sizes = {784, HIDDEN, HIDDEN, 10};
        List<Module> layers = new ArrayList<>(List.of(new Flatten()));
        for (int i = 0; i + 1 < sizes.length; i++) {
            Watched w = new Watched(sizes[i], sizes[i + 1], rng);
            dense.add(w);
            layers.add(new LayerNorm(new int[] {sizes[i]}, 1e-5, false));
            layers.add(w);
            if (i + 2 < sizes.length) layers.add(new ReLU());
        }
        return new Sequential(layers);
    }

    /** The library optimizer with one group per dense weight at η × StepSize.step(u, d_out, d_in, c); no momentum. */
    static Optimizer optimizer(StepSize.Update u, List<Watched> dense) {
        List<ParamGroup> groups = new ArrayList<>();
        for (Watched w : dense) {
            double alpha = ETA * StepSize.step(u, w.dOut(), w.dIn(), w.c());
            // Muon multiplies its group lr by the SPECTRAL factor √(d_out/d_in): give it α / factor, as `step-size` measures it
            double lr = u == StepSize.Update.MUON ? alpha / MuonLrScaling.SPECTRAL.factor(w.dOut(), w.dIn()) : alpha;
            groups.add(new ParamGroup(List.of(w.linear.weight), lr, 0));
        }
        return switch (u) {
            case SGD -> new SGD(groups, 0, 0, false);
            case SIGNSGD -> new SignSGD(groups, 0);
            case MUON -> new Muon(groups, List.of(), new Muon.Config(0, false, Muon.Poly.CUBIC, 3, Muon.Form.GRAM,
                    MuonLrScaling.SPECTRAL));
            case ADAM -> throw new IllegalArgumentException("not part of this study");
        };
    }

    /** Per layer and step: RMS(Δy), RMS(x), mean |x|, RMS(g), fraction of nonzero g, ‖ΔW‖_F. */
    record Trace(double[][] rmsDy, double[][] rmsX, double[][] meanAbsX, double[][] rmsG, double[][] nonzeroG, double[][] normDw,
                 double accuracyBefore, double accuracyAfter) {}

    static Trace train(StepSize.Update u, Dataset train, Dataset test, int steps, long seed) {
        List<Watched> dense = new ArrayList<>();
        Sequential net = model(new Rng(seed), dense);
        Optimizer opt = optimizer(u, dense);
        int layers = dense.size();
        double[][] rmsDy = new double[layers][steps], rmsX = new double[layers][steps], meanAbs = new double[layers][steps],
                rmsG = new double[layers][steps], nonzero = new double[layers][steps], normDw = new double[layers][steps];
        float[][] before = new float[layers][];
        for (int l = 0; l < layers; l++) before[l] = dense.get(l).linear.weight.data().clone();
        double accBefore = Training.accuracy(net, test);
        int[] step = {0};
        Dataset one = test.subset(new int[] {0}, "one test image");
        // The shared loop, evaluating on one image after every step so that the probe sees every step.
        Training.run(net, opt, train, one, steps, 1, 1, seed + 1, m -> {
            int t = step[0]++;
            for (int l = 0; l < layers; l++) {
                Watched w = dense.get(l);
                float[] now = w.linear.weight.data(), x = w.lastInput;
                int dOut = w.dOut(), dIn = w.dIn();
                double ss = 0, dw = 0, xs = 0, xa = 0;
                for (int i = 0; i < dOut; i++) {
                    double acc = 0;
                    for (int j = 0; j < dIn; j++) {
                        double delta = (double) now[i * dIn + j] - before[l][i * dIn + j];
                        acc += delta * x[j];
                        dw += delta * delta;
                    }
                    ss += w.c() * acc * w.c() * acc;
                }
                for (float e : x) { xs += (double) e * e; xa += Math.abs(e); }
                rmsDy[l][t] = Math.sqrt(ss / dOut);
                rmsX[l][t] = Math.sqrt(xs / dIn);
                meanAbs[l][t] = xa / dIn;
                rmsG[l][t] = w.lastGradRms;
                nonzero[l][t] = (double) w.lastGradNonzero / dOut;
                normDw[l][t] = Math.sqrt(dw);
                before[l] = now.clone();
            }
            return 0;
        });
        return new Trace(rmsDy, rmsX, meanAbs, rmsG, nonzero, normDw, accBefore, Training.accuracy(net, test));
    }

    /** What each rule predicts for one step, exactly, for a rank-one gradient c·g·xᵀ (batch 1). */
    static double predicted(StepSize.Update u, Trace tr, int l, int t) {
        return switch (u) {
            // Δy = −α·c²·‖x‖²·g  with α = η/(c²·d_in):  RMS(Δy) = η·RMS(x)²·RMS(g)
            case SGD -> ETA * tr.rmsX()[l][t] * tr.rmsX()[l][t] * tr.rmsG()[l][t];
            // Δy = −α·c·‖x‖₁·sign(g) with α = η/(c·d_in): RMS(Δy) = η·mean|x|·√(fraction of g ≠ 0)
            case SIGNSGD -> ETA * tr.meanAbsX()[l][t] * Math.sqrt(tr.nonzeroG()[l][t]);
            // Δy = −α·c·(x̂ᵀx)·ĝ with α = η·√(d_out/d_in)/c: RMS(Δy) = η·RMS(x)
            case MUON, ADAM -> ETA * tr.rmsX()[l][t];
        };
    }

    private static double min(double[] a) { return Arrays.stream(a).min().orElseThrow(); }

    private static double max(double[] a) { return Arrays.stream(a).max().orElseThrow(); }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static double quantile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[(int) Math.min(s.length - 1, Math.round(q * (s.length - 1)))];
    }

    @Override
    public Results run(Path outputDir, boolean quick, long seed, ExperimentProgress progress) {
        FashionMnist fm = Nets.fashionMnist(quick);
        int steps = quick ? 100 : 1500, testSize = quick ? 300 : 2000;
        Dataset test = fm.test().subset(IntStream.range(0, Math.min(testSize, fm.test().size())).toArray(), "first " + testSize + " test images");
        String[] layerNames = {"FC 784→128", "FC 128→128", "FC 128→10"};
        Report report = new Report(outputDir, "Step-size rules in training: RMS(Δy) per layer per step",
                "Problem 2(c)–(e) say how large a step moves a layer's output y = c·W·x by RMS(Δy) = 1 when RMS(x) = 1 and the "
                        + "gradient is that of one example (rank one). Here a unit-scaled MLP (Flatten → LayerNorm → FC-128 → ReLU → "
                        + "LayerNorm → FC-128 → ReLU → LayerNorm → FC-10, every FC y = c·W·x with c = 1/√d_in, W ~ N(0, 1), no bias; "
                        + "LayerNorm without affine gives every FC an input of RMS 1, the course's assumption) is trained on "
                        + fm.source() + " with batch 1 for " + steps + " steps by convlab's SGD, SignSGD and Muon (no momentum; Muon "
                        + "with the cubic Newton–Schulz, which orthogonalizes a rank-one gradient exactly). Each layer's step size is "
                        + "η = " + ETA + " times what StepSize.step (the `convlab step-size` command) gives for RMS(Δy) = 1 — SGD "
                        + "1/(c²·d_in), SignSGD 1/(c·d_in), Muon √(d_out/d_in)/c — so the target is RMS(Δy) = " + ETA + " per step "
                        + "(η = 1 moves every output by its own size each step and does not train). After every step, each layer's "
                        + "RMS(Δy) = RMS(c·ΔW·x) for the x of that step (the case the bound is tight for).");
        report.setting("seed", seed).setting("quick", quick).setting("steps", steps).setting("batch", 1).setting("eta", ETA)
                .setting("data", fm.source());
        Results res = report.results();
        progress.phase("optimizers", UPDATES.size());
        double[] stepAxis = IntStream.rangeClosed(1, steps).asDoubleStream().toArray();
        List<List<?>> rows = new ArrayList<>(), perStep = new ArrayList<>();
        List<String> wideHeader = new ArrayList<>(List.of("step"));
        List<double[]> wide = new ArrayList<>();
        StringBuilder summary = new StringBuilder();
        double[][] medians = new double[UPDATES.size()][layerNames.length];
        int[] layerIn = {784, HIDDEN, HIDDEN}, layerOut = {HIDDEN, HIDDEN, 10};
        int muonTiny = 0, muonOffLarge = 0;
        for (StepSize.Update u : UPDATES) {
            Trace tr = train(u, fm.train(), test, steps, seed);
            String label = switch (u) { case SGD -> "SGD"; case SIGNSGD -> "SignSGD"; case MUON -> "Muon"; case ADAM -> "Adam"; };
            boolean log = u == StepSize.Update.SGD;
            XYChart chart = Charts.line(label + ": RMS(Δy) of each layer at every step (α from step-size, η = " + ETA + ")",
                    "optimizer step (batch 1)", "RMS(Δy) = RMS(c·ΔW·x)" + (log ? " (log scale)" : ""));
            // decades only: over three decades the in-between labels collide
            if (log) { chart.getStyler().setYAxisLogarithmic(true); chart.getStyler().setYAxisDecimalPattern("0.#####"); }
            else { chart.getStyler().setYAxisMin(0.0); chart.getStyler().setYAxisMax(1.3 * ETA); }
            summary.append(label).append(": ");
            for (int l = 0; l < tr.rmsDy().length; l++) {
                double[] measured = tr.rmsDy()[l], pred = new double[steps], ratio = new double[steps];
                int dOut = layerOut[l], dIn = layerIn[l];
                int within = 0, offTargetLargeGradient = 0, tinyGradient = 0;
                for (int t = 0; t < steps; t++) {
                    pred[t] = predicted(u, tr, l, t);
                    ratio[t] = pred[t] == 0 ? (measured[t] == 0 ? 1 : Double.POSITIVE_INFINITY) : measured[t] / pred[t];
                    // ‖∇W‖_F = c·‖g‖·‖x‖ for the rank-one gradient c·g·xᵀ
                    double gradNorm = tr.rmsG()[l][t] * Math.sqrt(dOut) * tr.rmsX()[l][t] * Math.sqrt(dIn) / Math.sqrt(dIn);
                    boolean tiny = gradNorm < NewtonSchulz.EPS;
                    if (tiny) tinyGradient++;
                    if (Math.abs(ratio[t] - 1) <= 0.05) within++;
                    else if (!tiny) offTargetLargeGradient++;
                    perStep.add(List.of(u.label(), l + 1, t + 1, measured[t], pred[t], tr.rmsX()[l][t], tr.meanAbsX()[l][t], tr.rmsG()[l][t],
                            tr.nonzeroG()[l][t], tr.normDw()[l][t]));
                }
                double med = median(measured), lo = quantile(measured, 0.1), hi = quantile(measured, 0.9), medPred = median(pred),
                        medRatio = median(ratio), worstRatio = Arrays.stream(ratio).map(r -> Math.abs(r - 1)).max().orElseThrow();
                String key = u.label() + "_layer" + (l + 1);
                wideHeader.add("rms_dy_" + key);
                wide.add(measured);
                res.put(key + "_median_rms_dy", med).put(key + "_median_predicted", medPred).put(key + "_median_measured_over_predicted", medRatio)
                        .put(key + "_largest_deviation_from_prediction", worstRatio).put(key + "_fraction_within_5pct", (double) within / steps)
                        .put(key + "_steps_gradient_below_ns_eps", tinyGradient)
                        .put(key + "_steps_off_by_5pct_with_gradient_above_eps", offTargetLargeGradient);
                if (u == StepSize.Update.MUON) { muonTiny += tinyGradient; muonOffLarge += offTargetLargeGradient; }
                rows.add(List.of(label, layerNames[l], med, lo, hi, med / ETA, medPred, medRatio, median(tr.rmsX()[l]), median(tr.meanAbsX()[l]),
                        median(tr.rmsG()[l]), median(tr.nonzeroG()[l])));
                if (u == StepSize.Update.MUON) {
                    // one dot per step: the steps on the target pile up on its line, the few below it stay visible as dots
                    var dots = Charts.points(chart, layerNames[l], stepAxis, measured);
                    dots.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.CIRCLE);
                    chart.getStyler().setMarkerSize(4);
                } else {
                    double[] drawn = measured.clone();   // a step whose float32 update rounded away entirely (Δy = 0) has no place on a log axis
                    if (log) for (int t = 0; t < steps; t++) if (!(drawn[t] > 0)) drawn[t] = Double.NaN;
                    Charts.curve(chart, layerNames[l], stepAxis, drawn).setLineWidth(1.2f);
                }
                medians[UPDATES.indexOf(u)][l] = med / ETA;
                summary.append(String.format(Locale.ROOT, "%s median %.4f (%.2f of the target; 10–90%%: %.4f–%.4f)%s", layerNames[l], med, med / ETA,
                        lo, hi, l + 1 < tr.rmsDy().length ? ", " : ""));
            }
            if (log) {   // every tick labelled while the curves span less than ~1.5 decades; beyond that the labels collide
                double lo = Arrays.stream(tr.rmsDy()).flatMapToDouble(Arrays::stream).filter(v -> v > 0).min().orElse(ETA);
                if (ETA / lo < 40) Charts.fineLogTicks(chart);
            }
            Charts.hline(chart, "the rule's target RMS(Δy) = η = " + ETA, ETA, 1, steps).setLineColor(java.awt.Color.BLACK);
            res.put(u.label() + "_test_accuracy_before", tr.accuracyBefore()).put(u.label() + "_test_accuracy_after", tr.accuracyAfter());
            summary.append(String.format(Locale.ROOT, "; test accuracy %.1f%% → %.1f%%. ", 100 * tr.accuracyBefore(), 100 * tr.accuracyAfter()));
            report.figure(u.label(), chart, caption(u, tr, layerNames) + (u == StepSize.Update.MUON ? String.format(Locale.ROOT,
                    " One dot per layer and step. The dots below the line are steps on an example the network already "
                    + "classifies confidently (more of them as training goes on): there ‖∇W‖_F falls below the ε = 1e-7 with which "
                    + "Newton–Schulz normalizes (g/max(‖g‖_F, ε)), so the iteration starts below σ = 1 and 3 cubic steps do not "
                    + "lift it all the way: %d of %d layer-steps had ‖∇W‖_F < ε; of the steps with a larger gradient, %d are more "
                    + "than 5%% off the target.", muonTiny, 3 * steps, muonOffLarge) : ""));
            progress.step(label);
        }
        XYChart all = Charts.line("Median RMS(Δy) over all steps, relative to the target η", "layer (1: FC 784→128, 2: FC 128→128, 3: FC 128→10)",
                "median RMS(Δy) / η (log scale)");
        all.getStyler().setYAxisLogarithmic(true);
        Charts.fineLogTicks(all);
        all.getStyler().setYAxisDecimalPattern("0.##");
        all.getStyler().setXAxisDecimalPattern("0");
        double lowest = Arrays.stream(medians).flatMapToDouble(Arrays::stream).min().orElseThrow();
        all.getStyler().setYAxisMin(lowest > 0.05 ? 0.05 : lowest / 2);   // a labelled tick below the lowest point
        all.getStyler().setYAxisMax(1.5);
        for (int k = 0; k < UPDATES.size(); k++) {
            double[] x = new double[layerNames.length];
            for (int l = 0; l < x.length; l++) x[l] = l + 1 + 0.08 * (k - 1);
            Charts.points(all, List.of("SGD", "SignSGD", "Muon").get(k), x, medians[k]).setMarker(
                    List.of(org.knowm.xchart.style.markers.SeriesMarkers.CIRCLE, org.knowm.xchart.style.markers.SeriesMarkers.DIAMOND,
                            org.knowm.xchart.style.markers.SeriesMarkers.SQUARE).get(k));
        }
        Charts.hline(all, "target: RMS(Δy) = η", 1, 0.8, layerNames.length + 0.2).setLineColor(java.awt.Color.BLACK);
        report.figure("medians", all, String.format(Locale.ROOT, "One point per optimizer and layer: the median over all steps of "
                + "RMS(Δy)/η. Muon sits on the target (%.3f–%.3f), SignSGD below it (%.2f–%.2f: the sign rule is a bound), SGD "
                + "%.2f–%.2f, off by the size of the gradient it does not ignore.", min(medians[2]), max(medians[2]), min(medians[1]),
                max(medians[1]), min(medians[0]), max(medians[0])));
        List<String> header = List.of("optimizer", "layer", "median_rms_dy", "p10_rms_dy", "p90_rms_dy", "median_over_target",
                "median_predicted", "median_measured_over_predicted", "median_rms_x", "median_mean_abs_x", "median_rms_g", "median_fraction_g_nonzero");
        report.shownTable("medians", header, rows, "median RMS(Δy) per optimizer and layer over all steps, against the target η = " + ETA
                + " and the exact per-step prediction for a rank-one gradient");
        List<List<?>> wideRows = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            List<Object> row = new ArrayList<>(List.of(t + 1));
            for (double[] c : wide) row.add(c[t]);
            wideRows.add(row);
        }
        report.table("rms_dy_by_step", wideHeader, wideRows, "RMS(Δy) of every optimizer and layer (column) at every step (row)");
        report.table("steps", List.of("optimizer", "layer", "step", "rms_dy", "predicted", "rms_x", "mean_abs_x", "rms_g", "fraction_g_nonzero",
                "norm_dw"), perStep, "every step of every layer: measured RMS(Δy), the prediction and the quantities it uses");
        report.section("What the runs show", summary + "Muon lands on the target at every step of every layer (except where "
                + "the gradient is below Newton–Schulz's ε, see its figure): its update "
                + "α·UVᵀ has spectral norm α whatever the gradient's size, and a rank-one UVᵀ = ĝx̂ᵀ gives ‖Δy‖₂ = α·c·‖x‖₂ "
                + "exactly, i.e. RMS(Δy) = η·RMS(x). SignSGD's rule is the bound of (c) for a dense sign(∇W): it is reached only when "
                + "every |x_j| is equal and g has no zeros; here RMS(Δy) = η·mean|x|·√(fraction of g ≠ 0) exactly, below η "
                + "(LayerNorm outputs have mean|x| ≈ 0.8–0.9 RMS(x), and the ReLU zeroes about half of g in the hidden layers). "
                + "SGD's rule assumes RMS(g) = 1; its RMS(Δy) = η·RMS(x)²·RMS(g) follows the gradient's scale, which changes from "
                + "example to example and from layer to layer, so the same rule gives steps of very different sizes: only "
                + "the scale-invariant updates (SignSGD, Adam, Muon) can be sized by a rule that ignores the gradient (problem 2(f)).");
        report.write();
        return res;
    }

    private static String caption(StepSize.Update u, Trace tr, String[] names) {
        return switch (u) {
            case MUON -> "Muon: the dots pile up on the target, RMS(Δy) = η in every layer: ‖UVᵀ‖₂ = 1 and the rank-one "
                    + "UVᵀ = ĝx̂ᵀ is aligned with the step's own x, so the bound of (c) is met with equality.";
            case SIGNSGD -> "SignSGD: steady (the sign throws the gradient's size away) but below the target: α = η/(c·d_in) makes "
                    + "‖sign(∇W)‖₂·α the bound of (c) only when sign(∇W) has no zeros and the input's entries have equal sizes. "
                    + "The head (FC 128→10, g = softmax − one-hot has no zeros) sits at η·mean|x| ≈ 0.8η; the hidden layers lose "
                    + "another √(1/2) to the ReLU's zero gradients.";
            case SGD -> "SGD (log scale): RMS(Δy) = η·RMS(g) here (RMS(x) = 1), so it follows the size of the gradient, not the "
                    + "target: far below it, different in every layer, and jumping from step to step with the example's gradient. "
                    + "The SGD rule 1/(c²·d_in) holds only for RMS(g) = 1.";
            case ADAM -> "";
        };
    }
}
