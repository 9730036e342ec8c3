package convlab.tensor;

import convlab.nn.functional.F;
import org.junit.jupiter.api.Test;

import static convlab.testing.Checks.assertGradients;
import static convlab.testing.Checks.rand64;

/** Finite-difference checks (float64) for every general tensor op's backward. */
class OpsGradTest {

    @Test void elementwiseBinaryWithBroadcasting() {
        assertGradients("add", t -> t[0].add(t[1]), rand64(1, 3, 4), rand64(2, 4));
        assertGradients("sub", t -> t[0].sub(t[1]), rand64(3, 2, 3, 4), rand64(4, 3, 1));
        assertGradients("mul", t -> t[0].mul(t[1]), rand64(5, 3, 4), rand64(6, 3, 4));
        assertGradients("mul broadcast", t -> t[0].mul(t[1]), rand64(7, 2, 1, 4), rand64(8, 3, 1));
        Tensor den = rand64(10, 3, 4).abs().add(0.5);
        assertGradients("div", t -> t[0].div(t[1]), rand64(9, 3, 4), den);
    }

    @Test void elementwiseUnary() {
        assertGradients("exp", t -> t[0].exp(), rand64(11, 5));
        assertGradients("log", t -> t[0].log(), rand64(12, 5).abs().add(0.1));
        assertGradients("sqrt", t -> t[0].sqrt(), rand64(13, 5).abs().add(0.1));
        assertGradients("tanh", t -> t[0].tanh(), rand64(14, 5));
        assertGradients("sigmoid", t -> t[0].sigmoid(), rand64(15, 5));
        assertGradients("relu", t -> t[0].relu(), rand64(16, 7));
        assertGradients("abs", t -> t[0].abs(), rand64(17, 7));
        assertGradients("pow", t -> t[0].pow(3), rand64(18, 6));
        assertGradients("scalar ops", t -> t[0].mul(2.5).add(-1).neg(), rand64(19, 6));
    }

    @Test void reductions() {
        assertGradients("sum all", t -> t[0].sum(), rand64(20, 3, 4));
        assertGradients("sum axis", t -> t[0].sum(1, false), rand64(21, 3, 4, 2));
        assertGradients("sum axes keepdim", t -> t[0].sum(new int[] {0, 2}, true), rand64(22, 3, 4, 2));
        assertGradients("mean", t -> t[0].mean(new int[] {-1}, false), rand64(23, 3, 4));
        assertGradients("max", t -> t[0].max(1, false), rand64(24, 3, 5, 2));
        assertGradients("logSoftmax", t -> t[0].logSoftmax(1), rand64(25, 4, 6));
        assertGradients("logSoftmax middle axis", t -> t[0].logSoftmax(1), rand64(26, 2, 3, 4));
        assertGradients("softmax", t -> t[0].softmax(-1), rand64(27, 4, 6));
    }

    @Test void viewsAndCopies() {
        assertGradients("reshape", t -> t[0].reshape(4, -1).mul(t[0].reshape(4, 6)), rand64(30, 2, 3, 4));
        assertGradients("permute", t -> t[0].permute(2, 0, 1).contiguous(), rand64(31, 2, 3, 4));
        assertGradients("transpose+reshape", t -> t[0].transpose(0, 1).reshape(-1), rand64(32, 3, 5));
        assertGradients("slice step", t -> t[0].slice(1, 1, 6, 2), rand64(33, 3, 7));
        assertGradients("unsqueeze/squeeze/expand", t -> t[0].unsqueeze(0).expand(3, 4, 5).sum(0, true).squeeze(0), rand64(34, 4, 5));
    }

    @Test void matmul() {
        assertGradients("2d", t -> t[0].matmul(t[1]), rand64(40, 3, 4), rand64(41, 4, 5));
        assertGradients("transposed views", t -> t[0].t().matmul(t[1].t()), rand64(42, 4, 3), rand64(43, 5, 4));
        assertGradients("batched", t -> t[0].matmul(t[1]), rand64(44, 2, 3, 4), rand64(45, 2, 4, 2));
        assertGradients("batched x 2d", t -> t[0].matmul(t[1]), rand64(46, 2, 3, 4), rand64(47, 4, 2));
        assertGradients("vector shapes", t -> t[0].matmul(t[1]), rand64(48, 1, 4), rand64(49, 4, 1));
    }

    @Test void layersFunctional() {
        assertGradients("linear", t -> F.linear(t[0], t[1], t[2]), rand64(50, 5, 4), rand64(51, 3, 4), rand64(52, 3));
        assertGradients("linearRelu", t -> F.linearRelu(t[0], t[1], t[2], 0.7), rand64(56, 5, 4), rand64(57, 3, 4), rand64(58, 3));
        assertGradients("crossEntropy", t -> F.crossEntropy(t[0], new int[] {2, 0, 1, 2}), rand64(53, 4, 3));
        assertGradients("mse", t -> F.mse(t[0], t[1]), rand64(54, 4, 3), rand64(55, 4, 3));
    }
}
