package convlab.kernels;

import convlab.geometry.ConvGeometry;
import convlab.geometry.PaddingMode;
import java.util.Arrays;

/**
 * im2col and its adjoint col2im for one image and one channel group, float32.
 *
 * <p>The column matrix has colRows = inCg·kH·kW rows (row r = (c·kH + kh)·kW + kw) and outH·outW
 * columns; entry (r, oh·outW + ow) is the input value tap (kh, kw) of output (oh, ow) reads, so
 * forward convolution is one GEMM: y_group = w_group · col.
 *
 * <p>Which input element a tap reads comes from {@link PaddingMode#source} through the tables of a
 * {@link Plan}; inside the image the address is affine in ow, so those runs are plain (strided) copies.
 */
public final class Im2col {
    private Im2col() {}

    /** Index tables of one geometry, built once per kernel call. */
    public static final class Plan {
        final ConvGeometry g;
        final int[] rowSrc, colSrc;   // [kh·outH + oh], [kw·outW + ow]: input row/column, or −1 for zero
        final int[] lo, hi;           // per kw: ow in [lo, hi) reads column ow·strideW − padLeft + kw·dilW directly

        public Plan(ConvGeometry g) {
            this.g = g;
            this.rowSrc = g.rowSources();
            this.colSrc = g.colSources();
            int kW = g.kW(), outW = g.outW();
            lo = new int[kW];
            hi = new int[kW];
            for (int kw = 0; kw < kW; kw++) {
                int first = 0;
                while (first < outW && raw(kw, first) < 0) first++;
                int end = first;
                while (end < outW && raw(kw, end) < g.inW()) end++;
                lo[kw] = first;
                hi[kw] = end;
            }
        }

        private int raw(int kw, int ow) { return ow * g.strideW() - g.padLeft() + kw * g.dilW(); }

        /** True when the column matrix is the input itself (1×1 kernel, stride 1, no padding): no copy needed. */
        public boolean identity() {
            return g.kH() == 1 && g.kW() == 1 && g.strideH() == 1 && g.strideW() == 1
                    && g.padTop() == 0 && g.padLeft() == 0 && g.outH() == g.inH() && g.outW() == g.inW();
        }
    }

    /** Writes the column matrix of the channels starting at x[xOff] (inCg channel planes) into col[0 ..]. */
    public static void im2col(float[] x, int xOff, float[] col, Plan plan) {
        ConvGeometry g = plan.g;
        int inPlane = g.inPlane(), inW = g.inW(), outH = g.outH(), outW = g.outW(), P = g.outPlane();
        int sW = g.strideW(), r = 0;
        for (int c = 0; c < g.inCg(); c++) {
            int chan = xOff + c * inPlane;
            for (int kh = 0; kh < g.kH(); kh++)
                for (int kw = 0; kw < g.kW(); kw++, r++) {
                    int lo = plan.lo[kw], hi = plan.hi[kw], shift = kw * g.dilW() - g.padLeft(), tab = kw * outW;
                    for (int oh = 0; oh < outH; oh++) {
                        int dst = r * P + oh * outW;
                        int ih = plan.rowSrc[kh * outH + oh];
                        if (ih < 0) { Arrays.fill(col, dst, dst + outW, 0f); continue; }
                        int src = chan + ih * inW;
                        for (int ow = 0; ow < lo; ow++) { int cs = plan.colSrc[tab + ow]; col[dst + ow] = cs < 0 ? 0f : x[src + cs]; }
                        // hi > lo guard: with padding wider than the input the start can lie past the array,
                        // and arraycopy rejects that even for length 0.
                        if (sW == 1) { if (hi > lo) System.arraycopy(x, src + lo + shift, col, dst + lo, hi - lo); }
                        else for (int ow = lo; ow < hi; ow++) col[dst + ow] = x[src + ow * sW + shift];
                        for (int ow = hi; ow < outW; ow++) { int cs = plan.colSrc[tab + ow]; col[dst + ow] = cs < 0 ? 0f : x[src + cs]; }
                    }
                }
        }
    }

    /** Adds the column matrix col back onto the input channels at gx[gxOff] (adjoint of im2col). */
    public static void col2imAdd(float[] col, float[] gx, int gxOff, Plan plan) {
        ConvGeometry g = plan.g;
        int inPlane = g.inPlane(), inW = g.inW(), outH = g.outH(), outW = g.outW(), P = g.outPlane();
        int sW = g.strideW(), r = 0;
        for (int c = 0; c < g.inCg(); c++) {
            int chan = gxOff + c * inPlane;
            for (int kh = 0; kh < g.kH(); kh++)
                for (int kw = 0; kw < g.kW(); kw++, r++) {
                    int lo = plan.lo[kw], hi = plan.hi[kw], shift = kw * g.dilW() - g.padLeft(), tab = kw * outW;
                    for (int oh = 0; oh < outH; oh++) {
                        int ih = plan.rowSrc[kh * outH + oh];
                        if (ih < 0) continue;
                        int src = r * P + oh * outW, dst = chan + ih * inW;
                        for (int ow = 0; ow < lo; ow++) { int cs = plan.colSrc[tab + ow]; if (cs >= 0) gx[dst + cs] += col[src + ow]; }
                        if (sW == 1) { int d = dst + shift; for (int ow = lo; ow < hi; ow++) gx[d + ow] += col[src + ow]; }
                        else for (int ow = lo; ow < hi; ow++) gx[dst + ow * sW + shift] += col[src + ow];
                        for (int ow = hi; ow < outW; ow++) { int cs = plan.colSrc[tab + ow]; if (cs >= 0) gx[dst + cs] += col[src + ow]; }
                    }
                }
        }
    }
}
