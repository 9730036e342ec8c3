package convlab.experiment;

import convlab.autograd.GradMode;
import convlab.nn.Linear;
import convlab.optim.fp8.Fp8Format;
import convlab.report.Charts;
import convlab.report.Report;
import convlab.report.Results;
import convlab.tensor.DType;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Homework 4 problem 2(b): a stack of dense layers y = c·W·x with W ~ N(0, 1) (the fp8-friendly weights of 2(a)).
 * Without a constant (c = 1) the activations' RMS grows by √fan_in per layer; with c = 1/√fan_in (the library's
 * unit-scaled {@link Linear}) it stays at 1, as Xavier-initialized weights keep it, while the stored weights keep
 * unit scale.
 */
public final class UnitScalingDepth implements Experiment {
    static final int DEPTH = 20;
    static final Fp8Format FP8 = Fp8Format.E4M3;

    @Override public String name() { return "unit-scaling-depth"; }

    @Override public String description() {
        return "activation RMS against depth for N(0,1) dense layers with and without c = 1/√fan_in, and Xavier (hw4 problem 2b)";
    }

    /** The three ways of building one layer of the stack. */
    enum Kind { PLAIN, UNIT_SCALED, XAVIER }

    @Override
    public Results run(Path outputDir, boolean quick, long seed, ExperimentProgress progress) {
        int[] widths = quick ? new int[] {64, 256} : new int[] {64, 256, 1024};
        int batch = quick ? 32 : 128;
        Report report = new Report(outputDir, "Unit scaling: activation RMS against depth",
                "A stack of " + DEPTH + " dense layers x_{n+1} = c·W_n·x_n (no bias, no activation function, as in problem 2(f)), "
                        + "each d × d, fed " + batch + " inputs x_0 ~ N(0, 1) (RMS 1). W_n ~ N(0, 1), the weights problem 2(a) wants "
                        + "for fp8, with c = 1 (no constant) and with the unit-scaling constant c = 1/√d (convlab's unit-scaled "
                        + "Linear, the same weight matrices), and for reference Xavier-normal weights (σ = √(2/(d_in + d_out)) = 1/√d) "
                        + "with c = 1. RMS = ‖x‖₂/√(entries), over the whole batch; everything float32.");
        report.setting("seed", seed).setting("quick", quick).setting("depth", DEPTH).setting("batch", batch)
                .setting("widths", java.util.Arrays.toString(widths));
        Results res = report.results();
        progress.phase("widths", widths.length);
        double[] layers = new double[DEPTH + 1];
        for (int k = 0; k <= DEPTH; k++) layers[k] = k;
        XYChart chart = Charts.line("Activation RMS after n layers of N(0, 1) weights", "layer n (depth)", "RMS(x_n) (log scale)");
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisDecimalPattern("0E0");
        List<String> header = new ArrayList<>(List.of("layer"));
        List<double[]> columns = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        Color[] colors = {Charts.PALETTE[1], Charts.PALETTE[3], Charts.PALETTE[4]};
        double[] lastUnit = null, lastXavier = null;
        for (int wi = 0; wi < widths.length; wi++) {
            int d = widths[wi];
            Rng rng = new Rng(seed * 1_000 + d);
            Tensor x0 = Tensor.randn(rng, 1.0, DType.F32, batch, d);
            List<Linear> plain = new ArrayList<>(), unit = new ArrayList<>(), xavier = new ArrayList<>();
            for (int k = 0; k < DEPTH; k++) {
                Linear u = new Linear(d, d, false, rng).unitScale(rng);            // W ~ N(0, 1), c = 1/√d
                Linear p = new Linear(d, d, false, rng);
                p.weight.copyFrom(u.weight);                                        // the same W, c = 1
                Linear x = new Linear(d, d, false, rng);
                x.weight.copyFrom(Tensor.randn(rng, Fp8UnitScaling.xavierStd(d, d), DType.F32, d, d));
                unit.add(u);
                plain.add(p);
                xavier.add(x);
            }
            double[] rPlain = rmsByDepth(plain, x0), rUnit = rmsByDepth(unit, x0), rXavier = rmsByDepth(xavier, x0);
            double growth = Math.pow(rPlain[DEPTH] / rPlain[0], 1.0 / DEPTH), predicted = Math.sqrt(d);
            double[] prediction = new double[DEPTH + 1];
            for (int k = 0; k <= DEPTH; k++) prediction[k] = rPlain[0] * Math.pow(predicted, k);
            XYSeries s = Charts.points(chart, "c = 1, d = " + d, layers, rPlain);
            s.setMarkerColor(colors[wi % colors.length]);
            XYSeries pr = Charts.dashed(chart, wi == 0 ? "prediction RMS(x₀)·(√d)ⁿ" : "prediction, d = " + d, layers, prediction);
            pr.setLineColor(colors[wi % colors.length]);
            pr.setShowInLegend(wi == 0);
            double unitMin = min(rUnit), unitMax = max(rUnit);
            double[] fp8 = storedBelowNormal(unit.get(0).weight, xavier.get(0).weight);
            res.put("growth_per_layer_c1_d" + d, growth).put("predicted_growth_d" + d, predicted)
                    .put("rms_depth" + DEPTH + "_c1_d" + d, rPlain[DEPTH]).put("rms_depth" + DEPTH + "_unit_d" + d, rUnit[DEPTH])
                    .put("rms_depth" + DEPTH + "_xavier_d" + d, rXavier[DEPTH])
                    .put("unit_rms_min_d" + d, unitMin).put("unit_rms_max_d" + d, unitMax)
                    .put("fp8_below_normal_unit_d" + d, fp8[0]).put("fp8_below_normal_xavier_d" + d, fp8[1]);
            int over = -1;
            for (int k = 0; k <= DEPTH && over < 0; k++) if (rPlain[k] > FP8.max()) over = k;
            header.addAll(List.of("rms_c1_d" + d, "rms_unit_scaled_d" + d, "rms_xavier_d" + d, "prediction_c1_d" + d));
            columns.addAll(List.of(rPlain, rUnit, rXavier, prediction));
            text.append(String.format(Locale.ROOT, "d = %d: without c the RMS grows %.2f× per layer (prediction √%d = %.2f) to %.2g at "
                            + "depth %d%s; with c = 1/√%d it stays in [%.2f, %.2f] (%.2f at depth %d); Xavier ends at %.2f. "
                            + "Stored in E4M3, %.1f%% of the N(0, 1) weights but %.1f%% of the Xavier weights (σ = %.3f) fall below the "
                            + "smallest normal number 2⁻⁶ (subnormal or zero). ",
                    d, growth, d, predicted, rPlain[DEPTH], DEPTH, over >= 0 ? " (past E4M3's largest value 448 from layer " + over + " on)" : "",
                    d, unitMin, unitMax, rUnit[DEPTH], DEPTH, rXavier[DEPTH], 100 * fp8[0], 100 * fp8[1], Fp8UnitScaling.xavierStd(d, d)));
            lastUnit = rUnit;
            lastXavier = rXavier;
            progress.step("d = " + d);
        }
        int widest = widths[widths.length - 1];
        XYSeries u = Charts.series(chart, "c = 1/√d (unit scaling), d = " + widest, layers, lastUnit);
        u.setLineColor(Charts.PALETTE[0]);
        u.setMarkerColor(Charts.PALETTE[0]);
        u.setLineWidth(5f);
        XYSeries xv = Charts.points(chart, "Xavier N(0, 1/d), c = 1, d = " + widest + " (on top of the blue line)", layers, lastXavier);
        xv.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.CROSS);
        xv.setMarkerColor(Charts.PALETTE[2]);
        XYSeries cap = Charts.hline(chart, "E4M3's largest value, 448", FP8.max(), 0, DEPTH);
        cap.setLineColor(Color.GRAY);
        List<List<?>> rows = new ArrayList<>();
        for (int k = 0; k <= DEPTH; k++) {
            List<Object> row = new ArrayList<>(List.of(k));
            for (double[] c : columns) row.add(c[k]);
            rows.add(row);
        }
        report.table("rms_by_depth", header, rows,
                "RMS of the activations after each layer (row), for every width and parametrization (column)");
        report.figure("rms_by_depth", chart, "RMS of the activations after n layers (log scale). Points: W ~ N(0, 1) with no "
                + "constant; each layer multiplies the RMS by about √d (dashed: the prediction, E[y_i²] = d·E[x²] for "
                + "independent N(0, 1) weights), so at depth " + DEPTH + " it is (√d)^" + DEPTH + " times too large. Blue: the same "
                + "weights with c = 1/√d stay at RMS ≈ 1 at every depth, as Xavier's (green) do: c = 1/√fan_in recovers "
                + "Xavier's variance preservation. (The unit-scaled and Xavier lines of the narrower widths lie on the same "
                + "level; their numbers are in the table and below.) " + text);
        report.section("Why this is the fp8-friendly choice", "Unit scaling keeps the function of a Xavier network but moves the "
                + "1/√fan_in from the stored weights into a float constant: the weights stay N(0, 1), where E4M3 resolves values "
                + "best (normal numbers from 2⁻⁶ ≈ 0.0156 to 448, 8 steps per binade), while Xavier weights of a wide layer "
                + "(σ = 1/√d) crowd into the coarse subnormal range near 0. The counts above are of these very matrices; the "
                + "experiment fp8-unit-scaling trains with such weights. Without the constant the activations would leave "
                + "any low-precision range within a few layers.");
        report.write();
        return res;
    }

    /** RMS of the activations after each layer of the stack (index 0: the input). */
    static double[] rmsByDepth(List<Linear> stack, Tensor x0) {
        double[] out = new double[stack.size() + 1];
        try (var off = GradMode.noGrad()) {
            Tensor x = x0;
            out[0] = GradientTap.rms(x);
            for (int k = 0; k < stack.size(); k++) {
                x = stack.get(k).forward(x);
                out[k + 1] = GradientTap.rms(x);
            }
        }
        return out;
    }

    /** Fractions of the two weight matrices that E4M3 (round to nearest) stores below its smallest normal number. */
    static double[] storedBelowNormal(Tensor unitScaled, Tensor xavier) {
        double[] out = new double[2];
        int i = 0;
        for (Tensor w : new Tensor[] {unitScaled, xavier}) {
            float[] v = w.contiguous().toFloatArray();
            long below = 0;
            for (float e : v) if (Math.abs(FP8.round(e, true)) < FP8.minNormal()) below++;
            out[i++] = (double) below / v.length;
        }
        return out;
    }

    private static double min(double[] a) { double m = Double.POSITIVE_INFINITY; for (double v : a) m = Math.min(m, v); return m; }

    private static double max(double[] a) { double m = Double.NEGATIVE_INFINITY; for (double v : a) m = Math.max(m, v); return m; }
}
