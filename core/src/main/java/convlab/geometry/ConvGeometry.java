package convlab.geometry;


/**
 * Everything a 2-D convolution kernel needs to know about the shapes, in NCHW layout.
 * A 1-D convolution is the case inH = kH = strideH = dilH = 1, padTop = 0.
 *
 * <p>Input x is (n, inC, inH, inW), weight (outC, inC/groups, kH, kW), output (n, outC, outH, outW).
 * Output position (oh, ow) with kernel tap (kh, kw) reads the unpadded input position
 * (oh·strideH − padTop + kh·dilH, ow·strideW − padLeft + kw·dilW); {@link PaddingMode#source}
 * says which input element that is (or that it is a zero).
 *
 * <p>Only the leading paddings appear here: the trailing ones only decide outH/outW, which are stored
 * explicitly (a transposed convolution with output padding needs an outH the usual rule would not give).
 */
public record ConvGeometry(int n, int inC, int inH, int inW, int outC, int groups,
                           int kH, int kW, int strideH, int strideW, int padTop, int padLeft,
                           int dilH, int dilW, int outH, int outW, PaddingMode mode) {

    public ConvGeometry {
        if (n < 0 || inC <= 0 || inH <= 0 || inW <= 0 || outC <= 0 || kH <= 0 || kW <= 0 || outH <= 0 || outW <= 0)
            throw new IllegalArgumentException("convolution sizes must be positive: " + describe(n, inC, inH, inW, outC, kH, kW, outH, outW));
        if (strideH <= 0 || strideW <= 0 || dilH <= 0 || dilW <= 0)
            throw new IllegalArgumentException("stride and dilation must be >= 1, got stride " + strideH + "x" + strideW + ", dilation " + dilH + "x" + dilW);
        if (padTop < 0 || padLeft < 0) throw new IllegalArgumentException("padding must be >= 0, got " + padTop + "x" + padLeft);
        if (groups <= 0 || inC % groups != 0 || outC % groups != 0)
            throw new IllegalArgumentException("groups=" + groups + " must divide both the input channels (" + inC + ") and the output channels (" + outC + ")");
        if (mode == null) throw new IllegalArgumentException("padding mode is null");
    }

    private static String describe(int n, int inC, int inH, int inW, int outC, int kH, int kW, int outH, int outW) {
        return "input " + n + "x" + inC + "x" + inH + "x" + inW + ", " + outC + " output channels, kernel " + kH + "x" + kW + ", output " + outH + "x" + outW;
    }

    /**
     * The geometry of an ordinary convolution, with PyTorch's output size
     * out = ⌊(in + padBefore + padAfter − dilation·(k − 1) − 1) / stride⌋ + 1 per axis ({@link OutputSize#conv}).
     */
    public static ConvGeometry conv(int n, int inC, int inH, int inW, int outC, int groups, int kH, int kW,
                                    int strideH, int strideW, int padTop, int padBottom, int padLeft, int padRight,
                                    int dilH, int dilW, PaddingMode mode) {
        int outH = OutputSize.conv(inH, kH, strideH, (long) padTop + padBottom, dilH, "height");
        int outW = OutputSize.conv(inW, kW, strideW, (long) padLeft + padRight, dilW, "width");
        return new ConvGeometry(n, inC, inH, inW, outC, groups, kH, kW, strideH, strideW, padTop, padLeft, dilH, dilW, outH, outW, mode);
    }

    public int inCg() { return inC / groups; }
    public int outCg() { return outC / groups; }
    /** Rows of the im2col matrix of one group: inC/groups · kH · kW. */
    public int colRows() { return inCg() * kH * kW; }
    /** Columns of the im2col matrix: output positions of one image. */
    public int outPlane() { return outH * outW; }
    public int inPlane() { return inH * inW; }
    public int inputSize() { return n * inC * inH * inW; }
    public int outputSize() { return n * outC * outH * outW; }
    public int weightSize() { return outC * inCg() * kH * kW; }

    /** Input row read by output row oh at tap kh, or −1 for a zero (table index kh·outH + oh). */
    public int[] rowSources() { return sources(outH, kH, strideH, padTop, dilH, inH); }

    /** Input column read by output column ow at tap kw, or −1 for a zero (table index kw·outW + ow). */
    public int[] colSources() { return sources(outW, kW, strideW, padLeft, dilW, inW); }

    private int[] sources(int out, int k, int stride, int pad, int dil, int in) {
        int[] t = new int[k * out];
        for (int kk = 0; kk < k; kk++)
            for (int o = 0; o < out; o++) t[kk * out + o] = mode.source(o * stride - pad + kk * dil, in);
        return t;
    }

    /** Multiply-adds of the forward pass (per batch), for timing reports. */
    public long macs() { return (long) n * outC * outPlane() * colRows(); }
}
