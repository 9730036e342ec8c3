package convlab.nn;

import convlab.nn.functional.F;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;

/** y = x·Wᵀ + b with W of shape (out, in), PyTorch's layout and default initialization. */
public class Linear extends Module {
    public final int inFeatures, outFeatures;
    public final Parameter weight;
    public final Parameter bias;   // null when built without bias

    public Linear(int inFeatures, int outFeatures, boolean bias, Rng rng) {
        if (inFeatures <= 0 || outFeatures <= 0)
            throw new IllegalArgumentException("Linear needs positive sizes, got " + inFeatures + " -> " + outFeatures);
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", Init.torchDefault(rng, inFeatures, outFeatures, inFeatures));
        this.bias = bias ? registerParameter("bias", Init.torchDefault(rng, inFeatures, outFeatures)) : null;
    }

    public Linear(int inFeatures, int outFeatures, Rng rng) { this(inFeatures, outFeatures, true, rng); }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() < 1 || x.size(-1) != inFeatures)
            throw new IllegalArgumentException(this + " expects input with last dimension " + inFeatures
                    + ", got shape " + convlab.tensor.Shape.str(x.shape()));
        return F.linear(x, weight, bias);
    }

    @Override public String toString() { return "Linear(" + inFeatures + " -> " + outFeatures + (bias == null ? ", no bias" : "") + ")"; }
}
