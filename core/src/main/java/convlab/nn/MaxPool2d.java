package convlab.nn;

import convlab.geometry.PoolGeometry;
import convlab.nn.functional.Pooling;
import convlab.tensor.Tensor;

/**
 * 2-D max pooling of (N, C, H, W) with a square window, PyTorch's nn.MaxPool2d: output size
 * ⌊(H + 2p − k)/s⌋ + 1 (⌈…⌉ in ceil mode), padding at most k/2. The backward routes each gradient to
 * its window's maximum; ties go to the first maximum in row-major window order (PyTorch's rule).
 */
public class MaxPool2d extends Module {
    public final int kernel, stride, padding;
    public final boolean ceilMode;
    private final PoolGeometry geometry;

    public MaxPool2d(int kernel, int stride, int padding, boolean ceilMode) {
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.ceilMode = ceilMode;
        this.geometry = new PoolGeometry(kernel, kernel, stride, stride, padding, padding, 1, 1, ceilMode);
    }

    /** Window k×k, stride k, no padding (the course's POOLk). */
    public MaxPool2d(int kernel) { this(kernel, kernel, 0, false); }

    @Override public Tensor forward(Tensor x) { return Pooling.maxPool2d(x, geometry); }

    @Override public int[] outputShape(int[] in) { return PoolShapes.pooled2d(in, geometry, "MaxPool2d"); }

    @Override public String toString() { return PoolShapes.describe("MaxPool2d", kernel, stride, padding, ceilMode, null); }
}
