package convlab.autograd;

import convlab.nn.Flatten;
import convlab.nn.Linear;
import convlab.nn.Parameter;
import convlab.nn.ReLU;
import convlab.nn.Sequential;
import convlab.nn.functional.F;
import convlab.optim.SGD;
import convlab.tensor.DType;
import convlab.tensor.Ops;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Parameter.releaseGrad: the next backward overwrites the released storage and computes exactly what it would in new storage. */
class ReleasedGradientTest {
    private static final int[] LABELS = {0, 2, 1, 1, 0, 2};

    @Test void theNextBackwardWritesIntoTheReleasedStorage() {
        Rng rng = new Rng(1);
        Linear layer = new Linear(7, 3, rng);
        Tensor x1 = Tensor.randn(rng, 6, 7), x2 = Tensor.randn(rng, 6, 7);
        F.crossEntropy(layer.forward(x1), LABELS).backward();
        float[] first = layer.weight.grad().data();

        layer.weight.zeroGrad();
        F.crossEntropy(layer.forward(x2), LABELS).backward();
        float[] fresh = layer.weight.grad().toFloatArray();
        assertNotSame(first, layer.weight.grad().data(), "zeroGrad promises nothing: a new tensor");

        float[] second = layer.weight.grad().data();
        layer.weight.releaseGrad();
        F.crossEntropy(layer.forward(x2), LABELS).backward();
        assertSame(second, layer.weight.grad().data(), "the released storage is reused");
        assertArrayEquals(fresh, layer.weight.grad().toFloatArray(), "and holds exactly the new gradient, nothing of the old");
    }

    @Test void aWeightUsedTwiceGetsTheReleasedStorageOnceAndTheSumOfBothUses() {
        Rng rng = new Rng(2);
        Parameter w = new Parameter(Tensor.randn(rng, 3, 5));
        Tensor x1 = Tensor.randn(rng, 6, 5), x2 = Tensor.randn(rng, 6, 5);
        Ops.add(F.crossEntropy(F.linear(x1, w, null), LABELS), F.crossEntropy(F.linear(x2, w, null), LABELS)).backward();
        float[] expected = w.grad().toFloatArray();
        for (int round = 0; round < 2; round++) {
            w.releaseGrad();
            Ops.add(F.crossEntropy(F.linear(x1, w, null), LABELS), F.crossEntropy(F.linear(x2, w, null), LABELS)).backward();
            assertArrayEquals(expected, w.grad().toFloatArray(), "round " + round);
        }
    }

    @Test void trainingWithReleasedGradientsIsBitwiseTrainingWithNewOnes() {
        float[][] plain = train(false), released = train(true);
        for (int i = 0; i < plain.length; i++) assertArrayEquals(plain[i], released[i], "parameter " + i);
    }

    private static float[][] train(boolean release) {
        Rng rng = new Rng(3);
        Sequential net = new Sequential(new Flatten(), new Linear(16, 12, rng), new ReLU(), new Linear(12, 3, rng));
        SGD opt = new SGD(net.parameters(), 0.1, 0.9, 1e-4);
        for (int step = 0; step < 6; step++) {
            Tensor x = Tensor.uniform(rng, 0, 1, DType.F32, 6, 1, 4, 4);
            Tensor loss = F.crossEntropy(net.forward(x), LABELS);
            if (release) opt.releaseGrads(); else opt.zeroGrad();
            loss.backward();
            opt.step();
        }
        List<Parameter> ps = net.parameters();
        float[][] out = new float[ps.size()][];
        for (int i = 0; i < out.length; i++) out[i] = ps.get(i).data().clone();
        return out;
    }
}
