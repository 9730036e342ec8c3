package convlab.experiment;

import convlab.nn.Linear;
import convlab.nn.Parameter;
import convlab.report.Charts;
import convlab.report.Report;
import convlab.report.Results;
import convlab.tensor.DType;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Homework 4 problem 2(f)(g): the backpropagated gradient ∂L/∂x_n through a deep stack of unit-scaled dense layers
 * x_{n+1} = c·W_n·x_n (c = 1/√d_in), computed by convlab's autograd, with and without the extra backward multiplier
 * 1/√d_out the course derives, for the rank-one unit-scaled weights the course assumes and for N(0, 1) weights.
 */
public final class BackpropScale implements Experiment {
    static final int DEPTH = 20;

    @Override public String name() { return "backprop-scale"; }

    @Override public String description() {
        return "backpropagated gradient RMS through 20 unit-scaled dense layers, with and without the 1/√d_out backward multiplier (hw4 problem 2f, 2g)";
    }

    /** The weights of the stack: the course's rank-one unit-scaled matrices (aligned from layer to layer), or N(0, 1). */
    enum Weights { RANK_ONE, GAUSSIAN }

    /** RMS of ∂L/∂x_n for n = 0 … DEPTH (index n), and whether every weight gradient has the same signs in both runs. */
    record Run(double[] exact, double[] multiplied, long signsCompared, long signsDiffering) {}

    @Override
    public Results run(Path outputDir, boolean quick, long seed, ExperimentProgress progress) {
        int[] widths = quick ? new int[] {64, 256} : new int[] {64, 256, 1024};
        int shown = 256;
        Report report = new Report(outputDir, "Backpropagated gradient scale through unit-scaled layers",
                "A stack of " + DEPTH + " dense layers x_{n+1} = c·W_n·x_n, each d × d, no bias and no activation function (problem "
                        + "2(f)), with the unit-scaling constant c = 1/√d of 2(b) (convlab's unit-scaled Linear). The loss is "
                        + "L = ⟨g, x_" + DEPTH + "⟩ with RMS(g) = 1, and convlab's autograd computes ∂L/∂x_n = c·W_nᵀ·∂L/∂x_{n+1} "
                        + "(the exact chain rule). Second run: the same, with every backpropagated gradient multiplied by 1/√d_out "
                        + "as it passes a layer backwards (the course's answer to 2(g)). Two kinds of weights: the course's "
                        + "assumption, rank-one unit-scaled W_n = u_n·u_{n−1}ᵀ with u_n ∈ {±1}^d (so ‖W‖₂ = ‖W‖_F = d, and each "
                        + "layer's row space is the previous one's column space, as after training with rank-one updates), and "
                        + "N(0, 1) entries as at initialization. The gradients of a linear stack do not depend on x, so only the "
                        + "weights matter.");
        report.setting("seed", seed).setting("quick", quick).setting("depth", DEPTH).setting("widths", java.util.Arrays.toString(widths))
                .setting("width_drawn", shown);
        Results res = report.results();
        progress.phase("runs", 2 * widths.length);
        double[] back = new double[DEPTH + 1];
        for (int k = 0; k <= DEPTH; k++) back[k] = k;
        List<String> header = new ArrayList<>(List.of("layers_back"));
        List<double[]> columns = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        long compared = 0, differing = 0;
        for (Weights kind : Weights.values()) {
            XYChart chart = Charts.line(kind == Weights.RANK_ONE
                            ? "Gradient RMS, rank-one unit-scaled weights (d = " + shown + ")"
                            : "Gradient RMS, N(0, 1) weights (d = " + shown + ")",
                    "k = layers back from the output (the gradient at x_n, n = " + DEPTH + " − k)", "RMS(∂L/∂x) (log scale)");
            chart.getStyler().setYAxisLogarithmic(true);
            chart.getStyler().setYAxisDecimalPattern("0E0");
            for (int d : widths) {
                Run r = run(kind, d, seed);
                compared += r.signsCompared();
                differing += r.signsDiffering();
                double perLayerExact = perLayer(r.exact()), perLayerMult = perLayer(r.multiplied());
                double predictedExact = kind == Weights.RANK_ONE ? Math.sqrt(d) : 1, predictedMult = kind == Weights.RANK_ONE ? 1 : 1 / Math.sqrt(d);
                String key = kind.name().toLowerCase(Locale.ROOT) + "_d" + d;
                res.put("growth_per_layer_exact_" + key, perLayerExact).put("growth_per_layer_multiplied_" + key, perLayerMult)
                        .put("rms_input_grad_exact_" + key, r.exact()[0]).put("rms_input_grad_multiplied_" + key, r.multiplied()[0]);
                header.addAll(List.of("exact_" + key, "multiplied_" + key));
                columns.addAll(List.of(reversed(r.exact()), reversed(r.multiplied())));
                text.append(String.format(Locale.ROOT, "%s, d = %d: exact backward ×%.3g per layer (predicted %.3g), RMS(∂L/∂x_0) = %.3g; "
                                + "with 1/√d_out ×%.3g per layer (predicted %.3g), RMS(∂L/∂x_0) = %.3g. ",
                        kind == Weights.RANK_ONE ? "Rank-one" : "N(0, 1)", d, perLayerExact, predictedExact, r.exact()[0],
                        perLayerMult, predictedMult, r.multiplied()[0]));
                if (d == shown) {
                    double[] e = reversed(r.exact()), m = reversed(r.multiplied());
                    XYSeries se = Charts.points(chart, "measured: exact chain rule ∂L/∂x_n = c·W_nᵀ·∂L/∂x_{n+1}", back, e);
                    se.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.CIRCLE);
                    se.setMarkerColor(Charts.PALETTE[0]);
                    XYSeries sm = Charts.points(chart, "measured: multiplied by 1/√d_out at every layer", back, m);
                    sm.setMarkerColor(Charts.PALETTE[1]);
                    double[] pe = new double[DEPTH + 1], pm = new double[DEPTH + 1];
                    for (int k = 0; k <= DEPTH; k++) { pe[k] = Math.pow(predictedExact, k); pm[k] = Math.pow(predictedMult, k); }
                    XYSeries a = Charts.dashed(chart, kind == Weights.RANK_ONE ? "prediction (√d)ᵏ" : "prediction 1 (c·‖Wᵀg‖ ≈ √d·c·‖g‖)", back, pe);
                    a.setLineColor(Charts.PALETTE[0]);
                    XYSeries b = Charts.dashed(chart, kind == Weights.RANK_ONE ? "prediction 1" : "prediction (1/√d)ᵏ", back, pm);
                    b.setLineColor(Charts.PALETTE[1]);
                }
                progress.step(kind + ", d = " + d);
            }
            String file = kind == Weights.RANK_ONE ? "rank_one" : "gaussian";
            report.figure(file, chart, kind == Weights.RANK_ONE
                    ? "The course's case (2(g)): rank-one unit-scaled weights. Going back through a layer, ∂L/∂x_n = c·u_{n−1}·(u_nᵀ∂L/∂x_{n+1}), "
                    + "and the gradient lies along u_n, so its norm grows by c·‖u_{n−1}‖·‖u_n‖ = √d_out per layer: the exact chain rule "
                    + "explodes as (√d)^k (" + shown + " → 16 per layer, 10^24 after 20 layers). Multiplying each backpropagated "
                    + "gradient by 1/√d_out keeps it at RMS 1 at every depth."
                    : "The same with N(0, 1) weights (initialization). Here Wᵀg of a random W has RMS √d_out·RMS(g), and c = 1/√d_in "
                    + "already cancels it for square layers: the exact chain rule is stable, and the extra 1/√d_out makes the "
                    + "gradient vanish as (1/√d)^k. The backward multiplier the course derives belongs to the rank-one (aligned, "
                    + "trained) regime; at initialization the forward constant alone keeps square layers stable, and a separate "
                    + "backward scale (Unit Scaling's 1/√d_out) replaces c in the backward pass rather than multiplying it.");
        }
        res.put("weight_gradient_signs_compared", compared).put("weight_gradient_signs_differing", differing);
        List<List<?>> rows = new ArrayList<>();
        for (int k = 0; k <= DEPTH; k++) {
            List<Object> row = new ArrayList<>(List.of(k));
            for (double[] c : columns) row.add(c[k]);
            rows.add(row);
        }
        report.table("gradient_rms", header, rows, "RMS of ∂L/∂x_n, k = " + DEPTH + " − n layers back from the output (row), "
                + "exact chain rule and with the 1/√d_out backward multiplier, per kind of weights and width (column)");
        report.section("Every width", text.toString());
        report.section("Problem 2(f): the scale can be ignored", String.format(Locale.ROOT, "Both runs give every layer a weight "
                + "gradient ∇W_n = c·(∂L/∂x_{n+1})·x_nᵀ that differs only by a positive factor (the product of the multipliers "
                + "above it). SignSGD, Adam's first step and Muon's UVᵀ depend only on its direction: of %d weight-gradient "
                + "entries compared, %d have a different sign. So with scale-invariant optimizers the backward scale can be "
                + "chosen freely, e.g. to keep gradients inside a low-precision format's range.", compared, differing));
        report.write();
        return res;
    }

    /** One stack, backward twice: exact, and with 1/√d_out applied to the gradient passing each layer. */
    static Run run(Weights kind, int d, long seed) {
        Rng rng = new Rng(seed * 7_919 + d * 2L + kind.ordinal());
        List<Linear> stack = new ArrayList<>();
        float[] prev = signs(rng, d), first = prev;
        for (int n = 0; n < DEPTH; n++) {
            Linear l = new Linear(d, d, false, rng).unitScale(rng);     // c = 1/√d, W ~ N(0, 1)
            if (kind == Weights.RANK_ONE) {
                float[] u = signs(rng, d), w = new float[d * d];
                for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) w[i * d + j] = u[i] * prev[j];
                l.weight.copyFrom(Tensor.of(w, d, d));
                prev = u;
            }
            stack.add(l);
        }
        float[] gv = prev.clone();   // rank one: along the last layer's column space, the tight case
        if (kind == Weights.GAUSSIAN) {
            double[] v = Tensor.randn(rng, 1.0, DType.F64, d).toDoubleArray();
            double r = GradientTap.rms(v);
            for (int i = 0; i < d; i++) gv[i] = (float) (v[i] / r);
        }
        Tensor g = Tensor.of(gv, 1, d);
        Tensor x0 = kind == Weights.RANK_ONE ? Tensor.of(first.clone(), 1, d) : Tensor.randn(rng, 1.0, DType.F32, 1, d);
        double[] exact = new double[DEPTH + 1], mult = new double[DEPTH + 1];
        float[][] gradsExact = backward(stack, x0, g, 1, exact), gradsMult = backward(stack, x0, g, 1 / Math.sqrt(d), mult);
        long compared = 0, differing = 0;
        for (int n = 0; n < DEPTH; n++)
            for (int i = 0; i < gradsExact[n].length; i++) {
                compared++;
                if (Math.signum(gradsExact[n][i]) != Math.signum(gradsMult[n][i])) differing++;
            }
        return new Run(exact, mult, compared, differing);
    }

    /** Forward and backward through the stack with a tap on every layer's input; fills rms[n] = RMS(∂L/∂x_n); returns ∇W_n. */
    private static float[][] backward(List<Linear> stack, Tensor x0, Tensor g, double multiplier, double[] rms) {
        for (Linear l : stack) l.weight.zeroGrad();
        Tensor x = new Parameter(x0.copy());
        for (int n = 0; n < stack.size(); n++) {
            final int at = n;
            // the gradient arriving at x_n has just come back through layer n: scale it there
            x = GradientTap.apply(x, multiplier, t -> rms[at] = GradientTap.rms(t));
            x = stack.get(n).forward(x);
        }
        rms[stack.size()] = GradientTap.rms(g);
        x.mul(g).sum().backward();
        float[][] grads = new float[stack.size()][];
        for (int n = 0; n < stack.size(); n++) grads[n] = stack.get(n).weight.grad().contiguous().toFloatArray();
        return grads;
    }

    /** The average factor per layer between RMS(∂L/∂x_DEPTH) and RMS(∂L/∂x_0). */
    static double perLayer(double[] rms) { return Math.pow(rms[0] / rms[rms.length - 1], 1.0 / (rms.length - 1)); }

    private static double[] reversed(double[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) out[i] = a[a.length - 1 - i];
        return out;
    }

    private static float[] signs(Rng rng, int d) {
        float[] u = new float[d];
        for (int i = 0; i < d; i++) u[i] = rng.nextDouble() < 0.5 ? -1f : 1f;
        return u;
    }
}
