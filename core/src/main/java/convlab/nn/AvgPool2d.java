package convlab.nn;

import convlab.geometry.PoolGeometry;
import convlab.nn.functional.Pooling;
import convlab.tensor.Tensor;

/**
 * 2-D average pooling of (N, C, H, W) with a square window, PyTorch's nn.AvgPool2d. countIncludePad:
 * padding cells inside a window count in its divisor (PyTorch's default true); false divides by the
 * number of real input cells only.
 */
public class AvgPool2d extends Module {
    public final int kernel, stride, padding;
    public final boolean ceilMode, countIncludePad;
    private final PoolGeometry geometry;

    public AvgPool2d(int kernel, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
        this.geometry = new PoolGeometry(kernel, kernel, stride, stride, padding, padding, 1, 1, ceilMode);
    }

    /** Window k×k, stride k, no padding. */
    public AvgPool2d(int kernel) { this(kernel, kernel, 0, false, true); }

    @Override public Tensor forward(Tensor x) { return Pooling.avgPool2d(x, geometry, countIncludePad); }

    @Override public int[] outputShape(int[] in) { return PoolShapes.pooled2d(in, geometry, "AvgPool2d"); }

    @Override public String toString() { return PoolShapes.describe("AvgPool2d", kernel, stride, padding, ceilMode, countIncludePad); }
}
