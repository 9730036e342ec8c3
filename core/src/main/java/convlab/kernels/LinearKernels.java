package convlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The epilogue of a fully connected layer's forward product, run on a block of its output by the thread that
 * computed the block ({@link Gemm.BlockDone}): y += bias along each row, then max(y, 0) when the ReLU is fused.
 * The same roundings as a separate pass: for a product of one depth block ({@link Gemm#oneDepthBlock}) y = sums +
 * bias is the sum the GEMM's beta-1 epilogue forms with the bias put in C first (IEEE addition commutes), and the
 * ReLU is {@link ReluKernels#relu}'s blend (NaN stays NaN, −0 becomes +0).
 */
public final class LinearKernels {
    private LinearKernels() {}

    private static final VectorSpecies<Float> S = Vectors.FLOAT;

    /**
     * Rows [rowFrom, rowTo) and columns [colFrom, colTo) of y (row stride ld): y[i][j] += bias[j] (bias may be null),
     * then y = max(y, 0) when relu.
     */
    public static void biasRelu(float[] y, int ld, int rowFrom, int rowTo, int colFrom, int colTo, float[] bias, boolean relu) {
        if (bias == null) {   // the ReLU alone: the ReLU kernel on each row's columns
            if (relu) for (int i = rowFrom; i < rowTo; i++) ReluKernels.relu(y, i * ld + colFrom, colTo - colFrom, y);
            return;
        }
        int vl = S.length(), upper = colFrom + S.loopBound(colTo - colFrom);
        FloatVector zero = FloatVector.zero(S);
        for (int i = rowFrom; i < rowTo; i++) {
            int row = i * ld, j = colFrom;
            if (relu) {
                for (; j < upper; j += vl) {
                    FloatVector v = FloatVector.fromArray(S, y, row + j).add(FloatVector.fromArray(S, bias, j));
                    v.blend(zero, v.compare(VectorOperators.LE, 0f)).intoArray(y, row + j);
                }
            } else {
                for (; j < upper; j += vl)
                    FloatVector.fromArray(S, y, row + j).add(FloatVector.fromArray(S, bias, j)).intoArray(y, row + j);
            }
            for (; j < colTo; j++) {
                float v = y[row + j] + bias[j];
                y[row + j] = relu ? Math.max(v, 0f) : v;
            }
        }
    }

    /**
     * out[j] = the sum over rows i of g[i·cols + j] (a fully connected layer's bias gradient), each column summed from +0
     * in row order, so bitwise the scalar loop {@code out[j] += g[i·cols + j]} over a zeroed out. With vectors along the
     * row: C2 left that scalar loop scalar (7.5 µs for the MLP's 64×256, AVX2 code, Zen 5; this: under 1).
     */
    public static void columnSums(float[] g, int rows, int cols, float[] out) {
        int vl = S.length(), upper = S.loopBound(cols), j = 0;
        for (; j < upper; j += vl) {
            FloatVector sum = FloatVector.zero(S);
            for (int i = 0, at = j; i < rows; i++, at += cols) sum = sum.add(FloatVector.fromArray(S, g, at));
            sum.intoArray(out, j);
        }
        for (; j < cols; j++) {
            float sum = 0f;
            for (int i = 0, at = j; i < rows; i++, at += cols) sum += g[at];
            out[j] = sum;
        }
    }
}
