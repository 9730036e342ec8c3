package convlab.optim;

import convlab.kernels.Parallel;
import convlab.kernels.UpdateKernels;

import convlab.nn.Parameter;

import java.util.List;

/**
 * Stochastic gradient descent with PyTorch's exact update rule (torch.optim.SGD):
 * <pre>
 *   g = grad + weightDecay·θ
 *   b = momentum·b + (1 − dampening)·g     (b = g on the first step)
 *   g = nesterov ? g + momentum·b : b       (when momentum ≠ 0)
 *   θ = θ − lr·g
 * </pre>
 * Learning rate and weight decay are per group; momentum, dampening and Nesterov apply to all groups.
 */
public class SGD extends Optimizer {
    private final double momentum, dampening;
    private final boolean nesterov;

    public SGD(List<ParamGroup> groups, double momentum, double dampening, boolean nesterov) {
        super(groups);
        if (!(momentum >= 0) || Double.isInfinite(momentum)) throw new IllegalArgumentException("momentum must be >= 0, got " + momentum);
        if (Double.isNaN(dampening) || Double.isInfinite(dampening)) throw new IllegalArgumentException("dampening must be finite, got " + dampening);
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new IllegalArgumentException("Nesterov momentum requires momentum > 0 and dampening = 0");
        this.momentum = momentum;
        this.dampening = dampening;
        this.nesterov = nesterov;
    }

    public SGD(List<Parameter> params, double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        this(List.of(new ParamGroup(params, lr, weightDecay)), momentum, dampening, nesterov);
    }

    public SGD(List<Parameter> params, double lr, double momentum, double weightDecay) {
        this(params, lr, momentum, 0, weightDecay, false);
    }

    /**
     * SGD's settings by name: start from {@link #PYTORCH_DEFAULTS} and change what differs, e.g.
     * {@code new SGD(params, SGD.Config.PYTORCH_DEFAULTS.withLr(0.05).withMomentum(0.9).withWeightDecay(5e-4))}.
     * The values are checked when the optimizer is made.
     */
    public record Config(double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        /** torch.optim.SGD's defaults: lr 1e-3, no momentum, no dampening, no weight decay, no Nesterov. */
        public static final Config PYTORCH_DEFAULTS = new Config(1e-3, 0, 0, 0, false);

        public Config withLr(double v) { return new Config(v, momentum, dampening, weightDecay, nesterov); }
        public Config withMomentum(double v) { return new Config(lr, v, dampening, weightDecay, nesterov); }
        public Config withDampening(double v) { return new Config(lr, momentum, v, weightDecay, nesterov); }
        public Config withWeightDecay(double v) { return new Config(lr, momentum, dampening, v, nesterov); }
        public Config withNesterov(boolean on) { return new Config(lr, momentum, dampening, weightDecay, on); }
    }

    /** SGD with named settings (see {@link Config}). */
    public SGD(List<Parameter> params, Config c) {
        this(params, c.lr(), c.momentum(), c.dampening(), c.weightDecay(), c.nesterov());
    }

    @Override
    public void step() {
        float mom = (float) momentum, damp = (float) (1 - dampening);
        forEachWithGrad((pi, group, p, g) -> {
            float lrF = (float) group.lr(), wd = (float) group.weightDecay();
            float[] w = p.data();
            if (momentum == 0) {
                Parallel.forRange(w.length, UpdateKernels.MIN_PER_THREAD, (from, to) -> UpdateKernels.sgd(w, g, from, to, lrF, wd));
                return;
            }
            boolean first = !hasSlot(pi, "momentum_buffer");
            float[] b = slot(pi, "momentum_buffer", w.length);
            // Element by element, so splitting the range among the kernel threads never changes a bit. The MLP's
            // 200k-weight layer took 14% of the training thread's time here while the second core waited.
            Parallel.forRange(w.length, UpdateKernels.MIN_PER_THREAD,
                    (from, to) -> UpdateKernels.sgdMomentum(w, g, b, from, to, lrF, wd, mom, damp, first, nesterov));
        });
    }
}
