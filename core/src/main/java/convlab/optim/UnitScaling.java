package convlab.optim;

import convlab.kernels.NewtonSchulz;
import convlab.nn.Linear;
import convlab.nn.Module;
import convlab.nn.Parameter;
import convlab.tensor.Rng;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The unit-scaled (muP-style) parametrization of course problem 2 and the per-layer learning rates that
 * go with it. Derivations: docs/OPTIMIZERS.md. In short, for a layer y = c·W·x with W of shape
 * (fanOut, fanIn) and inputs of RMS 1:
 * <ul>
 * <li>c = 1/√fanIn with W ~ N(0, 1) keeps RMS(y) = RMS(x) at initialization, as Xavier/He scaling does,
 *     while the stored weights have unit scale (what low-precision formats represent best);</li>
 * <li>a weight change moves the output by RMS(Δy) ≤ c·‖ΔW‖₂·√fanIn/√fanOut, so the "base" learning rate
 *     η below is the largest RMS change of any layer's output per step;</li>
 * <li>SignSGD (batch 1: sign(∇W) = sign(g)·sign(x)ᵀ has rank 1 and ‖·‖₂ = √(fanOut·fanIn)):
 *     lr = η/(c·fanIn), which is η/√fanIn when unit-scaled and η/fanIn when c = 1;</li>
 * <li>Muon (‖UVᵀ‖₂ = 1) with the {@link MuonLrScaling#SPECTRAL} factor √(fanOut/fanIn): lr = η/c,
 *     i.e. η·√fanIn when unit-scaled (total step η·√fanOut·UVᵀ) and η when c = 1;</li>
 * <li>biases add straight to y, so their lr is η.</li>
 * </ul>
 * Layers handled: {@link Linear} (Conv2d joins when it has a forward multiplier; its fanIn is C_in·kh·kw).
 */
public final class UnitScaling {
    private UnitScaling() {}

    /** c = 1/√fanIn. */
    public static double multiplier(int fanIn) {
        if (fanIn <= 0) throw new IllegalArgumentException("fan-in must be positive, got " + fanIn);
        return 1.0 / Math.sqrt(fanIn);
    }

    /** Per-step learning rate of SignSGD for a weight with forward multiplier c, for output change η. */
    public static double signSgdLr(double eta, int fanIn, double c) { return eta / (c * fanIn); }

    /** Per-step learning rate of Muon (with the SPECTRAL factor) for a weight with multiplier c. */
    public static double muonLr(double eta, double c) { return eta / c; }

    /** One weighted layer: its name (module path), fan-in/out, multiplier c and effective learning rates for η. */
    public record Layer(String name, String weightName, String biasName, int fanIn, int fanOut, double c,
                        double signSgdLr, double muonLr) {}

    /** Switches every Linear in the model to the unit-scaled parametrization (re-initializing its weights). */
    public static void apply(Module model, Rng rng) {
        for (var e : linears(model)) e.layer.unitScale(rng);
    }

    /** The weighted layers with their c and effective learning rates for base η (for summaries). */
    public static List<Layer> layers(Module model, double eta) {
        List<Layer> out = new ArrayList<>();
        for (var e : linears(model)) {
            Linear l = e.layer;
            double c = l.scale();
            out.add(new Layer(e.path, e.prefix + "weight", l.bias == null ? null : e.prefix + "bias", l.inFeatures, l.outFeatures, c,
                    signSgdLr(eta, l.inFeatures, c), muonLr(eta, c)));
        }
        return out;
    }

    /** SignSGD/Signum with one group per weight at its effective lr, biases at η, everything else at η. */
    public static SignSGD signSgd(Module model, double eta, double momentum, double weightDecay) {
        return new SignSGD(groups(model, eta, weightDecay, Layer::signSgdLr), momentum);
    }

    /**
     * Muon with the SPECTRAL rule on every layer's weight at lr η/c (the first layer and head included:
     * the spectral bound holds for them too), and AdamW at lr η on biases and other non-matrix parameters.
     */
    public static Muon muon(Module model, double eta, double momentum, double weightDecay) {
        List<ParamGroup> all = groups(model, eta, weightDecay, Layer::muonLr), matrices = new ArrayList<>(), rest = new ArrayList<>();
        for (ParamGroup g : all) (g.params().get(0).dim() >= 2 ? matrices : rest).add(g);
        var cfg = new Muon.Config(momentum, momentum > 0, NewtonSchulz.Poly.QUINTIC, 5, NewtonSchulz.Form.GRAM, MuonLrScaling.SPECTRAL);
        return new Muon(matrices, rest, cfg);
    }

    private static List<ParamGroup> groups(Module model, double eta, double wd, java.util.function.ToDoubleFunction<Layer> lrOf) {
        Map<String, Parameter> named = model.namedParameters();
        List<ParamGroup> out = new ArrayList<>();
        java.util.Set<String> placed = new java.util.HashSet<>();
        for (Layer l : layers(model, eta)) {
            out.add(new ParamGroup(l.weightName(), List.of(named.get(l.weightName())), List.of(l.weightName()), lrOf.applyAsDouble(l), wd));
            placed.add(l.weightName());
        }
        List<String> restNames = new ArrayList<>();
        List<Parameter> rest = new ArrayList<>();
        for (var e : named.entrySet()) if (!placed.contains(e.getKey())) { restNames.add(e.getKey()); rest.add(e.getValue()); }
        for (int i = 0; i < rest.size(); i++)   // biases and other vectors: lr η, one group each so Muon can route by shape
            out.add(new ParamGroup(restNames.get(i), List.of(rest.get(i)), List.of(restNames.get(i)), eta, wd));
        return out;
    }

    private record Found(String path, String prefix, Linear layer) {}

    private static List<Found> linears(Module model) {
        List<Found> out = new ArrayList<>();
        walk(model, "", out);
        return out;
    }

    private static void walk(Module m, String path, List<Found> out) {
        if (m instanceof Linear l) out.add(new Found(path.isEmpty() ? "(model)" : path, path.isEmpty() ? "" : path + ".", l));
        for (var e : m.children().entrySet()) walk(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out);
    }
}
