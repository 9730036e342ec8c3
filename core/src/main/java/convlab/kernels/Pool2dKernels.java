package convlab.kernels;

import convlab.geometry.PoolGeometry;

/**
 * Float32 pooling over NCHW planes, the training hot path. Same results as {@link Pool2dReference}
 * (same tie rule, so max pooling is bitwise equal to it and to PyTorch), one pass per plane with each
 * axis' window bounds worked out once.
 *
 * <p>Max pooling finds each window's maximum with Math.max, then its first position by equality
 * selects: no data-dependent branches, which on random activations the CPU mispredicts half the time
 * (measured 10x slower on 2x2 windows). A window holding NaN takes a rare slow path to its last NaN.
 * 2×2 windows at stride 2 run in {@link MaxPool2x2} (SIMD over the width).
 *
 * <p>Planes (N·C of them) are split over {@link Parallel} threads in fixed ranges: every output element
 * is written by exactly one thread and the backward scatters stay inside their own plane, so results
 * do not depend on timing.
 */
public final class Pool2dKernels {
    private Pool2dKernels() {}

    /** Planes per parallel part: enough elements that a hand-off is worth it. */
    private static int minPlanes(int planeSize) { return Math.max(1, (1 << 15) / Math.max(1, planeSize)); }

    /**
     * Window bounds along one axis: for output position o, kernel taps k in [first[o], end[o]) land
     * inside the input (taps in the padding are skipped, never read).
     */
    private record Taps(int[] first, int[] end, int[] start) {
        static Taps of(int out, int in, int k, int s, int p, int d) {
            int[] first = new int[out], end = new int[out], start = new int[out];
            for (int o = 0; o < out; o++) {
                int st = o * s - p;
                start[o] = st;
                first[o] = st < 0 ? (-st + d - 1) / d : 0;
                end[o] = Math.min(k, st >= in ? 0 : (in - 1 - st) / d + 1);
            }
            return new Taps(first, end, start);
        }
    }

    /**
     * Max pooling: out[planes·oh·ow] and argmax (flat index within the input plane) for the backward; argmax may be
     * null (inference), then only out is written, with the same values.
     */
    public static void maxForward(float[] x, int planes, int h, int w, PoolGeometry g, float[] out, int[] argmax) {
        int oh = g.outH(h), ow = g.outW(w);
        if (plain2x2(g, h, w)) {
            Parallel.forRange(planes, minPlanes(h * w), (p0, p1) -> MaxPool2x2.forward(x, p0, p1, h, w, oh, ow, out, argmax));
            return;
        }
        Taps rows = Taps.of(oh, h, g.kernelH(), g.strideH(), g.padH(), g.dilationH());
        Taps cols = Taps.of(ow, w, g.kernelW(), g.strideW(), g.padW(), g.dilationW());
        int dh = g.dilationH(), dw = g.dilationW();
        Parallel.forRange(planes, minPlanes(h * w), (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                int in = p * h * w, o = p * oh * ow;
                for (int i = 0; i < oh; i++) {
                    int ky0 = rows.first[i], ky1 = rows.end[i], rs = rows.start[i];
                    for (int j = 0; j < ow; j++, o++) {
                        int kx0 = cols.first[j], kx1 = cols.end[j], cs = cols.start[j];
                        float best = Float.NEGATIVE_INFINITY;
                        for (int ky = ky0; ky < ky1; ky++) {
                            int row = in + (rs + ky * dh) * w + cs;
                            for (int kx = kx0; kx < kx1; kx++) best = Math.max(best, x[row + kx * dw]);
                        }
                        int bestIndex = -1;                 // the first element equal to the maximum: scan backwards
                        for (int ky = ky1 - 1; ky >= ky0; ky--) {
                            int row = (rs + ky * dh) * w + cs;
                            for (int kx = kx1 - 1; kx >= kx0; kx--) bestIndex = x[in + row + kx * dw] == best ? row + kx * dw : bestIndex;
                        }
                        if (best != best) bestIndex = lastNaN(x, in, rows, cols, i, j, w, dh, dw);
                        out[o] = x[in + bestIndex];
                        if (argmax != null) argmax[o] = bestIndex;
                    }
                }
            }
        });
    }

    /** A window holding NaN (rare): its last NaN in scan order, PyTorch's choice. */
    private static int lastNaN(float[] x, int in, Taps rows, Taps cols, int i, int j, int w, int dh, int dw) {
        int found = -1;
        for (int ky = rows.first[i]; ky < rows.end[i]; ky++)
            for (int kx = cols.first[j]; kx < cols.end[j]; kx++) {
                int idx = (rows.start[i] + ky * dh) * w + cols.start[j] + kx * dw;
                if (x[in + idx] != x[in + idx]) found = idx;
            }
        return found;
    }

    /** 2×2 windows at stride 2, no padding or dilation: the case {@link MaxPool2x2} handles. */
    private static boolean plain2x2(PoolGeometry g, int h, int w) {
        return g.kernelH() == 2 && g.kernelW() == 2 && g.strideH() == 2 && g.strideW() == 2
                && g.padH() == 0 && g.padW() == 0 && g.dilationH() == 1 && g.dilationW() == 1
                && 2 * g.outH(h) <= h && 2 * g.outW(w) <= w;
    }

    /** gradIn (zeroed by the caller) += gradOut routed to each window's argmax. */
    public static void maxBackward(float[] gradOut, int[] argmax, int planes, int h, int w, int oh, int ow, float[] gradIn) {
        int hw = h * w, ohw = oh * ow;
        Parallel.forRange(planes, minPlanes(hw), (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                int in = p * hw, o = p * ohw;
                for (int k = 0; k < ohw; k++) gradIn[in + argmax[o + k]] += gradOut[o + k];
            }
        });
    }

    /** Average pooling (no dilation), summing each window in scan order and dividing once, as PyTorch. */
    public static void avgForward(float[] x, int planes, int h, int w, PoolGeometry g, boolean countIncludePad, float[] out) {
        int oh = g.outH(h), ow = g.outW(w);
        Taps rows = Taps.of(oh, h, g.kernelH(), g.strideH(), g.padH(), 1);
        Taps cols = Taps.of(ow, w, g.kernelW(), g.strideW(), g.padW(), 1);
        int[] div = divisors(h, w, g, countIncludePad);
        Parallel.forRange(planes, minPlanes(h * w), (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                int in = p * h * w, o = p * oh * ow;
                for (int i = 0; i < oh; i++) {
                    int r0 = rows.start[i] + rows.first[i], r1 = rows.start[i] + rows.end[i];
                    for (int j = 0; j < ow; j++, o++) {
                        int c0 = cols.start[j] + cols.first[j], c1 = cols.start[j] + cols.end[j];
                        float sum = 0f;
                        for (int r = r0; r < r1; r++)
                            for (int c = c0; c < c1; c++) sum += x[in + r * w + c];
                        out[o] = sum / div[i * ow + j];
                    }
                }
            }
        });
    }

    /** gradIn (zeroed by the caller) += gradOut / divisor over each window's input cells. */
    public static void avgBackward(float[] gradOut, int planes, int h, int w, PoolGeometry g, boolean countIncludePad, float[] gradIn) {
        int oh = g.outH(h), ow = g.outW(w);
        Taps rows = Taps.of(oh, h, g.kernelH(), g.strideH(), g.padH(), 1);
        Taps cols = Taps.of(ow, w, g.kernelW(), g.strideW(), g.padW(), 1);
        int[] div = divisors(h, w, g, countIncludePad);
        Parallel.forRange(planes, minPlanes(h * w), (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                int in = p * h * w, o = p * oh * ow;
                for (int i = 0; i < oh; i++) {
                    int r0 = rows.start[i] + rows.first[i], r1 = rows.start[i] + rows.end[i];
                    for (int j = 0; j < ow; j++, o++) {
                        int c0 = cols.start[j] + cols.first[j], c1 = cols.start[j] + cols.end[j];
                        float share = gradOut[o] / div[i * ow + j];
                        for (int r = r0; r < r1; r++)
                            for (int c = c0; c < c1; c++) gradIn[in + r * w + c] += share;
                    }
                }
            }
        });
    }

    private static int[] divisors(int h, int w, PoolGeometry g, boolean countIncludePad) {
        if (g.dilationH() != 1 || g.dilationW() != 1)
            throw new IllegalArgumentException("average pooling has no dilation, got " + g.dilationH() + "x" + g.dilationW());
        int oh = g.outH(h), ow = g.outW(w);
        int[] div = new int[oh * ow];
        for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++) div[i * ow + j] = Pool2dReference.avgDivisor(i, j, h, w, g, countIncludePad);
        return div;
    }

    /** Mean of each plane of hw elements, accumulated in float64. */
    public static void globalAvgForward(float[] x, int planes, int hw, float[] out) {
        Parallel.forRange(planes, minPlanes(hw), (p0, p1) -> {
            for (int p = p0; p < p1; p++) out[p] = (float) (PlaneReductions.sum(x, p * hw, hw) / hw);
        });
    }

    public static void globalAvgBackward(float[] gradOut, int planes, int hw, float[] gradIn) {
        Parallel.forRange(planes, minPlanes(hw), (p0, p1) -> {
            for (int p = p0; p < p1; p++) java.util.Arrays.fill(gradIn, p * hw, (p + 1) * hw, gradOut[p] / hw);
        });
    }
}
