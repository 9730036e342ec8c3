package convlab.explain;

import convlab.geometry.PaddingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Supplier;

/** The worked solution of an {@link ExactConvGrad} result, and the named mistakes its answers are checked against. */
public final class ConvGradExplain {
    private ConvGradExplain() {}

    /** The three gradients; with explain, the identities used and every entry written as its sum. */
    public static Worksheet worksheet(ExactConvGrad.Result r, boolean explain) {
        ConvSpec spec = r.spec();
        ExactConv.Result f = r.forward();
        Worksheet ws = new Worksheet();
        if (explain) {
            ws.heading("Gradients of " + (spec.transpose() ? "a transposed convolution" : spec.flip() ? "a convolution (kernel flipped)" : "a cross-correlation (nn.Conv2d)"));
            ws.text("input " + ConvExplain.squeeze(f.input(), spec).shapeText() + ", kernel " + ConvExplain.squeeze(f.kernel(), spec).shapeText()
                    + ", " + ConvExplain.settings(spec) + "; output and dY " + f.output().shapeText());
            ws.text("chain rule: each output entry y[o] is a sum of products x·w, so x's entry gains dY[o]·w and w's entry gains x·dY[o]");
            ws.matrix("dY", "dY", r.gradOutput());
            ws.heading("Kernel gradient");
            for (String line : kernelIdentity(spec)) ws.text(line);
            for (ExactConvGrad.Entry e : r.kernelEntries()) ws.text(entryText(e));
        }
        ws.matrix("dK (gradient w.r.t. the kernel) " + r.gradKernel().shapeText(), "dK", r.gradKernel());
        if (explain) {
            ws.heading("Input gradient");
            for (String line : inputIdentity(spec)) ws.text(line);
            ExactConvGrad.InputIdentity id = r.identity();
            if (id != null) {
                if (spec.stride()[0] * spec.stride()[1] > 1)
                    ws.matrix("dY spread by the stride (" + ConvExplain.pair(spec, spec.stride()) + "−1 zeros between entries)", "dY_{\\uparrow s}",
                            squeeze(id.spreadGradOutput(), spec));
                ws.matrix("kernel" + (spec.flip() ? " as applied (already flipped)" : "") + " rotated 180°", "w_{\\text{rot}}", ConvExplain.squeeze(id.rotatedKernel(), spec));
                if (spec.padding()[0] + spec.padding()[1] > 0 || leftover(r))
                    ws.matrix("full convolution before cropping", "dX_{\\text{full}}", ConvExplain.squeeze(id.full(), spec));
            }
            for (ExactConvGrad.Entry e : r.inputEntries()) ws.text(entryText(e));
        }
        ws.matrix("dX (gradient w.r.t. the input) " + r.gradInput().shapeText(), "dX", r.gradInput());
        if (explain) ws.heading("Bias gradient").text("db = Σ dY (every output entry adds the bias once) = " + biasSum(r.gradOutput()));
        else ws.text("db (gradient w.r.t. the bias) = " + r.gradBias());
        return ws;
    }

    private static boolean leftover(ExactConvGrad.Result r) {
        ExactArray full = r.identity().full(), x = r.forward().input();
        return full.dim(1) != x.dim(1) || full.dim(2) != x.dim(2);
    }

    static ExactArray squeeze(ExactArray m, ConvSpec spec) { return spec.oneD() ? m.reshape(m.size()) : m; }

    static List<String> kernelIdentity(ConvSpec s) {
        List<String> l = new ArrayList<>();
        String st = ConvExplain.pair(s, s.stride()), d = ConvExplain.pair(s, s.dilation());
        if (s.transpose()) {
            l.add("identity: dK = cross-correlation of dY with the input: dK[a,b] = Σᵢⱼ x[i,j]·dY[i·s + a·d − p, j·s + b·d − p] (s = " + st + ", d = " + d
                    + ", p = " + ConvExplain.pair(s, s.padding()) + "; positions cropped away contribute nothing)");
            return l;
        }
        l.add("identity: dK = cross-correlation of the " + (s.padding()[0] + s.padding()[1] > 0 ? "padded " : "") + "input with dY: "
                + (s.oneD() ? "dK[a] = Σᵢ x_pad[i·s + a·d]·dY[i]" : "dK[a,b] = Σᵢⱼ x_pad[i·s + a·d, j·s + b·d]·dY[i,j]")
                + " (s = " + st + ", d = " + d + ": dY's entries step s apart over the input, the kernel taps d apart)");
        if (s.flip()) l.add("the kernel is flipped before it is applied, so this correlation is rotated 180° back onto the kernel as given");
        return l;
    }

    static List<String> inputIdentity(ConvSpec s) {
        List<String> l = new ArrayList<>();
        String st = ConvExplain.pair(s, s.stride()), p = ConvExplain.pair(s, s.padding());
        if (s.transpose()) {
            l.add("identity: the input gradient of a transposed convolution is the ordinary cross-correlation of dY with the kernel"
                    + " (stride " + st + ", padding " + p + ", dilation " + ConvExplain.pair(s, s.dilation()) + "): dX[i,j] = Σₐᵦ dY[i·s + a·d − p, j·s + b·d − p]·w[a,b]");
            return l;
        }
        l.add("identity: dX = full convolution of dY with the kernel" + (s.flip() ? " as applied" : "")
                + ": spread dY by the stride (s−1 zeros between entries, s = " + st + "), pad it with d·(k−1) zeros, cross-correlate with the kernel rotated 180°"
                + (s.dilation()[0] * s.dilation()[1] > 1 ? " (taps d apart)" : "") + ", then crop the padding p = " + p + " from each side"
                + " (input rows or columns no window reached get 0)");
        if (s.mode() != PaddingMode.ZEROS && s.padding()[0] + s.padding()[1] > 0)
            l.add(s.mode().torchName() + " padding copies input entries, so each padded position's gradient is added to the entry it copies");
        return l;
    }

    /** "dK[0,1] = x[0,1]·dY[0,0] + ... = 7". */
    public static String entryText(ExactConvGrad.Entry e) {
        StringJoiner names = new StringJoiner(" + "), values = new StringJoiner(" + ");
        for (ExactConvGrad.Term t : e.terms()) {
            names.add(t.aWhere() + "·" + t.bWhere());
            values.add(Render.factor(t.a()) + "·" + Render.factor(t.b()));
        }
        return e.name() + " = " + (names.length() == 0 ? "0 (no output entry reads it)" : names + " = " + values + " = " + e.value());
    }

    private static String biasSum(ExactArray dy) {
        StringJoiner j = new StringJoiner(" + ");
        Rational s = Rational.ZERO;
        for (int i = 0; i < dy.size(); i++) { j.add(Render.factor(dy.flat(i))); s = s.add(dy.flat(i)); }
        return j + " = " + s;
    }

    // ---- checking answers ----

    public static ConvCheck.Verdict checkInput(ExactConvGrad.Result r, Answer given) {
        return ArrayCheck.check("dX", r.gradInput(), workings(r.inputEntries()), inputMistakes(r), given);
    }

    public static ConvCheck.Verdict checkKernel(ExactConvGrad.Result r, Answer given) {
        return ArrayCheck.check("dK", r.gradKernel(), workings(r.kernelEntries()), kernelMistakes(r), given);
    }

    public static ConvCheck.Verdict checkBias(ExactConvGrad.Result r, Answer given) {
        ExactArray right = new ExactArray(new int[] {1}, new Rational[] {r.gradBias()});
        ExactArray dy = r.gradOutput();
        Map<String, ExactArray> m = new LinkedHashMap<>();
        m.put("mean of dY instead of the sum", scalar(r.gradBias().divide(Rational.of(dy.size()))));
        m.put("number of output entries (dY taken as all ones)", scalar(Rational.of(dy.size())));
        m.put("sign error", scalar(r.gradBias().negate()));
        Answer g = given.kind() == Answer.Kind.MATRIX && given.matrix().size() == 1
                ? new Answer(Answer.Kind.NUMBER, null, given.matrix().flat(0), null, given.source()) : given;
        return ArrayCheck.check("db", right, List.of("db = Σ dY = " + biasSum(dy)), m, g);
    }

    private static ExactArray scalar(Rational v) { return new ExactArray(new int[] {1}, new Rational[] {v}); }

    private static List<String> workings(List<ExactConvGrad.Entry> entries) {
        return entries.stream().map(ConvGradExplain::entryText).toList();
    }

    /** dX under the common mistakes: kernel not flipped, stride ignored, padding not cropped, kernel transposed, answer transposed, sign. */
    static Map<String, ExactArray> inputMistakes(ExactConvGrad.Result r) {
        ConvSpec s = r.spec();
        ExactConv.Result f = r.forward();
        Map<String, ExactArray> m = new LinkedHashMap<>();
        int[] shape = r.gradInput().shape();
        if (!s.transpose()) {
            attempt(m, "kernel not flipped (correlated dY with the kernel instead of convolving)", () -> reshape(
                    ExactConvGrad.compute(f.input(), f.kernel(), r.gradOutput(), s.withFlip(!s.flip())).gradInput(), shape));
            if (s.mode() == PaddingMode.ZEROS) {
                int[] p = s.padding();
                ExactArray dy2 = r.gradOutput().rank() == 1 ? r.gradOutput().reshape(1, r.gradOutput().size()) : r.gradOutput();
                if (s.stride()[0] * s.stride()[1] > 1)
                    attempt(m, "stride ignored (no zeros inserted between the entries of dY)", () -> cropBoth(full(f, dy2, f.usedKernel(), s), p, shape));
                if (p[0] + p[1] > 0)
                    attempt(m, "padding rows not cropped (the full convolution kept its border)", () -> squeezeLike(r.identity().full(), shape));
                ExactArray spread = r.identity().spreadGradOutput();
                if (!s.oneD())
                    attempt(m, "kernel transposed instead of rotated 180°", () -> cropOrFull(full(f, spread, transposeEach(ExactConv.flip(f.usedKernel())), s), p, f, shape));
            }
        } else {
            attempt(m, "kernel flipped (convolved dY with the kernel instead of correlating)", () -> reshape(
                    ExactConv.apply(r.gradOutput(), f.kernel().channel(0), s.withTranspose(false).withOutputPadding(0, 0).withFlip(true).withBias(null)), shape));
        }
        addTransposeAndSign(m, r.gradInput());
        return m;
    }

    /** dK under the common mistakes: rotated 180°, stride ignored, padding ignored, transposed, sign. */
    static Map<String, ExactArray> kernelMistakes(ExactConvGrad.Result r) {
        ConvSpec s = r.spec();
        ExactConv.Result f = r.forward();
        Map<String, ExactArray> m = new LinkedHashMap<>();
        int[] shape = r.gradKernel().shape();
        attempt(m, s.flip() ? "not rotated back (the correlation of x with dY, but the kernel was flipped before use)"
                : "kernel gradient rotated 180° (convolved instead of correlated)", () -> ExactConv.flip(r.gradKernel().reshape(chw(r.gradKernel()))).reshape(shape));
        if (!s.transpose() && s.mode() == PaddingMode.ZEROS) {
            ExactArray dy2 = r.gradOutput().rank() == 1 ? r.gradOutput().reshape(1, r.gradOutput().size()) : r.gradOutput();
            int kh = f.kernel().dim(1), kw = f.kernel().dim(2);
            if (s.stride()[0] * s.stride()[1] > 1)
                attempt(m, "stride ignored (dY's entries placed next to each other over the input)", () -> kernelCorrelation(f.padded(), dy2, s, new int[] {1, 1}, kh, kw, shape));
            if (s.padding()[0] + s.padding()[1] > 0)
                attempt(m, "padding ignored (correlated the unpadded input with dY)", () -> kernelCorrelation(f.input(), dy2, s, s.stride(), kh, kw, shape));
        }
        addTransposeAndSign(m, r.gradKernel());
        return m;
    }

    private static int[] chw(ExactArray a) { return a.asChannels().shape(); }

    private static void addTransposeAndSign(Map<String, ExactArray> m, ExactArray right) {
        if (right.rank() == 2 && right.dim(0) > 1 && right.dim(1) > 1) m.putIfAbsent("transposed (rows and columns swapped)", right.transpose());
        m.putIfAbsent("sign error (every entry has the wrong sign)", right.negate());
        m.values().removeIf(v -> v.equals(right));
    }

    private static void attempt(Map<String, ExactArray> m, String name, Supplier<ExactArray> f) {
        try {
            ExactArray v = f.get();
            if (v != null && !m.containsValue(v)) m.putIfAbsent(name, v);
        } catch (IllegalArgumentException | IndexOutOfBoundsException impossible) { /* the mistake gives nothing for these sizes */ }
    }

    /** Full convolution (d·(k−1) zero padding, rotated kernel) of a dY-like matrix with each channel of the kernel as applied. */
    private static ExactArray full(ExactConv.Result f, ExactArray dy, ExactArray usedKernel, ConvSpec s) {
        int kh = usedKernel.dim(1), kw = usedKernel.dim(2);
        int[] d = s.dilation();
        ConvSpec full = ConvSpec.plain(s.oneD()).withDilation(d[0], d[1]).withPadding(d[0] * (kh - 1), d[1] * (kw - 1)).withFlip(true);
        List<ExactArray> out = new ArrayList<>();
        for (int c = 0; c < usedKernel.dim(0); c++) {
            ExactArray kc = usedKernel.channel(c);
            out.add(ExactConv.apply(dy, s.oneD() ? kc.reshape(kw) : kc, full));
        }
        return MatrixParser.stack(out);
    }

    private static ExactArray cropOrFull(ExactArray full, int[] p, ExactConv.Result f, int[] shape) {
        return reshape(ExactConvGrad.crop(full, p, f.input().dim(1), f.input().dim(2)), shape);
    }

    /** p cropped from each side of every channel (the size a student gets, which may not be the input's). */
    private static ExactArray cropBoth(ExactArray full, int[] p, int[] shape) {
        int c = full.dim(0), h = full.dim(1) - 2 * p[0], w = full.dim(2) - 2 * p[1];
        if (h < 1 || w < 1) return null;
        Rational[] out = new Rational[c * h * w];
        for (int ch = 0; ch < c; ch++)
            for (int r = 0; r < h; r++)
                for (int col = 0; col < w; col++) out[(ch * h + r) * w + col] = full.get(ch, r + p[0], col + p[1]);
        ExactArray a = new ExactArray(new int[] {c, h, w}, out);
        return c == 1 ? (shape.length == 1 ? a.reshape(h * w) : a.reshape(h, w)) : a;
    }

    /** Each channel of a C×kh×kw kernel transposed (kh×kw → kw×kh); only square kernels keep the shape. */
    private static ExactArray transposeEach(ExactArray k) {
        if (k.dim(1) != k.dim(2)) throw new IllegalArgumentException("not square");
        List<ExactArray> out = new ArrayList<>();
        for (int c = 0; c < k.dim(0); c++) out.add(k.channel(c).transpose());
        return MatrixParser.stack(out);
    }

    /** dK[c,a,b] = Σᵢⱼ x[c, i·stride + a·d, j·stride + b·d]·dY[i,j] over the given (padded or not) input, cut to kh×kw. */
    private static ExactArray kernelCorrelation(ExactArray xchw, ExactArray dy, ConvSpec s, int[] stride, int kh, int kw, int[] shape) {
        int c = xchw.dim(0), h = xchw.dim(1), w = xchw.dim(2), oh = dy.dim(0), ow = dy.dim(1);
        int st0 = stride[0], st1 = stride[1];
        int[] d = s.dilation();
        Rational[] out = new Rational[c * kh * kw];
        for (int ch = 0; ch < c; ch++)
            for (int a = 0; a < kh; a++)
                for (int b = 0; b < kw; b++) {
                    Rational sum = Rational.ZERO;
                    for (int i = 0; i < oh; i++)
                        for (int j = 0; j < ow; j++) {
                            int r = i * st0 + a * d[0], col = j * st1 + b * d[1];
                            if (r >= h || col >= w) throw new IllegalArgumentException("window leaves the input");
                            sum = sum.add(xchw.get(ch, r, col).multiply(dy.get(i, j)));
                        }
                    out[(ch * kh + a) * kw + b] = sum;
                }
        return new ExactArray(shape, out);
    }

    private static ExactArray reshape(ExactArray a, int[] shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return a.size() == n ? a.reshape(shape) : a;
    }

    private static ExactArray squeezeLike(ExactArray chw, int[] shape) {
        if (chw.dim(0) != 1) return chw;
        ExactArray m = chw.channel(0);
        return shape.length == 1 ? m.reshape(m.size()) : m;
    }
}
