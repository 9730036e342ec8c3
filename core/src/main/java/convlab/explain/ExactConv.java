package convlab.explain;

import convlab.geometry.PaddingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Exact convolution of one multi-channel input with one filter, recording every product so the work
 * can be shown. Inputs are C×H×W (a sequence is 1×1×n, a matrix 1×H×W) and the kernel has the same C.
 * Which input position a padded position reads is asked of {@link PaddingMode#source}, the one
 * definition shared with the float kernels.
 */
public final class ExactConv {
    private ExactConv() {}

    /**
     * One product x·w of an output entry; xWhere names the input entry read ("x[1,2]", or "pad" for zero padding).
     * xFlat is that entry's offset in the C×H×W input (−1 for zero padding) and wFlat the offset of w in the
     * kernel as given (before any flip), so a gradient can be accumulated along the recorded products.
     */
    public record Term(Rational x, Rational w, String xWhere, String wWhere, int xFlat, int wFlat) {}

    /** One output entry: its index, the products it sums, the bias, and the value. */
    public record Entry(int[] index, List<Term> terms, Rational bias, Rational value) {}

    /** Transposed convolution: input entry x[c,i,j] adds x·kernel at rows/cols starting at (row, col) of the output. */
    public record Scatter(String xWhere, Rational x, int row, int col, ExactArray scaledKernel) {}

    /**
     * Everything a worked solution shows.
     *
     * @param padded      the padded input, C×(H+2p)×(W+2p) (null for transposed convolution)
     * @param usedKernel  the kernel as applied (flipped when flip is on)
     * @param scatters    transposed convolution only: the scaled kernel copies, else empty
     */
    public record Result(ConvSpec spec, ExactArray input, ExactArray kernel, ExactArray padded, ExactArray usedKernel,
                         ExactArray output, List<Entry> entries, List<Scatter> scatters) {}

    public static Result compute(ExactArray input, ExactArray kernel, ConvSpec spec) {
        ExactArray x = channels(input, spec, "input");
        ExactArray k = channels(kernel, spec, "kernel");
        if (x.dim(0) != k.dim(0)) {
            throw new IllegalArgumentException("the input has " + x.dim(0) + " channel(s) but the kernel has " + k.dim(0)
                    + " (give one kernel matrix per input channel, separated by '|')");
        }
        return spec.transpose() ? transposed(x, k, spec) : direct(x, k, spec);
    }

    /** Limits of the exact calculator (docs/RELIABILITY.md): entries of the (padded) input and output, and products shown. */
    public static final long MAX_ENTRIES = 1_000_000, MAX_PRODUCTS = 2_000_000;

    /** Refuses, before allocating, a convolution whose padded input, output or working would not fit the limits. */
    private static void checkWork(ConvSpec spec, long rows, long cols, long oh, long ow, long taps) {
        String size = spec.oneD() ? Long.toString(cols) : rows + "×" + cols;
        if (rows * cols > MAX_ENTRIES)
            throw new IllegalArgumentException("the padded input would be " + size + ", more than " + MAX_ENTRIES
                    + " entries; the exact calculator is for worked examples (use smaller sizes or padding)");
        if (oh * ow > MAX_ENTRIES)
            throw new IllegalArgumentException("the output would be " + (spec.oneD() ? Long.toString(ow) : oh + "×" + ow)
                    + ", more than " + MAX_ENTRIES + " entries; the exact calculator is for worked examples");
        if (oh * ow * taps > MAX_PRODUCTS)
            throw new IllegalArgumentException("the working would have " + oh * ow * taps + " products (" + oh * ow
                    + " outputs × " + taps + " kernel entries), more than " + MAX_PRODUCTS + "; use smaller sizes");
    }

    /** Just the output values. */
    public static ExactArray apply(ExactArray input, ExactArray kernel, ConvSpec spec) {
        return compute(input, kernel, spec).output();
    }

    private static ExactArray channels(ExactArray a, ConvSpec spec, String what) {
        ExactArray c = a.asChannels();
        if (spec.oneD() && c.dim(1) != 1)
            throw new IllegalArgumentException("the " + what + " is a " + a.shapeText() + " matrix but the convolution is 1-D (the kernel is a sequence)");
        return c;
    }

    private static Result direct(ExactArray x, ExactArray k, ConvSpec spec) {
        int channels = x.dim(0), h = x.dim(1), w = x.dim(2), kh = k.dim(1), kw = k.dim(2);
        int[] in = {h, w};
        for (int a = 0; a < 2; a++) spec.mode().checkPadding(spec.padding()[a], in[a], spec.axisName(a));
        int oh = spec.outputSize(0, h, kh), ow = spec.outputSize(1, w, kw);
        checkWork(spec, (long) h + 2L * spec.padding()[0], (long) w + 2L * spec.padding()[1], oh, ow, (long) channels * kh * kw);
        ExactArray used = spec.flip() ? flip(k) : k;
        PaddingMode mode = spec.mode();
        int ph = spec.padding()[0], pw = spec.padding()[1];
        Rational bias = spec.bias() == null ? Rational.ZERO : spec.bias();
        List<Entry> entries = new ArrayList<>();
        Rational[] out = new Rational[oh * ow];
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
                List<Term> terms = new ArrayList<>();
                Rational sum = bias;
                for (int c = 0; c < channels; c++) {
                    for (int a = 0; a < kh; a++) {
                        int sr = mode.source(i * spec.stride()[0] + a * spec.dilation()[0] - ph, h);
                        for (int b = 0; b < kw; b++) {
                            int sc = mode.source(j * spec.stride()[1] + b * spec.dilation()[1] - pw, w);
                            boolean inside = sr >= 0 && sc >= 0;
                            Rational xv = inside ? x.get(c, sr, sc) : Rational.ZERO;
                            Rational wv = used.get(c, a, b);
                            int wFlat = spec.flip() ? (c * kh + kh - 1 - a) * kw + kw - 1 - b : (c * kh + a) * kw + b;
                            terms.add(new Term(xv, wv, inside ? name("x", spec, channels, c, sr, sc) : "pad", name("w", spec, channels, c, a, b),
                                    inside ? (c * h + sr) * w + sc : -1, wFlat));
                            sum = sum.add(xv.multiply(wv));
                        }
                    }
                }
                out[i * ow + j] = sum;
                entries.add(new Entry(spec.oneD() ? new int[] {j} : new int[] {i, j}, terms, spec.bias(), sum));
            }
        }
        ExactArray output = new ExactArray(spec.oneD() ? new int[] {ow} : new int[] {oh, ow}, out);
        return new Result(spec, x, k, padded(x, spec), used, output, entries, List.of());
    }

    private static Result transposed(ExactArray x, ExactArray k, ConvSpec spec) {
        int channels = x.dim(0), h = x.dim(1), w = x.dim(2), kh = k.dim(1), kw = k.dim(2);
        int oh = spec.outputSize(0, h, kh), ow = spec.outputSize(1, w, kw);
        checkWork(spec, h, w, oh, ow, (long) channels * kh * kw);
        int ph = spec.padding()[0], pw = spec.padding()[1];
        int sh = spec.stride()[0], sw = spec.stride()[1], dh = spec.dilation()[0], dw = spec.dilation()[1];
        List<List<Term>> contributions = new ArrayList<>();
        for (int i = 0; i < oh * ow; i++) contributions.add(new ArrayList<>());
        List<Scatter> scatters = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    Rational xv = x.get(c, i, j);
                    String xName = name("x", spec, channels, c, i, j);
                    scatters.add(new Scatter(xName, xv, i * sh - ph, j * sw - pw, k.channel(c).map(xv::multiply)));
                    for (int a = 0; a < kh; a++) {
                        int r = i * sh + a * dh - ph;  // output row reached by kernel row a; cropped by the padding
                        if (r < 0 || r >= oh) continue;
                        for (int b = 0; b < kw; b++) {
                            int col = j * sw + b * dw - pw;
                            if (col < 0 || col >= ow) continue;
                            contributions.get(r * ow + col).add(new Term(xv, k.get(c, a, b), xName, name("w", spec, channels, c, a, b),
                                    (c * h + i) * w + j, (c * kh + a) * kw + b));
                        }
                    }
                }
            }
        }
        Rational bias = spec.bias() == null ? Rational.ZERO : spec.bias();
        List<Entry> entries = new ArrayList<>();
        Rational[] out = new Rational[oh * ow];
        for (int r = 0; r < oh; r++) {
            for (int col = 0; col < ow; col++) {
                Rational sum = bias;
                for (Term t : contributions.get(r * ow + col)) sum = sum.add(t.x().multiply(t.w()));
                out[r * ow + col] = sum;
                entries.add(new Entry(spec.oneD() ? new int[] {col} : new int[] {r, col}, contributions.get(r * ow + col), spec.bias(), sum));
            }
        }
        ExactArray output = new ExactArray(spec.oneD() ? new int[] {ow} : new int[] {oh, ow}, out);
        return new Result(spec, x, k, null, k, output, entries, scatters);
    }

    /** The kernel rotated by 180° in every spatial axis (true convolution = cross-correlation with this). */
    public static ExactArray flip(ExactArray k) {
        int c = k.dim(0), kh = k.dim(1), kw = k.dim(2);
        Rational[] out = new Rational[k.size()];
        for (int ch = 0; ch < c; ch++)
            for (int a = 0; a < kh; a++)
                for (int b = 0; b < kw; b++) out[(ch * kh + a) * kw + b] = k.get(ch, kh - 1 - a, kw - 1 - b);
        return new ExactArray(k.shape(), out);
    }

    /** The input with its padding written out, each padded position filled as the padding mode says. */
    static ExactArray padded(ExactArray x, ConvSpec spec) {
        int c = x.dim(0), h = x.dim(1), w = x.dim(2), ph = spec.padding()[0], pw = spec.padding()[1];
        int hp = h + 2 * ph, wp = w + 2 * pw;
        Rational[] out = new Rational[c * hp * wp];
        for (int ch = 0; ch < c; ch++)
            for (int r = 0; r < hp; r++) {
                int sr = spec.mode().source(r - ph, h);
                for (int col = 0; col < wp; col++) {
                    int sc = spec.mode().source(col - pw, w);
                    out[(ch * hp + r) * wp + col] = sr >= 0 && sc >= 0 ? x.get(ch, sr, sc) : Rational.ZERO;
                }
            }
        return new ExactArray(new int[] {c, hp, wp}, out);
    }

    /** "x[1,2]" (matrix), "x[3]" (sequence), "x[c2; 1,2]" (multi-channel); indices 0-based. */
    static String name(String v, ConvSpec spec, int channels, int c, int r, int col) {
        String pos = spec.oneD() ? String.valueOf(col) : r + "," + col;
        return channels > 1 ? v + "[" + c + ";" + pos + "]" : v + "[" + pos + "]";
    }
}
