package convlab.nn;

import convlab.nn.functional.Normalization;
import convlab.tensor.Shape;
import convlab.tensor.Tensor;

/**
 * Layer normalization over the trailing dimensions normalizedShape, PyTorch's nn.LayerNorm: each sample
 * normalized by its own mean and variance (no running statistics, same in training and evaluation),
 * then an elementwise weight (init 1) and bias (init 0) of shape normalizedShape when affine.
 */
public class LayerNorm extends Module {
    private final int[] normalizedShape;
    public final double eps;
    public final Parameter weight, bias;   // null when not affine

    public LayerNorm(int[] normalizedShape, double eps, boolean affine) {
        if (normalizedShape.length == 0 || Shape.numelLong(normalizedShape) <= 0)
            throw new IllegalArgumentException("LayerNorm needs a non-empty normalized shape of positive sizes, got " + Shape.str(normalizedShape));
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.weight = affine ? registerParameter("weight", Tensor.full(1, convlab.tensor.DType.F32, normalizedShape)) : null;
        this.bias = affine ? registerParameter("bias", Tensor.zeros(normalizedShape)) : null;
    }

    public int[] normalizedShape() { return normalizedShape.clone(); }

    @Override public Tensor forward(Tensor x) { return Normalization.layerNorm(x, normalizedShape, weight, bias, eps); }

    @Override public int[] outputShape(int[] in) {
        int k = normalizedShape.length;
        boolean fits = in.length >= k;
        for (int i = 0; fits && i < k; i++) fits = in[in.length - k + i] == normalizedShape[i];
        if (!fits) throw new IllegalArgumentException(this + " expects an input ending in " + Shape.str(normalizedShape) + ", got " + Shape.str(in));
        return in.clone();
    }

    @Override public String toString() { return "LayerNorm(" + Shape.str(normalizedShape) + (weight == null ? ", no affine" : "") + ")"; }
}
