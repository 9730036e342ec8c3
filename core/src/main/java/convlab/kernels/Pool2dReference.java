package convlab.kernels;

import convlab.geometry.PoolGeometry;

/**
 * Scalar float64 pooling over NCHW planes: the definition the fast {@link Pool2dKernels} are tested
 * against, and the float64 path used by the finite-difference checks. Every loop is the textbook one:
 * for each plane, each output position, each element of its window.
 *
 * <p>Max-pool tie rule (PyTorch's CPU rule): the window is scanned row-major (ky outer, kx inner) and an
 * element replaces the running maximum only if it is strictly greater, so the FIRST maximum in scan
 * order wins; a NaN replaces anything, so a window holding a NaN yields NaN (at its last NaN).
 */
public final class Pool2dReference {
    private Pool2dReference() {}

    /** Max pooling of planes (count = N·C) of h×w; writes out[planes·oh·ow] and argmax (index within the plane). */
    public static void maxForward(double[] x, int planes, int h, int w, PoolGeometry g, double[] out, int[] argmax) {
        int oh = g.outH(h), ow = g.outW(w);
        for (int p = 0; p < planes; p++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++) {
                    double best = Double.NEGATIVE_INFINITY;
                    int bestIndex = -1;
                    for (int ky = 0; ky < g.kernelH(); ky++)
                        for (int kx = 0; kx < g.kernelW(); kx++) {
                            int ih = i * g.strideH() - g.padH() + ky * g.dilationH();
                            int iw = j * g.strideW() - g.padW() + kx * g.dilationW();
                            if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
                            double v = x[(p * h + ih) * w + iw];
                            if (bestIndex < 0) bestIndex = ih * w + iw;   // the first element in the window
                            if (v > best || Double.isNaN(v)) { best = v; bestIndex = ih * w + iw; }
                        }
                    out[(p * oh + i) * ow + j] = best;
                    argmax[(p * oh + i) * ow + j] = bestIndex;
                }
    }

    /** gradIn (zeroed by the caller) += gradOut routed to each window's argmax. */
    public static void maxBackward(double[] gradOut, int[] argmax, int planes, int h, int w, int oh, int ow, double[] gradIn) {
        for (int p = 0; p < planes; p++)
            for (int o = 0; o < oh * ow; o++)
                gradIn[p * h * w + argmax[p * oh * ow + o]] += gradOut[p * oh * ow + o];
    }

    /**
     * The divisor of average-pooling window (i, j), PyTorch's rule: the window is clipped to the padded
     * input (ceil mode may run past it); with countIncludePad the divisor counts the padding cells
     * inside that clipped window, without it only the real input cells.
     */
    public static int avgDivisor(int i, int j, int h, int w, PoolGeometry g, boolean countIncludePad) {
        int hs = i * g.strideH() - g.padH(), ws = j * g.strideW() - g.padW();
        int he = Math.min(hs + g.kernelH(), h + g.padH()), we = Math.min(ws + g.kernelW(), w + g.padW());
        if (countIncludePad) return (he - hs) * (we - ws);
        return (Math.min(he, h) - Math.max(hs, 0)) * (Math.min(we, w) - Math.max(ws, 0));
    }

    public static void avgForward(double[] x, int planes, int h, int w, PoolGeometry g, boolean countIncludePad, double[] out) {
        int oh = g.outH(h), ow = g.outW(w);
        for (int p = 0; p < planes; p++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++) {
                    double sum = 0;
                    for (int ky = 0; ky < g.kernelH(); ky++)
                        for (int kx = 0; kx < g.kernelW(); kx++) {
                            int ih = i * g.strideH() - g.padH() + ky, iw = j * g.strideW() - g.padW() + kx;
                            if (ih >= 0 && ih < h && iw >= 0 && iw < w) sum += x[(p * h + ih) * w + iw];
                        }
                    out[(p * oh + i) * ow + j] = sum / avgDivisor(i, j, h, w, g, countIncludePad);
                }
    }

    /** gradIn (zeroed by the caller) += gradOut / divisor over each window's real input cells. */
    public static void avgBackward(double[] gradOut, int planes, int h, int w, PoolGeometry g, boolean countIncludePad, double[] gradIn) {
        int oh = g.outH(h), ow = g.outW(w);
        for (int p = 0; p < planes; p++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++) {
                    double share = gradOut[(p * oh + i) * ow + j] / avgDivisor(i, j, h, w, g, countIncludePad);
                    for (int ky = 0; ky < g.kernelH(); ky++)
                        for (int kx = 0; kx < g.kernelW(); kx++) {
                            int ih = i * g.strideH() - g.padH() + ky, iw = j * g.strideW() - g.padW() + kx;
                            if (ih >= 0 && ih < h && iw >= 0 && iw < w) gradIn[(p * h + ih) * w + iw] += share;
                        }
                }
    }

    /** Mean of each plane of size hw. */
    public static void globalAvgForward(double[] x, int planes, int hw, double[] out) {
        for (int p = 0; p < planes; p++) {
            double sum = 0;
            for (int k = 0; k < hw; k++) sum += x[p * hw + k];
            out[p] = sum / hw;
        }
    }

    public static void globalAvgBackward(double[] gradOut, int planes, int hw, double[] gradIn) {
        for (int p = 0; p < planes; p++)
            for (int k = 0; k < hw; k++) gradIn[p * hw + k] = gradOut[p] / hw;
    }
}
