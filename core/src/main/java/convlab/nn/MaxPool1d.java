package convlab.nn;

import convlab.geometry.PoolGeometry;
import convlab.nn.functional.Pooling;
import convlab.tensor.Tensor;

/** 1-D max pooling of (N, C, L), PyTorch's nn.MaxPool1d; same rules as {@link MaxPool2d} along one axis. */
public class MaxPool1d extends Module {
    public final int kernel, stride, padding;
    public final boolean ceilMode;

    public MaxPool1d(int kernel, int stride, int padding, boolean ceilMode) {
        PoolGeometry.oneD(kernel, stride, padding, 1, ceilMode);      // validates the parameters now
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.ceilMode = ceilMode;
    }

    public MaxPool1d(int kernel) { this(kernel, kernel, 0, false); }

    @Override public Tensor forward(Tensor x) { return Pooling.maxPool1d(x, kernel, stride, padding, ceilMode); }

    @Override public int[] outputShape(int[] in) {
        return PoolShapes.pooled1d(in, PoolGeometry.oneD(kernel, stride, padding, 1, ceilMode), "MaxPool1d");
    }

    @Override public String toString() { return PoolShapes.describe("MaxPool1d", kernel, stride, padding, ceilMode, null); }
}
