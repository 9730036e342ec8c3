package convlab.nn;

import convlab.nn.functional.Normalization;
import convlab.tensor.Shape;
import convlab.tensor.Tensor;

/**
 * Batch normalization over channel axis 1, PyTorch's nn.BatchNorm1d/2d. Training: per-channel batch
 * mean and (biased) variance, and running statistics updated with momentum
 * ({@code running = (1 − momentum)·running + momentum·batch}, the unbiased batch variance going into
 * running_var). Evaluation ({@link #eval()}): the running statistics. A single value per channel in
 * training is refused, as PyTorch does; in evaluation a batch of one is fine.
 *
 * <p>Parameters: weight (γ, init 1) and bias (β, init 0) when affine. Buffers (saved with the model, not
 * trained): running_mean (init 0) and running_var (init 1), PyTorch's names.
 *
 * <p><b>Mean-only</b> (meanOnly = true): y = γ·(x − μ) + β, the batch mean subtracted without dividing
 * by σ; eps is unused and only running_mean is kept. Its input gradient is γ·(g − mean g): zero for a
 * batch of one, which is therefore allowed.
 */
public abstract class AbstractBatchNorm extends Module {
    public final int channels;
    public final double eps, momentum;
    public final boolean affine, meanOnly;
    public final Parameter weight, bias;          // null when not affine
    public final Tensor runningMean, runningVar;  // runningVar null when meanOnly
    private boolean fusedRelu;

    /**
     * Batch norm's settings by name: start from {@link #PYTORCH_DEFAULTS} and change what differs, e.g.
     * {@code new BatchNorm2d(16, AbstractBatchNorm.Config.PYTORCH_DEFAULTS.withMomentum(0.01))}.
     * The values are checked when the layer is made.
     */
    public record Config(double eps, double momentum, boolean affine, boolean meanOnly) {
        /** nn.BatchNorm1d/2d's defaults: eps 1e-5, momentum 0.1, affine; full (not mean-only) normalization. */
        public static final Config PYTORCH_DEFAULTS = new Config(1e-5, 0.1, true, false);

        public Config withEps(double v) { return new Config(v, momentum, affine, meanOnly); }
        public Config withMomentum(double v) { return new Config(eps, v, affine, meanOnly); }
        public Config withAffine(boolean on) { return new Config(eps, momentum, on, meanOnly); }
        public Config withMeanOnly(boolean on) { return new Config(eps, momentum, affine, on); }
    }

    protected AbstractBatchNorm(int channels, double eps, double momentum, boolean affine, boolean meanOnly) {
        if (channels <= 0) throw new IllegalArgumentException(getClass().getSimpleName() + " needs a positive channel count, got " + channels);
        if (!(eps >= 0)) throw new IllegalArgumentException(getClass().getSimpleName() + " eps must be >= 0, got " + eps);
        if (!(momentum >= 0 && momentum <= 1))
            throw new IllegalArgumentException(getClass().getSimpleName() + " momentum must be in [0, 1], got " + momentum);
        this.channels = channels;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        this.meanOnly = meanOnly;
        this.weight = affine ? registerParameter("weight", Tensor.ones(channels)) : null;
        this.bias = affine ? registerParameter("bias", Tensor.zeros(channels)) : null;
        this.runningMean = registerBuffer("running_mean", Tensor.zeros(channels));
        this.runningVar = meanOnly ? null : registerBuffer("running_var", Tensor.ones(channels));
    }

    /**
     * Turns on the fused ReLU of this layer, in place (the layer itself changes; no copy is made), and returns it: forward then computes
     * relu(batchNorm(x)) in the same pass, and backward masks the gradient by the output inside the
     * batch-norm backward, so a following ReLU layer is not needed (and must not be added: it would be a
     * no-op pass). The architecture builder uses it for BN followed by RELU; results equal the two layers.
     */
    public AbstractBatchNorm enableFusedRelu() {
        fusedRelu = true;
        return this;
    }

    public boolean fusedRelu() { return fusedRelu; }

    /** The input ranks this layer accepts, as PyTorch: 2 or 3 for BatchNorm1d, 4 for BatchNorm2d. */
    protected abstract boolean acceptsRank(int rank);

    protected abstract String layout();

    @Override
    public Tensor forward(Tensor x) {
        checkInput(x.shape());
        return Normalization.batchNorm(x, runningMean, runningVar, weight, bias, isTraining(), momentum, eps, meanOnly, fusedRelu);
    }

    @Override
    public int[] outputShape(int[] in) {
        checkInput(in);
        return in.clone();
    }

    private void checkInput(int[] shape) {
        if (!acceptsRank(shape.length) || shape[1] != channels)
            throw new IllegalArgumentException(this + " expects an input " + layout() + " with C = " + channels + ", got " + Shape.str(shape));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append('(').append(channels);
        if (meanOnly) sb.append(", mean-only");
        if (!affine) sb.append(", no affine");
        if (fusedRelu) sb.append(", fused ReLU");
        return sb.append(')').toString();
    }
}
