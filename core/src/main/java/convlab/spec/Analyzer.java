package convlab.spec;

import convlab.explain.ParamCount;
import convlab.geometry.OutputSize;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToLongFunction;

/**
 * Shape inference, parameter / buffer / multiply-add counts and receptive fields of a spec for one input
 * shape: pure integer arithmetic on the layer records, no modules. Output sizes follow PyTorch's rules
 * ({@link OutputSize}, their one home):
 * <pre>
 *   conv:            ⌊(n + p_left + p_right − d(k−1) − 1)/s⌋ + 1
 *   transposed conv: (n − 1)s − 2p + d(k−1) + output_padding + 1
 *   pooling:         ⌊(n + 2p − k)/s⌋ + 1, or ⌈…⌉ + 1 in ceil mode (a last window must start inside input or left pad)
 * </pre>
 * Multiply-adds count convolutions and FC layers only (normalization, pooling and activations are linear
 * in the activation count and not counted); bias additions are not multiply-adds.
 */
final class Analyzer {
    private Analyzer() {}

    static Analysis analyze(Spec spec, FeatureShape input) {
        List<LayerStats> out = new ArrayList<>();
        FeatureShape shape = input;
        ReceptiveField rf = ReceptiveField.INPUT;
        List<Layer> layers = spec.layers();
        for (int i = 0; i < layers.size(); i++) {
            LayerStats s = layers.get(i) instanceof Layer.Merge m ? BranchAnalysis.merge(spec, i + 1, m, shape, rf, out)
                    : new Step(i + 1, layers.get(i), shape, rf).stats();
            out.add(s);
            shape = s.output();
            rf = s.rf();
        }
        long params = 0, buffers = 0, macs = 0;   // the totals Analysis reports: checked here once, exactly
        try {
            for (LayerStats s : out) {
                params = Math.addExact(params, s.params());
                buffers = Math.addExact(buffers, s.buffers());
                macs = Math.addExact(macs, s.macs());
            }
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("the network's total parameter, buffer or multiply-add count passes 2^63 "
                    + "(9.2·10^18): too large to compute");
        }
        return new Analysis(spec, input, out);
    }

    /** One layer applied to one input shape. */
    private record Step(int index, Layer layer, FeatureShape in, ReceptiveField rf) {

        private IllegalArgumentException fail(String message) {
            return new IllegalArgumentException("layer " + index + " (" + layer.source() + ") with input " + in + ": " + message);
        }

        private LayerStats stats(FeatureShape out, long params, String paramsExpr, long buffers, String buffersExpr,
                                 long macs, String macsExpr) {
            ReceptiveField after = rfAfter();
            return new LayerStats(index, layer, in, out, params, paramsExpr, buffers, buffersExpr, macs, macsExpr,
                    after, rf.explainAfter(layer));
        }

        /** A layer that changes neither the shape nor the receptive field and has no parameters. */
        private LayerStats passThrough() { return stats(in, 0, "", 0, "", 0, ""); }

        LayerStats stats() {
            return switch (layer) {
                case Layer.Conv c when c.kind() == Layer.ConvKind.TRANSPOSED -> transposed(c);
                case Layer.Conv c -> conv(c);
                case Layer.Pool p -> pool(p);
                case Layer.GlobalAvgPool g -> {
                    requireSpatial("GAP");
                    yield stats(FeatureShape.flat(in.channels()), 0, "", 0, "", 0, "");
                }
                case Layer.Flatten f -> stats(FeatureShape.flat(checkedInt(numel(in))), 0, "", 0, "", 0, "");
                case Layer.Fc fc -> fc(fc);
                case Layer.Relu r -> passThrough();
                case Layer.Label l -> passThrough();
                case Layer.Merge m -> throw new IllegalStateException("merges are analysed by BranchAnalysis");
                case Layer.Dropout d -> {
                    if (d.spatial()) requireSpatial("DROPOUT2D (it drops whole channels)");
                    yield passThrough();
                }
                case Layer.BatchNorm bn -> {
                    int c = in.channels();
                    yield stats(in, bn.affine() ? 2L * c : 0, bn.affine() ? "2×" + c : "",
                            bn.meanOnly() ? c : 2L * c, bn.meanOnly() ? Integer.toString(c) : "2×" + c, 0, "");
                }
                case Layer.LayerNorm ln -> stats(in, ln.affine() ? mul(2, numel(in)) : 0, ln.affine() ? "2×(" + in + ")" : "",
                        0, "", 0, "");
                case Layer.GroupNorm gn -> {
                    if (in.channels() % gn.groups() != 0)
                        throw fail(gn.groups() + " groups do not divide the " + in.channels() + " channels");
                    yield stats(in, gn.affine() ? 2L * in.channels() : 0, gn.affine() ? "2×" + in.channels() : "",
                            0, "", 0, "");
                }
            };
        }

        private void requireSpatial(String what) {
            if (in.isFlat())
                throw fail(what + " needs an image (H×W×C) or a 1-d signal (L×C), but gets a flat vector of "
                        + in.channels() + "; put it before FLATTEN/GAP/FC");
        }

        /** Exact product of sizes: an overflow is an error naming the layer, never a wrapped-around number. */
        private long mul(long... factors) {
            long v = 1;
            try {
                for (long f : factors) v = Math.multiplyExact(v, f);
            } catch (ArithmeticException e) {
                throw fail("a size or count passes 2^63 (9.2·10^18): too large to compute");
            }
            return v;
        }

        private long add(long a, long b) {
            try {
                return Math.addExact(a, b);
            } catch (ArithmeticException e) {
                throw fail("a size or count passes 2^63 (9.2·10^18): too large to compute");
            }
        }

        private long numel(FeatureShape s) {
            long n = s.channels();
            for (int d : s.spatial()) n = mul(n, d);
            return n;
        }

        private ReceptiveField rfAfter() {
            try {
                return rf.after(layer);
            } catch (ArithmeticException e) {
                throw fail("the receptive field passes 2^63 (9.2·10^18) input positions: too large to compute");
            }
        }

        private int checkedInt(long v) {
            if (v > Integer.MAX_VALUE) throw fail("the output has " + v + " values, more than a tensor can hold");
            return (int) v;
        }

        /** Applies an output-size rule to every spatial axis; a non-positive size is an error naming the axis. */
        private FeatureShape spatialMap(int channels, IntToLongFunction size, String rule) {
            List<Integer> out = new ArrayList<>();
            for (int a = 0; a < in.spatial().size(); a++) {
                int n = in.spatial().get(a);
                long o = size.applyAsLong(n);   // long: (n − 1)·s of a transposed conv can pass 2³¹
                String formula = " (" + rule.replace("n", Integer.toString(n)) + ")";
                if (o <= 0) throw fail("the " + axis(a) + " would be " + o + formula + "; the input is too small for this layer");
                if (o > OutputSize.MAX) throw fail("the " + axis(a) + " would be " + o + formula + ", too large");
                out.add((int) o);
            }
            if (channels <= 0) throw fail("the output would have " + channels + " channels");
            return new FeatureShape(out, channels);
        }

        private String axis(int a) { return in.spatial().size() == 1 ? "length" : a == 0 ? "height" : "width"; }

        /** "3×3" for 2-d, "3" for 1-d: the kernel's spatial factors in a product. */
        private String kernelFactors(int k) { return in.spatial().size() == 1 ? "" + k : k + "×" + k; }

        private long kernelArea(int k) { return in.spatial().size() == 1 ? k : (long) k * k; }

        private LayerStats conv(Layer.Conv c) {
            requireSpatial("a convolution");
            int cin = in.channels();
            int groups = c.groups() == 0 ? cin : c.groups();
            int filters = c.filters() == 0 ? cin : c.filters();
            if (c.kind() == Layer.ConvKind.DEPTHWISE && filters % cin != 0)
                throw fail("a depthwise convolution's filter count must be a multiple of the " + cin + " input channels, got " + filters);
            if (cin % groups != 0 || filters % groups != 0)
                throw fail("groups " + groups + " must divide both the " + cin + " input channels and the " + filters + " filters");
            for (int a = 0; a < in.spatial().size(); a++) {
                try {
                    c.mode().checkPadding(Math.max(c.leftPadding(), c.rightPadding()), in.spatial().get(a), axis(a));
                } catch (IllegalArgumentException e) { throw fail(e.getMessage()); }
            }
            int kEff = c.effectiveKernel(), s = c.stride(), pl = c.leftPadding(), pr = c.rightPadding();
            String rule = "⌊(n + " + (pl + pr) + " − " + kEff + ")/" + s + "⌋ + 1";
            FeatureShape out = spatialMap(filters, n -> OutputSize.convExact(n, c.kernel(), s, (long) pl + pr, c.dilation()), rule);
            int perGroup = cin / groups;
            ParamCount.Result count = count(() -> ParamCount.conv(groups == 1 ? ParamCount.Kind.STANDARD : ParamCount.Kind.GROUPED,
                    kernel(c.kernel()), perGroup, filters, c.bias() ? filters : 0));
            long macs = mul(numel(out), kernelArea(c.kernel()), perGroup);
            String macsExpr = out + " × " + kernelFactors(c.kernel()) + "×" + perGroup;
            return stats(out, count.params(), count.paramProduct(), 0, "", macs, macsExpr);
        }

        /** A parameter count from its one home (ParamCount); an overflow is an error naming the layer. */
        private ParamCount.Result count(java.util.function.Supplier<ParamCount.Result> f) {
            try {
                return f.get();
            } catch (ArithmeticException e) {
                throw fail("a size or count passes 2^63 (9.2·10^18): too large to compute");
            }
        }

        /** The kernel's spatial extents: k, k for 2-d, k for 1-d. */
        private int[] kernel(int k) { return in.spatial().size() == 1 ? new int[] {k} : new int[] {k, k}; }

        private LayerStats transposed(Layer.Conv c) {
            requireSpatial("a transposed convolution");
            int cin = in.channels(), groups = c.groups(), filters = c.filters();
            if (cin % groups != 0 || filters % groups != 0)
                throw fail("groups " + groups + " must divide both the " + cin + " input channels and the " + filters + " filters");
            int s = c.stride(), p = c.padding(), kEff = c.effectiveKernel(), op = c.outputPadding();
            String rule = "(n − 1)×" + s + " − 2×" + p + " + " + (kEff - 1) + " + " + op + " + 1";
            FeatureShape out = spatialMap(filters, n -> OutputSize.transposedExact(n, c.kernel(), s, p, c.dilation(), op), rule);
            int perGroup = filters / groups;
            ParamCount.Result count = count(() -> ParamCount.conv(groups == 1 ? ParamCount.Kind.STANDARD : ParamCount.Kind.GROUPED,
                    kernel(c.kernel()), cin, perGroup, c.bias() ? filters : 0));
            long macs = mul(numel(in), kernelArea(c.kernel()), perGroup);
            String macsExpr = in + " × " + kernelFactors(c.kernel()) + "×" + perGroup;
            return stats(out, count.params(), count.paramProduct(), 0, "", macs, macsExpr);
        }

        private LayerStats pool(Layer.Pool p) {
            requireSpatial(p.max() ? "max pooling" : "average pooling");
            int k = p.kernel(), s = p.stride(), pad = p.padding();
            String rule = (p.ceil() ? "⌈" : "⌊") + "(n + " + 2 * pad + " − " + k + ")/" + s + (p.ceil() ? "⌉" : "⌋") + " + 1";
            FeatureShape out = spatialMap(in.channels(), n -> OutputSize.poolExact(n, k, s, pad, 1, p.ceil()), rule);
            return stats(out, 0, "", 0, "", 0, "");
        }

        private LayerStats fc(Layer.Fc fc) {
            if (!in.isFlat())
                throw fail("FC needs a flat input but gets " + in + "; put FLATTEN (or GAP) before it");
            int n = in.channels(), k = fc.outputs();
            ParamCount.Result count = count(() -> ParamCount.linear(n, k, fc.bias()));
            return stats(FeatureShape.flat(k), count.params(), count.paramProduct(), 0, "",
                    (long) n * k, n + "×" + k);
        }
    }
}
