package convlab.nn;

import convlab.tensor.DType;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;

/**
 * Weight initializers. fanIn/fanOut follow PyTorch: for a weight of shape (out, in, k…),
 * fanIn = in·∏k and fanOut = out·∏k.
 */
public final class Init {
    private Init() {}

    /** Kaiming (He) uniform with a = √5: PyTorch's default for Linear and Conv weights, U(±1/√fanIn). */
    public static Tensor torchDefault(Rng rng, int fanIn, int... shape) {
        double bound = 1.0 / Math.sqrt(fanIn);
        return Tensor.uniform(rng, -bound, bound, DType.F32, shape);
    }

    /** Xavier/Glorot uniform: U(±√(6/(fanIn+fanOut))). */
    public static Tensor xavierUniform(Rng rng, int fanIn, int fanOut, int... shape) {
        double bound = Math.sqrt(6.0 / (fanIn + fanOut));
        return Tensor.uniform(rng, -bound, bound, DType.F32, shape);
    }

    /** Xavier/Glorot normal: N(0, 2/(fanIn+fanOut)). */
    public static Tensor xavierNormal(Rng rng, int fanIn, int fanOut, int... shape) {
        return Tensor.randn(rng, xavierNormalStd(fanIn, fanOut), DType.F32, shape);
    }

    /** The standard deviation of {@link #xavierNormal}: √(2/(fanIn+fanOut)). */
    public static double xavierNormalStd(int fanIn, int fanOut) { return Math.sqrt(2.0 / ((double) fanIn + fanOut)); }

    /** Kaiming/He normal for ReLU: N(0, 2/fanIn). */
    public static Tensor kaimingNormal(Rng rng, int fanIn, int... shape) {
        return Tensor.randn(rng, Math.sqrt(2.0 / fanIn), DType.F32, shape);
    }

    /** Kaiming/He uniform for ReLU: U(±√(6/fanIn)). */
    public static Tensor kaimingUniform(Rng rng, int fanIn, int... shape) {
        double bound = Math.sqrt(6.0 / fanIn);
        return Tensor.uniform(rng, -bound, bound, DType.F32, shape);
    }
}
