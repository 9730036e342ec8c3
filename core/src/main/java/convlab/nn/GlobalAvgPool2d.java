package convlab.nn;

import convlab.nn.functional.Pooling;
import convlab.tensor.Shape;
import convlab.tensor.Tensor;

/** Global average pooling (the course's GAP): the mean of each channel, (N, C, H, W) → (N, C). */
public class GlobalAvgPool2d extends Module {
    @Override public Tensor forward(Tensor x) { return Pooling.globalAvgPool2d(x); }

    @Override public int[] outputShape(int[] in) {
        if (in.length != 4 || in[2] * in[3] == 0)
            throw new IllegalArgumentException("GlobalAvgPool2d expects an input (N, C, H, W) with H, W > 0, got " + Shape.str(in));
        return new int[] {in[0], in[1]};
    }

    @Override public String toString() { return "GlobalAvgPool2d"; }
}
