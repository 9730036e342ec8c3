package convlab.nn.functional;

import convlab.autograd.Node;
import convlab.kernels.Pool2dKernels;
import convlab.kernels.Pool2dReference;
import convlab.geometry.PoolGeometry;
import convlab.tensor.Shape;
import convlab.tensor.Tensor;

/**
 * Pooling ops with their backward side by side: max and average pooling (1-D and 2-D) and global
 * average pooling, PyTorch's semantics (output size, ceil mode, count_include_pad, tie rule).
 * Float32 runs the {@link Pool2dKernels}; float64 the scalar {@link Pool2dReference} (gradient checks).
 *
 * <p>Max-pool backward routes each output gradient to its window's argmax. Ties go to the FIRST maximum
 * in row-major window order (PyTorch's CPU rule; a NaN wins over numbers, as in PyTorch).
 */
public final class Pooling {
    private Pooling() {}

    /** Max pooling of x (N, C, H, W) → (N, C, H', W'). */
    public static Tensor maxPool2d(Tensor x, PoolGeometry g) {
        requireRank(x, 4, "maxPool2d", "(N, C, H, W)");
        int[] s = x.shape();
        return maxPlanes(x, s[0] * s[1], s[2], s[3], g, new int[] {s[0], s[1], g.outH(s[2]), g.outW(s[3])});
    }

    /** Max pooling of x (N, C, L) → (N, C, L') with a 1-D window. */
    public static Tensor maxPool1d(Tensor x, int kernel, int stride, int padding, boolean ceilMode) {
        requireRank(x, 3, "maxPool1d", "(N, C, L)");
        int[] s = x.shape();
        PoolGeometry g = PoolGeometry.oneD(kernel, stride, padding, 1, ceilMode);
        return maxPlanes(x, s[0] * s[1], 1, s[2], g, new int[] {s[0], s[1], g.outW(s[2])});
    }

    /** Average pooling of x (N, C, H, W); countIncludePad: padding cells count in the divisor. */
    public static Tensor avgPool2d(Tensor x, PoolGeometry g, boolean countIncludePad) {
        requireRank(x, 4, "avgPool2d", "(N, C, H, W)");
        int[] s = x.shape();
        return avgPlanes(x, s[0] * s[1], s[2], s[3], g, countIncludePad, new int[] {s[0], s[1], g.outH(s[2]), g.outW(s[3])});
    }

    /** Average pooling of x (N, C, L) with a 1-D window. */
    public static Tensor avgPool1d(Tensor x, int kernel, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        requireRank(x, 3, "avgPool1d", "(N, C, L)");
        int[] s = x.shape();
        PoolGeometry g = PoolGeometry.oneD(kernel, stride, padding, 1, ceilMode);
        return avgPlanes(x, s[0] * s[1], 1, s[2], g, countIncludePad, new int[] {s[0], s[1], g.outW(s[2])});
    }

    /** Mean over H and W: (N, C, H, W) → (N, C). */
    public static Tensor globalAvgPool2d(Tensor x) {
        requireRank(x, 4, "globalAvgPool2d", "(N, C, H, W)");
        int[] s = x.shape();
        int planes = s[0] * s[1], hw = s[2] * s[3];
        if (hw == 0) throw new IllegalArgumentException("globalAvgPool2d: input " + Shape.str(s) + " has no positions to average");
        Tensor xc = x.contiguous().detach();
        Tensor out = Tensor.zeros(x.dtype(), s[0], s[1]);
        if (x.isF32()) Pool2dKernels.globalAvgForward(xc.data(), planes, hw, out.data());
        else Pool2dReference.globalAvgForward(xc.dataF64(), planes, hw, out.dataF64());
        return Node.record(out, "globalAvgPool2d", grad -> {
            Tensor gc = grad.contiguous(), gx = Tensor.zeros(grad.dtype(), s);
            if (gx.isF32()) Pool2dKernels.globalAvgBackward(gc.data(), planes, hw, gx.data());
            else Pool2dReference.globalAvgBackward(gc.dataF64(), planes, hw, gx.dataF64());
            return new Tensor[] {gx};
        }, x);
    }

    // ---------------------------------------------------------------- shared plane loops

    private static Tensor maxPlanes(Tensor x, int planes, int h, int w, PoolGeometry g, int[] outShape) {
        int oh = g.outH(h), ow = g.outW(w);
        Tensor xc = x.contiguous().detach();
        Tensor out = Tensor.empty(x.dtype(), outShape);   // every window is written
        if (x.isF32() && !Tensor.needsGrad(x)) {   // inference: no backward, so no argmax to keep (same values)
            Pool2dKernels.maxForward(xc.data(), planes, h, w, g, out.data(), null);
            return out;
        }
        int[] argmax = new int[out.numel()];
        if (x.isF32()) Pool2dKernels.maxForward(xc.data(), planes, h, w, g, out.data(), argmax);
        else Pool2dReference.maxForward(xc.dataF64(), planes, h, w, g, out.dataF64(), argmax);
        int[] inShape = x.shape();
        return Node.record(out, "maxPool", grad -> {
            Tensor gc = grad.contiguous(), gx = Tensor.zeros(grad.dtype(), inShape);
            if (gx.isF32()) Pool2dKernels.maxBackward(gc.data(), argmax, planes, h, w, oh, ow, gx.data());
            else Pool2dReference.maxBackward(gc.dataF64(), argmax, planes, h, w, oh, ow, gx.dataF64());
            return new Tensor[] {gx};
        }, x);
    }

    private static Tensor avgPlanes(Tensor x, int planes, int h, int w, PoolGeometry g, boolean countIncludePad, int[] outShape) {
        Tensor xc = x.contiguous().detach();
        Tensor out = Tensor.zeros(x.dtype(), outShape);
        if (x.isF32()) Pool2dKernels.avgForward(xc.data(), planes, h, w, g, countIncludePad, out.data());
        else Pool2dReference.avgForward(xc.dataF64(), planes, h, w, g, countIncludePad, out.dataF64());
        int[] inShape = x.shape();
        return Node.record(out, "avgPool", grad -> {
            Tensor gc = grad.contiguous(), gx = Tensor.zeros(grad.dtype(), inShape);
            if (gx.isF32()) Pool2dKernels.avgBackward(gc.data(), planes, h, w, g, countIncludePad, gx.data());
            else Pool2dReference.avgBackward(gc.dataF64(), planes, h, w, g, countIncludePad, gx.dataF64());
            return new Tensor[] {gx};
        }, x);
    }

    static void requireRank(Tensor x, int rank, String op, String layout) {
        if (x.dim() != rank)
            throw new IllegalArgumentException(op + " expects a " + rank + "-D input " + layout + ", got shape " + Shape.str(x.shape()));
    }

}
