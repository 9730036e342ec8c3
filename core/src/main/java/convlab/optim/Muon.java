package convlab.optim;

import convlab.kernels.NewtonSchulz;
import convlab.nn.Parameter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Muon (Jordan et al. 2024; update rule as torch.optim.Muon): for each matrix parameter (conv weights
 * flattened to (C_out, C_in·kh·kw)),
 * <pre>
 *   b = μ·b + (1 − μ)·grad
 *   u = nesterov ? (1 − μ)·grad + μ·b : b
 *   O = NewtonSchulz(u)                      (≈ UVᵀ of u's SVD; quintic, 5 steps, Gram form by default)
 *   θ = θ·(1 − lr·weightDecay) − lr·scaling.factor(d_out, d_in)·O
 * </pre>
 * Parameters that are not matrices (biases, norm gains) and, by the Muon authors' advice, the first
 * layer and the classifier head go to an auxiliary {@link AdamW}; {@link MuonRouting} makes that split.
 * Defaults follow PyTorch: lr 1e-3, weight decay 0.1, μ = 0.95, Nesterov, 5 quintic steps.
 */
public class Muon extends Optimizer {
    /**
     * The Newton-Schulz polynomial p(σ) = aσ + bσ³ + cσ⁵ applied to the singular values at each step: the course's
     * {@link #CUBIC} (converges to 1) or Keller Jordan's {@link #QUINTIC} (Muon's, fast from small σ).
     */
    public record Poly(double a, double b, double c) {
        /** ½(3I − XXᵀ)X: σ → 1.5σ − 0.5σ³. */
        public static final Poly CUBIC = of(NewtonSchulz.Poly.CUBIC);
        /** (3.4445, −4.7750, 2.0315), five steps in PyTorch's Muon. */
        public static final Poly QUINTIC = of(NewtonSchulz.Poly.QUINTIC);

        private static Poly of(NewtonSchulz.Poly p) { return new Poly(p.a(), p.b(), p.c()); }

        NewtonSchulz.Poly kernel() { return new NewtonSchulz.Poly(a, b, c); }
    }

    /** How a step is multiplied out: DIRECT from X, or GRAM through XXᵀ (the smaller Gram matrix; the default). */
    public enum Form {
        DIRECT, GRAM;

        NewtonSchulz.Form kernel() {
            return switch (this) {
                case DIRECT -> NewtonSchulz.Form.DIRECT;
                case GRAM -> NewtonSchulz.Form.GRAM;
            };
        }
    }

    public record Config(double momentum, boolean nesterov, Poly poly, int nsSteps, Form form, MuonLrScaling scaling) {
        public static final Config PYTORCH_DEFAULTS = new Config(0.95, true, Poly.QUINTIC, 5, Form.GRAM, MuonLrScaling.ORIGINAL);

        public Config {
            if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("Muon momentum must be in [0, 1), got " + momentum);
            if (nesterov && momentum == 0) throw new IllegalArgumentException("Nesterov momentum requires momentum > 0");
            if (nsSteps < 1) throw new IllegalArgumentException("Muon needs at least one Newton-Schulz step, got " + nsSteps);
        }

        public Config withScaling(MuonLrScaling s) { return new Config(momentum, nesterov, poly, nsSteps, form, s); }
        public Config withMomentum(double m) { return new Config(m, nesterov, poly, nsSteps, form, scaling); }
    }

    private final Config cfg;
    private final NewtonSchulz.Poly nsPoly;
    private final NewtonSchulz.Form nsForm;
    private final int muonCount;          // parameters [0, muonCount) are Muon's, the rest the auxiliary AdamW's
    private final List<ParamGroup> muonGroups;
    private final AdamW aux;              // null when there are no auxiliary parameters

    /** Muon over muonGroups (matrices), AdamW with PyTorch's betas/eps over auxGroups (may be empty). */
    public Muon(List<ParamGroup> muonGroups, List<ParamGroup> auxGroups, Config cfg) {
        super(concat(muonGroups, auxGroups));
        this.cfg = cfg;
        this.nsPoly = cfg.poly().kernel();
        this.nsForm = cfg.form().kernel();
        this.muonGroups = List.copyOf(muonGroups);
        int n = 0;
        for (ParamGroup g : muonGroups) {
            for (int i = 0; i < g.params().size(); i++) {
                Parameter p = g.params().get(i);
                if (p.dim() < 2)
                    throw new IllegalArgumentException("Muon updates matrices only; parameter '" + g.names().get(i) + "' of group '"
                            + g.name() + "' has shape " + convlab.tensor.Shape.str(p.shape()) + " (put it in the auxiliary AdamW group)");
            }
            n += g.params().size();
        }
        this.muonCount = n;
        this.aux = auxGroups.isEmpty() ? null : new AdamW(auxGroups, 0.9, 0.999, 1e-8, false);
    }

    /** Muon with PyTorch's defaults on matrices only (no auxiliary group). */
    public Muon(List<Parameter> matrices, double lr, double weightDecay) {
        this(List.of(new ParamGroup(matrices, lr, weightDecay)), List.of(), Config.PYTORCH_DEFAULTS);
    }

    private static List<ParamGroup> concat(List<ParamGroup> a, List<ParamGroup> b) {
        List<ParamGroup> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    public Config config() { return cfg; }
    public List<ParamGroup> muonGroups() { return muonGroups; }
    public List<ParamGroup> auxGroups() { return aux == null ? List.of() : aux.groups(); }

    @Override
    public void step() {
        float mu = (float) cfg.momentum(), oneMinus = (float) (1 - cfg.momentum());
        int pi = 0;
        for (ParamGroup g : muonGroups) for (Parameter p : g.params()) {
            int index = pi++;
            float[] grad = gradOf(p);
            if (grad == null) continue;
            float[] w = p.data();
            int rows = p.size(0), cols = w.length / rows;
            float[] b = slot(index, "momentum_buffer", w.length);
            float[] u = cfg.nesterov() ? new float[w.length] : b;
            for (int i = 0; i < w.length; i++) {
                b[i] = mu * b[i] + oneMinus * grad[i];
                if (cfg.nesterov()) u[i] = oneMinus * grad[i] + mu * b[i];
            }
            float[] o = NewtonSchulz.orthogonalize(u, rows, cols, nsPoly, cfg.nsSteps(), nsForm);
            float shrink = (float) (1 - g.lr() * g.weightDecay());
            float step = (float) (g.lr() * cfg.scaling().factor(rows, cols));
            for (int i = 0; i < w.length; i++) w[i] = w[i] * shrink - step * o[i];
        }
        if (aux != null) aux.step();
    }

    /** Muon's momentum buffers, then the auxiliary AdamW's state under the same global parameter indices. */
    @Override
    public Map<String, float[]> state() {
        Map<String, float[]> out = super.state();
        if (aux != null) for (var e : aux.state().entrySet()) out.put(shift(e.getKey(), muonCount), e.getValue());
        return out;
    }

    @Override
    public void loadState(Map<String, float[]> state) {
        Map<String, float[]> mine = new LinkedHashMap<>(), theirs = new LinkedHashMap<>();
        for (var e : state.entrySet()) {
            int dot = e.getKey().indexOf('.');
            int idx;
            try {
                idx = dot < 0 ? -1 : Integer.parseInt(e.getKey().substring(0, dot));
            } catch (NumberFormatException ex) {
                idx = -1;
            }
            if (idx >= muonCount && aux != null) theirs.put(shift(e.getKey(), -muonCount), e.getValue());
            else mine.put(e.getKey(), e.getValue());   // malformed keys are reported by the base class
        }
        super.loadState(mine);
        if (aux != null) aux.loadState(theirs);
    }

    private static String shift(String key, int by) {
        int dot = key.indexOf('.');
        return (Integer.parseInt(key.substring(0, dot)) + by) + key.substring(dot);
    }
}
