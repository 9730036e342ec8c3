package convlab.optim;

import convlab.nn.Parameter;

import java.util.List;

/**
 * SignSGD and Signum (Bernstein et al., 2018): step along the sign of the gradient, or of its momentum.
 * <pre>
 *   θ = θ·(1 − lr·weightDecay)                 (decoupled weight decay, optional)
 *   momentum = 0 (SignSGD):  θ = θ − lr·sign(grad)
 *   momentum = β (Signum):   m = β·m + (1 − β)·grad,  θ = θ − lr·sign(m)
 * </pre>
 * sign(0) = 0. Every coordinate moves by exactly lr, so the update's size does not depend on the
 * gradient's scale; {@link UnitScaling#signSgdLr} gives the learning rate that keeps a layer's output
 * change bounded.
 */
public class SignSGD extends Optimizer {
    private final double momentum;

    public SignSGD(List<ParamGroup> groups, double momentum) {
        super(groups);
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("Signum momentum must be in [0, 1), got " + momentum);
        this.momentum = momentum;
    }

    public SignSGD(List<Parameter> params, double lr, double momentum, double weightDecay) {
        this(List.of(new ParamGroup(params, lr, weightDecay)), momentum);
    }

    /**
     * SignSGD's settings by name (PyTorch has no SignSGD): start from {@link #DEFAULTS} and change what differs,
     * e.g. {@code new SignSGD(params, SignSGD.Config.DEFAULTS.withLr(1e-3).withMomentum(0.9))} for Signum.
     * The values are checked when the optimizer is made.
     */
    public record Config(double lr, double momentum, double weightDecay) {
        /** lr 1e-3, no momentum (plain SignSGD), no weight decay. */
        public static final Config DEFAULTS = new Config(1e-3, 0, 0);

        public Config withLr(double v) { return new Config(v, momentum, weightDecay); }
        public Config withMomentum(double v) { return new Config(lr, v, weightDecay); }
        public Config withWeightDecay(double v) { return new Config(lr, momentum, v); }
    }

    /** SignSGD (momentum 0) or Signum with named settings (see {@link Config}). */
    public SignSGD(List<Parameter> params, Config c) {
        this(params, c.lr(), c.momentum(), c.weightDecay());
    }

    public double momentum() { return momentum; }

    @Override
    public void step() {
        float beta = (float) momentum, oneMinus = (float) (1 - momentum);
        forEachWithGrad((pi, group, p, grad) -> {
            float[] w = p.data();
            float lr = (float) group.lr();
            if (group.weightDecay() != 0) {
                float shrink = (float) (1 - group.lr() * group.weightDecay());
                for (int i = 0; i < w.length; i++) w[i] *= shrink;
            }
            float[] dir = grad;
            if (momentum > 0) {
                float[] m = slot(pi, "momentum_buffer", w.length);
                for (int i = 0; i < w.length; i++) m[i] = beta * m[i] + oneMinus * grad[i];
                dir = m;
            }
            for (int i = 0; i < w.length; i++) w[i] -= lr * Math.signum(dir[i]);
        });
    }
}
