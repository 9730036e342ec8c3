package convlab.explain;

import convlab.explain.answer.Question;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Parameter and multiply-add counts of one layer, each written as the product a course writes, in the
 * course's one factor order: kernel, input channels each filter sees, filters, then the biases
 * ("3×3×10×10 + 10 = 910", K·K·C·F + F; a linear layer C·F + F). This is the one home of these counts and
 * their expressions: {@code convlab params} and the spec summary ({@code convlab summary}) both print them.
 * (PyTorch stores the same weights as out × in/groups × kh × kw.)
 * Kinds: standard (groups = 1), grouped, depthwise (groups = in, out = multiplier·in),
 * depthwise-separable (depthwise k×k then pointwise 1×1), and linear (fully connected).
 */
public final class ParamCount {
    private ParamCount() {}

    public enum Kind { STANDARD, GROUPED, DEPTHWISE, SEPARABLE, LINEAR }

    /** A count as factors and their product, e.g. factors [3,3,3,4] → "3×3×3×4 = 108". */
    public record Term(String what, long[] factors) {
        public long value() {
            long v = 1;
            for (long f : factors) v = Math.multiplyExact(v, f);
            return v;
        }

        public String product() {
            StringJoiner j = new StringJoiner("×");
            for (long f : factors) j.add(Long.toString(f));
            return j.toString();
        }

        @Override public String toString() { return what + ": " + product() + (factors.length > 1 ? " = " + value() : ""); }
    }

    /**
     * @param weights one term per weight tensor (two for separable)
     * @param biases  one term per bias (empty without bias)
     * @param macs    multiply-adds per weight tensor for one input (empty when no spatial size was given)
     */
    public record Result(Kind kind, List<Term> weights, List<Term> biases, List<Term> macs) {
        public long params() { return sum(weights) + sum(biases); }
        public long weightCount() { return sum(weights); }
        public long macCount() { return sum(macs); }

        /** "3×3×3×4 + 4 = 112". */
        public String paramExpression() { return paramProduct() + " = " + params(); }

        /** "3×3×3×4 + 4": the sum of products, without its value. */
        public String paramProduct() {
            StringJoiner j = new StringJoiner(" + ");
            for (Term t : weights) j.add(t.product());
            for (Term t : biases) j.add(t.product());
            return j.toString();
        }

        public String macExpression() {
            StringJoiner j = new StringJoiner(" + ");
            for (Term t : macs) j.add(t.product());
            return j + " = " + macCount();
        }
    }

    private static long sum(List<Term> ts) {
        long s = 0;
        for (Term t : ts) s = Math.addExact(s, t.value());
        return s;
    }

    /**
     * @param out        output channels (for depthwise: out = multiplier × in; for linear: output features)
     * @param outSpatial output height and width, or null to skip multiply-adds
     */
    public static Result count(Kind kind, int in, int out, int kh, int kw, int groups, boolean bias, int[] outSpatial) {
        if (in < 1 || out < 1 || kh < 1 || kw < 1 || groups < 1)
            throw new IllegalArgumentException("channels, kernel size and groups must be >= 1 (in " + in + ", out " + out + ", kernel " + kh + "×" + kw + ", groups " + groups + ")");
        List<Term> w = new ArrayList<>(), b = new ArrayList<>(), m = new ArrayList<>();
        long oh = outSpatial == null ? 0 : outSpatial[0], ow = outSpatial == null ? 0 : outSpatial[1];
        switch (kind) {
            case LINEAR -> {
                Result r = linear(in, out, bias);
                return new Result(kind, r.weights(), r.biases(), List.of(new Term("multiply-adds (in × out)", new long[] {in, out})));
            }
            case STANDARD -> groups = 1;
            case DEPTHWISE -> {
                if (out % in != 0) throw new IllegalArgumentException("a depthwise convolution needs out channels (" + out + ") to be a multiple of in channels (" + in + ")");
                groups = in;
            }
            case SEPARABLE -> {
                w.add(new Term("depthwise weights (kh × kw × 1 × in)", new long[] {kh, kw, 1, in}));
                if (bias) b.add(new Term("depthwise biases", new long[] {in}));
                w.add(new Term("pointwise weights (1 × 1 × in × out)", new long[] {1, 1, in, out}));
                if (bias) b.add(new Term("pointwise biases", new long[] {out}));
                if (outSpatial != null) {
                    // The depthwise stage carries the stride; the pointwise 1×1 runs on its output.
                    m.add(new Term("depthwise multiply-adds (oh × ow × in × kh × kw)", new long[] {oh, ow, in, kh, kw}));
                    m.add(new Term("pointwise multiply-adds (oh × ow × out × in)", new long[] {oh, ow, out, in}));
                }
                return new Result(kind, w, b, m);
            }
            case GROUPED -> { }
        }
        if (in % groups != 0 || out % groups != 0)
            throw new IllegalArgumentException("groups " + groups + " must divide both in channels " + in + " and out channels " + out);
        Result r = conv(kind, new int[] {kh, kw}, in / groups, out, bias ? out : 0);
        if (outSpatial != null) m.add(new Term("multiply-adds (oh × ow × out × kh × kw × in/groups)", new long[] {oh, ow, out, kh, kw, in / groups}));
        return new Result(kind, r.weights(), r.biases(), m);
    }

    /**
     * The parameters of a convolution in the course's order: one kernel factor per spatial axis (two for an image,
     * one for a 1-d signal), the input channels each filter sees, the filters; plus {@code biases} biases (one per
     * output channel, or 0). A transposed convolution passes its input channels and out/groups (PyTorch's weight is
     * in × out/groups × k × k). Throws an ArithmeticException when the count passes 2⁶³.
     */
    public static Result conv(Kind kind, int[] kernel, long channelsPerFilter, long filters, long biases) {
        long[] f = new long[kernel.length + 2];
        StringJoiner names = new StringJoiner(" × ", "weights (", ")");
        for (int a = 0; a < kernel.length; a++) {
            f[a] = kernel[a];
            names.add(kernel.length == 1 ? "k" : a == 0 ? "kh" : "kw");
        }
        f[kernel.length] = channelsPerFilter;
        f[kernel.length + 1] = filters;
        names.add("in/groups").add("out");
        Result r = new Result(kind, List.of(new Term(names.toString(), f)),
                biases > 0 ? List.of(new Term("biases", new long[] {biases})) : List.of(), List.of());
        r.params();   // an overflow shows here, not later
        return r;
    }

    /** The parameters of a fully connected layer: in × out weights (the course's C·F) plus out biases. */
    public static Result linear(long in, long out, boolean bias) {
        Result r = new Result(Kind.LINEAR, List.of(new Term("weights (in × out)", new long[] {in, out})),
                bias ? List.of(new Term("biases", new long[] {out})) : List.of(), List.of());
        r.params();
        return r;
    }

    /**
     * Common ways to get a parameter count wrong, by the number they give (only those that differ from
     * the right count): bias forgotten, groups ignored, in or out channels left out, one bias for the layer.
     */
    public static Map<Long, String> mistakes(Result r, int in, int out, int kh, int kw, int groups, boolean bias) {
        Map<Long, String> m = new LinkedHashMap<>();
        long right = r.params();
        if (bias) add(m, right, r.weightCount(), "biases forgotten");
        if (!bias) add(m, right, r.params() + (r.kind() == Kind.SEPARABLE ? in + out : out), "biases counted although the layer has none");
        if (bias && r.biases().size() == 1) add(m, right, r.weightCount() + 1, "one bias for the whole layer instead of one per output channel");
        if (r.kind() == Kind.GROUPED || r.kind() == Kind.DEPTHWISE)
            add(m, right, count(Kind.STANDARD, in, out, kh, kw, 1, bias, null).params(), "groups ignored (counted a standard convolution)");
        if (r.kind() == Kind.SEPARABLE)
            add(m, right, count(Kind.STANDARD, in, out, kh, kw, 1, bias, null).params(), "counted a standard convolution instead of depthwise-separable");
        if (r.kind() == Kind.STANDARD) {
            add(m, right, (long) in * kh * kw + (bias ? 1 : 0), "counted one filter only (forgot the number of output channels)");
            add(m, right, (long) out * kh * kw + (bias ? out : 0), "forgot the input channels (each filter is in × kh × kw)");
        }
        return m;
    }

    /**
     * Common ways to get a multiply-add count wrong: counted for one output position only, used the
     * input size instead of the output size, or counted the parameters instead.
     */
    public static Map<Long, String> macMistakes(Result r, int[] inputSize) {
        Map<Long, String> m = new LinkedHashMap<>();
        long right = r.macCount();
        long perPosition = 0, withInputSize = 0;
        for (Term t : r.macs()) {
            long[] f = t.factors();
            if (f.length <= 2) continue;  // linear: no spatial factors
            long rest = t.value() / Math.max(1, f[0] * f[1]);
            perPosition += rest;
            if (inputSize != null) withInputSize += rest * inputSize[0] * inputSize[1];
        }
        if (perPosition > 0) add(m, right, perPosition, "counted one output position only (forgot the output height × width)");
        if (inputSize != null) add(m, right, withInputSize, "used the input size instead of the output size");
        add(m, right, r.weightCount(), "counted the weights, not the multiply-adds");
        return m;
    }

    /**
     * The question "how many parameters?" for this layer: the right count, the formula in K (kernel), C (in
     * channels), F (out channels) and G (groups), the answers of other conventions (a depthwise-separable
     * layer with a bias only on the pointwise step, as Keras's SeparableConv2D counts it) and of the
     * common mistakes.
     */
    public static Question paramsQuestion(Result r, int in, int out, int kh, int kw, int groups, boolean bias) {
        String expr = r.paramExpression();
        Question q = Question.of("params", r.params()).note(expr.substring(0, expr.lastIndexOf(" = ")));
        boolean square = kh == kw;
        String k2 = square ? "K^2" : "K_h K_w";
        if (r.kind() != Kind.LINEAR) {
            if (square) q.variable("K", kh, 1, 7, "k");
            else q.variable("K_h", kh, 1, 7, "k_h").variable("K_w", kw, 1, 7, "k_w");
        }
        q.variable("C", in, 1, 64, "C_in", "c_in").variable("F", out, 1, 64, "C_out", "c_out");
        String b = bias ? " + F" : "";
        String formula = switch (r.kind()) {
            case LINEAR -> "C F" + b;
            case STANDARD -> k2 + " C F" + b;
            case GROUPED -> k2 + " (C/G) F" + b;
            case DEPTHWISE -> k2 + " F" + b;
            case SEPARABLE -> k2 + " C" + (bias ? " + C" : "") + " + C F" + b;
        };
        if (r.kind() == Kind.GROUPED) {
            q.variable("G", groups, 1, 8, "g");
            q.constraint(m -> divides(m.get("G"), m.get("C")) && divides(m.get("G"), m.get("F")));
        }
        if (r.kind() == Kind.DEPTHWISE) q.constraint(m -> divides(m.get("C"), m.get("F")));
        q.formula(formula);
        if (r.kind() == Kind.SEPARABLE && bias)
            q.convention("Keras SeparableConv2D (a bias only on the pointwise step; two PyTorch Conv2d layers have both biases)",
                    Rational.of(r.weightCount() + out), k2 + " C + C F + F");
        q.mistakes(mistakes(r, in, out, kh, kw, groups, bias));
        return q;
    }

    /** The question "how many multiply-adds?" (needs the output size), with the common mistakes. */
    public static Question macsQuestion(Result r, int[] inputSize) {
        String expr = r.macExpression();
        Question q = Question.of("macs", r.macCount()).note(expr.substring(0, expr.lastIndexOf(" = ")));
        long flops = Math.multiplyExact(2, r.macCount());
        q.mistake("counted FLOPs (a multiply-add is 2 operations), not multiply-adds", Rational.of(flops), (String) null);
        q.mistakes(macMistakes(r, inputSize));
        return q;
    }

    private static boolean divides(Rational d, Rational n) {
        return !d.isZero() && n.numerator().mod(d.numerator()).signum() == 0;
    }

    private static void add(Map<Long, String> m, long right, long value, String why) {
        if (value != right) m.putIfAbsent(value, why);
    }
}
