package convlab.optim.fp8;

import convlab.nn.Parameter;
import convlab.optim.SGD;
import convlab.optim.fp8.Fp8Format.Rounding;
import convlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Fp8StorageTest {
    /** θ = 1 in E4M3 (grid spacing 0.125 above 1), gradient 1, lr 0.01: each update is 0.01, below half a step. */
    private static float run(boolean master, Rounding rounding, int steps) {
        Parameter p = new Parameter(Tensor.full(1.0, convlab.tensor.DType.F32, 64));
        var opt = new Fp8Storage(new SGD(List.of(p), 0.01, 0, 0), Fp8Format.E4M3, master, rounding, true, 7);
        for (int s = 0; s < steps; s++) {
            p.setGrad(Tensor.full(-1.0, convlab.tensor.DType.F32, 64));   // pushes θ up by 0.01 per step
            opt.step();
            for (float v : p.data()) assertEquals(v, Fp8Format.E4M3.round(v, true), "parameter holds fp8 values only");
        }
        double mean = 0;
        for (float v : p.data()) mean += v;
        return (float) (mean / 64);
    }

    @Test void withoutMasterCopyNearestRoundingLosesSmallUpdates() {
        assertEquals(1.0f, run(false, Rounding.NEAREST_EVEN, 20));
    }

    @Test void masterCopyAccumulatesThem() {
        // master reaches 1.2 after 20 steps; fp8 of 1.2 is 1.25 (grid 1, 1.125, 1.25)
        assertEquals(1.25f, run(true, Rounding.NEAREST_EVEN, 20));
    }

    @Test void stochasticRoundingKeepsThemInExpectation() {
        float mean = run(false, Rounding.STOCHASTIC, 20);
        assertTrue(mean > 1.1 && mean < 1.3, "expected ≈ 1.2 on average over 64 coordinates, got " + mean);
    }

    @Test void masterCopyIsPartOfTheState() {
        Parameter p = new Parameter(Tensor.full(1.0, convlab.tensor.DType.F32, 3));
        var opt = new Fp8Storage(new SGD(List.of(p), 0.01, 0.9, 0), Fp8Format.E5M2, true, Rounding.NEAREST_EVEN, false, 1);
        p.setGrad(Tensor.full(1.0, convlab.tensor.DType.F32, 3));
        opt.step();
        var st = opt.state();
        assertEquals(0.99f, st.get("0.fp8_master")[0], 1e-7);
        assertTrue(st.containsKey("0.momentum_buffer"));
        opt.loadState(st);
    }
}
