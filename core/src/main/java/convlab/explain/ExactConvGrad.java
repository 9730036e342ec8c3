package convlab.explain;

import convlab.geometry.PaddingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Exact gradients of one convolution ({@link ExactConv}: C×H×W input, one C×kh×kw filter, one output
 * channel) with respect to its input, kernel and bias, given the output gradient dY.
 *
 * <p>The gradients are accumulated along the products the forward pass recorded (the chain rule: y[o]
 * contains x·w, so dX at x's position gains dY[o]·w and dK at w's position gains x·dY[o]); that covers
 * every padding mode (a padded entry copies an input entry, which receives its gradient), flip, stride,
 * dilation and transposed convolution. For an ordinary convolution with zero padding the input gradient
 * is also computed by the textbook identity (the full convolution of dY, with stride−1 zeros inserted
 * between its entries, with the kernel; padding cropped) through {@link ExactConv} itself, and the two
 * must agree.
 */
public final class ExactConvGrad {
    private ExactConvGrad() {}

    /** One product of a gradient entry: a·b with the names of both factors. */
    public record Term(Rational a, Rational b, String aWhere, String bWhere) {}

    /** One gradient entry: its name ("dX[1,2]"), the products it sums, its value. */
    public record Entry(String name, List<Term> terms, Rational value) {}

    /**
     * The input-gradient identity worked through ExactConv (ordinary convolution with zero padding only).
     *
     * @param spreadGradOutput dY with stride−1 zeros between its entries (per axis)
     * @param rotatedKernel    the kernel as applied in the forward pass, rotated 180° (C×kh×kw)
     * @param full             the full convolution before cropping (C × rows × cols)
     */
    public record InputIdentity(ExactArray spreadGradOutput, ExactArray rotatedKernel, ExactArray full) {}

    /**
     * @param gradInput  dL/dX, shaped like the input as given
     * @param gradKernel dL/dK, shaped like the kernel as given
     * @param gradBias   dL/db = Σ dY
     * @param identity   the worked identity for the input gradient, or null where it does not apply
     */
    public record Result(ExactConv.Result forward, ExactArray gradOutput, ExactArray gradInput, ExactArray gradKernel, Rational gradBias,
                         List<Entry> inputEntries, List<Entry> kernelEntries, InputIdentity identity) {
        public ConvSpec spec() { return forward.spec(); }
    }

    public static Result compute(ExactArray input, ExactArray kernel, ExactArray gradOutput, ConvSpec spec) {
        ExactConv.Result fwd = ExactConv.compute(input, kernel, spec);
        ExactArray out = fwd.output();
        ExactArray dy = conform(gradOutput, out, spec);
        ExactArray x = fwd.input(), k = fwd.kernel();  // C×H×W and C×kh×kw
        Rational[] dx = zeros(x.size()), dk = zeros(k.size());
        List<List<Term>> xTerms = lists(x.size()), kTerms = lists(k.size());
        int channels = x.dim(0);
        for (int o = 0; o < out.size(); o++) {
            Rational g = dy.flat(o);
            String gName = "dY" + ConvExplain.index(fwd.entries().get(o).index());
            for (ExactConv.Term t : fwd.entries().get(o).terms()) {
                String wName = flatName("w", spec, k, t.wFlat(), channels);
                if (t.xFlat() >= 0) {
                    dx[t.xFlat()] = dx[t.xFlat()].add(g.multiply(t.w()));
                    xTerms.get(t.xFlat()).add(new Term(g, t.w(), gName, wName));
                }
                dk[t.wFlat()] = dk[t.wFlat()].add(t.x().multiply(g));
                kTerms.get(t.wFlat()).add(new Term(t.x(), g, t.xWhere(), gName));
            }
        }
        Rational db = Rational.ZERO;
        for (int o = 0; o < dy.size(); o++) db = db.add(dy.flat(o));
        ExactArray gx = new ExactArray(input.shape(), dx), gk = new ExactArray(kernel.shape(), dk);
        List<Entry> xe = new ArrayList<>(), ke = new ArrayList<>();
        for (int i = 0; i < dx.length; i++) xe.add(new Entry(flatName("dX", spec, x, i, channels), xTerms.get(i), dx[i]));
        for (int i = 0; i < dk.length; i++) ke.add(new Entry(flatName("dK", spec, k, i, channels), kTerms.get(i), dk[i]));
        InputIdentity id = !spec.transpose() && spec.mode() == PaddingMode.ZEROS ? inputIdentity(fwd, dy) : null;
        return new Result(fwd, dy, gx, gk, db, xe, ke, id);
    }

    /** dY in the forward output's shape; a sequence for a 1-D output, 1×n rows accepted for it. */
    static ExactArray conform(ExactArray dy, ExactArray out, ConvSpec spec) {
        if (!ConvCheck.sameShape(dy.shape(), out.shape()))
            throw new IllegalArgumentException("the output gradient is " + dy.shapeText() + " but the forward output is " + out.shapeText()
                    + " (" + ConvExplain.settings(spec) + "; dY must have the output's shape)");
        return dy.reshape(out.shape());
    }

    /**
     * The textbook identity for the input gradient: spread dY by the stride (s−1 zeros between entries),
     * fully convolve it with the kernel (= cross-correlate, zero-padded by d·(k−1), with the kernel rotated
     * 180°, dilated by d), then crop the forward padding p from each side; rows the forward never read
     * (stride leftovers at the end) get 0.
     */
    static InputIdentity inputIdentity(ExactConv.Result fwd, ExactArray dy) {
        ConvSpec spec = fwd.spec();
        ExactArray k = fwd.usedKernel();
        int c = k.dim(0), kh = k.dim(1), kw = k.dim(2);
        ExactArray dyc = dy.rank() == 1 ? dy.reshape(1, dy.size()) : dy;
        ExactArray spread = spread(dyc, spec.stride()[0], spec.stride()[1]);
        int[] d = spec.dilation();
        ConvSpec full = ConvSpec.plain(spec.oneD()).withDilation(d[0], d[1]).withPadding(d[0] * (kh - 1), d[1] * (kw - 1)).withFlip(true);
        List<ExactArray> fulls = new ArrayList<>();
        for (int ch = 0; ch < c; ch++) {
            ExactArray kc = k.channel(ch);
            fulls.add(ExactConv.apply(spread, spec.oneD() ? kc.reshape(kw) : kc, full));
        }
        return new InputIdentity(spread, ExactConv.flip(k), MatrixParser.stack(fulls));
    }

    /** The uncropped full convolution cropped by the padding and filled with zeros to the input's size. */
    public static ExactArray crop(ExactArray full, int[] p, int h, int w) {
        int c = full.dim(0), fh = full.dim(1), fw = full.dim(2);
        Rational[] out = zeros(c * h * w);
        for (int ch = 0; ch < c; ch++)
            for (int r = 0; r < h; r++)
                for (int col = 0; col < w; col++) {
                    int fr = r + p[0], fc = col + p[1];
                    if (fr < fh && fc < fw) out[(ch * h + r) * w + col] = full.get(ch, fr, fc);
                }
        return new ExactArray(new int[] {c, h, w}, out);
    }

    /** A matrix with s−1 zeros inserted between neighbouring entries along each axis. */
    public static ExactArray spread(ExactArray m, int sh, int sw) {
        int rows = m.dim(0), cols = m.dim(1);
        int r2 = (rows - 1) * sh + 1, c2 = (cols - 1) * sw + 1;
        Rational[] out = zeros(r2 * c2);
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) out[i * sh * c2 + j * sw] = m.get(i, j);
        return new ExactArray(new int[] {r2, c2}, out);
    }

    /** "dX[1,2]" (matrix), "dX[3]" (sequence), "dX[1;0,2]" (several channels) from a flat C×H×W offset. */
    static String flatName(String v, ConvSpec spec, ExactArray chw, int flat, int channels) {
        int h = chw.dim(1), w = chw.dim(2);
        int c = flat / (h * w), r = flat / w % h, col = flat % w;
        return ExactConv.name(v, spec, channels, c, r, col);
    }

    private static Rational[] zeros(int n) {
        Rational[] z = new Rational[n];
        java.util.Arrays.fill(z, Rational.ZERO);
        return z;
    }

    private static <T> List<List<T>> lists(int n) {
        List<List<T>> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) l.add(new ArrayList<>());
        return l;
    }
}
