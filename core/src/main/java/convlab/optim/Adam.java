package convlab.optim;

import convlab.nn.Parameter;

import java.util.List;

/**
 * Adam (torch.optim.Adam), optionally AMSGrad; with {@code decoupled} it is AdamW (torch.optim.AdamW).
 * Per parameter, at step t:
 * <pre>
 *   Adam:   g = grad + weightDecay·θ                 AdamW:  θ = θ·(1 − lr·weightDecay),  g = grad
 *   m = β1·m + (1 − β1)·g
 *   v = β2·v + (1 − β2)·g²
 *   v̂ = amsgrad ? (vmax = max(vmax, v)) : v
 *   θ = θ − lr/(1 − β1ᵗ) · m / (√v̂ / √(1 − β2ᵗ) + ε)
 * </pre>
 */
public class Adam extends Optimizer {
    private final double beta1, beta2, eps;
    private final boolean amsgrad, decoupled;

    public Adam(List<ParamGroup> groups, double beta1, double beta2, double eps, boolean amsgrad, boolean decoupled) {
        super(groups);
        checkBeta("beta1", beta1);
        checkBeta("beta2", beta2);
        if (!(eps >= 0) || Double.isInfinite(eps)) throw new IllegalArgumentException("eps must be a finite number >= 0, got " + eps);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.amsgrad = amsgrad;
        this.decoupled = decoupled;
    }

    /** torch.optim.Adam(params, lr, (beta1, beta2), eps, weightDecay, amsgrad). */
    public Adam(List<Parameter> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        this(List.of(new ParamGroup(params, lr, weightDecay)), beta1, beta2, eps, amsgrad, false);
    }

    /**
     * Adam's settings by name: start from {@link #PYTORCH_DEFAULTS} and change what differs, e.g.
     * {@code new Adam(params, Adam.Config.PYTORCH_DEFAULTS.withLr(0.01).withWeightDecay(1e-4))}.
     * The values are checked when the optimizer is made (as by the positional constructor).
     */
    public record Config(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        /** torch.optim.Adam's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay, no AMSGrad. */
        public static final Config PYTORCH_DEFAULTS = new Config(1e-3, 0.9, 0.999, 1e-8, 0, false);

        public Config withLr(double v) { return new Config(v, beta1, beta2, eps, weightDecay, amsgrad); }
        public Config withBetas(double b1, double b2) { return new Config(lr, b1, b2, eps, weightDecay, amsgrad); }
        public Config withEps(double v) { return new Config(lr, beta1, beta2, v, weightDecay, amsgrad); }
        public Config withWeightDecay(double v) { return new Config(lr, beta1, beta2, eps, v, amsgrad); }
        public Config withAmsgrad(boolean on) { return new Config(lr, beta1, beta2, eps, weightDecay, on); }
    }

    /** Adam with named settings (see {@link Config}). */
    public Adam(List<Parameter> params, Config c) {
        this(params, c.lr(), c.beta1(), c.beta2(), c.eps(), c.weightDecay(), c.amsgrad());
    }

    static void checkBeta(String name, double b) {
        if (!(b >= 0 && b < 1)) throw new IllegalArgumentException(name + " must be in [0, 1), got " + b);
    }

    public boolean isDecoupled() { return decoupled; }

    @Override
    public void step() {
        float b1 = (float) beta1, b2 = (float) beta2, a1 = (float) (1 - beta1), a2 = (float) (1 - beta2), epsF = (float) eps;
        forEachWithGrad((pi, group, p, grad) -> {
            float[] w = p.data();
            int n = w.length;
            long t = nextStep(pi);
            double lr = group.lr(), wdD = group.weightDecay();
            float wd = (float) wdD;
            if (decoupled && wdD != 0) {
                float shrink = (float) (1 - lr * wdD);
                for (int i = 0; i < n; i++) w[i] *= shrink;
            }
            float[] m = slot(pi, "exp_avg", n), v = slot(pi, "exp_avg_sq", n);
            float[] vmax = amsgrad ? slot(pi, "max_exp_avg_sq", n) : null;
            float stepSize = (float) (lr / (1 - Math.pow(beta1, t)));
            float bc2Sqrt = (float) Math.sqrt(1 - Math.pow(beta2, t));
            for (int i = 0; i < n; i++) {
                float g = decoupled || wdD == 0 ? grad[i] : grad[i] + wd * w[i];
                m[i] = m[i] * b1 + a1 * g;
                v[i] = v[i] * b2 + a2 * (g * g);
                float vh = v[i];
                if (vmax != null) vh = vmax[i] = Math.max(vmax[i], v[i]);
                float denom = (float) Math.sqrt(vh) / bc2Sqrt + epsF;
                w[i] -= stepSize * (m[i] / denom);
            }
        });
    }
}
