package convlab.optim;

import convlab.kernels.Parallel;
import convlab.nn.Parameter;
import convlab.tensor.DType;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** SGD's momentum update is split among the kernel threads for large parameters: the result must not depend on it. */
class SgdThreadsTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach void restoreThreads() { Parallel.setThreads(savedThreads); }

    private static float[] run(int threads, boolean nesterov, double weightDecay) {
        Parallel.setThreads(threads);
        // 200,711 weights (the MLP's first layer and an odd tail) and a small one that stays on one thread.
        Parameter big = new Parameter(Tensor.uniform(new Rng(1), -1, 1, DType.F32, 256 * 784 + 7));
        Parameter small = new Parameter(Tensor.uniform(new Rng(2), -1, 1, DType.F32, 10));
        SGD opt = new SGD(List.of(big, small), 0.05, 0.9, 0, weightDecay, nesterov);
        Rng g = new Rng(3);
        for (int step = 0; step < 3; step++) {
            big.setGrad(Tensor.uniform(g, -1, 1, DType.F32, big.numel()));
            small.setGrad(Tensor.uniform(g, -1, 1, DType.F32, small.numel()));
            opt.step();
        }
        float[] out = new float[big.numel() + small.numel()];
        System.arraycopy(big.data(), 0, out, 0, big.numel());
        System.arraycopy(small.data(), 0, out, big.numel(), small.numel());
        return out;
    }

    @Test void oneAndTwoThreadsGiveTheSameWeights() {
        for (boolean nesterov : new boolean[] {false, true})
            for (double wd : new double[] {0, 1e-3})
                assertArrayEquals(run(1, nesterov, wd), run(2, nesterov, wd), "nesterov=" + nesterov + " weight decay=" + wd);
    }
}
