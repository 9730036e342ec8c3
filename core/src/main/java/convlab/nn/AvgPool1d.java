package convlab.nn;

import convlab.geometry.PoolGeometry;
import convlab.nn.functional.Pooling;
import convlab.tensor.Tensor;

/** 1-D average pooling of (N, C, L), PyTorch's nn.AvgPool1d; same rules as {@link AvgPool2d} along one axis. */
public class AvgPool1d extends Module {
    public final int kernel, stride, padding;
    public final boolean ceilMode, countIncludePad;

    public AvgPool1d(int kernel, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        PoolGeometry.oneD(kernel, stride, padding, 1, ceilMode);      // validates the parameters now
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
    }

    public AvgPool1d(int kernel) { this(kernel, kernel, 0, false, true); }

    @Override public Tensor forward(Tensor x) { return Pooling.avgPool1d(x, kernel, stride, padding, ceilMode, countIncludePad); }

    @Override public int[] outputShape(int[] in) {
        return PoolShapes.pooled1d(in, PoolGeometry.oneD(kernel, stride, padding, 1, ceilMode), "AvgPool1d");
    }

    @Override public String toString() { return PoolShapes.describe("AvgPool1d", kernel, stride, padding, ceilMode, countIncludePad); }
}
