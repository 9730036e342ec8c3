package convlab.cli;

import convlab.explain.ConvSpec;
import convlab.explain.ConvSettings;
import picocli.CommandLine.Option;

/** The convolution settings shared by `conv` and `solve-filter`, named as in PyTorch. */
final class ConvFlags {
    @Option(names = "--stride", defaultValue = "1", description = "Stride: n or height,width (default 1).")
    String stride;

    @Option(names = "--padding", defaultValue = "0", description = "Padding: n, height,width, valid, same or full (default 0).")
    String padding;

    @Option(names = "--padding-mode", defaultValue = "zeros", description = "zeros, circular, reflect or replicate (default zeros).")
    String paddingMode;

    @Option(names = "--dilation", defaultValue = "1", description = "Dilation: n or height,width (default 1).")
    String dilation;

    @Option(names = "--output-padding", defaultValue = "0", description = "Transposed convolution only: extra size at the end (default 0).")
    String outputPadding;

    @Option(names = "--flip", description = "True convolution (kernel rotated 180°, as in signal processing); default is cross-correlation, like nn.Conv2d.")
    boolean flip;

    @Option(names = "--transpose", description = "Transposed convolution (conv_transpose): each input entry adds a scaled copy of the kernel.")
    boolean transpose;

    @Option(names = "--bias", description = "A number added to every output entry.")
    String bias;

    /** The spec for a kernel of kh×kw; 1-D keeps the height axis at stride 1, padding 0. */
    ConvSpec spec(boolean oneD, int kh, int kw) {
        return new ConvSettings(stride, padding, paddingMode, dilation, outputPadding, flip, transpose, bias).spec(oneD, kh, kw);
    }
}
