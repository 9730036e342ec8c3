package convlab.optim;

import convlab.nn.Parameter;

import java.util.List;

/**
 * Adagrad with PyTorch's exact rule (torch.optim.Adagrad), at step t:
 * <pre>
 *   g = grad + weightDecay·θ
 *   clr = lr / (1 + (t − 1)·lrDecay)
 *   s = s + g²                      (s starts at initialAccumulatorValue)
 *   θ = θ − clr · g / (√s + ε)
 * </pre>
 */
public class Adagrad extends Optimizer {
    private final double lrDecay, initialAccumulator, eps;

    public Adagrad(List<ParamGroup> groups, double lrDecay, double initialAccumulatorValue, double eps) {
        super(groups);
        if (!(lrDecay >= 0) || Double.isInfinite(lrDecay)) throw new IllegalArgumentException("Adagrad lr_decay must be >= 0, got " + lrDecay);
        if (!(initialAccumulatorValue >= 0) || Double.isInfinite(initialAccumulatorValue))
            throw new IllegalArgumentException("Adagrad initial_accumulator_value must be >= 0, got " + initialAccumulatorValue);
        if (!(eps >= 0) || Double.isInfinite(eps)) throw new IllegalArgumentException("eps must be a finite number >= 0, got " + eps);
        this.lrDecay = lrDecay;
        this.initialAccumulator = initialAccumulatorValue;
        this.eps = eps;
    }

    public Adagrad(List<Parameter> params, double lr, double lrDecay, double weightDecay, double initialAccumulatorValue, double eps) {
        this(List.of(new ParamGroup(params, lr, weightDecay)), lrDecay, initialAccumulatorValue, eps);
    }

    /**
     * Adagrad's settings by name: start from {@link #PYTORCH_DEFAULTS} and change what differs, e.g.
     * {@code new Adagrad(params, Adagrad.Config.PYTORCH_DEFAULTS.withLr(0.1).withInitialAccumulatorValue(0.1))}.
     * The values are checked when the optimizer is made.
     */
    public record Config(double lr, double lrDecay, double weightDecay, double initialAccumulatorValue, double eps) {
        /** torch.optim.Adagrad's defaults: lr 1e-2, no lr decay, no weight decay, accumulator starts at 0, eps 1e-10. */
        public static final Config PYTORCH_DEFAULTS = new Config(1e-2, 0, 0, 0, 1e-10);

        public Config withLr(double v) { return new Config(v, lrDecay, weightDecay, initialAccumulatorValue, eps); }
        public Config withLrDecay(double v) { return new Config(lr, v, weightDecay, initialAccumulatorValue, eps); }
        public Config withWeightDecay(double v) { return new Config(lr, lrDecay, v, initialAccumulatorValue, eps); }
        public Config withInitialAccumulatorValue(double v) { return new Config(lr, lrDecay, weightDecay, v, eps); }
        public Config withEps(double v) { return new Config(lr, lrDecay, weightDecay, initialAccumulatorValue, v); }
    }

    /** Adagrad with named settings (see {@link Config}). */
    public Adagrad(List<Parameter> params, Config c) {
        this(params, c.lr(), c.lrDecay(), c.weightDecay(), c.initialAccumulatorValue(), c.eps());
    }

    @Override
    public void step() {
        float epsF = (float) eps;
        forEachWithGrad((pi, group, p, grad) -> {
            float[] w = p.data();
            int n = w.length;
            float wd = (float) group.weightDecay();
            boolean fresh = !hasSlot(pi, "sum");
            float[] s = slot(pi, "sum", n);
            if (fresh) java.util.Arrays.fill(s, (float) initialAccumulator);
            long t = nextStep(pi);
            float clr = (float) (group.lr() / (1 + (t - 1) * lrDecay));
            for (int i = 0; i < n; i++) {
                float g = grad[i] + wd * w[i];
                s[i] += g * g;
                float std = (float) Math.sqrt(s[i]) + epsF;
                w[i] -= clr * (g / std);
            }
        });
    }
}
