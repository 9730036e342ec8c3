package convlab.explain;

import java.util.Arrays;
import java.util.StringJoiner;

/** The worked solution of an {@link ExactConv} result: size formula, padded input, flipped kernel, every sum. */
public final class ConvExplain {
    private ConvExplain() {}

    public static Worksheet worksheet(ExactConv.Result r) {
        ConvSpec spec = r.spec();
        Worksheet ws = new Worksheet();
        ws.heading(spec.transpose() ? "Transposed convolution" : spec.flip() ? "Convolution (kernel flipped)" : "Cross-correlation (kernel not flipped, as in nn.Conv2d)");
        ws.text("input " + squeeze(r.input(), spec).shapeText() + ", kernel " + squeeze(r.kernel(), spec).shapeText() + ", " + settings(spec));
        ws.text("output size: " + spec.sizeFormulaSymbolic());
        int[] axes = spec.oneD() ? new int[] {1} : new int[] {0, 1};
        for (int a : axes) ws.arithmetic("  " + spec.axisName(a) + ": " + spec.sizeFormula(a, r.input().dim(a + 1), r.kernel().dim(a + 1)));
        if (r.padded() != null && (spec.padding()[0] > 0 || spec.padding()[1] > 0))
            ws.matrix("padded input (" + spec.mode().torchName() + ")", "x_{\\text{padded}}", squeeze(r.padded(), spec));
        if (spec.flip())
            ws.matrix("flipped kernel (rotated 180°; true convolution = cross-correlation with it)", "w_{\\text{flipped}}", squeeze(r.usedKernel(), spec));
        if (spec.transpose()) {
            ws.text("each input entry adds its value times the kernel to the output, placed at (row·stride − padding, col·stride − padding)"
                    + (spec.padding()[0] + spec.padding()[1] > 0 ? "; parts outside the output are cropped" : "") + ":");
            for (ExactConv.Scatter s : r.scatters()) {
                String at = spec.oneD() ? "position " + s.col() : "row " + s.row() + ", col " + s.col();
                ws.matrix(s.xWhere() + " = " + s.x() + " → " + s.x() + "·kernel at " + at, latexName(s.xWhere()) + " \\cdot w", squeeze1(s.scaledKernel(), spec));
            }
            ws.text("overlap sums:");
        }
        for (ExactConv.Entry e : r.entries()) ws.equation(entryText(e), entryLatex(e));
        ws.matrix("output " + r.output().shapeText(), "y", r.output());
        return ws;
    }

    static String settings(ConvSpec s) {
        StringJoiner j = new StringJoiner(", ");
        j.add("stride " + pair(s, s.stride())).add("padding " + pair(s, s.padding()) + (s.transpose() ? "" : " (" + s.mode().torchName() + ")"));
        if (s.dilation()[0] != 1 || s.dilation()[1] != 1) j.add("dilation " + pair(s, s.dilation()));
        if (s.transpose()) j.add("output padding " + pair(s, s.outputPadding()));
        if (s.bias() != null) j.add("bias " + s.bias());
        return j.toString();
    }

    static String pair(ConvSpec s, int[] v) { return s.oneD() || v[0] == v[1] ? String.valueOf(v[1]) : v[0] + "," + v[1]; }

    /** "y[0,1] = 1·2 + 0·(−1) + bias 3 = 5". */
    public static String entryText(ExactConv.Entry e) {
        StringJoiner sum = new StringJoiner(" + ");
        for (ExactConv.Term t : e.terms()) sum.add(Render.factor(t.x()) + "·" + Render.factor(t.w()));
        if (e.bias() != null) sum.add("bias " + Render.factor(e.bias()));
        String body = sum.length() == 0 ? "0 (nothing lands here)" : sum.toString();
        return "y" + index(e.index()) + " = " + body + " = " + e.value();
    }

    public static String entryLatex(ExactConv.Entry e) {
        StringJoiner sum = new StringJoiner(" + ");
        for (ExactConv.Term t : e.terms()) sum.add(Render.latexFactor(t.x()) + " \\cdot " + Render.latexFactor(t.w()));
        if (e.bias() != null) sum.add(Render.latexFactor(e.bias()));
        return "y_{" + String.join(",", Arrays.stream(e.index()).mapToObj(String::valueOf).toList()) + "} = "
                + (sum.length() == 0 ? "0" : sum.toString()) + " = " + e.value().toLatex();
    }

    static String index(int[] idx) {
        return "[" + String.join(",", Arrays.stream(idx).mapToObj(String::valueOf).toList()) + "]";
    }

    /** "x[1,2]" → "x_{1,2}". */
    static String latexName(String name) {
        int b = name.indexOf('[');
        return b < 0 ? name : name.substring(0, b) + "_{" + name.substring(b + 1, name.length() - 1).replace(";", ";\\,") + "}";
    }

    /** A C×H×W array shown as a matrix when C = 1, as a sequence when 1-D. */
    static ExactArray squeeze(ExactArray chw, ConvSpec spec) {
        if (chw.dim(0) != 1) return chw;
        ExactArray m = chw.channel(0);
        return spec.oneD() ? m.reshape(m.dim(1)) : m;
    }

    private static ExactArray squeeze1(ExactArray hw, ConvSpec spec) { return spec.oneD() ? hw.reshape(hw.dim(1)) : hw; }

    /**
     * Which outputs a truncated operand ("1, 1/2, 1/4, ...": the start of a longer sequence) leaves
     * incomplete, for a 1-D convolution. A truncated input: the entries whose window reaches past its
     * last given value. A truncated kernel under true convolution with zero padding, stride 1, dilation 1:
     * in signal terms y[n] = Σᵢ h[i]·x[n−i], the taps i ≥ K only reach y[n] with n ≥ K, where output
     * index o is signal index n = o − p + K − 1. Otherwise every entry may change.
     */
    public static String truncationNote(ExactConv.Result r, boolean inputTruncated, boolean kernelTruncated) {
        ConvSpec s = r.spec();
        if (!inputTruncated && !kernelTruncated) return null;
        if (!s.oneD() || s.transpose()) return "note: an operand was written as the start of a longer sequence; only the values given are used";
        int n = r.input().dim(2), k = r.kernel().dim(2), out = r.output().size();
        int p = s.padding()[1], st = s.stride()[1], d = s.dilation()[1];
        int firstBad = out;
        if (inputTruncated)
            for (int o = 0; o < out && firstBad == out; o++)
                if (o * st + (k - 1) * d - p >= n) firstBad = o;  // the window's last position lies beyond the given input
        if (kernelTruncated) {
            if (!s.flip() || s.mode() != convlab.geometry.PaddingMode.ZEROS || st != 1 || d != 1)
                return "note: the kernel was written as the start of a longer sequence; with these settings every output entry may change when it continues";
            firstBad = Math.min(firstBad, Math.max(0, p + 1));  // n = o − p + K − 1 ≥ K  ⇔  o ≥ p + 1
        }
        if (firstBad == 0) return "note: the sequence continues beyond the values given: every output entry would change with the missing values";
        if (firstBad >= out) return "note: the sequence continues beyond the values given, but no output entry shown depends on the missing part";
        return "note: the sequence continues beyond the values given: y[0.." + (firstBad - 1) + "] are exact, y[" + firstBad
                + "] onwards would change with the missing values";
    }
}
