package convlab.nn;

import convlab.geometry.ConvGeometry;
import convlab.nn.functional.Conv;
import convlab.nn.functional.ConvOptions;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;

/**
 * What {@link Conv1d}, {@link Conv2d}, {@link ConvTranspose1d} and {@link ConvTranspose2d} share: square
 * kernels of one size, the options, the parameters in PyTorch's layout and PyTorch's default initialization
 * (kaiming-uniform with a = √5, i.e. U(±1/√fanIn) for weight and bias alike).
 * Weight layout: conv (out, in/groups, k[, k]); transposed (in, out/groups, k[, k]), as in PyTorch.
 */
public abstract class ConvLayer extends Module {
    private final int inChannels, outChannels, kernelSize;
    private final ConvOptions options;
    private final boolean oneD, transposed;
    private final Parameter weight, bias;
    /** When on, forward returns relu(conv(x)) in the same pass (see {@link Conv2d#enableFusedRelu()}). */
    boolean fusedRelu;
    private final int fanIn;
    /** The unit-scaled forward multiplier c (a saved buffer), or null for the ordinary layer. */
    private Tensor scale;

    ConvLayer(int inChannels, int outChannels, int kernelSize, ConvOptions options, boolean bias, Rng rng,
              boolean oneD, boolean transposed) {
        String name = name(oneD, transposed);
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0)
            throw new IllegalArgumentException(name + " needs positive channel counts and kernel size, got " + inChannels
                    + " -> " + outChannels + " channels, kernel " + kernelSize);
        if (rng == null) throw new IllegalArgumentException(name + ": rng must not be null");
        if (options == null) throw new IllegalArgumentException(name + ": options must not be null (use ConvOptions.DEFAULT)");
        int g = options.groups();
        if (inChannels % g != 0 || outChannels % g != 0)
            throw new IllegalArgumentException(name + ": groups=" + g + " must divide the input channels (" + inChannels
                    + ") and the output channels (" + outChannels + ")");
        Conv.validate(options, oneD, transposed, name);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize;
        this.options = options;
        this.oneD = oneD;
        this.transposed = transposed;
        int taps = oneD ? kernelSize : kernelSize * kernelSize;
        this.fanIn = (transposed ? outChannels / g : inChannels / g) * taps;   // PyTorch: weight.size(1) · taps
        int[] shape = transposed ? kernelShape(inChannels, outChannels / g) : kernelShape(outChannels, inChannels / g);
        this.weight = registerParameter("weight", Init.torchDefault(rng, fanIn, shape));
        this.bias = bias ? registerParameter("bias", Init.torchDefault(rng, fanIn, outChannels)) : null;
    }

    private int[] kernelShape(int a, int b) {
        return oneD ? new int[] {a, b, kernelSize} : new int[] {a, b, kernelSize, kernelSize};
    }

    public Parameter weight() { return weight; }
    /** The bias, or null when the layer was built without one. */
    public Parameter bias() { return bias; }
    public ConvOptions options() { return options; }
    public int inChannels() { return inChannels; }
    public int outChannels() { return outChannels; }
    public int kernelSize() { return kernelSize; }
    /** True when forward applies a ReLU in the same pass. */
    public boolean fusedRelu() { return fusedRelu; }

    /** True for ConvTranspose1d/2d. */
    public boolean transposed() { return transposed; }

    /** Weight fan-in: (in/groups)·taps for a convolution. */
    public int fanIn() { return fanIn; }

    /** The forward multiplier c (1 unless unit-scaled). */
    public double scale() { return scale == null ? 1.0 : scale.item(); }

    /**
     * Switches a (non-transposed) convolution to the unit-scaled parametrization: W ~ N(0, 1), b = 0 and
     * y = conv(x, c·W) + b with c = 1/√fanIn, fanIn = C_in/groups·taps (convlab.optim.UnitScaling).
     * c is registered as the buffer "scale" so saved models keep it. Returns this.
     */
    public ConvLayer unitScale(Rng rng) {
        if (transposed) throw new IllegalArgumentException(this + ": unit scaling is defined here for convolutions, not transposed ones");
        weight.copyFrom(Tensor.randn(rng, weight.shape()));
        if (bias != null) bias.copyFrom(Tensor.zeros(outChannels));
        if (scale == null) scale = registerBuffer("scale", Tensor.scalar(1.0 / Math.sqrt(fanIn), convlab.tensor.DType.F64));
        return this;
    }

    @Override
    public Tensor forward(Tensor x) {
        // c·W is a tiny op on the kernel (not the activations); its backward scales the weight gradient by c.
        Tensor weight = scale == null ? this.weight : this.weight.mul(scale.item());
        if (transposed) return oneD ? Conv.convTranspose1d(x, weight, bias, options) : Conv.convTranspose2d(x, weight, bias, options);
        if (oneD) return fusedRelu ? Conv.conv1dRelu(x, weight, bias, options) : Conv.conv1d(x, weight, bias, options);
        return fusedRelu ? Conv.conv2dRelu(x, weight, bias, options) : Conv.conv2d(x, weight, bias, options);
    }

    /** Output shape for an input shape (with the batch axis), computed from the geometry without running the layer. */
    @Override
    public int[] outputShape(int[] in) {
        int[] w = weight.shape();
        ConvGeometry g = transposed ? Conv.transposeGeometry(in, w, options, oneD) : Conv.convGeometry(in, w, options, oneD);
        int c = transposed ? g.inC() : g.outC(), h = transposed ? g.inH() : g.outH(), wd = transposed ? g.inW() : g.outW();
        return oneD ? new int[] {g.n(), c, wd} : new int[] {g.n(), c, h, wd};
    }

    private static String name(boolean oneD, boolean transposed) {
        return (transposed ? "ConvTranspose" : "Conv") + (oneD ? "1d" : "2d");
    }

    /** e.g. "Conv2d(1 -> 10, 3x3, pad 1, circular)". */
    @Override
    public String toString() {
        return name(oneD, transposed) + "(" + inChannels + " -> " + outChannels + ", " + (oneD ? "" + kernelSize : kernelSize + "x" + kernelSize)
                + options.describe(transposed, oneD) + (bias == null ? ", no bias" : "") + (fusedRelu ? ", fused ReLU" : "") + (scale != null ? ", unit-scaled c=1/√" + fanIn : "") + ")";
    }
}
