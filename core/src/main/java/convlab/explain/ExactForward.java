package convlab.explain;

import convlab.geometry.PaddingMode;
import convlab.kernels.Pool2dReference;
import convlab.geometry.PoolGeometry;
import convlab.spec.Analysis;
import convlab.spec.FeatureShape;
import convlab.spec.Layer;
import convlab.spec.LayerStats;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A network of the architecture language run on one example in exact arithmetic (fractions), in eval mode
 * (dropout passes values through, batch norm uses its running statistics), giving every row's output.
 * Activations are {@link ExactArray}s in PyTorch's order for one example: C×H×W, C×L, or C (flat). Every
 * layer follows the same definition as the float engine (padding positions from {@link PaddingMode#source},
 * pooling windows and divisors from {@link PoolGeometry} and {@link Pool2dReference#avgDivisor}).
 * A normalization is exact only where its square root is rational; otherwise it is an error saying so.
 */
public final class ExactForward {
    private ExactForward() {}

    /** Largest work (multiply-adds over all examples) and parameter count the exact calculator takes on. */
    public static final long MAX_MACS = 20_000_000, MAX_PARAMS = 1_000_000;

    /** Refuses networks too large for exact arithmetic, before any weight is read. */
    public static void checkSize(Analysis a, int examples) {
        if (a.totalParams() > MAX_PARAMS)
            throw new IllegalArgumentException("the network has " + a.totalParams() + " parameters; forward computes exactly with at most " + MAX_PARAMS);
        if (a.totalMacs() > MAX_MACS / Math.max(1, examples))
            throw new IllegalArgumentException("the network needs " + a.totalMacs() + " multiply-adds per example; forward computes exactly with at most "
                    + MAX_MACS + " in all (use a smaller input or fewer examples)");
        long widest = a.input().numel();
        for (LayerStats s : a.layers()) widest = Math.max(widest, s.output().numel());
        if (widest > 1_000_000) throw new IllegalArgumentException("a layer output has " + widest + " values; forward computes exactly with at most 1000000");
    }

    /** Every row's output for input x (shape as {@link #layout} of the analysis input). */
    public static List<ExactArray> run(Analysis a, ExactWeights w, ExactArray x) {
        if (!java.util.Arrays.equals(x.shape(), layout(a.input())))
            throw new IllegalArgumentException("the input is " + x.shapeText() + " but the network takes " + a.input());
        List<ExactArray> outs = new ArrayList<>();
        ExactArray cur = x;
        for (LayerStats s : a.layers()) {
            try {
                cur = layer(s, w, cur, outs);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("layer " + s.index() + " (" + s.name() + "): " + e.getMessage(), e);
            }
            outs.add(cur);
        }
        return outs;
    }

    /**
     * The shape of one example given as a parsed matrix: a C×H×W stack is an H×W×C image, a matrix an H×W×1
     * image, a sequence a flat vector when the network starts with FC (after any pointwise layers and labels),
     * else an L×1 signal.
     */
    public static FeatureShape inferShape(ExactArray x, convlab.spec.Spec spec) {
        return switch (x.rank()) {
            case 3 -> FeatureShape.image(x.dim(1), x.dim(2), x.dim(0));
            case 2 -> FeatureShape.image(x.dim(0), x.dim(1), 1);
            case 1 -> startsFlat(spec) ? FeatureShape.flat(x.dim(0)) : new FeatureShape(List.of(x.dim(0)), 1);
            default -> throw new IllegalArgumentException("expected a sequence, a matrix or channels separated by '|', got an array of shape " + x.shapeText());
        };
    }

    private static boolean startsFlat(convlab.spec.Spec spec) {
        for (Layer l : spec.layers()) {
            switch (l) {
                case Layer.Fc f -> { return true; }
                case Layer.Relu r -> { }
                case Layer.Dropout d when !d.spatial() -> { }
                case Layer.Label lab -> { }
                default -> { return false; }
            }
        }
        return false;
    }

    /** The values of x as one example of shape s (PyTorch's order); the count of values must match. */
    public static ExactArray example(ExactArray x, FeatureShape s) {
        int[] shape = layout(s);
        if (x.size() != s.numel())
            throw new IllegalArgumentException("the input has " + x.size() + " values (" + x.shapeText() + ") but the shape " + s + " needs " + s.numel());
        return x.reshape(shape);
    }

    /** The shape of one example in PyTorch's order: (C, H, W), (C, L) or (C). */
    public static int[] layout(FeatureShape s) {
        int[] b = s.withBatch(1);
        return java.util.Arrays.copyOfRange(b, 1, b.length);
    }

    private static ExactArray layer(LayerStats s, ExactWeights w, ExactArray x, List<ExactArray> before) {
        int[] outShape = layout(s.output());
        String p = s.index() + ".";
        return switch (s.layer()) {
            case Layer.Conv c when c.kind() == Layer.ConvKind.TRANSPOSED -> transposed(c, x, w.get(p + "weight"), c.bias() ? w.get(p + "bias") : null, outShape);
            case Layer.Conv c -> conv(c, x, w.get(p + "weight"), c.bias() ? w.get(p + "bias") : null, outShape);
            case Layer.Pool pool -> pool(pool, x, outShape);
            case Layer.GlobalAvgPool g -> gap(x);
            case Layer.Relu r -> x.map(v -> v.signum() < 0 ? Rational.ZERO : v);
            case Layer.Dropout d -> x;   // eval mode
            case Layer.Flatten f -> x.reshape(outShape);
            case Layer.Label l -> x;
            case Layer.Fc fc -> fc(x, w.get(p + "weight"), fc.bias() ? w.get(p + "bias") : null);
            case Layer.BatchNorm bn -> batchNorm(bn, x, w, p);
            case Layer.LayerNorm ln -> normalize(x, 1, exact(ln.eps()), ln.affine() ? w.get(p + "weight") : null,
                    ln.affine() ? w.get(p + "bias") : null, false);
            case Layer.GroupNorm gn -> normalize(x, gn.groups(), exact(gn.eps()), gn.affine() ? w.get(p + "weight") : null,
                    gn.affine() ? w.get(p + "bias") : null, true);
            case Layer.Merge m -> merge(m, x, before, outShape);
        };
    }

    /** (H, W) of an activation; a 1-d signal is one row. */
    private static int height(ExactArray x) { return x.rank() == 3 ? x.dim(1) : 1; }

    private static int width(ExactArray x) { return x.rank() == 3 ? x.dim(2) : x.dim(1); }

    private static ExactArray conv(Layer.Conv c, ExactArray x, ExactArray w, ExactArray b, int[] outShape) {
        boolean oneD = x.rank() == 2;
        int cin = x.dim(0), h = height(x), wd = width(x), k = c.kernel(), s = c.stride(), d = c.dilation(), pad = c.leftPadding();
        int f = outShape[0], oh = oneD ? 1 : outShape[1], ow = outShape[outShape.length - 1];
        int groups = c.groups() == 0 ? cin : c.groups(), cg = cin / groups, fg = f / groups;
        int kh = oneD ? 1 : k;
        PaddingMode mode = c.mode();
        Rational[] xs = data(x), ws = data(w), out = new Rational[f * oh * ow];
        for (int o = 0; o < f; o++) {
            int g = o / fg;
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++) {
                    Rational sum = b == null ? Rational.ZERO : b.flat(o);
                    for (int ci = 0; ci < cg; ci++)
                        for (int a = 0; a < kh; a++) {
                            int r = oneD ? 0 : mode.source(i * s + a * d - pad, h);
                            if (r < 0) continue;
                            for (int bb = 0; bb < k; bb++) {
                                int col = mode.source(j * s + bb * d - pad, wd);
                                if (col < 0) continue;
                                int ka = c.flip() ? kh - 1 - a : a, kb = c.flip() ? k - 1 - bb : bb;
                                Rational wv = ws[((o * cg + ci) * kh + ka) * k + kb];
                                if (!wv.isZero()) sum = sum.add(xs[((g * cg + ci) * h + r) * wd + col].multiply(wv));
                            }
                        }
                    out[(o * oh + i) * ow + j] = sum;
                }
        }
        return new ExactArray(outShape, out);
    }

    private static ExactArray transposed(Layer.Conv c, ExactArray x, ExactArray w, ExactArray b, int[] outShape) {
        boolean oneD = x.rank() == 2;
        int cin = x.dim(0), h = height(x), wd = width(x), k = c.kernel(), s = c.stride(), d = c.dilation(), pad = c.padding();
        int f = outShape[0], oh = oneD ? 1 : outShape[1], ow = outShape[outShape.length - 1];
        int groups = c.groups(), cg = cin / groups, fg = f / groups, kh = oneD ? 1 : k;
        Rational[] xs = data(x), ws = data(w), out = new Rational[f * oh * ow];
        for (int o = 0; o < f; o++) for (int q = 0; q < oh * ow; q++) out[o * oh * ow + q] = b == null ? Rational.ZERO : b.flat(o);
        for (int ci = 0; ci < cin; ci++) {
            int g = ci / cg;
            for (int i = 0; i < h; i++)
                for (int j = 0; j < wd; j++) {
                    Rational xv = xs[(ci * h + i) * wd + j];
                    if (xv.isZero()) continue;
                    for (int fo = 0; fo < fg; fo++)
                        for (int a = 0; a < kh; a++) {
                            int r = oneD ? 0 : i * s + a * d - pad;
                            if (r < 0 || r >= oh) continue;
                            for (int bb = 0; bb < k; bb++) {
                                int col = j * s + bb * d - pad;
                                if (col < 0 || col >= ow) continue;
                                int at = ((g * fg + fo) * oh + r) * ow + col;
                                out[at] = out[at].add(xv.multiply(ws[((ci * fg + fo) * kh + a) * k + bb]));
                            }
                        }
                }
        }
        return new ExactArray(outShape, out);
    }

    private static ExactArray pool(Layer.Pool p, ExactArray x, int[] outShape) {
        boolean oneD = x.rank() == 2;
        PoolGeometry g = oneD ? PoolGeometry.oneD(p.kernel(), p.stride(), p.padding(), 1, p.ceil())
                : new PoolGeometry(p.kernel(), p.kernel(), p.stride(), p.stride(), p.padding(), p.padding(), 1, 1, p.ceil());
        int c = x.dim(0), h = height(x), w = width(x), oh = oneD ? 1 : outShape[1], ow = outShape[outShape.length - 1];
        Rational[] xs = data(x), out = new Rational[c * oh * ow];
        for (int ch = 0; ch < c; ch++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++) {
                    Rational acc = null;
                    for (int a = 0; a < g.kernelH(); a++)
                        for (int bb = 0; bb < g.kernelW(); bb++) {
                            int r = i * g.strideH() - g.padH() + a, col = j * g.strideW() - g.padW() + bb;
                            if (r < 0 || r >= h || col < 0 || col >= w) continue;
                            Rational v = xs[(ch * h + r) * w + col];
                            acc = acc == null ? v : p.max() ? (v.compareTo(acc) > 0 ? v : acc) : acc.add(v);
                        }
                    if (!p.max()) acc = acc.divide(Rational.of(Pool2dReference.avgDivisor(i, j, h, w, g, p.countIncludePad())));
                    out[(ch * oh + i) * ow + j] = acc;
                }
        return new ExactArray(outShape, out);
    }

    private static ExactArray gap(ExactArray x) {
        int c = x.dim(0), n = x.size() / c;
        Rational[] out = new Rational[c];
        for (int ch = 0; ch < c; ch++) {
            Rational sum = Rational.ZERO;
            for (int q = 0; q < n; q++) sum = sum.add(x.flat(ch * n + q));
            out[ch] = sum.divide(Rational.of(n));
        }
        return new ExactArray(new int[] {c}, out);
    }

    private static ExactArray fc(ExactArray x, ExactArray w, ExactArray b) {
        int k = w.dim(0), n = w.dim(1);
        Rational[] out = new Rational[k];
        for (int o = 0; o < k; o++) {
            Rational sum = b == null ? Rational.ZERO : b.flat(o);
            for (int i = 0; i < n; i++) {
                Rational wv = w.flat(o * n + i);
                if (!wv.isZero()) sum = sum.add(wv.multiply(x.flat(i)));
            }
            out[o] = sum;
        }
        return new ExactArray(new int[] {k}, out);
    }

    /** Eval mode: y = (x − running_mean)/√(running_var + eps)·γ + β; mean-only: y = (x − running_mean)·γ + β. */
    private static ExactArray batchNorm(Layer.BatchNorm bn, ExactArray x, ExactWeights w, String p) {
        int c = x.dim(0), n = x.size() / c;
        ExactArray mean = w.get(p + "running_mean");
        Rational eps = exact(bn.eps());
        Rational[] out = new Rational[x.size()];
        for (int ch = 0; ch < c; ch++) {
            Rational scale = bn.affine() ? w.get(p + "weight").flat(ch) : Rational.ONE;
            if (!bn.meanOnly()) {
                Rational v = w.get(p + "running_var").flat(ch);
                if (v.signum() < 0) throw new IllegalArgumentException("running_var of channel " + (ch + 1) + " is negative (" + v + ")");
                scale = scale.divide(sqrt(v.add(eps), "√(running_var + eps) = √(" + v + " + " + eps + ") of channel " + (ch + 1)));
            }
            Rational shift = bn.affine() ? w.get(p + "bias").flat(ch) : Rational.ZERO;
            for (int q = 0; q < n; q++) out[ch * n + q] = x.flat(ch * n + q).subtract(mean.flat(ch)).multiply(scale).add(shift);
        }
        return new ExactArray(x.shape(), out);
    }

    /**
     * Layer norm (groups = 1, weight and bias shaped like x) or group norm (per-channel weight and bias):
     * per group, y = (x − μ)/√(σ² + eps) with the biased variance σ², then the affine map.
     */
    private static ExactArray normalize(ExactArray x, int groups, Rational eps, ExactArray weight, ExactArray bias, boolean perChannel) {
        int c = x.dim(0), per = x.size() / groups, perChannel1 = x.size() / c;
        Rational[] out = new Rational[x.size()];
        for (int g = 0; g < groups; g++) {
            Rational sum = Rational.ZERO;
            for (int q = 0; q < per; q++) sum = sum.add(x.flat(g * per + q));
            Rational mu = sum.divide(Rational.of(per)), sq = Rational.ZERO;
            for (int q = 0; q < per; q++) { Rational dv = x.flat(g * per + q).subtract(mu); sq = sq.add(dv.multiply(dv)); }
            Rational var = sq.divide(Rational.of(per));
            Rational sd = sqrt(var.add(eps), "√(σ² + eps) = √(" + var + " + " + eps + ")" + (groups > 1 ? " of group " + (g + 1) : ""));
            for (int q = 0; q < per; q++) {
                int at = g * per + q;
                Rational y = x.flat(at).subtract(mu).divide(sd);
                if (weight != null) {
                    int wi = perChannel ? at / perChannel1 : at;
                    y = y.multiply(weight.flat(wi)).add(bias.flat(wi));
                }
                out[at] = y;
            }
        }
        return new ExactArray(x.shape(), out);
    }

    private static ExactArray merge(Layer.Merge m, ExactArray x, List<ExactArray> before, int[] outShape) {
        List<ExactArray> parts = new ArrayList<>();
        parts.add(x);
        for (int row : m.from()) parts.add(before.get(row - 1));
        if (!m.concat()) {
            ExactArray sum = x;
            for (int k = 1; k < parts.size(); k++) {
                ExactArray y = parts.get(k), s0 = sum;
                Rational[] out = new Rational[s0.size()];
                for (int i = 0; i < out.length; i++) out[i] = s0.flat(i).add(y.flat(i));
                sum = new ExactArray(s0.shape(), out);
            }
            return sum;
        }
        List<Rational> out = new ArrayList<>();
        for (ExactArray part : parts) for (int i = 0; i < part.size(); i++) out.add(part.flat(i));   // channel-major: channels stack
        return new ExactArray(outShape, out.toArray(Rational[]::new));
    }

    private static Rational[] data(ExactArray a) {
        Rational[] out = new Rational[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.flat(i);
        return out;
    }

    /** A spec's eps (a double read from a decimal such as 1e-5) as the decimal it was written as. */
    static Rational exact(double eps) { return Rational.parse(BigDecimal.valueOf(eps).toPlainString()); }

    /** The exact square root, or an error saying the layer has no exact value. */
    static Rational sqrt(Rational r, String what) {
        BigInteger n = r.numerator(), d = r.denominator();
        if (r.signum() > 0) {
            BigInteger sn = n.sqrt(), sd = d.sqrt();
            if (sn.multiply(sn).equals(n) && sd.multiply(sd).equals(d)) return Rational.of(sn, sd);
        }
        throw new IllegalArgumentException(what + " is not a rational number, so this layer has no exact value (≈ "
                + Math.sqrt(r.toDouble()) + "); choose values that make it a perfect square, e.g. running_var = v − eps for a square v");
    }
}
