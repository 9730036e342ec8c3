package convlab.optim;

import convlab.nn.ConvLayer;
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
 * Layers handled: {@link Linear} and convolutions ({@link ConvLayer}, not transposed), whose weight counts as
 * a (C_out, C_in/groups·kh·kw) matrix. For a convolution the rank-1 argument behind the SignSGD rule holds
 * per output position only, so there the rule is the same heuristic the Muon authors use for conv kernels.
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
                        double signSgdLr, double muonLr) {
        /** The step Muon actually takes: group lr η/c times the SPECTRAL factor √(fanOut/fanIn), i.e. ΔW = −muonStep·UVᵀ. */
        public double muonStep() { return muonLr * MuonLrScaling.SPECTRAL.factor(fanOut, fanIn); }
    }

    /** Switches every Linear and (non-transposed) convolution to the unit-scaled parametrization, re-initializing weights. */
    public static void apply(Module model, Rng rng) {
        for (Found f : weighted(model)) {
            if (f.module instanceof Linear l) l.unitScale(rng);
            else ((ConvLayer) f.module).unitScale(rng);
        }
    }

    /** The weighted layers with their c and effective learning rates for base η (for summaries). */
    public static List<Layer> layers(Module model, double eta) {
        List<Layer> out = new ArrayList<>();
        for (Found f : weighted(model))
            out.add(new Layer(f.path, f.prefix + "weight", f.hasBias ? f.prefix + "bias" : null, f.fanIn, f.fanOut, f.c,
                    signSgdLr(eta, f.fanIn, f.c), muonLr(eta, f.c)));
        return out;
    }

    /** A text table of {@link #layers} for summaries, rows labelled by module path. */
    public static List<String> table(Module model, double eta) {
        List<Layer> ls = layers(model, eta);
        return table(ls, ls.stream().map(Layer::name).toList(), eta);
    }

    /**
     * A text table for summaries: label, shape, c, SignSGD lr and the Muon step actually taken (η·√(d_out/d_in)/c,
     * the group lr η/c times the SPECTRAL factor) for base η; labels[i] names layers[i] (e.g. the summary's row).
     */
    public static List<String> table(List<Layer> layers, List<String> labels, double eta) {
        List<String> out = new ArrayList<>();
        out.add(String.format(java.util.Locale.ROOT, "%-14s %-12s %-14s %-13s %s", "layer", "d_out x d_in", "c",
                "SignSGD lr", "Muon step (spectral)"));
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            out.add(String.format(java.util.Locale.ROOT, "%-14s %-12s %-14s %-13.6g %.6g", labels.get(i), l.fanOut() + "x" + l.fanIn(),
                    l.c() == 1 ? "1" : String.format(java.util.Locale.ROOT, "1/sqrt(%d)", l.fanIn()), l.signSgdLr(), l.muonStep()));
        }
        out.add(String.format(java.util.Locale.ROOT, "base eta = %g = largest RMS change of a layer's output per step; biases use eta; "
                + "Muon step = eta*sqrt(d_out/d_in)/c multiplies UV^T (group lr eta/c times the spectral factor)", eta));
        return out;
    }

    /** The unit-scaling table of a spec, rows labelled "#row NAME" as `convlab summary` numbers them, plus JSON. */
    public record SpecTable(List<String> lines, com.google.gson.JsonObject json) {}

    public static SpecTable specTable(convlab.spec.Spec spec, convlab.spec.FeatureShape input, double eta) {
        List<StepSize.SpecLayer> rows = StepSize.specLayers(spec, input);
        var model = convlab.spec.ModelBuilder.build(spec, input, new Rng(0));
        apply(model, new Rng(0));
        List<Layer> ls = layers(model, eta);
        List<String> labels = rows.stream().map(r -> r.row() + " " + r.name()).toList();
        var json = new com.google.gson.JsonObject();
        json.addProperty("eta", eta);
        var arr = new com.google.gson.JsonArray();
        for (int i = 0; i < ls.size(); i++) {
            Layer l = ls.get(i);
            var o = new com.google.gson.JsonObject();
            o.addProperty("index", rows.get(i).row());
            o.addProperty("layer", rows.get(i).name());
            o.addProperty("d_out", l.fanOut());
            o.addProperty("d_in", l.fanIn());
            o.addProperty("c", l.c());
            o.addProperty("signsgd_lr", l.signSgdLr());
            o.addProperty("muon_group_lr", l.muonLr());
            o.addProperty("muon_step", l.muonStep());
            arr.add(o);
        }
        json.add("layers", arr);
        return new SpecTable(table(ls, labels, eta), json);
    }

    /**
     * SignSGD/Signum with one group per weight at its effective lr, biases at η, everything else at η.
     * Weight decay (decoupled) is set per group so that every parameter shrinks by 1 − η·weightDecay per step.
     */
    public static SignSGD signSgd(Module model, double eta, double momentum, double weightDecay) {
        return new SignSGD(groups(model, eta, weightDecay, Layer::signSgdLr), momentum);
    }

    /**
     * Muon with the SPECTRAL rule on every layer's weight at lr η/c (the first layer and head included:
     * the spectral bound holds for them too), and AdamW at lr η on biases and other non-matrix parameters;
     * weight decay shrinks every parameter by 1 − η·weightDecay per step, as in {@link #signSgd}.
     */
    public static Muon muon(Module model, double eta, double momentum, double weightDecay) {
        List<ParamGroup> all = groups(model, eta, weightDecay, Layer::muonLr), matrices = new ArrayList<>(), rest = new ArrayList<>();
        for (ParamGroup g : all) (g.params().get(0).dim() >= 2 ? matrices : rest).add(g);
        var cfg = new Muon.Config(momentum, momentum > 0, Muon.Poly.QUINTIC, 5, Muon.Form.GRAM, MuonLrScaling.SPECTRAL);
        return new Muon(matrices, rest, cfg);
    }

    private static List<ParamGroup> groups(Module model, double eta, double wd, java.util.function.ToDoubleFunction<Layer> lrOf) {
        Map<String, Parameter> named = model.namedParameters();
        List<ParamGroup> out = new ArrayList<>();
        java.util.Set<String> placed = new java.util.HashSet<>();
        for (Layer l : layers(model, eta)) {
            // Decoupled decay shrinks θ by lr·wd per step; scale wd so every layer shrinks by the same 1 − η·wd.
            double lr = lrOf.applyAsDouble(l), layerWd = lr == 0 ? wd : wd * eta / lr;
            out.add(new ParamGroup(l.weightName(), List.of(named.get(l.weightName())), List.of(l.weightName()), lr, layerWd));
            placed.add(l.weightName());
        }
        List<String> restNames = new ArrayList<>();
        List<Parameter> rest = new ArrayList<>();
        for (var e : named.entrySet()) if (!placed.contains(e.getKey())) { restNames.add(e.getKey()); rest.add(e.getValue()); }
        for (int i = 0; i < rest.size(); i++)   // biases and other vectors: lr η, one group each so Muon can route by shape
            out.add(new ParamGroup(restNames.get(i), List.of(rest.get(i)), List.of(restNames.get(i)), eta, wd));
        return out;
    }

    /** A layer with a weight matrix (conv kernels flattened to (C_out, C_in/groups·taps)). */
    private record Found(String path, String prefix, Module module, int fanIn, int fanOut, double c, boolean hasBias) {}

    private static List<Found> weighted(Module model) {
        List<Found> out = new ArrayList<>();
        walk(model, "", out);
        return out;
    }

    private static void walk(Module m, String path, List<Found> out) {
        String name = path.isEmpty() ? "(model)" : path, prefix = path.isEmpty() ? "" : path + ".";
        if (m instanceof Linear l) out.add(new Found(name, prefix, l, l.inFeatures, l.outFeatures, l.scale(), l.bias != null));
        else if (m instanceof ConvLayer c && !c.transposed())
            out.add(new Found(name, prefix, c, c.fanIn(), c.outChannels(), c.scale(), c.bias() != null));
        for (var e : m.children().entrySet()) walk(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out);
    }
}
