package convlab.nn;

import convlab.nn.functional.ConvOptions;
import convlab.tensor.Rng;

/** 1-d transposed convolution (the adjoint of Conv1d), input (N, C, W); output size as for ConvTranspose2d. See {@link ConvLayer}. */
public class ConvTranspose1d extends ConvLayer {
    public ConvTranspose1d(int inChannels, int outChannels, int kernelSize, ConvOptions options, boolean bias, Rng rng) {
        super(inChannels, outChannels, kernelSize, options, bias, rng, true, true);
    }
}
