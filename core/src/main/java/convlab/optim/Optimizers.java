package convlab.optim;

import convlab.nn.Module;
import convlab.nn.Parameter;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The optimizers by name, for the command line ({@code ./convlab train --optimizer NAME}). Each takes the
 * same four numbers; what they mean per optimizer is listed in {@link #NAMES}, and everything else is
 * PyTorch's default.
 */
public final class Optimizers {
    private Optimizers() {}

    /** name → how lr, momentum and weight decay are used. */
    public static final Map<String, String> NAMES = names();

    private static Map<String, String> names() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("sgd", "SGD; momentum as given (0 = plain), L2 weight decay");
        m.put("nesterov", "SGD with Nesterov momentum (momentum must be > 0), L2 weight decay");
        m.put("adam", "Adam, betas (0.9, 0.999), eps 1e-8, L2 weight decay; momentum unused");
        m.put("adamw", "AdamW, betas (0.9, 0.999), eps 1e-8, decoupled weight decay; momentum unused");
        m.put("rmsprop", "RMSprop, alpha 0.99, eps 1e-8, momentum as given, L2 weight decay");
        m.put("adagrad", "Adagrad, eps 1e-10, L2 weight decay; momentum unused");
        m.put("signsgd", "SignSGD (step lr·sign(grad)), decoupled weight decay; momentum unused");
        m.put("signum", "Signum (lr·sign of momentum, momentum must be in (0, 1)), decoupled weight decay");
        m.put("muon", "Muon on hidden matrices (Nesterov momentum as given, quintic Newton-Schulz, match-AdamW-RMS "
                + "scaling) + AdamW on biases, first layer and head, both with lr and decoupled weight decay");
        return java.util.Collections.unmodifiableMap(m);
    }

    /** An optimizer over a model's parameters; Muon uses the parameter names to route (see {@link MuonRouting}). */
    public static Optimizer create(String name, Module model, double lr, double momentum, double weightDecay) {
        return create(name, model.namedParameters(), lr, momentum, weightDecay);
    }

    /** An optimizer over a list of parameters (named param0, param1, … in model order for Muon's routing). */
    public static Optimizer create(String name, List<Parameter> params, double lr, double momentum, double weightDecay) {
        Map<String, Parameter> named = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) named.put("param" + i, params.get(i));
        return create(name, named, lr, momentum, weightDecay);
    }

    private static Optimizer create(String name, Map<String, Parameter> named, double lr, double momentum, double weightDecay) {
        String key = name == null ? "" : name.trim().toLowerCase(java.util.Locale.ROOT);
        if (!NAMES.containsKey(key))
            throw new IllegalArgumentException("unknown optimizer '" + name + "', expected one of: " + String.join(", ", NAMES.keySet()));
        if (named.isEmpty()) throw new IllegalArgumentException("optimizer '" + key + "' given a model with no parameters");
        List<Parameter> ps = List.copyOf(named.values());
        try {
            return switch (key) {
                case "sgd" -> new SGD(ps, lr, momentum, 0, weightDecay, false);
                case "nesterov" -> new SGD(ps, lr, momentum, 0, weightDecay, true);
                case "adam" -> new Adam(ps, lr, 0.9, 0.999, 1e-8, weightDecay, false);
                case "adamw" -> new AdamW(ps, lr, 0.9, 0.999, 1e-8, weightDecay, false);
                case "rmsprop" -> new RMSprop(ps, lr, 0.99, 1e-8, weightDecay, momentum, false);
                case "adagrad" -> new Adagrad(ps, lr, 0, weightDecay, 0, 1e-10);
                case "signsgd" -> new SignSGD(ps, lr, 0, weightDecay);
                case "signum" -> {
                    if (momentum <= 0) throw new IllegalArgumentException("signum needs momentum in (0, 1), got " + momentum + " (signsgd is the momentum-free form)");
                    yield new SignSGD(ps, lr, momentum, weightDecay);
                }
                case "muon" -> {
                    Muon.Config cfg = Muon.Config.PYTORCH_DEFAULTS.withScaling(MuonLrScaling.MATCH_ADAMW_RMS);
                    cfg = momentum > 0 ? cfg.withMomentum(momentum)
                            : new Muon.Config(0, false, cfg.poly(), cfg.nsSteps(), cfg.form(), cfg.scaling());
                    yield MuonRouting.DEFAULT.build(named, lr, weightDecay, lr, weightDecay, cfg);
                }
                default -> throw new IllegalStateException("optimizer name listed but not built: " + key);
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("optimizer '" + key + "': " + e.getMessage(), e);
        }
    }
}
