package convlab.nn;

import convlab.nn.functional.ConvOptions;
import convlab.tensor.Rng;

/** 1-d convolution (cross-correlation; true convolution with {@link ConvOptions#flip}), input (N, C, W). See {@link ConvLayer}. */
public class Conv1d extends ConvLayer {
    public Conv1d(int inChannels, int outChannels, int kernelSize, ConvOptions options, boolean bias, Rng rng) {
        super(inChannels, outChannels, kernelSize, options, bias, rng, true, false);
    }

    /**
     * Turns on the fused ReLU of this layer, in place (the layer itself changes; no copy is made), and returns it: forward then computes relu(conv(x) + b)
     * in the same pass, and backward masks the gradient by the output, so a following ReLU layer is not needed
     * (and must not be added: it would be a no-op pass). The architecture builder uses it for CONV followed by RELU.
     */
    public Conv1d enableFusedRelu() {
        fusedRelu = true;
        return this;
    }
}
