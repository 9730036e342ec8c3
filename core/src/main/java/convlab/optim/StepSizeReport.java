package convlab.optim;

import convlab.OptionNames;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import convlab.explain.Worksheet;
import convlab.optim.StepSize.Result;
import convlab.optim.StepSize.SpecLayer;
import convlab.optim.StepSize.Update;

import java.util.List;
import java.util.Locale;

/** What `convlab step-size` shows, as a {@link Worksheet} and as JSON (keys step_size, measured_rms_dy, …). */
public record StepSizeReport(Worksheet worksheet, JsonObject json) {
    /** Seed of the measurement (the output states it). */
    public static final long SEED = 16;

    private static String f(double v) { return String.format(Locale.ROOT, "%.6g", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", ""); }

    private static String f4(double v) { return String.format(Locale.ROOT, "%.4f", v); }

    static List<String> conventions(boolean unitScaled, int dIn) {
        return List.of(
                "layer y = c·W·x, W of shape d_out × d_in (a convolution counts as C_out × C_in·k·k, per output position); "
                        + (unitScaled ? "unit-scaled: c = 1/√d_in" + (dIn > 0 ? " = 1/√" + dIn : "") + ", W ~ N(0, 1)" : "standard: c = 1, W ~ N(0, 1/d_in)")
                        + " (" + OptionNames.of("unit-scaled") + " switches)",
                "target: RMS(Δy) = 1 when RMS(x) = 1 (RMS = ‖·‖₂/√dim); gradient of one example (batch 1): ∇W = c·g·xᵀ, rank one, g = ∂L/∂y with RMS(g) = 1",
                "updates: sgd ΔW = −α·∇W; signsgd ΔW = −α·sign(∇W); adam: its first (bias-corrected) step, = signsgd's; "
                        + "muon ΔW = −α·UVᵀ (U, V of the compact SVD; Newton–Schulz run to convergence)",
                "measured: one step of convlab's optimizer at that α (seed " + SEED + "): " + StepSize.DISTRIBUTION);
    }

    public static StepSizeReport single(int dOut, int dIn, List<Update> updates, boolean unitScaled) {
        StepSize.checkShape(dOut, dIn);
        Worksheet ws = new Worksheet().heading("Step size for RMS(Δy) = 1: layer " + dOut + "×" + dIn + " (d_out × d_in), "
                + (unitScaled ? "unit-scaled" : "standard") + " parametrization");
        List<String> conv = conventions(unitScaled, dIn);
        conv.forEach(ws::text);
        JsonObject j = new JsonObject();
        j.addProperty("d_out", dOut);
        j.addProperty("d_in", dIn);
        j.addProperty("parametrization", unitScaled ? "unit-scaled" : "standard");
        JsonArray cj = new JsonArray();
        conv.forEach(cj::add);
        j.add("conventions", cj);
        JsonArray all = new JsonArray();
        boolean first = true;
        double opNorm = Double.NaN;   // measured by the first optimizer's call, the same for the others
        for (Update u : updates) {
            Result r = StepSize.of(dOut, dIn, u, unitScaled, SEED, opNorm);
            opNorm = r.opNormMeasured();
            if (first) {
                ws.text("init: W ~ N(0, " + f(r.initStd() * r.initStd()) + "), c = " + (unitScaled ? "1/√" + dIn + " = " : "") + f(r.c())
                        + " (c·σ = 1/√d_in, so RMS(y) = RMS(x) at initialization, as Xavier/LeCun)");
                ws.text("RMS→RMS operator norm c·‖W‖₂·√(d_in/d_out): ≈ c·σ·(√d_out + √d_in)·√(d_in/d_out) = " + f(r.opNormExpected())
                        + " expected for a random W, " + f(r.opNormMeasured()) + " measured (power iteration)");
                ws.text("largest ‖ΔW‖₂ with RMS(Δy) ≤ 1: √(d_out/d_in)/c = " + f(r.maxSpectral()));
                j.addProperty("c", r.c());
                j.addProperty("init_std", r.initStd());
                j.addProperty("operator_norm_expected", r.opNormExpected());
                j.addProperty("operator_norm_measured", r.opNormMeasured());
                j.addProperty("max_spectral_norm_dw", r.maxSpectral());
                first = false;
            }
            ws.heading(u.label());
            r.derivation().forEach(ws::text);
            ws.text("step size α = " + f(r.stepSize()) + "; measured RMS(Δy) = " + f4(r.measuredRmsDy()));
            String cForm = formula(u, true), plainForm = formula(u, false);
            ws.text("conventions in the literature: with c = 1 (spectral condition, standard parametrization) α = " + plainForm + " = " + f(r.withoutC())
                    + "; with c = 1/√d_in (unit scaling) α = " + cForm + " = " + f(r.withC()));
            ws.text("   measured here (" + (unitScaled ? "unit-scaled" : "standard") + "): RMS(Δy) = " + f4(r.withoutCRmsDy()) + " with " + plainForm
                    + ", " + f4(r.withCRmsDy()) + " with " + cForm + " ⇒ the measurement confirms " + (unitScaled ? cForm : plainForm) + " for this parametrization");
            if (u == Update.MUON)
                ws.text("   with Muon's default quintic Newton–Schulz (5 steps, not run to convergence) the same α gives RMS(Δy) = " + f4(r.quinticRmsDy())
                        + " (its singular values land in [0.68, 1.13], not at 1)");
            if (unitScaled && u == Update.MUON)
                ws.text("   in convlab's UnitScaling.muon this is group lr η/c = " + f(1 / r.c()) + " times the SPECTRAL factor √(d_out/d_in) = "
                        + f(Math.sqrt((double) dOut / dIn)) + ": the step used is " + f(r.stepSize()) + "·UVᵀ");
            JsonObject o = new JsonObject();
            o.addProperty("optimizer", u.label());
            o.addProperty("step_size", r.stepSize());
            o.addProperty("measured_rms_dy", r.measuredRmsDy());
            o.addProperty("step_size_with_c", r.withC());
            o.addProperty("measured_rms_dy_with_c", r.withCRmsDy());
            o.addProperty("step_size_without_c", r.withoutC());
            o.addProperty("measured_rms_dy_without_c", r.withoutCRmsDy());
            if (u == Update.MUON) o.addProperty("measured_rms_dy_quintic_ns", r.quinticRmsDy());
            JsonArray d = new JsonArray();
            r.derivation().forEach(d::add);
            o.add("derivation", d);
            all.add(o);
            if (updates.size() == 1) for (var e : o.entrySet()) j.add(e.getKey(), e.getValue());
        }
        if (updates.size() > 1) j.add("optimizers", all);
        return new StepSizeReport(ws, j);
    }

    private static String formula(Update u, boolean withC) {
        return switch (u) {
            case SGD -> withC ? "1" : "1/d_in";
            case SIGNSGD, ADAM -> withC ? "1/√d_in" : "1/d_in";
            case MUON -> withC ? "√d_out" : "√(d_out/d_in)";
        };
    }

    /** Every weighted layer of a spec, numbered as `convlab summary` numbers its rows. */
    public static StepSizeReport spec(String spec, String input, List<Update> updates, boolean unitScaled) {
        List<SpecLayer> layers = StepSize.specLayers(spec, input);
        Worksheet ws = new Worksheet().heading("Step sizes for RMS(Δy) = 1 per layer, " + (unitScaled ? "unit-scaled" : "standard")
                + " parametrization (rows numbered as in `convlab summary`)");
        List<String> conv = conventions(unitScaled, 0);
        conv.forEach(ws::text);
        JsonObject j = new JsonObject();
        j.addProperty("spec", spec);
        j.addProperty("input", input);
        j.addProperty("parametrization", unitScaled ? "unit-scaled" : "standard");
        JsonArray cj = new JsonArray();
        conv.forEach(cj::add);
        j.add("conventions", cj);
        JsonArray rows = new JsonArray();
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%4s  %-10s %-12s %-12s %-9s", "#", "layer", "d_out x d_in", "c", "op norm"));
        for (Update u : updates) header.append(String.format(Locale.ROOT, "  %-11s %-9s", u.label() + " α", "RMS(Δy)"));
        ws.text(header.toString().stripTrailing());
        for (SpecLayer l : layers) {
            StringBuilder line = null;
            JsonObject row = new JsonObject();
            row.addProperty("index", l.row());
            row.addProperty("layer", l.name());
            row.addProperty("d_out", l.dOut());
            row.addProperty("d_in", l.dIn());
            JsonArray per = new JsonArray();
            double opNorm = Double.NaN;   // measured for the layer's first optimizer, the same for the others
            for (Update u : updates) {
                Result r = StepSize.row(l.dOut(), l.dIn(), u, unitScaled, SEED, opNorm);
                opNorm = r.opNormMeasured();
                if (line == null) {
                    line = new StringBuilder(String.format(Locale.ROOT, "%4d  %-10s %-12s %-12s %-9s", l.row(), l.name(), l.dOut() + "x" + l.dIn(),
                            unitScaled ? "1/sqrt(" + l.dIn() + ")" : "1", f(r.opNormMeasured())));
                    row.addProperty("c", r.c());
                    row.addProperty("operator_norm_measured", r.opNormMeasured());
                }
                line.append(String.format(Locale.ROOT, "  %-11s %-9s", f(r.stepSize()), f4(r.measuredRmsDy())));
                JsonObject o = new JsonObject();
                o.addProperty("optimizer", u.label());
                o.addProperty("step_size", r.stepSize());
                o.addProperty("measured_rms_dy", r.measuredRmsDy());
                per.add(o);
                if (updates.size() == 1) { row.addProperty("step_size", r.stepSize()); row.addProperty("measured_rms_dy", r.measuredRmsDy()); }
            }
            ws.text(line.toString().stripTrailing());
            if (updates.size() > 1) row.add("optimizers", per);
            rows.add(row);
        }
        ws.text("derivation of each α: `convlab step-size --d-out D_OUT --d-in D_IN" + (unitScaled ? " --unit-scaled" : "") + "`");
        j.add("layers", rows);
        return new StepSizeReport(ws, j);
    }
}
