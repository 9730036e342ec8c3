package convlab.optim;

import convlab.nn.Parameter;

import java.util.List;

/**
 * RMSProp with PyTorch's exact rule (torch.optim.RMSprop):
 * <pre>
 *   g = grad + weightDecay·θ
 *   s = α·s + (1 − α)·g²
 *   centered: a = α·a + (1 − α)·g,  d = √(s − a²) + ε     else d = √s + ε
 *   momentum > 0: b = momentum·b + g/d,  θ = θ − lr·b      else θ = θ − lr·g/d
 * </pre>
 * Note ε is added outside the square root (as in PyTorch, unlike some papers).
 */
public class RMSprop extends Optimizer {
    private final double alpha, eps, momentum;
    private final boolean centered;

    public RMSprop(List<ParamGroup> groups, double alpha, double eps, double momentum, boolean centered) {
        super(groups);
        if (!(alpha >= 0 && alpha <= 1)) throw new IllegalArgumentException("RMSprop alpha must be in [0, 1], got " + alpha);
        if (!(eps >= 0) || Double.isInfinite(eps)) throw new IllegalArgumentException("eps must be a finite number >= 0, got " + eps);
        if (!(momentum >= 0) || Double.isInfinite(momentum)) throw new IllegalArgumentException("momentum must be >= 0, got " + momentum);
        this.alpha = alpha;
        this.eps = eps;
        this.momentum = momentum;
        this.centered = centered;
    }

    public RMSprop(List<Parameter> params, double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered) {
        this(List.of(new ParamGroup(params, lr, weightDecay)), alpha, eps, momentum, centered);
    }

    /**
     * RMSprop's settings by name: start from {@link #PYTORCH_DEFAULTS} and change what differs, e.g.
     * {@code new RMSprop(params, RMSprop.Config.PYTORCH_DEFAULTS.withLr(1e-3).withCentered(true))}.
     * The values are checked when the optimizer is made.
     */
    public record Config(double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered) {
        /** torch.optim.RMSprop's defaults: lr 1e-2, alpha 0.99, eps 1e-8, no weight decay, no momentum, not centered. */
        public static final Config PYTORCH_DEFAULTS = new Config(1e-2, 0.99, 1e-8, 0, 0, false);

        public Config withLr(double v) { return new Config(v, alpha, eps, weightDecay, momentum, centered); }
        public Config withAlpha(double v) { return new Config(lr, v, eps, weightDecay, momentum, centered); }
        public Config withEps(double v) { return new Config(lr, alpha, v, weightDecay, momentum, centered); }
        public Config withWeightDecay(double v) { return new Config(lr, alpha, eps, v, momentum, centered); }
        public Config withMomentum(double v) { return new Config(lr, alpha, eps, weightDecay, v, centered); }
        public Config withCentered(boolean on) { return new Config(lr, alpha, eps, weightDecay, momentum, on); }
    }

    /** RMSprop with named settings (see {@link Config}). */
    public RMSprop(List<Parameter> params, Config c) {
        this(params, c.lr(), c.alpha(), c.eps(), c.weightDecay(), c.momentum(), c.centered());
    }

    @Override
    public void step() {
        float al = (float) alpha, oneMinus = (float) (1 - alpha), epsF = (float) eps, mom = (float) momentum;
        forEachWithGrad((pi, group, p, grad) -> {
            float[] w = p.data();
            int n = w.length;
            float lr = (float) group.lr(), wd = (float) group.weightDecay();
            nextStep(pi);
            float[] s = slot(pi, "square_avg", n);
            float[] a = centered ? slot(pi, "grad_avg", n) : null;
            float[] b = momentum > 0 ? slot(pi, "momentum_buffer", n) : null;
            for (int i = 0; i < n; i++) {
                float g = grad[i] + wd * w[i];
                s[i] = s[i] * al + oneMinus * (g * g);
                float d;
                if (a != null) {
                    a[i] = a[i] * al + oneMinus * g;
                    d = (float) Math.sqrt(s[i] - a[i] * a[i]) + epsF;
                } else {
                    d = (float) Math.sqrt(s[i]) + epsF;
                }
                if (b != null) {
                    b[i] = b[i] * mom + g / d;
                    w[i] -= lr * b[i];
                } else {
                    w[i] -= lr * (g / d);
                }
            }
        });
    }
}
