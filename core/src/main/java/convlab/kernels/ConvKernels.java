package convlab.kernels;

import java.util.Arrays;

/**
 * Fast float32 convolution (cross-correlation, NCHW), forward and backward, by im2col + {@link Gemm#sgemm}:
 * for each image and group, y = w·col(x), dcol = wᵀ·dy (then col2im), dw += dy·col(x)ᵀ.
 * A 1×1 stride-1 unpadded convolution uses the input itself as the column matrix.
 *
 * <p>The batch is split over {@link Parallel} into contiguous ranges of images; weight-gradient partial sums
 * of the ranges are added in range order, so results depend only on the thread count. Column buffers come
 * from {@link ConvScratch}. The definition these must agree with is {@link ConvReference}.
 */
public final class ConvKernels {
    private ConvKernels() {}

    /** y = conv(x, w) + bias (bias may be null), then max(y, 0) when relu; y is overwritten. */
    public static void forward(float[] x, float[] w, float[] bias, float[] y, ConvGeometry g, boolean relu) {
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
                    if (bias != null)
                        for (int o = 0; o < outCg; o++) Arrays.fill(y, yOff + o * P, yOff + (o + 1) * P, bias[grp * outCg + o]);
                    Gemm.sgemm(false, false, outCg, P, K, 1f, w, grp * outCg * K, K, b, bOff, P, bias == null ? 0f : 1f, y, yOff, P);
                    if (relu) for (int i = yOff, e = yOff + outCg * P; i < e; i++) y[i] = Math.max(y[i], 0f);
                }
            if (col != null) ConvScratch.give(col);
        });
    }

    /** gx = dL/dx from gy = dL/dy; gx is overwritten. */
    public static void backwardInput(float[] gy, float[] w, float[] gx, ConvGeometry g) {
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

    /** gw = dL/dw from gy and the forward input x; gw is overwritten. */
    public static void backwardWeight(float[] gy, float[] x, float[] gw, ConvGeometry g) {
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
     * convolution (or of a transposed one). Each image's plane is summed in float32, the planes in float64.
     */
    public static void channelSums(float[] gy, float[] gb, int n, int c, int plane) {
        for (int ch = 0; ch < c; ch++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                int off = (i * c + ch) * plane;
                float t = 0f;
                for (int p = 0; p < plane; p++) t += gy[off + p];
                s += t;
            }
            gb[ch] = (float) s;
        }
    }

    /** Zeroes gy where the forward output y (after ReLU) is not positive: the backward of a fused ReLU. */
    public static void reluMask(float[] gy, float[] y, float[] out) {
        for (int i = 0; i < out.length; i++) out[i] = y[i] > 0f ? gy[i] : 0f;
    }

    private static int parts(int n) { return Math.max(1, Math.min(Parallel.threads(), n)); }

    private static int rangeStart(int n, int parts, int part) { return (int) ((long) n * part / parts); }

    private static void forImages(int n, Parallel.RangeBody body) {
        int parts = parts(n);
        Parallel.forEachPart(parts, p -> body.run(rangeStart(n, parts, p), rangeStart(n, parts, p + 1)));
    }
}
