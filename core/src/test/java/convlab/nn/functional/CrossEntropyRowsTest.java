package convlab.nn.functional;

import convlab.kernels.Parallel;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link F#crossEntropy} shares a large batch's rows among the threads: the loss and its gradient are bitwise those of
 * one thread, and a bad target is reported at its first row. Values against PyTorch: GoldenNetworkTest; float64
 * finite differences: OpsGradTest.
 */
class CrossEntropyRowsTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach void restoreThreads() { Parallel.setThreads(savedThreads); }

    @Test void lossAndGradientAreBitwiseTheSameOnOneTwoAndThreeThreads() {
        for (int n : new int[] {64, 255, 256, 511, 512, 1000, 1537}) {
            double[] want = null;
            double[] wantGrad = null;
            for (int threads : new int[] {1, 2, 3}) {
                Parallel.setThreads(threads);
                Rng rng = new Rng(n);
                Tensor logits = Tensor.randn(rng, 3.0, convlab.tensor.DType.F32, n, 10).requiresGrad(true);
                int[] targets = new int[n];
                for (int i = 0; i < n; i++) targets[i] = (i * 7 + 3) % 10;
                Tensor loss = F.crossEntropy(logits, targets);
                loss.backward();
                double[] got = {loss.item()}, grad = logits.grad().toDoubleArray();
                if (want == null) { want = got; wantGrad = grad; continue; }
                assertArrayEquals(want, got, n + " rows, " + threads + " threads: loss");
                assertArrayEquals(wantGrad, grad, n + " rows, " + threads + " threads: gradient");
            }
        }
    }

    @Test void theFirstBadTargetIsNamedWhicheverThreadHasItsRow() {
        Parallel.setThreads(2);
        Tensor logits = Tensor.randn(new Rng(1), 1000, 10);
        int[] targets = new int[1000];
        targets[900] = 10;   // in the second thread's rows
        targets[300] = -1;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> F.crossEntropy(logits, targets));
        assertEquals("crossEntropy: target -1 at row 300 is not a class in [0, 10)", e.getMessage());
    }
}
