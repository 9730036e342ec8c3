package convlab.nn;

import convlab.nn.functional.Normalization;
import convlab.tensor.Shape;
import convlab.tensor.Tensor;

/**
 * Group normalization of (N, C, *), PyTorch's nn.GroupNorm: the C channels of each sample split into
 * `groups` groups, each normalized by its own mean and variance; per-channel weight/bias when affine.
 * groups = 1 normalizes each sample as a whole (LayerNorm over C, H, W with per-channel affine);
 * groups = C is InstanceNorm. No running statistics, so training and evaluation agree.
 */
public class GroupNorm extends Module {
    public final int groups, channels;
    public final double eps;
    public final Parameter weight, bias;   // null when not affine

    public GroupNorm(int groups, int channels, double eps, boolean affine) {
        if (groups <= 0 || channels <= 0 || channels % groups != 0)
            throw new IllegalArgumentException("GroupNorm: " + channels + " channels cannot be split into " + groups + " equal groups");
        this.groups = groups;
        this.channels = channels;
        this.eps = eps;
        this.weight = affine ? registerParameter("weight", Tensor.ones(channels)) : null;
        this.bias = affine ? registerParameter("bias", Tensor.zeros(channels)) : null;
    }

    @Override public Tensor forward(Tensor x) {
        outputShape(x.shape());
        return Normalization.groupNorm(x, groups, weight, bias, eps);
    }

    @Override public int[] outputShape(int[] in) {
        if (in.length < 2 || in[1] != channels)
            throw new IllegalArgumentException(this + " expects an input (N, " + channels + ", ...), got " + Shape.str(in));
        return in.clone();
    }

    @Override public String toString() { return "GroupNorm(" + groups + " groups, " + channels + (weight == null ? ", no affine" : "") + ")"; }
}
