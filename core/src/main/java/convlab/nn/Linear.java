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
    private Tensor scale;          // forward multiplier c as a saved buffer; null for the ordinary layer

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
        checkInput(x);
        return F.linear(x, weight, bias, scale());
    }

    /**
     * relu(forward(x)) in one pass ({@link F#linearRelu}: the bias and the ReLU are applied to each thread's block of
     * the product while it is in that core's cache), bitwise the two layers. {@link Sequential} runs a Linear directly
     * followed by a {@link ReLU} this way; the modules, their names and a saved model stay those of the two layers.
     */
    public Tensor forwardRelu(Tensor x) {
        checkInput(x);
        return F.linearRelu(x, weight, bias, scale());
    }

    private void checkInput(Tensor x) {
        if (x.dim() < 1 || x.size(-1) != inFeatures)
            throw new IllegalArgumentException(this + " expects input with last dimension " + inFeatures
                    + ", got shape " + convlab.tensor.Shape.str(x.shape()));
    }

    /** The forward multiplier c (1 unless unit-scaled). */
    public double scale() { return scale == null ? 1.0 : scale.item(); }

    /**
     * Switches to the unit-scaled parametrization: W ~ N(0, 1), b = 0, c = 1/√in. c is registered as the
     * buffer "scale", so a saved model keeps it (and loading it into an ordinary layer fails by name). Returns this.
     */
    public Linear unitScale(Rng rng) {
        weight.copyFrom(Tensor.randn(rng, outFeatures, inFeatures));
        if (bias != null) bias.copyFrom(Tensor.zeros(outFeatures));
        if (scale == null) scale = registerBuffer("scale", Tensor.scalar(1.0 / Math.sqrt(inFeatures), convlab.tensor.DType.F64));
        return this;
    }

    @Override public String toString() { return "Linear(" + inFeatures + " -> " + outFeatures + (bias == null ? ", no bias" : "")
            + (scale != null ? ", unit-scaled c=1/√" + inFeatures : "") + ")"; }
}
