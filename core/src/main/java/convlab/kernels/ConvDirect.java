package convlab.kernels;

import convlab.geometry.ConvGeometry;
import convlab.geometry.PaddingMode;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * Stride-1 convolution (any kernel, dilation, padding mode, groups) without an im2col matrix, float32.
 *
 * <p>Each image's channel group is copied once into a padded buffer xp (Hp × Wp per channel, the padding
 * filled by {@link PaddingMode#source}). With outputs laid out at row stride Wp, output position
 * q = oh·Wp + ow reads xp[c·Hp·Wp + kh·dilH·Wp + kw·dilW + q] at tap (c, kh, kw): every row of the
 * im2col matrix is xp shifted by a constant, so the products of {@link OffsetGemm} read xp in place.
 * Columns ow ≥ outW are computed and dropped (their gradients are zero), a few percent of the work.
 *
 * <p>Backward: the output gradient G (masked by the fused ReLU when given) is laid out the same way, with
 * zero margins; the weight gradient is G·xpᵀ, and the gradient of xp is a product of the transposed,
 * shifted kernel with G (a "full" correlation). Folding it back through {@link PaddingMode#source} gives
 * the input gradient for every padding mode.
 */
final class ConvDirect {
    private ConvDirect() {}

    private static final VectorSpecies<Float> S = Vectors.FLOAT;

    static boolean applies(ConvGeometry g) { return g.strideH() == 1 && g.strideW() == 1; }

    /** Plans by geometry: a training run or an inference loop meets a handful of them, each thousands of times. */
    private static final java.util.concurrent.ConcurrentHashMap<ConvGeometry, Plan> PLANS = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_PLANS = 64;

    /** The plan of g, built once (plans are immutable); the cache is emptied when it holds {@value #MAX_PLANS}. */
    static Plan plan(ConvGeometry g) {
        Plan p = PLANS.get(g);
        if (p != null) return p;
        if (PLANS.size() >= MAX_PLANS) PLANS.clear();
        p = new Plan(g);
        PLANS.putIfAbsent(g, p);
        return p;
    }

    /** Buffer sizes and offset tables of one geometry. */
    static final class Plan {
        final ConvGeometry g;
        final int hp, wp, plane, K, taps;
        final int qf;            // forward columns per output channel (outH·wp, rounded up)
        final int xpLength;      // padded group buffer, with a zero tail for over-reads
        final int[] rowSrc, colSrc;   // padded row/column -> input row/column, or -1 for zero
        final int[] fwdOff;      // per im2col row (c, kh, kw): offset into xp
        final int margin, gStride, gLength;   // G buffer: per output channel [margin zeros | outH·wp values | zeros]
        final int q0, qb;        // padded positions [q0, q0 + qb) get an input gradient
        final int[] bwdOff;      // per (o, kh, kw): offset into the G buffer for the xp gradient
        final int[] gRows;       // per output channel o: offset of its row in the G buffer
        /**
         * The weight gradient is summed per SIMD lane by {@link RowDots} when the output channels or the taps are
         * fewer than a sliver's columns (the course CNN: 10 channels), else by the transposing product
         * {@link OffsetGemm#accumulateRowProducts}, whose slivers are then full.
         */
        final boolean gwDots;
        /** Dots: G's rows are RowDots' a-rows (else the shifted input rows are); lanes at ((a·padB + b)·VL + lane). */
        final boolean gwDotsGisA;
        /**
         * Transposing product: the weight gradient is summed transposed, gw[r, o] at r·ldw + o, when there are at
         * least as many taps r as output channels: the smaller operand (here G) is the one transposed into slivers.
         */
        final boolean gwTransposed;
        final int ldw;           // row stride of the summed weight gradient (a multiple of OffsetGemm.QUANTUM); dots: padB·VL
        final int gwLength;      // floats of the summed weight gradient, all groups

        Plan(ConvGeometry g) {
            this.g = g;
            // What the outputs read, and at least the whole input (a transposed convolution's output padding
            // can leave the last input rows unread by the explicit outH).
            hp = Math.max(g.outH() + g.dilH() * (g.kH() - 1), g.padTop() + g.inH());
            wp = Math.max(g.outW() + g.dilW() * (g.kW() - 1), g.padLeft() + g.inW());
            plane = hp * wp;
            taps = g.kH() * g.kW();
            K = g.inCg() * taps;
            qf = OffsetGemm.roundUp(g.outH() * wp);
            xpLength = g.inCg() * plane + g.dilW() * (g.kW() - 1) + OffsetGemm.QUANTUM;
            rowSrc = new int[hp];
            colSrc = new int[wp];
            for (int i = 0; i < hp; i++) rowSrc[i] = g.mode().source(i - g.padTop(), g.inH());
            for (int j = 0; j < wp; j++) colSrc[j] = g.mode().source(j - g.padLeft(), g.inW());
            fwdOff = new int[K];
            for (int c = 0, r = 0; c < g.inCg(); c++)
                for (int kh = 0; kh < g.kH(); kh++)
                    for (int kw = 0; kw < g.kW(); kw++) fwdOff[r++] = c * plane + kh * g.dilH() * wp + kw * g.dilW();
            // Zero padding: only the interior rows of xp have a source; other modes fold every padded row back.
            boolean zeros = g.mode() == PaddingMode.ZEROS;
            q0 = zeros ? g.padTop() * wp : 0;
            qb = OffsetGemm.roundUp((zeros ? g.inH() : hp) * wp);
            margin = (g.kH() - 1) * g.dilH() * wp + (g.kW() - 1) * g.dilW();
            gStride = Math.max(margin + qf, q0 + qb);
            gLength = g.outCg() * gStride + margin + OffsetGemm.QUANTUM;
            bwdOff = new int[g.outCg() * taps];
            for (int o = 0, r = 0; o < g.outCg(); o++)
                for (int kh = 0; kh < g.kH(); kh++)
                    for (int kw = 0; kw < g.kW(); kw++) bwdOff[r++] = o * gStride + margin - (kh * g.dilH() * wp + kw * g.dilW()) + q0;
            gRows = new int[g.outCg()];
            for (int o = 0; o < g.outCg(); o++) gRows[o] = o * gStride + margin;
            gwDots = Math.min(K, g.outCg()) < OffsetGemm.QUANTUM;
            gwDotsGisA = RowDots.betterAsA(g.outCg(), K);
            gwTransposed = K >= g.outCg();
            if (gwDots) {
                ldw = RowDots.padB(gwDotsGisA ? K : g.outCg()) * RowDots.VL;
                gwLength = g.groups() * (gwDotsGisA ? RowDots.lanesLength(g.outCg(), K) : RowDots.lanesLength(K, g.outCg()));
            } else {
                ldw = OffsetGemm.roundUp(gwTransposed ? g.outCg() : K);
                gwLength = g.groups() * (gwTransposed ? K : g.outCg()) * ldw;
            }
        }

        /**
         * {@link #pad}, or when refill is true and the padding is zeros, only the input's rows: xp then already holds
         * an earlier image's padded copy of this plan, whose zero padding stays (per image, the padding was half the
         * stores of a 14×14 copy).
         */
        void pad(float[] x, int xOff, float[] xp, boolean refill) {
            if (!refill || g.mode() != PaddingMode.ZEROS) { pad(x, xOff, xp); return; }
            int inW = g.inW(), inH = g.inH(), inPlane = g.inPlane();
            for (int c = 0; c < g.inCg(); c++) {
                int src = xOff + c * inPlane, dst = c * plane + g.padTop() * wp + g.padLeft();
                for (int ih = 0; ih < inH; ih++, src += inW, dst += wp) System.arraycopy(x, src, xp, dst, inW);
            }
        }

        /** Copies channels [xOff, + inCg planes) of x into xp with the padding filled in. */
        void pad(float[] x, int xOff, float[] xp) {
            int inW = g.inW(), inPlane = g.inPlane(), lo = g.padLeft(), hi = Math.min(wp, g.padLeft() + inW);
            for (int c = 0; c < g.inCg(); c++) {
                int src = xOff + c * inPlane, dst = c * plane;
                for (int i = 0; i < hp; i++, dst += wp) {
                    int ih = rowSrc[i];
                    if (ih < 0) { Arrays.fill(xp, dst, dst + wp, 0f); continue; }
                    int row = src + ih * inW;
                    for (int j = 0; j < lo; j++) xp[dst + j] = colSrc[j] < 0 ? 0f : x[row + colSrc[j]];
                    System.arraycopy(x, row, xp, dst + lo, hi - lo);
                    for (int j = hi; j < wp; j++) xp[dst + j] = colSrc[j] < 0 ? 0f : x[row + colSrc[j]];
                }
            }
            Arrays.fill(xp, g.inCg() * plane, xpLength, 0f);
        }
    }

    /** The transposed, per-tap kernel wT[c, (o, kh, kw)] = w[o, c, kh, kw] of each group, packed. */
    static float[][] packBackward(float[] w, Plan p) {
        ConvGeometry g = p.g;
        int inCg = g.inCg(), outCg = g.outCg(), taps = p.taps, cols = outCg * taps;
        float[] wt = new float[inCg * cols];
        float[][] packed = new float[g.groups()][];
        for (int grp = 0; grp < g.groups(); grp++) {
            int base = grp * outCg * p.K;
            for (int c = 0; c < inCg; c++)
                for (int o = 0; o < outCg; o++)
                    System.arraycopy(w, base + o * p.K + c * taps, wt, c * cols + o * taps, taps);
            packed[grp] = OffsetGemm.packA(wt, 0, cols, inCg, cols, null);
        }
        return packed;
    }

    /**
     * One image's forward: y = conv(x, w) + bias, then max(·, 0) when relu. The weights are read in place (group grp's
     * outCg × K rows from grp·outCg·K). xp and tmp are scratch; refill: xp holds an earlier image's padded copy
     * ({@link Plan#pad(float[], int, float[], boolean)}).
     */
    static void forwardImage(float[] x, float[] w, float[] bias, float[] y, int n, Plan p, boolean relu, float[] xp, float[] tmp, boolean refill) {
        ConvGeometry g = p.g;
        int outCg = g.outCg(), outW = g.outW(), P = g.outPlane(), imageEnd = (n + 1) * g.outC() * P;
        for (int grp = 0; grp < g.groups(); grp++) {
            p.pad(x, (n * g.inC() + grp * g.inCg()) * g.inPlane(), xp, refill || grp > 0);
            OffsetGemm.multiplyRows(w, grp * outCg * p.K, p.K, outCg, p.K, xp, p.fwdOff, 0, p.qf, tmp, 0, p.qf);
            for (int o = 0; o < outCg; o++) {   // epilogue: drop the padding columns, add the bias, ReLU
                int oc = grp * outCg + o, yi = (n * g.outC() + oc) * P;
                float b = bias == null ? 0f : bias[oc];
                for (int oh = 0; oh < g.outH(); oh++, yi += outW) epilogueRow(tmp, o * p.qf + oh * p.wp, b, relu, y, yi, outW, imageEnd);
            }
        }
    }

    /**
     * y[yi ..+ len) = tmp[ti ..] + b, then max(·, 0) when relu, in full vectors. The last one may spill past the row
     * into the next rows of the same image, which are written after this one (rows, channels and groups in order);
     * only where it would pass yLimit (the image's end: another thread's image may follow) or tmp's end is the rest
     * one masked vector (masked accesses cost a per-lane check: 14- and 28-wide rows are mostly tail with 16 lanes).
     */
    private static void epilogueRow(float[] tmp, int ti, float b, boolean relu, float[] y, int yi, int len, int yLimit) {
        FloatVector bv = FloatVector.broadcast(S, b), zero = FloatVector.zero(S);
        int k = 0, full = (len + S.length() - 1) / S.length() * S.length();
        int end = yi + full <= yLimit && ti + full <= tmp.length ? full : S.loopBound(len);
        for (; k < end; k += S.length()) {
            FloatVector v = FloatVector.fromArray(S, tmp, ti + k).add(bv);
            (relu ? v.max(zero) : v).intoArray(y, yi + k);
        }
        if (k < len) {
            var m = S.indexInRange(k, len);
            FloatVector v = FloatVector.fromArray(S, tmp, ti + k, m).add(bv);
            (relu ? v.max(zero) : v).intoArray(y, yi + k, m);
        }
    }

    /**
     * One image's backward. gy is masked by yRelu &gt; 0 when yRelu is given (fused ReLU). Adds to the weight
     * gradient sums gwSums (layout: {@link #weightGradientAt}) and to the per-lane bias gradient sums
     * gbLanes[o·VL + lane] (either may be null); writes image n of gx (when not null). gBuf, xp, gxp, bt (the
     * transposed operand, {@link OffsetGemm#transposedLength}; unused with {@link Plan#gwDots}) and edgeTile are scratch;
     * gBuf's first {@link Plan#gLength} floats must be zero before the first image: only its output positions are
     * written here, so its margins and padding columns stay zero from one image to the next. refill: xp holds an
     * earlier image's padded copy ({@link Plan#pad(float[], int, float[], boolean)}).
     */
    static void backwardImage(float[] gy, float[] yRelu, float[] x, float[][] wtPacked, float[] gx, float[] gwSums, float[] gbLanes,
                              int n, Plan p, float[] gBuf, float[] xp, float[] gxp, float[] bt, float[] edgeTile, boolean refill) {
        ConvGeometry g = p.g;
        int outCg = g.outCg(), outW = g.outW(), P = g.outPlane();
        for (int grp = 0; grp < g.groups(); grp++) {
            for (int o = 0; o < outCg; o++) {
                int gi = (n * g.outC() + grp * outCg + o) * P, row = o * p.gStride + p.margin;
                for (int oh = 0; oh < g.outH(); oh++, gi += outW) {
                    int d = row + oh * p.wp;
                    if (yRelu == null) System.arraycopy(gy, gi, gBuf, d, outW);
                    else ConvKernels.reluMask(gy, yRelu, gi, gBuf, d, outW);
                }
                if (gbLanes != null) addRow(gBuf, row, p.qf, gbLanes, (grp * outCg + o) * S.length());
            }
            if (gwSums != null) {
                p.pad(x, (n * g.inC() + grp * g.inCg()) * g.inPlane(), xp, refill || grp > 0);
                int at = weightGradientAt(p, grp, 0, 0);
                if (p.gwDots) {
                    if (p.gwDotsGisA) RowDots.accumulate(gBuf, p.gRows, outCg, xp, p.fwdOff, p.K, p.qf, gwSums, at);
                    else RowDots.accumulate(xp, p.fwdOff, p.K, gBuf, p.gRows, outCg, p.qf, gwSums, at);
                } else if (p.gwTransposed) OffsetGemm.accumulateRowProducts(xp, p.fwdOff, p.K, gBuf, p.gRows, outCg, p.qf, gwSums, at, p.ldw, bt, edgeTile);
                else OffsetGemm.accumulateRowProducts(gBuf, p.gRows, outCg, xp, p.fwdOff, p.K, p.qf, gwSums, at, p.ldw, bt, edgeTile);
            }
            if (gx != null) {
                OffsetGemm.multiply(wtPacked[grp], g.inCg(), outCg * p.taps, gBuf, p.bwdOff, 0, p.qb, gxp, 0, p.qb);
                fold(gxp, gx, (n * g.inC() + grp * g.inCg()) * g.inPlane(), p);
            }
        }
    }

    /**
     * Index of gw[group grp, output channel o, tap r] in the weight gradient sums of {@link #backwardImage}; with
     * {@link Plan#gwDots} the first of its {@link RowDots#VL} lane sums.
     */
    static int weightGradientAt(Plan p, int grp, int o, int r) {
        int base = grp * (p.gwLength / p.g.groups());
        if (p.gwDots) return base + (p.gwDotsGisA ? o * p.ldw + r * RowDots.VL : r * p.ldw + o * RowDots.VL);
        return base + (p.gwTransposed ? r * p.ldw + o : o * p.ldw + r);
    }

    /** Adds the gradient of the padded buffer back onto the input positions it was read from. */
    private static void fold(float[] gxp, float[] gx, int gxOff, Plan p) {
        ConvGeometry g = p.g;
        int inW = g.inW(), inPlane = g.inPlane();
        if (g.mode() == PaddingMode.ZEROS) {   // xp rows padTop.. hold the input: a copy of the interior
            for (int c = 0; c < g.inCg(); c++)
                for (int ih = 0; ih < g.inH(); ih++)
                    System.arraycopy(gxp, c * p.qb + ih * p.wp + g.padLeft(), gx, gxOff + c * inPlane + ih * inW, inW);
            return;
        }
        Arrays.fill(gx, gxOff, gxOff + g.inCg() * inPlane, 0f);
        for (int c = 0; c < g.inCg(); c++)
            for (int i = 0; i < p.hp; i++) {
                int ih = p.rowSrc[i];
                if (ih < 0) continue;
                int src = c * p.qb + i * p.wp, dst = gxOff + c * inPlane + ih * inW;
                for (int j = 0; j < p.wp; j++) { int iw = p.colSrc[j]; if (iw >= 0) gx[dst + iw] += gxp[src + j]; }
            }
    }

    /** lanes[li ..] += per-lane sums of a[from .. from + len) (len a multiple of the vector length). */
    private static void addRow(float[] a, int from, int len, float[] lanes, int li) {
        FloatVector s = FloatVector.fromArray(S, lanes, li);
        for (int i = 0; i < len; i += S.length()) s = s.add(FloatVector.fromArray(S, a, from + i));
        s.intoArray(lanes, li);
    }
}
