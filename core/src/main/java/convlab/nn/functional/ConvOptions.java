package convlab.nn.functional;

import convlab.geometry.PaddingMode;

/**
 * Immutable options of a convolution, PyTorch's keyword arguments in one value:
 * {@code ConvOptions.DEFAULT.padding(1).stride(2).paddingMode(PaddingMode.CIRCULAR)}.
 * Each setter returns a new value. Per-axis values are (height, width); a 1-d convolution uses the width
 * value and refuses options whose two values differ.
 *
 * <ul>
 * <li>stride, dilation: ≥ 1; padding: ≥ 0 on both sides of an axis, or {@link #samePadding()} (PyTorch's
 *     padding="same": stride 1, total padding dilation·(k−1) per axis, the odd extra on the right/bottom).
 * <li>groups: input and output channels split into this many independent groups (groups = channels:
 *     depthwise).
 * <li>paddingMode: what is read outside the input ({@link PaddingMode}); transposed convolution: zeros only.
 * <li>flip: true convolution ("flip and drag", signal processing): the kernel is flipped in every spatial
 *     axis before the cross-correlation deep learning (and PyTorch) computes.
 * <li>outputPadding: transposed convolution only; extra rows/columns on the bottom/right of the output.
 * </ul>
 */
public final class ConvOptions {
    public static final ConvOptions DEFAULT = new ConvOptions(1, 1, 0, 0, false, 1, 1, 1, PaddingMode.ZEROS, false, 0, 0);

    private final int strideH, strideW, padH, padW;
    private final boolean same;
    private final int dilH, dilW, groups;
    private final PaddingMode mode;
    private final boolean flip;
    private final int outPadH, outPadW;

    private ConvOptions(int strideH, int strideW, int padH, int padW, boolean same, int dilH, int dilW, int groups,
                        PaddingMode mode, boolean flip, int outPadH, int outPadW) {
        this.strideH = strideH; this.strideW = strideW; this.padH = padH; this.padW = padW; this.same = same;
        this.dilH = dilH; this.dilW = dilW; this.groups = groups; this.mode = mode; this.flip = flip;
        this.outPadH = outPadH; this.outPadW = outPadW;
    }

    public ConvOptions stride(int s) { return stride(s, s); }
    public ConvOptions stride(int h, int w) {
        atLeast("stride", 1, h, w);
        return new ConvOptions(h, w, padH, padW, same, dilH, dilW, groups, mode, flip, outPadH, outPadW);
    }

    public ConvOptions padding(int p) { return padding(p, p); }
    public ConvOptions padding(int h, int w) {
        atLeast("padding", 0, h, w);
        return new ConvOptions(strideH, strideW, h, w, false, dilH, dilW, groups, mode, flip, outPadH, outPadW);
    }

    /** PyTorch's padding="same": the output has the input's size (needs stride 1). */
    public ConvOptions samePadding() {
        return new ConvOptions(strideH, strideW, 0, 0, true, dilH, dilW, groups, mode, flip, outPadH, outPadW);
    }

    public ConvOptions dilation(int d) { return dilation(d, d); }
    public ConvOptions dilation(int h, int w) {
        atLeast("dilation", 1, h, w);
        return new ConvOptions(strideH, strideW, padH, padW, same, h, w, groups, mode, flip, outPadH, outPadW);
    }

    public ConvOptions groups(int g) {
        atLeast("groups", 1, g, g);
        return new ConvOptions(strideH, strideW, padH, padW, same, dilH, dilW, g, mode, flip, outPadH, outPadW);
    }

    public ConvOptions paddingMode(PaddingMode m) {
        if (m == null) throw new IllegalArgumentException("padding mode must not be null");
        return new ConvOptions(strideH, strideW, padH, padW, same, dilH, dilW, groups, m, flip, outPadH, outPadW);
    }

    /** True convolution (kernel flipped in every spatial axis) when on; cross-correlation (default) when off. */
    public ConvOptions flip(boolean on) {
        return new ConvOptions(strideH, strideW, padH, padW, same, dilH, dilW, groups, mode, on, outPadH, outPadW);
    }

    public ConvOptions outputPadding(int p) { return outputPadding(p, p); }
    public ConvOptions outputPadding(int h, int w) {
        atLeast("output padding", 0, h, w);
        return new ConvOptions(strideH, strideW, padH, padW, same, dilH, dilW, groups, mode, flip, h, w);
    }

    private static void atLeast(String what, int min, int h, int w) {
        if (h < min || w < min) throw new IllegalArgumentException(what + " must be >= " + min + ", got " + (h == w ? "" + h : h + "x" + w));
    }

    public int strideH() { return strideH; }
    public int strideW() { return strideW; }
    public int padH() { return padH; }
    public int padW() { return padW; }
    public boolean same() { return same; }
    public int dilH() { return dilH; }
    public int dilW() { return dilW; }
    public int groups() { return groups; }
    public PaddingMode paddingMode() { return mode; }
    public boolean flip() { return flip; }
    public int outPadH() { return outPadH; }
    public int outPadW() { return outPadW; }

    /** The same options for a 1-d convolution seen as 2-d with height 1: the width values, height trivial. */
    public ConvOptions as2dOf1d(String op) {
        if (strideH != strideW || padH != padW || dilH != dilW || outPadH != outPadW)
            throw new IllegalArgumentException(op + " takes one value per option, got " + this);
        return new ConvOptions(1, strideW, 0, padW, same, 1, dilW, groups, mode, flip, 0, outPadW);
    }

    /**
     * Layer-summary text of the non-default options, e.g. ", stride 2, pad 1, circular" (empty for defaults);
     * oneD prints the width values only.
     */
    public String describe(boolean transposed, boolean oneD) {
        StringBuilder sb = new StringBuilder();
        if (strideH != 1 || strideW != 1) sb.append(", stride ").append(pair(strideH, strideW, oneD));
        if (same) sb.append(", pad same");
        else if (padH != 0 || padW != 0) sb.append(", pad ").append(pair(padH, padW, oneD));
        if (transposed && (outPadH != 0 || outPadW != 0)) sb.append(", output pad ").append(pair(outPadH, outPadW, oneD));
        if (dilH != 1 || dilW != 1) sb.append(", dilation ").append(pair(dilH, dilW, oneD));
        if (groups != 1) sb.append(", groups ").append(groups);
        if (mode != PaddingMode.ZEROS) sb.append(", ").append(mode.torchName());
        if (flip) sb.append(", flipped (true convolution)");
        return sb.toString();
    }

    private static String pair(int h, int w, boolean oneD) { return h == w || oneD ? Integer.toString(w) : h + "x" + w; }

    @Override public String toString() { return "ConvOptions(" + (describe(true, false).isEmpty() ? "default" : describe(true, false).substring(2)) + ")"; }

    @Override public boolean equals(Object o) {
        return o instanceof ConvOptions c && strideH == c.strideH && strideW == c.strideW && padH == c.padH && padW == c.padW
                && same == c.same && dilH == c.dilH && dilW == c.dilW && groups == c.groups && mode == c.mode && flip == c.flip
                && outPadH == c.outPadH && outPadW == c.outPadW;
    }

    @Override public int hashCode() {
        return java.util.Objects.hash(strideH, strideW, padH, padW, same, dilH, dilW, groups, mode, flip, outPadH, outPadW);
    }
}
