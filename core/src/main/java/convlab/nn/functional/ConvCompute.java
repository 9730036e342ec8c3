package convlab.nn.functional;

import convlab.geometry.ConvGeometry;
import convlab.kernels.ConvKernels;
import convlab.kernels.ConvReference;
import convlab.tensor.DType;
import convlab.tensor.Tensor;

/**
 * The four convolution computations on tensors, without autograd: float32 tensors go to the fast
 * {@link ConvKernels}, float64 tensors to the reference loops of {@link ConvReference}.
 * Inputs are detached and made contiguous here; all outputs are new contiguous tensors.
 */
final class ConvCompute {
    private ConvCompute() {}

    /** y = conv(x, w) + b (b may be null), optionally followed by max(·, 0); shape (n, outC, outH, outW). */
    static Tensor forward(Tensor x, Tensor w, Tensor b, ConvGeometry g, boolean relu) {
        Tensor y = Tensor.empty(x.dtype(), g.n(), g.outC(), g.outH(), g.outW());   // every element is written
        if (x.isF32()) {
            ConvKernels.forward(f(x), f(w), b == null ? null : f(b), y.data(), g, relu);
        } else {
            double[] yv = y.dataF64();
            ConvReference.forward(d(x), d(w), b == null ? null : d(b), yv, g);
            if (relu) for (int i = 0; i < yv.length; i++) yv[i] = Math.max(yv[i], 0);
        }
        return y;
    }

    /**
     * The gradients {dL/dx, dL/dw, dL/db} of y = conv(x, w) + b, each only when wanted (else null), in one
     * pass for float32. yRelu: the output of a fused ReLU (the gradient counts where it is positive), or null.
     */
    static Tensor[] backward(Tensor gy, Tensor yRelu, Tensor x, Tensor w, ConvGeometry g, boolean wantX, boolean wantW, boolean wantB) {
        if (!gy.isF32()) {
            Tensor gOut = yRelu == null ? gy : reluMask(gy, yRelu);
            return new Tensor[] {wantX ? backwardInput(gOut, w, g) : null, wantW ? backwardWeight(gOut, x, g) : null,
                    wantB ? channelSums(gOut) : null};
        }
        Tensor gx = wantX ? Tensor.empty(gy.dtype(), g.n(), g.inC(), g.inH(), g.inW()) : null;   // overwritten
        Tensor gw = wantW ? Tensor.zeros(gy.dtype(), g.outC(), g.inCg(), g.kH(), g.kW()) : null;
        Tensor gb = wantB ? Tensor.zeros(gy.dtype(), g.outC()) : null;
        ConvKernels.backward(f(gy), yRelu == null ? null : f(yRelu), wantW ? f(x) : null, wantX ? f(w) : null,
                gx == null ? null : gx.data(), gw == null ? null : gw.data(), gb == null ? null : gb.data(), g);
        return new Tensor[] {gx, gw, gb};
    }

    /** dL/dx (n, inC, inH, inW) from dL/dy. */
    static Tensor backwardInput(Tensor gy, Tensor w, ConvGeometry g) {
        Tensor gx = Tensor.zeros(gy.dtype(), g.n(), g.inC(), g.inH(), g.inW());
        if (gy.isF32()) ConvKernels.backwardInput(f(gy), f(w), gx.data(), g);
        else ConvReference.backwardInput(d(gy), d(w), gx.dataF64(), g);
        return gx;
    }

    /** dL/dw (outC, inC/groups, kH, kW) from dL/dy and the forward input x. */
    static Tensor backwardWeight(Tensor gy, Tensor x, ConvGeometry g) {
        Tensor gw = Tensor.zeros(gy.dtype(), g.outC(), g.inCg(), g.kH(), g.kW());
        if (gy.isF32()) ConvKernels.backwardWeight(f(gy), f(x), gw.data(), g);
        else ConvReference.backwardWeight(d(gy), d(x), gw.dataF64(), g);
        return gw;
    }

    /** Σ over images and positions, per channel, of an (n, c, ...) tensor: the bias gradient. */
    static Tensor channelSums(Tensor gy) {
        int n = gy.size(0), c = gy.size(1), plane = gy.numel() / Math.max(1, n * c);
        Tensor gb = Tensor.zeros(gy.dtype(), c);
        if (gy.isF32()) ConvKernels.channelSums(f(gy), gb.data(), n, c, plane);
        else ConvReference.channelSums(d(gy), gb.dataF64(), n, c, plane);
        return gb;
    }

    /** y[n, c, ...] += b[c] in place (y is a fresh contiguous output). */
    static void addChannelBias(Tensor y, Tensor b) {
        int n = y.size(0), c = y.size(1), plane = y.numel() / Math.max(1, n * c);
        if (y.isF32()) {
            float[] yv = y.data(), bv = f(b);
            for (int i = 0; i < n * c; i++) { float bi = bv[i % c]; for (int p = i * plane, e = p + plane; p < e; p++) yv[p] += bi; }
        } else {
            double[] yv = y.dataF64(), bv = d(b);
            for (int i = 0; i < n * c; i++) { double bi = bv[i % c]; for (int p = i * plane, e = p + plane; p < e; p++) yv[p] += bi; }
        }
    }

    /** The gradient of a fused ReLU: gy where the (post-ReLU) output is positive, else 0. */
    static Tensor reluMask(Tensor gy, Tensor y) {
        Tensor out = Tensor.zeros(y.dtype(), y.shape());
        if (y.isF32()) ConvKernels.reluMask(f(gy), y.data(), out.data());
        else { double[] g = d(gy), yv = y.dataF64(), o = out.dataF64(); for (int i = 0; i < o.length; i++) o[i] = yv[i] > 0 ? g[i] : 0; }
        return out;
    }

    /**
     * A copy of a kernel flipped in every spatial axis (a true convolution's kernel): the last axis for a
     * 1-d kernel (…, kW), the last two for a 2-d kernel (…, kH, kW).
     */
    static Tensor flipSpatial(Tensor w, boolean oneD) {
        int[] s = w.shape();
        int kH = oneD ? 1 : s[s.length - 2], kW = s[s.length - 1], plane = kH * kW;
        Tensor src = w.detach().contiguous(), out = Tensor.zeros(w.dtype(), s);
        int n = out.numel();
        for (int i = 0; i < n; i++) {
            int base = i - i % plane, r = (i % plane) / kW, c = i % kW;
            out.setFlat(base + (kH - 1 - r) * kW + (kW - 1 - c), src.getFlat(i));
        }
        return out;
    }

    static Tensor as(Tensor t, DType dt) { return t == null ? null : t.to(dt); }

    private static float[] f(Tensor t) { return t.detach().contiguous().data(); }

    private static double[] d(Tensor t) { return t.detach().contiguous().dataF64(); }
}
