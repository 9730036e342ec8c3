package convlab.geometry;


/**
 * The window of a 2-D pooling layer: kernel, stride, padding and dilation per axis, and the rounding
 * of the output size. 1-D pooling uses the same geometry with a height-1 kernel over a height-1 input.
 *
 * <p>Output size ({@link OutputSize#pool}) follows PyTorch exactly: {@code out = ⌊(in + 2p − d(k−1) − 1) / s⌋ + 1}, rounded up
 * instead when {@link #ceilMode}; in ceil mode the last window must still start inside the input or
 * the left padding, otherwise it is dropped. Padding may be at most half the kernel (PyTorch's limit),
 * so every window holds at least one real input element.
 */
public record PoolGeometry(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW,
                           int dilationH, int dilationW, boolean ceilMode) {

    public PoolGeometry {
        positive("kernel", kernelH, kernelW);
        positive("stride", strideH, strideW);
        positive("dilation", dilationH, dilationW);
        if (padH < 0 || padW < 0)
            throw new IllegalArgumentException("pooling padding must be >= 0, got " + padH + "x" + padW);
        if (padH > kernelH / 2 || padW > kernelW / 2)
            throw new IllegalArgumentException("pooling padding " + padH + "x" + padW + " must be at most half the kernel "
                    + kernelH + "x" + kernelW + " (PyTorch's limit: every window must touch the input)");
    }

    private static void positive(String what, int h, int w) {
        if (h <= 0 || w <= 0) throw new IllegalArgumentException("pooling " + what + " must be positive, got " + h + "x" + w);
    }

    /** Square window, no dilation, floor rounding (stride defaults to the kernel in the modules). */
    public static PoolGeometry square(int kernel, int stride, int padding) {
        return new PoolGeometry(kernel, kernel, stride, stride, padding, padding, 1, 1, false);
    }

    /** A 1-D window of the given parameters, as a 2-D geometry over a height-1 input. */
    public static PoolGeometry oneD(int kernel, int stride, int padding, int dilation, boolean ceilMode) {
        return new PoolGeometry(1, kernel, 1, stride, 0, padding, 1, dilation, ceilMode);
    }

    public int outH(int inH) { return OutputSize.pool(inH, kernelH, strideH, padH, dilationH, ceilMode, "height"); }

    public int outW(int inW) { return OutputSize.pool(inW, kernelW, strideW, padW, dilationW, ceilMode, "width"); }

    /** "2" for a square 2x2 window, "2x3" otherwise (used by module names). */
    public String kernelText() { return kernelH == kernelW ? Integer.toString(kernelW) : kernelH + "x" + kernelW; }
}
