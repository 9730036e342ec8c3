package convlab.autograd;

import convlab.nn.functional.F;
import convlab.tensor.DType;
import convlab.tensor.Ops;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Leaf gradients: several backward passes add up, and a leaf's gradient never shares storage with another
 * tensor, also where the engine keeps a rule's fresh gradient instead of copying it ({@link Node#recordFresh}).
 */
class GradientAccumulationTest {
    private static Tensor leaf(Rng rng, int... shape) { return Tensor.randn(rng, shape).requiresGrad(true); }

    private static float[] twice(float[] v) {
        float[] out = v.clone();
        for (int i = 0; i < out.length; i++) out[i] += v[i];
        return out;
    }

    @Test void twoBackwardPassesThroughALinearLayerAddUp() {
        Rng rng = new Rng(1);
        Tensor x = Tensor.randn(rng, 5, 7), w = leaf(rng, 3, 7), b = leaf(rng, 3);
        int[] labels = {0, 2, 1, 1, 0};
        F.crossEntropy(F.linear(x, w, b), labels).backward();
        Tensor gw = w.grad(), gb = b.grad();
        float[] once = gw.toFloatArray(), onceB = gb.toFloatArray();
        F.crossEntropy(F.linear(x, w, b), labels).backward();
        assertSame(gw, w.grad(), "the second pass adds into the gradient tensor of the first");
        assertArrayEquals(twice(once), w.grad().toFloatArray());
        assertArrayEquals(twice(onceB), b.grad().toFloatArray());
    }

    @Test void aWeightUsedTwiceInOnePassGetsTheSumOfBothUses() {
        Rng rng = new Rng(2);
        Tensor x1 = Tensor.randn(rng, 4, 6), x2 = Tensor.randn(rng, 4, 6), w = leaf(rng, 3, 6);
        int[] labels = {0, 1, 2, 0};
        F.crossEntropy(F.linear(x1, w, null), labels).backward();
        float[] g1 = w.grad().toFloatArray();
        w.zeroGrad();
        F.crossEntropy(F.linear(x2, w, null), labels).backward();
        float[] g2 = w.grad().toFloatArray();
        w.zeroGrad();
        Ops.add(F.crossEntropy(F.linear(x1, w, null), labels), F.crossEntropy(F.linear(x2, w, null), labels)).backward();
        float[] sum = new float[g1.length];
        for (int i = 0; i < sum.length; i++) sum[i] = g1[i] + g2[i];
        assertArrayEquals(sum, w.grad().toFloatArray());
    }

    @Test void leavesFedThroughAPassThroughRuleGetGradientsOfTheirOwn() {
        // add's backward hands the gradient it receives (here linear's fresh input gradient) to both inputs:
        // the engine must copy it for each leaf, or changing one leaf's gradient would change the other's.
        Rng rng = new Rng(3);
        Tensor a = leaf(rng, 4, 6), b = leaf(rng, 4, 6), w = leaf(rng, 3, 6);
        F.crossEntropy(F.linear(Ops.add(a, b), w, null), new int[] {0, 1, 2, 0}).backward();
        assertNotSame(a.grad().data(), b.grad().data());
        assertArrayEquals(a.grad().toFloatArray(), b.grad().toFloatArray());
        float[] bBefore = b.grad().toFloatArray();
        F.crossEntropy(F.linear(a, w, null), new int[] {1, 1, 1, 1}).backward();   // adds into a.grad only
        assertArrayEquals(bBefore, b.grad().toFloatArray());
    }

    @Test void aLeafGradientSharesStorageWithNoOtherTensor() {
        Rng rng = new Rng(4);
        Tensor x = leaf(rng, 5, 7), w = leaf(rng, 3, 7), bias = leaf(rng, 3);
        Tensor y = F.linear(x, w, bias);
        Tensor h = y.relu();
        Tensor loss = F.crossEntropy(h, new int[] {0, 1, 2, 0, 1});
        loss.backward();
        Object[] storages = {x.data(), w.data(), bias.data(), y.data(), h.data(), x.grad().data(), w.grad().data(), bias.grad().data()};
        for (int i = 0; i < storages.length; i++)
            for (int j = i + 1; j < storages.length; j++) assertNotSame(storages[i], storages[j], "tensors " + i + " and " + j);
    }

    @Test void aLeafThatIsTheRootOrPassedStraightThroughIsCopied() {
        Tensor s = Tensor.scalar(2.0).requiresGrad(true);
        Tensor seed = Tensor.scalar(1.0);
        s.backward(seed);
        assertNotSame(seed.data(), s.grad().data());
        Tensor v = Tensor.randn(new Rng(5), 3).requiresGrad(true);
        Tensor g = Tensor.randn(new Rng(6), 3);
        v.copy().backward(g);   // copy's rule returns the given gradient itself
        assertNotSame(g.data(), v.grad().data());
        assertArrayEquals(g.toFloatArray(), v.grad().toFloatArray());
    }

    @Test void gradientsReachingAFloat64LeafAreCastOnceAndAddUp() {
        Rng rng = new Rng(7);
        Tensor w = Tensor.randn(rng, 1.0, DType.F64, 3, 4).requiresGrad(true);
        Tensor x = Tensor.randn(rng, 1.0, DType.F64, 2, 4);
        F.linear(x, w, null).sum().backward();
        double[] once = w.grad().toDoubleArray();
        F.linear(x, w, null).sum().backward();
        double[] two = w.grad().toDoubleArray();
        for (int i = 0; i < once.length; i++) assertTrue(two[i] == 2 * once[i], "element " + i);
    }
}
