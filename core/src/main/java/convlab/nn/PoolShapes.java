package convlab.nn;

import convlab.geometry.PoolGeometry;
import convlab.tensor.Shape;

/** Output shapes and names shared by the pooling modules. */
final class PoolShapes {
    private PoolShapes() {}

    static int[] pooled2d(int[] in, PoolGeometry g, String layer) {
        if (in.length != 4) throw new IllegalArgumentException(layer + " expects an input (N, C, H, W), got " + Shape.str(in));
        return new int[] {in[0], in[1], g.outH(in[2]), g.outW(in[3])};
    }

    static int[] pooled1d(int[] in, PoolGeometry g, String layer) {
        if (in.length != 3) throw new IllegalArgumentException(layer + " expects an input (N, C, L), got " + Shape.str(in));
        return new int[] {in[0], in[1], g.outW(in[2])};
    }

    /** "MaxPool2d(2)", "AvgPool2d(3, stride 2, padding 1, ceil, exclude padding)". */
    static String describe(String name, int kernel, int stride, int padding, boolean ceil, Boolean countIncludePad) {
        StringBuilder sb = new StringBuilder(name).append('(').append(kernel);
        if (stride != kernel) sb.append(", stride ").append(stride);
        if (padding != 0) sb.append(", padding ").append(padding);
        if (ceil) sb.append(", ceil");
        if (countIncludePad != null && !countIncludePad && padding != 0) sb.append(", exclude padding");
        return sb.append(')').toString();
    }
}
