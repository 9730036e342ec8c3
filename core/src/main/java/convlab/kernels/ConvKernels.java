package convlab.kernels;

import convlab.geometry.ConvGeometry;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * Fast float32 convolution (cross-correlation, NCHW), forward and backward. Two algorithms:
 * <ul>
 * <li>stride 1 (the common case): {@link ConvDirect}, products straight from a padded copy of each image,
 *     no column matrix; the backward computes input, weight and bias gradients in one pass over the batch,
 *     with a fused ReLU's mask applied on the way;
 * <li>any stride: im2col + {@link Gemm#sgemm}: for each image and group, y = w·col(x), dcol = wᵀ·dy (then
 *     col2im), dw += dy·col(x)ᵀ; a 1×1 unpadded convolution uses the input itself as the column matrix.
 * </ul>
 *
 * <p>The batch is split over {@link Parallel} into contiguous ranges of images; weight-gradient partial sums
 * of the ranges are added in range order, so results depend only on the thread count. Column buffers come
 * from {@link ConvScratch}. The definition these must agree with is {@link ConvReference}.
 */
public final class ConvKernels {
    private ConvKernels() {}

    /** y = conv(x, w) + bias (bias may be null), then max(y, 0) when relu; y is overwritten. */
    public static void forward(float[] x, float[] w, float[] bias, float[] y, ConvGeometry g, boolean relu) {
        if (ConvDirect.applies(g)) {
            ConvDirect.Plan p = ConvDirect.plan(g);
            forImages(g.n(), (start, end) -> {
                float[] xp = ConvScratch.take(p.xpLength), tmp = ConvScratch.take(g.outCg() * p.qf);
                for (int n = start; n < end; n++) ConvDirect.forwardImage(x, w, bias, y, n, p, relu, xp, tmp, n > start);
                ConvScratch.give(xp);
                ConvScratch.give(tmp);
            });
            return;
        }
        Im2col.Plan plan = new Im2col.Plan(g);
        int K = g.colRows(), P = g.outPlane(), outCg = g.outCg();
        forImages(g.n(), (start, end) -> {
            float[] col = plan.identity() ? null : ConvScratch.take(K * P);
            for (int n = start; n < end; n++)
                for (int grp = 0; grp < g.groups(); grp++) {
                    int xOff = (n * g.inC() + grp * g.inCg()) * g.inPlane(), yOff = (n * g.outC() + grp * outCg) * P;
                    float[] b = x;
                    int bOff = xOff;
                    if (col != null) { Im2col.im2col(x, xOff, col, plan); b = col; bOff = 0; }
                    Gemm.sgemm(false, false, outCg, P, K, 1f, w, grp * outCg * K, K, b, bOff, P, 0f, y, yOff, P);
                    biasRelu(y, yOff, P, outCg, bias, grp * outCg, relu);
                }
            if (col != null) ConvScratch.give(col);
        });
    }

    /** The epilogue of the forward GEMM, one pass: y[o, p] += bias[o], then max(·, 0) when relu. */
    private static void biasRelu(float[] y, int yOff, int P, int rows, float[] bias, int biasOff, boolean relu) {
        if (bias == null && !relu) return;
        for (int o = 0; o < rows; o++) {
            float b = bias == null ? 0f : bias[biasOff + o];
            int from = yOff + o * P, to = from + P;
            if (relu) for (int i = from; i < to; i++) y[i] = Math.max(y[i] + b, 0f);
            else for (int i = from; i < to; i++) y[i] += b;
        }
    }

    /**
     * All gradients of a convolution in one call: gx = dL/dx, gw = dL/dw, gb = dL/db from gy = dL/dy, each
     * computed only when its array is not null (and then overwritten). When yRelu (the output of a fused
     * ReLU) is given, gy counts only where yRelu &gt; 0. x is needed for gw, w for gx.
     */
    public static void backward(float[] gy, float[] yRelu, float[] x, float[] w, float[] gx, float[] gw, float[] gb, ConvGeometry g) {
        if (!ConvDirect.applies(g)) {
            float[] masked = gy;
            if (yRelu != null) { masked = new float[gy.length]; reluMask(gy, yRelu, masked); }
            if (gx != null) backwardInputIm2col(masked, w, gx, g);
            if (gw != null) backwardWeightIm2col(masked, x, gw, g);
            if (gb != null) channelSums(masked, gb, g.n(), g.outC(), g.outPlane());
            return;
        }
        ConvDirect.Plan p = ConvDirect.plan(g);
        float[][] wt = gx == null ? null : ConvDirect.packBackward(w, p);
        // Each part of the batch sums its own weight gradient (layout: ConvDirect.weightGradientAt) and bias
        // gradient (per SIMD lane); parts and lanes are added in a fixed order at the end: deterministic for a
        // given thread count.
        int parts = parts(g.n());
        float[][] gwPart = new float[parts][], gbPart = new float[parts][];
        Parallel.forEachPart(parts, part -> {
            float[] gBuf = ConvScratch.take(p.gLength);
            Arrays.fill(gBuf, 0, p.gLength, 0f);   // once: the images write only its output positions
            float[] xp = gw == null ? null : ConvScratch.take(p.xpLength);
            float[] gxp = gx == null ? null : ConvScratch.take(g.inCg() * p.qb);
            float[] gwSums = gw == null ? null : ConvScratch.take(p.gwLength);
            float[] bt = gw == null || p.gwDots ? null : ConvScratch.take(OffsetGemm.transposedLength(Math.min(p.K, g.outCg()), p.qf));
            if (gwSums != null) Arrays.fill(gwSums, 0, p.gwLength, 0f);
            float[] edgeTile = new float[OffsetGemm.MR * OffsetGemm.QUANTUM];
            float[] gbLanes = gb == null ? null : new float[g.outC() * OffsetGemm.VL];
            for (int start = rangeStart(g.n(), parts, part), n = start, end = rangeStart(g.n(), parts, part + 1); n < end; n++)
                ConvDirect.backwardImage(gy, yRelu, x, wt, gx, gwSums, gbLanes, n, p, gBuf, xp, gxp, bt, edgeTile, n > start);
            ConvScratch.give(gBuf);
            if (xp != null) ConvScratch.give(xp);
            if (bt != null) ConvScratch.give(bt);
            if (gxp != null) ConvScratch.give(gxp);
            gwPart[part] = gwSums;
            gbPart[part] = gbLanes;
        });
        if (gw != null) { reduceWeightGradient(gwPart, gw, p); for (float[] q : gwPart) ConvScratch.give(q); }
        if (gb != null) reduceLanes(gbPart, gb, g.outC(), OffsetGemm.VL);
    }

    /**
     * gw[(grp·outCg + o)·K + r] = Σ_part of the part's sum for (grp, o, r), parts in order (in float64); a part's
     * per-lane sums ({@link ConvDirect.Plan#gwDots}) are first added lane by lane in float, as {@link #reduceLanes}.
     */
    private static void reduceWeightGradient(float[][] parts, float[] gw, ConvDirect.Plan p) {
        int outCg = p.g.outCg(), lanes = p.gwDots ? RowDots.VL : 1;
        for (int grp = 0; grp < p.g.groups(); grp++)
            for (int o = 0; o < outCg; o++)
                for (int r = 0; r < p.K; r++) {
                    int at = ConvDirect.weightGradientAt(p, grp, o, r);
                    double s = 0;
                    for (float[] part : parts) {
                        float t = 0f;
                        for (int l = 0; l < lanes; l++) t += part[at + l];
                        s += t;
                    }
                    gw[(grp * outCg + o) * p.K + r] = (float) s;
                }
    }

    /** out[i] = Σ_part Σ_lane parts[part][i·lanes + lane], in that fixed order (in float64). */
    private static void reduceLanes(float[][] parts, float[] out, int size, int lanes) {
        for (int i = 0; i < size; i++) {
            double s = 0;
            for (float[] part : parts) {
                float t = 0f;
                for (int l = 0; l < lanes; l++) t += part[i * lanes + l];
                s += t;
            }
            out[i] = (float) s;
        }
    }

    /** gx = dL/dx from gy = dL/dy; gx is overwritten. */
    public static void backwardInput(float[] gy, float[] w, float[] gx, ConvGeometry g) {
        backward(gy, null, null, w, gx, null, null, g);
    }

    /** gw = dL/dw from gy and the forward input x; gw is overwritten. */
    public static void backwardWeight(float[] gy, float[] x, float[] gw, ConvGeometry g) {
        backward(gy, null, x, null, null, gw, null, g);
    }

    private static void backwardInputIm2col(float[] gy, float[] w, float[] gx, ConvGeometry g) {
        Im2col.Plan plan = new Im2col.Plan(g);
        int K = g.colRows(), P = g.outPlane(), outCg = g.outCg(), imageIn = g.inC() * g.inPlane();
        forImages(g.n(), (start, end) -> {
            float[] col = plan.identity() ? null : ConvScratch.take(K * P);
            for (int n = start; n < end; n++) {
                if (col != null) Arrays.fill(gx, n * imageIn, (n + 1) * imageIn, 0f);
                for (int grp = 0; grp < g.groups(); grp++) {
                    int xOff = (n * g.inC() + grp * g.inCg()) * g.inPlane(), yOff = (n * g.outC() + grp * outCg) * P;
                    if (col == null) {   // the column matrix is gx itself
                        Gemm.sgemm(true, false, K, P, outCg, 1f, w, grp * outCg * K, K, gy, yOff, P, 0f, gx, xOff, P);
                        continue;
                    }
                    Gemm.sgemm(true, false, K, P, outCg, 1f, w, grp * outCg * K, K, gy, yOff, P, 0f, col, 0, P);
                    Im2col.col2imAdd(col, gx, xOff, plan);
                }
            }
            if (col != null) ConvScratch.give(col);
        });
    }

    private static void backwardWeightIm2col(float[] gy, float[] x, float[] gw, ConvGeometry g) {
        Im2col.Plan plan = new Im2col.Plan(g);
        int K = g.colRows(), P = g.outPlane(), outCg = g.outCg(), wSize = g.weightSize();
        int parts = parts(g.n());
        float[][] partial = new float[parts][];
        Parallel.forEachPart(parts, part -> {
            int start = rangeStart(g.n(), parts, part), end = rangeStart(g.n(), parts, part + 1);
            float[] acc = part == 0 ? gw : ConvScratch.take(wSize);
            Arrays.fill(acc, 0, wSize, 0f);
            float[] col = plan.identity() ? null : ConvScratch.take(K * P);
            for (int n = start; n < end; n++)
                for (int grp = 0; grp < g.groups(); grp++) {
                    int xOff = (n * g.inC() + grp * g.inCg()) * g.inPlane(), yOff = (n * g.outC() + grp * outCg) * P;
                    float[] b = x;
                    int bOff = xOff;
                    if (col != null) { Im2col.im2col(x, xOff, col, plan); b = col; bOff = 0; }
                    Gemm.sgemm(false, true, outCg, K, P, 1f, gy, yOff, P, b, bOff, P, 1f, acc, grp * outCg * K, K);
                }
            if (col != null) ConvScratch.give(col);
            partial[part] = acc;
        });
        for (int part = 1; part < parts; part++) {   // fixed order: deterministic for a given thread count
            float[] p = partial[part];
            for (int i = 0; i < wSize; i++) gw[i] += p[i];
            ConvScratch.give(p);
        }
    }

    /**
     * Per-channel sums of an (n, c, plane) array, gb[c] = Σ_{n, p} gy[n, c, p]: the bias gradient of a
     * convolution (or of a transposed one). Summed per SIMD lane over all images (a fixed order, no
     * cross-lane reduction until the end), then the lanes and the tail in float64.
     */
    public static void channelSums(float[] gy, float[] gb, int n, int c, int plane) {
        int vl = SPECIES.length(), bound = SPECIES.loopBound(plane);
        for (int ch = 0; ch < c; ch++) {
            FloatVector acc = FloatVector.zero(SPECIES);
            double tail = 0;
            for (int i = 0; i < n; i++) {
                int off = (i * c + ch) * plane;
                for (int p = 0; p < bound; p += vl) acc = acc.add(FloatVector.fromArray(SPECIES, gy, off + p));
                for (int p = bound; p < plane; p++) tail += gy[off + p];
            }
            double s = tail;
            for (int l = 0; l < vl; l++) s += acc.lane(l);
            gb[ch] = (float) s;
        }
    }

    /** Zeroes gy where the forward output y (after ReLU) is not positive: the backward of a fused ReLU. */
    public static void reluMask(float[] gy, float[] y, float[] out) { reluMask(gy, y, 0, out, 0, out.length); }

    /**
     * out[o + i] = y[from + i] &gt; 0 ? gy[from + i] : 0 for i &lt; len, with vector blends: a branch per element
     * would be mispredicted half the time, since ReLU outputs are zero about half the time.
     */
    static void reluMask(float[] gy, float[] y, int from, float[] out, int o, int len) {
        int i = 0;
        for (int end = SPECIES.loopBound(len); i < end; i += SPECIES.length()) {
            FloatVector yv = FloatVector.fromArray(SPECIES, y, from + i);
            FloatVector.zero(SPECIES).blend(FloatVector.fromArray(SPECIES, gy, from + i), yv.compare(VectorOperators.GT, 0f))
                    .intoArray(out, o + i);
        }
        if (i < len) {   // the rest in one masked vector: rows of 14 or 28 are mostly tail with 16 lanes
            var m = SPECIES.indexInRange(i, len);
            FloatVector yv = FloatVector.fromArray(SPECIES, y, from + i, m);
            FloatVector.zero(SPECIES).blend(FloatVector.fromArray(SPECIES, gy, from + i, m), yv.compare(VectorOperators.GT, 0f))
                    .intoArray(out, o + i, m);
        }
    }

    private static final VectorSpecies<Float> SPECIES = Vectors.FLOAT;

    private static int parts(int n) { return Math.max(1, Math.min(Parallel.threads(), n)); }

    private static int rangeStart(int n, int parts, int part) { return (int) ((long) n * part / parts); }

    private static void forImages(int n, Parallel.RangeBody body) {
        int parts = parts(n);
        Parallel.forEachPart(parts, p -> body.run(rangeStart(n, parts, p), rangeStart(n, parts, p + 1)));
    }
}
