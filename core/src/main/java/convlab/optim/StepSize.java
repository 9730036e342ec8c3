package convlab.optim;

import convlab.OptionNames;
import convlab.nn.Module;
import convlab.nn.Parameter;
import convlab.spec.Analysis;
import convlab.spec.FeatureShape;
import convlab.spec.Layer;
import convlab.spec.LayerStats;
import convlab.spec.ModelBuilder;
import convlab.spec.Spec;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The step size that moves a layer's output by RMS(Δy) = 1 (course homework 4 problem 2 (c)–(e)), derived
 * and measured. A layer computes y = c·W·x with W of shape (d_out, d_in); standard parametrization: c = 1,
 * W ~ N(0, 1/d_in); unit-scaled: c = 1/√d_in, W ~ N(0, 1). Inputs have RMS(x) = 1 and the gradient is the
 * batch-1 (rank-one) ∇W = c·g·xᵀ with g = ∂L/∂y of RMS 1. Each optimizer's first update from that gradient:
 * SGD −α∇W, SignSGD −α·sign(∇W), Adam (bias-corrected, first step) the same as SignSGD, Muon −α·UVᵀ.
 *
 * <p>The measurement runs the library's optimizer ({@link SGD}, {@link SignSGD}, {@link Adam}, {@link Muon}
 * with an exact Newton–Schulz orthogonalization) for one step on a seeded layer and computes RMS(c·ΔW·x)
 * for the same x (the case the bound is tight for).
 */
public final class StepSize {
    private StepSize() {}

    /** Most weights measured (the measurement allocates a few float copies of W). */
    public static final long MAX_WEIGHTS = 1L << 22;

    public enum Update {
        SGD, SIGNSGD, MUON, ADAM;

        public static Update parse(String s) {
            for (Update u : values()) if (u.name().equalsIgnoreCase(s.strip())) return u;
            throw new IllegalArgumentException("unknown " + OptionNames.of("optimizer") + " '" + s + "', expected one of: sgd, signsgd, muon, adam");
        }

        public String label() { return name().toLowerCase(Locale.ROOT); }
    }

    /**
     * One layer's answer. stepSize: α with RMS(Δy) = 1 in this parametrization; measuredRmsDy: RMS(Δy) after one
     * step of that size; withC / withoutC: the step the formula gives with c = 1/√d_in and with c = 1, and
     * their measured RMS(Δy) here; quinticRmsDy: Muon only, RMS(Δy) with PyTorch's default quintic
     * Newton–Schulz (5 steps) instead of an exact UVᵀ (NaN otherwise).
     */
    public record Result(int dOut, int dIn, Update update, boolean unitScaled, double c, double initStd, double opNormExpected,
                         double opNormMeasured, double maxSpectral, double stepSize, double measuredRmsDy,
                         double withC, double withCRmsDy, double withoutC, double withoutCRmsDy, double quinticRmsDy,
                         List<String> derivation) {}

    /** The measurement's distributions, for the output. */
    public static final String DISTRIBUTION = "x entries ±1 (Rademacher, so RMS(x) = 1 exactly), g = ∂L/∂y ~ N(0, 1) rescaled to RMS 1, "
            + "W ~ N(0, σ²), seeded; Δy = c·ΔW·x for the same x";

    /** The step for RMS(Δy) = 1 with forward multiplier c. */
    public static double step(Update u, int dOut, int dIn, double c) {
        return switch (u) {
            case SGD -> 1 / (c * c * dIn);
            case SIGNSGD, ADAM -> 1 / (c * dIn);
            case MUON -> Math.sqrt((double) dOut / dIn) / c;
        };
    }

    public static Result of(int dOut, int dIn, Update u, boolean unitScaled, long seed) {
        return of(dOut, dIn, u, unitScaled, seed, true, Double.NaN);
    }

    /**
     * One row of a per-layer table: as {@link #of}, but only the step α of this parametrization is measured
     * (withCRmsDy / withoutCRmsDy are NaN unless that step is α, quinticRmsDy is NaN), and opNorm, when not NaN,
     * is the operator norm {@link #of} measured for the same shape, parametrization and seed (it does not depend
     * on the optimizer), so a table measures it once per layer.
     */
    public static Result row(int dOut, int dIn, Update u, boolean unitScaled, long seed, double opNorm) {
        return of(dOut, dIn, u, unitScaled, seed, false, opNorm);
    }

    /** As {@link #of} with the operator norm already measured for this shape, parametrization and seed (NaN: measure it). */
    public static Result of(int dOut, int dIn, Update u, boolean unitScaled, long seed, double opNorm) {
        return of(dOut, dIn, u, unitScaled, seed, true, opNorm);
    }

    private static Result of(int dOut, int dIn, Update u, boolean unitScaled, long seed, boolean conventions, double opNorm) {
        checkShape(dOut, dIn);
        double c = unitScaled ? UnitScaling.multiplier(dIn) : 1, sigma = unitScaled ? 1 : 1 / Math.sqrt(dIn);
        double alpha = step(u, dOut, dIn, c);
        double cUnit = UnitScaling.multiplier(dIn);
        double withC = step(u, dOut, dIn, cUnit), withoutC = step(u, dOut, dIn, 1);
        double[] steps = conventions ? new double[] {alpha, withC, withoutC}
                : new double[] {alpha, withC == alpha ? withC : Double.NaN, withoutC == alpha ? withoutC : Double.NaN};
        Measured m = measure(u, dOut, dIn, c, sigma, steps, seed, conventions && u == Update.MUON, opNorm);
        double opExpected = c * sigma * (Math.sqrt(dOut) + Math.sqrt(dIn)) * Math.sqrt((double) dIn / dOut);
        double maxSpectral = Math.sqrt((double) dOut / dIn) / c;
        return new Result(dOut, dIn, u, unitScaled, c, sigma, opExpected, m.opNorm, maxSpectral, alpha, m.rms[0],
                withC, m.rms[1], withoutC, m.rms[2], m.quintic, derivation(u, dOut, dIn, unitScaled, c, alpha, maxSpectral));
    }

    static void checkShape(int dOut, int dIn) {
        if (dOut <= 0 || dIn <= 0)
            throw new IllegalArgumentException("a layer needs d_in >= 1 and d_out >= 1, got d_out = " + dOut + ", d_in = " + dIn + " (a zero-sized layer has no output to move)");
        if ((long) dOut * dIn > MAX_WEIGHTS)
            throw new IllegalArgumentException("d_out·d_in = " + (long) dOut * dIn + " weights; the measurement handles at most " + MAX_WEIGHTS);
    }

    private static String f(double v) { return String.format(Locale.ROOT, "%.6g", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", ""); }

    private static List<String> derivation(Update u, int dOut, int dIn, boolean unitScaled, double c, double alpha, double maxSpectral) {
        List<String> d = new ArrayList<>();
        String cs = unitScaled ? "1/√" + dIn : "1";
        d.add("RMS(x) = 1 ⇒ ‖x‖₂ = √d_in = √" + dIn + " = " + f(Math.sqrt(dIn)) + "; RMS(Δy) = ‖Δy‖₂/√d_out");
        d.add("(c) Δy = c·ΔW·x ⇒ RMS(Δy) ≤ c·‖ΔW‖₂·‖x‖₂/√d_out = (" + cs + ")·‖ΔW‖₂·√" + dIn + "/√" + dOut
                + " ⇒ RMS(Δy) ≤ 1 needs ‖ΔW‖₂ ≤ √(d_out/d_in)/c = √(" + dOut + "/" + dIn + ")/(" + cs + ") = " + f(maxSpectral));
        String rank1 = "batch 1: ∇W = c·g·xᵀ has rank one";
        switch (u) {
            case SGD -> {
                d.add(rank1 + "; ΔW = −α·c·g·xᵀ ⇒ Δy = −α·c²·‖x‖²·g ⇒ RMS(Δy) = α·c²·d_in·RMS(g)");
                d.add("with RMS(g) = 1: α = 1/(c²·d_in) = 1/((" + cs + ")²·" + dIn + ") = " + f(alpha)
                        + " (‖ΔW‖₂ = α·c·‖g‖·‖x‖ = " + f(maxSpectral) + ", the bound of (c) exactly; SGD's step scales with 1/RMS(g))");
            }
            case SIGNSGD, ADAM -> {
                if (u == Update.ADAM) d.add("Adam's first step (bias-corrected, ε ≪ |g|): m̂/√v̂ = ∇W/|∇W| = sign(∇W), so it is SignSGD's step");
                d.add("(d) " + rank1 + " ⇒ sign(∇W) = sign(g)·sign(x)ᵀ, ‖sign(∇W)‖₂ = √(d_out·d_in) = √(" + dOut + "·" + dIn + ") = " + f(Math.sqrt((double) dOut * dIn)));
                d.add("α·√(d_out·d_in) = " + f(maxSpectral) + " ⇒ α = 1/(c·d_in) = 1/((" + cs + ")·" + dIn + ") = " + f(alpha));
            }
            case MUON -> {
                d.add("(e) ΔW = α·UVᵀ (compact SVD of the gradient), ‖UVᵀ‖₂ = 1 ⇒ α = √(d_out/d_in)/c = " + f(alpha));
            }
        }
        return d;
    }

    private record Measured(double[] rms, double opNorm, double quintic) {}

    /** RMS(Δy) for each step in alphas (NaN: not measured, NaN out), the quintic Muon's if asked, the operator norm unless given. */
    private static Measured measure(Update u, int dOut, int dIn, double c, double sigma, double[] alphas, long seed, boolean quinticToo, double opNorm) {
        Rng rng = new Rng(seed);
        float[] w0 = Tensor.randn(rng, sigma, convlab.tensor.DType.F32, dOut, dIn).contiguous().data().clone();
        double[] x = new double[dIn], g = new double[dOut];
        for (int j = 0; j < dIn; j++) x[j] = rng.nextDouble() < 0.5 ? -1 : 1;
        double ss = 0;
        for (int i = 0; i < dOut; i++) { g[i] = rng.nextGaussian(); ss += g[i] * g[i]; }
        double norm = Math.sqrt(ss / dOut);
        for (int i = 0; i < dOut; i++) g[i] /= norm;
        float[] grad = new float[dOut * dIn];
        for (int i = 0; i < dOut; i++) for (int j = 0; j < dIn; j++) grad[i * dIn + j] = (float) (c * g[i] * x[j]);
        double[] rms = new double[alphas.length];
        // The step of this parametrization is always one of the two conventions' steps: a step measured once is
        // reused (the run is deterministic, so the number is the same; for Muon it saves a cold Newton–Schulz run).
        for (int k = 0; k < alphas.length; k++) {
            if (Double.isNaN(alphas[k])) { rms[k] = Double.NaN; continue; }
            int same = 0;
            while (same < k && Double.compare(alphas[same], alphas[k]) != 0) same++;
            rms[k] = same < k ? rms[same] : rmsDy(u, w0, grad, x, dOut, dIn, c, alphas[k], Muon.Poly.CUBIC, 2);
        }
        double quintic = quinticToo ? rmsDy(u, w0, grad, x, dOut, dIn, c, alphas[0], Muon.Poly.QUINTIC, 5) : Double.NaN;
        return new Measured(rms, Double.isNaN(opNorm) ? c * spectralNorm(w0, dOut, dIn, rng) * Math.sqrt((double) dIn / dOut) : opNorm, quintic);
    }

    /** One step of the library optimizer at lr alpha (Muon: the step alpha·O) and the RMS of c·ΔW·x. */
    private static double rmsDy(Update u, float[] w0, float[] grad, double[] x, int dOut, int dIn, double c, double alpha,
                                Muon.Poly poly, int nsSteps) {
        Parameter w = new Parameter(Tensor.of(w0.clone(), dOut, dIn));
        w.setGrad(Tensor.of(grad.clone(), dOut, dIn));
        List<Parameter> ps = List.of(w);
        Optimizer opt = switch (u) {
            case SGD -> new SGD(ps, alpha, 0, 0);
            case SIGNSGD -> new SignSGD(ps, alpha, 0, 0);
            case ADAM -> new Adam(List.of(new ParamGroup(ps, alpha, 0)), 0.9, 0.999, 1e-8, false, false);
            case MUON -> new Muon(List.of(new ParamGroup(ps, alpha / MuonLrScaling.SPECTRAL.factor(dOut, dIn), 0)), List.of(),
                    new Muon.Config(0, false, poly, nsSteps, Muon.Form.GRAM, MuonLrScaling.SPECTRAL));
        };
        opt.step();
        float[] w1 = w.data();
        double ss = 0;
        for (int i = 0; i < dOut; i++) {
            double acc = 0;
            for (int j = 0; j < dIn; j++) acc += ((double) w1[i * dIn + j] - w0[i * dIn + j]) * x[j];
            ss += c * acc * c * acc;
        }
        return Math.sqrt(ss / dOut);
    }

    /** ‖W‖₂ by power iteration on WᵀW (60 iterations from a seeded start). */
    static double spectralNorm(float[] w, int rows, int cols, Rng rng) {
        double[] v = new double[cols], u = new double[rows];
        for (int j = 0; j < cols; j++) v[j] = rng.nextGaussian();
        double s = 0;
        for (int it = 0; it < 60; it++) {
            double nv = 0;
            for (double e : v) nv += e * e;
            nv = Math.sqrt(nv);
            for (int j = 0; j < cols; j++) v[j] /= nv;
            for (int i = 0; i < rows; i++) {
                double acc = 0;
                for (int j = 0; j < cols; j++) acc += w[i * cols + j] * v[j];
                u[i] = acc;
            }
            double nu = 0;
            for (double e : u) nu += e * e;
            s = Math.sqrt(nu);
            java.util.Arrays.fill(v, 0);
            for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) v[j] += w[i * cols + j] * u[i];
        }
        return s;
    }

    /** A weighted layer of a spec: its summary row (index, name) and its matrix shape (conv: d_in = C_in/groups·taps). */
    public record SpecLayer(int row, String name, int dOut, int dIn) {}

    /**
     * The weighted layers (FC and non-transposed convolutions) of a spec, numbered as `convlab summary` numbers its
     * rows; the matrix shapes are those of the model convlab builds (as {@link UnitScaling} sees them).
     */
    public static List<SpecLayer> specLayers(String spec, String input) {
        return specLayers(Spec.parse(spec), FeatureShape.parse(input));
    }

    public static List<SpecLayer> specLayers(Spec parsed, FeatureShape in) {
        Analysis a = Analysis.of(parsed, in);
        Module model = ModelBuilder.build(parsed, in, new Rng(0));
        List<UnitScaling.Layer> weighted = UnitScaling.layers(model, 1);
        List<LayerStats> rows = new ArrayList<>();
        for (LayerStats s : a.layers())
            if (s.layer() instanceof Layer.Fc || s.layer() instanceof Layer.Conv cv && cv.kind() != Layer.ConvKind.TRANSPOSED) rows.add(s);
        if (rows.size() != weighted.size())
            throw new IllegalStateException("spec has " + rows.size() + " weighted layers but the model " + weighted.size());
        List<SpecLayer> out = new ArrayList<>();
        for (int k = 0; k < rows.size(); k++)
            out.add(new SpecLayer(rows.get(k).index(), rows.get(k).name(), weighted.get(k).fanOut(), weighted.get(k).fanIn()));
        return out;
    }
}
