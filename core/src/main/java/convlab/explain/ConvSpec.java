package convlab.explain;

import convlab.OptionNames;
import convlab.geometry.PaddingMode;
import convlab.geometry.OutputSize;

/**
 * The hyperparameters of one convolution, per axis (index 0 = height, 1 = width; a 1-D convolution
 * uses only the width axis and keeps height at stride 1, padding 0). Names follow PyTorch.
 *
 * @param flip      true convolution (kernel flipped, as in signal processing) instead of cross-correlation
 * @param transpose transposed convolution (conv_transpose): each input entry scatters a scaled kernel
 * @param bias      added to every output entry, or null for none
 */
public record ConvSpec(boolean oneD, int[] stride, int[] padding, int[] dilation, int[] outputPadding,
                       PaddingMode mode, boolean flip, boolean transpose, Rational bias) {

    public ConvSpec {
        stride = stride.clone(); padding = padding.clone(); dilation = dilation.clone(); outputPadding = outputPadding.clone();
        for (int a = 0; a < 2; a++) {
            if (stride[a] < 1) throw new IllegalArgumentException("stride must be >= 1, got " + stride[a]);
            if (dilation[a] < 1) throw new IllegalArgumentException("dilation must be >= 1, got " + dilation[a]);
            if (padding[a] < 0) throw new IllegalArgumentException("padding must be >= 0, got " + padding[a]);
            if (outputPadding[a] < 0) throw new IllegalArgumentException("output padding must be >= 0, got " + outputPadding[a]);
            if (!transpose && outputPadding[a] != 0) throw new IllegalArgumentException(OptionNames.of("output-padding") + " applies only to transposed convolution (" + OptionNames.of("transpose") + ")");
            if (transpose && outputPadding[a] >= Math.max(stride[a], dilation[a]))
                throw new IllegalArgumentException("output padding " + outputPadding[a] + " must be smaller than the stride or the dilation (PyTorch's rule)");
        }
        if (transpose && mode != PaddingMode.ZEROS)
            throw new IllegalArgumentException("transposed convolution supports only zeros padding (as in PyTorch), not " + mode.torchName());
        if (transpose && flip)
            throw new IllegalArgumentException(OptionNames.of("flip") + " and " + OptionNames.of("transpose") + " together are not defined here: flip the kernel yourself and use " + OptionNames.of("transpose"));
        if (oneD && (stride[0] != 1 || padding[0] != 0 || dilation[0] != 1 || outputPadding[0] != 0))
            throw new IllegalArgumentException("a 1-D convolution has only one axis: give one value for stride, padding and dilation");
    }

    /** Stride 1, no padding, no dilation, cross-correlation: the default of torch.nn.Conv2d. */
    public static ConvSpec plain(boolean oneD) {
        return new ConvSpec(oneD, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, new int[] {0, 0},
                PaddingMode.ZEROS, false, false, null);
    }

    public ConvSpec withStride(int h, int w) { return new ConvSpec(oneD, new int[] {h, w}, padding, dilation, outputPadding, mode, flip, transpose, bias); }
    public ConvSpec withPadding(int h, int w) { return new ConvSpec(oneD, stride, new int[] {h, w}, dilation, outputPadding, mode, flip, transpose, bias); }
    public ConvSpec withDilation(int h, int w) { return new ConvSpec(oneD, stride, padding, new int[] {h, w}, outputPadding, mode, flip, transpose, bias); }
    public ConvSpec withOutputPadding(int h, int w) { return new ConvSpec(oneD, stride, padding, dilation, new int[] {h, w}, mode, flip, transpose, bias); }
    public ConvSpec withMode(PaddingMode m) { return new ConvSpec(oneD, stride, padding, dilation, outputPadding, m, flip, transpose, bias); }
    public ConvSpec withFlip(boolean f) { return new ConvSpec(oneD, stride, padding, dilation, outputPadding, mode, f, transpose, bias); }
    public ConvSpec withTranspose(boolean t) { return new ConvSpec(oneD, stride, padding, dilation, outputPadding, mode, flip, t, bias); }
    public ConvSpec withBias(Rational b) { return new ConvSpec(oneD, stride, padding, dilation, outputPadding, mode, flip, transpose, b); }

    /**
     * Output length along one axis: floor((n + 2p − d(k−1) − 1)/s) + 1 for a convolution,
     * (n−1)s − 2p + d(k−1) + op + 1 for a transposed one ({@link OutputSize}). Throws when the result is not positive.
     */
    public int outputSize(int axis, int n, int k) {
        int s = stride[axis], p = padding[axis], d = dilation[axis];
        return transpose ? OutputSize.transposed(n, k, s, p, d, outputPadding[axis], axisName(axis))
                : OutputSize.conv(n, k, s, 2L * p, d, axisName(axis));
    }

    public String axisName(int axis) { return oneD ? "length" : axis == 0 ? "height" : "width"; }

    /** The size formula with the numbers filled in, e.g. "⌊(5 + 2·1 − 1·(3−1) − 1)/2⌋ + 1 = 3". */
    public String sizeFormula(int axis, int n, int k) {
        int s = stride[axis], p = padding[axis], d = dilation[axis];
        int out = outputSize(axis, n, k);
        if (transpose) return OutputSize.transposedWorking(n, k, s, p, d, outputPadding[axis]);
        return "⌊(" + n + " + 2·" + p + " − " + d + "·(" + k + "−1) − 1)/" + s + "⌋ + 1 = " + out;
    }

    public String sizeFormulaSymbolic() {
        return transpose ? "out = (n−1)·s − 2p + d·(k−1) + output_padding + 1" : "out = ⌊(n + 2p − d·(k−1) − 1)/s⌋ + 1";
    }

    /**
     * Padding per axis (height, width) from what a person writes: "1", "1,2", or a word: "valid" (none),
     * "same" (output size = input size at stride 1; odd effective kernel sizes only), "full" (d·(k−1),
     * every overlap, as in signal processing: output length n + k − 1).
     */
    public static int[] parsePadding(String text, int kh, int kw, int[] dilation) {
        String t = text.strip().toLowerCase();
        int[] k = {kh, kw};
        int[] p = new int[2];
        switch (t) {
            case "valid" -> { }
            case "full" -> { for (int a = 0; a < 2; a++) p[a] = Math.toIntExact((long) dilation[a] * (k[a] - 1)); }
            case "same" -> {
                for (int a = 0; a < 2; a++) {
                    int span = dilation[a] * (k[a] - 1);
                    if (span % 2 != 0)
                        throw new IllegalArgumentException("padding 'same' needs an odd kernel size (with dilation), got kernel " + k[a] + " dilation " + dilation[a]);
                    p[a] = span / 2;
                }
            }
            default -> { return parsePair(t, "padding"); }
        }
        return p;
    }

    /** "2" (both axes) or "2,1" (height, width). */
    public static int[] parsePair(String text, String what) {
        String[] parts = text.strip().split("\\s*[,x×]\\s*");
        try {
            if (parts.length == 1) { int v = Integer.parseInt(parts[0]); return new int[] {v, v}; }
            if (parts.length == 2) return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (NumberFormatException e) { /* fall through to the message */ }
        throw new IllegalArgumentException(what + " must be a whole number or 'height,width', got '" + text + "'");
    }
}
