package convlab.tensor;

import convlab.nn.Parameter;
import convlab.nn.Sequential;
import convlab.nn.functional.F;
import convlab.optim.SGD;
import convlab.spec.ModelBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StepArenaTest {
    private static final int BIG = StepArena.MIN_FLOATS;

    @Test void theNextStepTakesBackTheArraysZeroed() {
        try (StepArena arena = new StepArena()) {
            arena.begin();
            Tensor a = Tensor.zeros(2, BIG);
            java.util.Arrays.fill(a.data(), 7f);
            arena.pause();
            arena.begin();
            Tensor b = Tensor.zeros(2, BIG);
            assertSame(a.data(), b.data());
            for (float v : b.data()) if (v != 0f) throw new AssertionError("not zeroed: " + v);
            arena.pause();
        }
    }

    @Test void smallTensorsPausedArenasAndSuspensionsAllocateAfresh() {
        try (StepArena arena = new StepArena()) {
            arena.begin();
            Tensor small = Tensor.zeros(BIG - 1);
            Tensor big = Tensor.zeros(BIG);
            Tensor outside;
            try (var s = StepArena.suspended()) { outside = Tensor.zeros(BIG); }
            assertFalse(StepArena.holds(small));
            assertTrue(StepArena.holds(big));
            assertFalse(StepArena.holds(outside));
            assertTrue(StepArena.holds(Tensor.zeros(BIG)), "the arena is back after the suspension");
            arena.pause();
            Tensor paused = Tensor.zeros(BIG);
            arena.begin();
            assertFalse(StepArena.holds(paused));
            arena.pause();
        }
    }

    @Test void arraysIdleForTwoStepsAreDropped() {
        try (StepArena arena = new StepArena()) {
            arena.begin();
            float[] odd = Tensor.zeros(BIG + 1).data();
            arena.pause();
            for (int i = 0; i < 2; i++) { arena.begin(); Tensor.zeros(BIG); arena.pause(); }
            arena.begin();
            assertNotSame(odd, Tensor.zeros(BIG + 1).data(), "an array no step took for two steps is not kept");
            arena.pause();
            arena.begin();
            float[] kept = Tensor.zeros(BIG + 1).data();
            arena.pause();
            arena.begin();   // one idle step
            arena.pause();
            arena.begin();
            assertSame(kept, Tensor.zeros(BIG + 1).data(), "one idle step keeps it (a chunk of another size in between)");
            arena.pause();
        }
    }

    /** Parameter gradients outlive the step: they must never be arena arrays, or the next step would overwrite them. */
    @Test void parameterGradientsSurviveTheNextStep() {
        Sequential net = ModelBuilder.build("CONV3-32 RELU CONV3-64 BN RELU POOL2 FLATTEN FC-10", "12x12x1", 5);   // 32 -> 64: 18,432 weights, arena-sized
        Rng rng = new Rng(6);
        try (StepArena arena = new StepArena()) {
            arena.begin();
            F.crossEntropy(net.forward(Tensor.uniform(rng, 0, 1, DType.F32, 32, 1, 12, 12)), labels(32)).backward();
            List<Parameter> ps = net.parameters();
            float[][] grads = new float[ps.size()][];
            for (int i = 0; i < grads.length; i++) {
                assertFalse(StepArena.holds(ps.get(i).grad()), "gradient of parameter " + i + " is in the arena");
                grads[i] = ps.get(i).grad().contiguous().data().clone();
            }
            arena.pause();
            arena.begin();   // the next step's forward takes the arrays back and writes into them
            net.forward(Tensor.uniform(rng, 0, 1, DType.F32, 32, 1, 12, 12));
            arena.pause();
            for (int i = 0; i < grads.length; i++) assertArrayEquals(grads[i], ps.get(i).grad().contiguous().data(), "parameter " + i);
        }
    }

    @Test void trainingInAnArenaIsBitwiseTrainingWithout() {
        float[][] plain = train(false), pooled = train(true);
        for (int i = 0; i < plain.length; i++) assertArrayEquals(plain[i], pooled[i], "parameter " + i);
    }

    private static float[][] train(boolean withArena) {
        Sequential net = ModelBuilder.build("CONV3-8 BN RELU POOL2 CONV3-8 RELU FLATTEN FC-64 RELU FC-10", "12x12x1", 7);
        SGD opt = new SGD(net.parameters(), 0.05, 0.9, 1e-4);
        Rng rng = new Rng(8);
        try (StepArena arena = new StepArena()) {
            for (int step = 0; step < 5; step++) {
                Tensor x = Tensor.uniform(rng, 0, 1, DType.F32, 32, 1, 12, 12);
                if (withArena) arena.begin();
                Tensor loss = F.crossEntropy(net.forward(x), labels(32));
                opt.releaseGrads();
                loss.backward();
                arena.pause();
                opt.step();
            }
        }
        List<Parameter> ps = net.parameters();
        float[][] out = new float[ps.size()][];
        for (int i = 0; i < out.length; i++) out[i] = ps.get(i).data().clone();
        return out;
    }

    private static int[] labels(int n) {
        int[] l = new int[n];
        for (int i = 0; i < n; i++) l[i] = i % 10;
        return l;
    }
}
