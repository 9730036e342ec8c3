package convlab.nn;

import convlab.nn.functional.ConvOptions;
import convlab.tensor.Rng;

/** 2-d transposed convolution (the adjoint of Conv2d), input (N, C, H, W); output size (in − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1. See {@link ConvLayer}. */
public class ConvTranspose2d extends ConvLayer {
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, ConvOptions options, boolean bias, Rng rng) {
        super(inChannels, outChannels, kernelSize, options, bias, rng, false, true);
    }
}
