package convlab.kernels;

import convlab.geometry.ConvGeometry;
import convlab.geometry.PaddingMode;

/**
 * The definition of convolution (cross-correlation, as in PyTorch) as plain float64 loops:
 * y[n, o, oh, ow] = b[o] + Σ_{c, kh, kw} w[o, c, kh, kw] · x[n, g·inCg + c, src(oh, kh), src(ow, kw)]
 * where g = o / outCg is the group of output channel o and src is {@link PaddingMode#source}.
 * The backward functions are the same sum read the other way round.
 *
 * <p>Used for float64 tensors (gradient checks) and as the reference the fast float32 kernels are
 * tested against. Slow on purpose: no tables, no tricks.
 */
public final class ConvReference {
    private ConvReference() {}

    /** y = conv(x, w) + b (b may be null); y is overwritten. */
    public static void forward(double[] x, double[] w, double[] b, double[] y, ConvGeometry g) {
        int outCg = g.outCg(), inCg = g.inCg();
        for (int n = 0; n < g.n(); n++)
            for (int o = 0; o < g.outC(); o++) {
                int grp = o / outCg;
                for (int oh = 0; oh < g.outH(); oh++)
                    for (int ow = 0; ow < g.outW(); ow++) {
                        double s = b == null ? 0 : b[o];
                        for (int c = 0; c < inCg; c++)
                            for (int kh = 0; kh < g.kH(); kh++)
                                for (int kw = 0; kw < g.kW(); kw++) {
                                    int xi = inputIndex(g, n, grp * inCg + c, oh, kh, ow, kw);
                                    if (xi >= 0) s += w[weightIndex(g, o, c, kh, kw)] * x[xi];
                                }
                        y[outputIndex(g, n, o, oh, ow)] = s;
                    }
            }
    }

    /** gx = dL/dx given gy = dL/dy; gx is overwritten. Padded positions pass their gradient to their source. */
    public static void backwardInput(double[] gy, double[] w, double[] gx, ConvGeometry g) {
        java.util.Arrays.fill(gx, 0, g.inputSize(), 0);
        int outCg = g.outCg(), inCg = g.inCg();
        for (int n = 0; n < g.n(); n++)
            for (int o = 0; o < g.outC(); o++) {
                int grp = o / outCg;
                for (int oh = 0; oh < g.outH(); oh++)
                    for (int ow = 0; ow < g.outW(); ow++) {
                        double gv = gy[outputIndex(g, n, o, oh, ow)];
                        for (int c = 0; c < inCg; c++)
                            for (int kh = 0; kh < g.kH(); kh++)
                                for (int kw = 0; kw < g.kW(); kw++) {
                                    int xi = inputIndex(g, n, grp * inCg + c, oh, kh, ow, kw);
                                    if (xi >= 0) gx[xi] += gv * w[weightIndex(g, o, c, kh, kw)];
                                }
                    }
            }
    }

    /** gw = dL/dw given gy and the forward input x; gw is overwritten. */
    public static void backwardWeight(double[] gy, double[] x, double[] gw, ConvGeometry g) {
        java.util.Arrays.fill(gw, 0, g.weightSize(), 0);
        int outCg = g.outCg(), inCg = g.inCg();
        for (int n = 0; n < g.n(); n++)
            for (int o = 0; o < g.outC(); o++) {
                int grp = o / outCg;
                for (int oh = 0; oh < g.outH(); oh++)
                    for (int ow = 0; ow < g.outW(); ow++) {
                        double gv = gy[outputIndex(g, n, o, oh, ow)];
                        for (int c = 0; c < inCg; c++)
                            for (int kh = 0; kh < g.kH(); kh++)
                                for (int kw = 0; kw < g.kW(); kw++) {
                                    int xi = inputIndex(g, n, grp * inCg + c, oh, kh, ow, kw);
                                    if (xi >= 0) gw[weightIndex(g, o, c, kh, kw)] += gv * x[xi];
                                }
                    }
            }
    }

    /** Per-channel sums gb[c] = Σ_{n, p} gy[n, c, p] of an (n, c, plane) array: the bias gradient. */
    public static void channelSums(double[] gy, double[] gb, int n, int c, int plane) {
        for (int ch = 0; ch < c; ch++) {
            double s = 0;
            for (int i = 0; i < n; i++)
                for (int p = 0; p < plane; p++) s += gy[(i * c + ch) * plane + p];
            gb[ch] = s;
        }
    }

    /** Index into x read by (oh, kh), (ow, kw) of channel c of image n, or −1 when it is zero padding. */
    private static int inputIndex(ConvGeometry g, int n, int c, int oh, int kh, int ow, int kw) {
        int ih = g.mode().source(oh * g.strideH() - g.padTop() + kh * g.dilH(), g.inH());
        int iw = g.mode().source(ow * g.strideW() - g.padLeft() + kw * g.dilW(), g.inW());
        if (ih < 0 || iw < 0) return -1;
        return ((n * g.inC() + c) * g.inH() + ih) * g.inW() + iw;
    }

    private static int weightIndex(ConvGeometry g, int o, int c, int kh, int kw) {
        return ((o * g.inCg() + c) * g.kH() + kh) * g.kW() + kw;
    }

    private static int outputIndex(ConvGeometry g, int n, int o, int oh, int ow) {
        return ((n * g.outC() + o) * g.outH() + oh) * g.outW() + ow;
    }
}
