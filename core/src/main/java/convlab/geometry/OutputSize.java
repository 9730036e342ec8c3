package convlab.geometry;

/**
 * The one home of the output-size rules of convolution, transposed convolution and pooling (PyTorch's rules),
 * per spatial axis. Every caller (the float engine's geometries, {@code nn.functional.Conv}, the spec
 * {@code Analyzer}, the exact calculator's {@code ConvSpec}, the CLI) asks here.
 * <pre>
 *   convolution:            ⌊(n + p_before + p_after − d(k−1) − 1)/s⌋ + 1
 *   transposed convolution: (n − 1)s − 2p + d(k−1) + output_padding + 1
 *   pooling:                ⌊(n + 2p − d(k−1) − 1)/s⌋ + 1, or ⌈…⌉ + 1 in ceil mode, where a last window
 *                           that would start in the right padding is dropped (ATen's pooling_output_shape)
 * </pre>
 * The {@code …Exact} methods compute in {@code long} for any {@code int} arguments and never wrap around; their
 * result may be ≤ 0 (the layer does not fit) or past {@link #MAX} (too large for a tensor), for callers that word
 * their own message. The checked methods return an {@code int} in [1, {@link #MAX}] or throw an
 * {@link IllegalArgumentException} naming the axis and the numbers. This class imports nothing: the kernels use it too.
 */
public final class OutputSize {
    private OutputSize() {}

    /** The largest size an axis may have (arrays hold a little less than 2³¹ elements). */
    public static final int MAX = Integer.MAX_VALUE - 8;

    private static void check(int in, int k, int stride, long pad, int dil) {
        if (stride <= 0 || dil <= 0)
            throw new IllegalArgumentException("stride and dilation must be >= 1, got stride " + stride + ", dilation " + dil);
        if (k <= 0) throw new IllegalArgumentException("kernel size must be >= 1, got " + k);
        if (in <= 0) throw new IllegalArgumentException("input size must be >= 1, got " + in);
        if (pad < 0) throw new IllegalArgumentException("padding must be >= 0, got " + pad);
    }

    /** The dilated kernel's extent d·(k − 1) + 1. */
    public static long span(int k, int dil) { return (long) dil * (k - 1) + 1; }

    /** ⌊(in + totalPad − d(k−1) − 1)/stride⌋ + 1, exactly; ≤ 0 when the dilated kernel does not fit the padded input. */
    public static long convExact(int in, int k, int stride, long totalPad, int dil) {
        check(in, k, stride, totalPad, dil);
        return Math.floorDiv(in + totalPad - span(k, dil), (long) stride) + 1;
    }

    /** The convolution output size along one axis; throws when the (dilated) kernel does not fit or the size is too large. */
    public static int conv(int in, int k, int stride, long totalPad, int dil, String axis) {
        long out = convExact(in, k, stride, totalPad, dil), padded = in + totalPad, span = span(k, dil);
        if (padded < span)
            throw new IllegalArgumentException("input " + axis + " " + in + " (padded to " + padded + ") is smaller than the "
                    + (dil > 1 ? "dilated " : "") + "kernel " + axis + " " + span);
        if (out > MAX) throw new IllegalArgumentException("the output " + axis + " would be " + out + ", too large");
        return (int) out;
    }

    /** (in − 1)·stride − 2·pad + d(k−1) + outPad + 1, exactly; ≤ 0 when the padding crops away everything. */
    public static long transposedExact(int in, int k, int stride, int pad, int dil, int outPad) {
        check(in, k, stride, pad, dil);
        if (outPad < 0) throw new IllegalArgumentException("output padding must be >= 0, got " + outPad);
        return (in - 1L) * stride - 2L * pad + (long) dil * (k - 1) + outPad + 1;
    }

    /** "(5−1)·2 − 2·1 + 1·(3−1) + 1 + 1 = 10": the transposed size with the numbers filled in. */
    public static String transposedWorking(int in, int k, int stride, int pad, int dil, int outPad) {
        return "(" + in + "−1)·" + stride + " − 2·" + pad + " + " + dil + "·(" + k + "−1) + " + outPad + " + 1 = "
                + transposedExact(in, k, stride, pad, dil, outPad);
    }

    /** The transposed-convolution output size along one axis; throws when it is not positive or too large. */
    public static int transposed(int in, int k, int stride, int pad, int dil, int outPad, String axis) {
        long out = transposedExact(in, k, stride, pad, dil, outPad);
        if (out < 1)
            throw new IllegalArgumentException("the transposed output " + axis + " would be " + out + " ("
                    + transposedWorking(in, k, stride, pad, dil, outPad) + "): padding " + pad + " crops away everything; reduce the padding");
        if (out > MAX) throw new IllegalArgumentException("the transposed output " + axis + " would be " + out + ", too large");
        return (int) out;
    }

    /**
     * Pooling's output size, exactly: floor (or ceil) of (in + 2p − d(k−1) − 1)/s, plus 1; in ceil mode a last
     * window that would start in the right padding is dropped. ≤ 0 when the window does not fit.
     */
    public static long poolExact(int in, int k, int stride, int pad, int dil, boolean ceil) {
        check(in, k, stride, pad, dil);
        long extent = in + 2L * pad - span(k, dil);
        long out = (ceil ? Math.floorDiv(extent + stride - 1, stride) : Math.floorDiv(extent, stride)) + 1;
        if (ceil && (out - 1) * stride >= in + (long) pad) out--;   // the last window would start in the right padding
        return out;
    }

    /** The pooling output size along one axis; throws when the window does not fit or the size is too large. */
    public static int pool(int in, int k, int stride, int pad, int dil, boolean ceil, String axis) {
        long out = poolExact(in, k, stride, pad, dil, ceil);
        if (out < 1)
            throw new IllegalArgumentException("pooling window " + span(k, dil) + " (kernel " + k + ", dilation " + dil
                    + ", padding " + pad + ") does not fit an input " + axis + " of " + in + ": output size would be " + out);
        if (out > MAX) throw new IllegalArgumentException("the pooled " + axis + " would be " + out + ", too large");
        return (int) out;
    }
}
