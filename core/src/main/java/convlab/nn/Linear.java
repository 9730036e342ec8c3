package convlab.nn;

import convlab.nn.functional.F;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;

/**
 * y = x·Wᵀ + b with W of shape (out, in), PyTorch's layout and default initialization. After
 * {@link #unitScale} it is the unit-scaled form y = c·x·Wᵀ + b with W ~ N(0, 1) and c = 1/√in
 * (see convlab.optim.UnitScaling).
 */
public class Linear extends Module {
    public final int inFeatures, outFeatures;
    public final Parameter weight;
    public final Parameter bias;   // null when built without bias
    private double scale = 1.0;    // forward multiplier c

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
        return F.linear(x, weight, bias, scale);
    }

    /** The forward multiplier c (1 unless unit-scaled). */
    public double scale() { return scale; }

    /** Switches to the unit-scaled parametrization: W ~ N(0, 1), b = 0, c = 1/√in. Returns this. */
    public Linear unitScale(Rng rng) {
        weight.copyFrom(Tensor.randn(rng, outFeatures, inFeatures));
        if (bias != null) bias.copyFrom(Tensor.zeros(outFeatures));
        scale = 1.0 / Math.sqrt(inFeatures);
        return this;
    }

    @Override public String toString() { return "Linear(" + inFeatures + " -> " + outFeatures + (bias == null ? ", no bias" : "")
            + (scale != 1.0 ? ", unit-scaled c=1/√" + inFeatures : "") + ")"; }
}
