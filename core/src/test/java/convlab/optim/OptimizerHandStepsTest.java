package convlab.optim;

import convlab.nn.Parameter;
import convlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The first three steps of each optimizer on one scalar θ₀ = 1 with gradients 0.5, −1, 2 (fixed, not
 * depending on θ), against values worked out by hand from the update rules (intermediates in comments).
 */
class OptimizerHandStepsTest {
    private static final float[] GRADS = {0.5f, -1f, 2f};

    private static void assertSteps(Function<List<Parameter>, Optimizer> make, double... expected) {
        Parameter p = new Parameter(Tensor.of(new float[] {1f}, 1));
        Optimizer opt = make.apply(List.of(p));
        for (int t = 0; t < 3; t++) {
            p.setGrad(Tensor.of(new float[] {GRADS[t]}, 1));
            opt.step();
            assertEquals(expected[t], p.data()[0], 1e-6, "step " + (t + 1));
        }
    }

    @Test void sgdMomentum() {
        // b = 0.5 → θ = 1 − 0.05;  b = 0.45 − 1 = −0.55 → θ = 0.95 + 0.055;  b = −0.495 + 2 = 1.505 → θ = 1.005 − 0.1505
        assertSteps(ps -> new SGD(ps, 0.1, 0.9, 0, 0, false), 0.95, 1.005, 0.8545);
    }

    @Test void sgdNesterov() {
        // step uses g + 0.9·b: 0.5 + 0.45 = 0.95 → 0.905;  −1 − 0.495 = −1.495 → 1.0545;  2 + 1.3545 = 3.3545 → 0.71905
        assertSteps(ps -> new SGD(ps, 0.1, 0.9, 0, 0, true), 0.905, 1.0545, 0.71905);
    }

    @Test void adam() {
        // t=1: m̂ = 0.5, v̂ = 0.25 → θ = 1 − 0.1·0.5/0.5 = 0.9
        // t=2: m = −0.055, v = 0.00124975; m̂ = −0.289474, v̂ = 0.625188 → θ = 0.9 + 0.1·0.289474/0.790688
        assertSteps(ps -> new Adam(ps, 0.1, 0.9, 0.999, 0, 0, false), 0.9, 0.93661035, 0.89464479);
    }

    @Test void adamWithL2WeightDecay() {
        // g = grad + 0.1·θ: t=1 g = 0.6, still a unit step; later steps see the coupled decay
        assertSteps(ps -> new Adam(ps, 0.1, 0.9, 0.999, 0, 0.1, false), 0.9, 0.92526352, 0.87761726);
    }

    @Test void adamWDecoupled() {
        // θ·(1 − 0.1·0.1) first: 0.99 − 0.1 = 0.89; then the plain Adam step of each later t
        assertSteps(ps -> new AdamW(ps, 0.1, 0.9, 0.999, 0, 0.1, false), 0.89, 0.91771035, 0.86656769);
    }

    @Test void rmsprop() {
        // s = 0.025 → θ = 1 − 0.01·0.5/0.158114 = 0.968377;  s = 0.1225 → +0.01/0.35;  s = 0.51025 → −0.02/0.714318
        assertSteps(ps -> new RMSprop(ps, 0.01, 0.9, 0, 0, 0, false), 0.96837722, 0.99694865, 0.96894991);
    }

    @Test void adagrad() {
        // s = 0.25 → θ = 1 − 0.1;  s = 1.25 → + 0.1/1.118034;  s = 5.25 → − 0.2/2.291288
        assertSteps(ps -> new Adagrad(ps, 0.1, 0, 0, 0, 0), 0.9, 0.98944272, 0.90215556);
    }

    @Test void signSgd() {
        assertSteps(ps -> new SignSGD(ps, 0.1, 0, 0), 0.9, 1.0, 0.9);
    }

    @Test void signumWithDecoupledDecay() {
        // m = 0.25, −0.375, 0.8125 (β = 0.5); θ = θ·0.99 ∓ 0.1: 0.89, 0.9811, 0.871289
        assertSteps(ps -> new SignSGD(ps, 0.1, 0.5, 0.1), 0.89, 0.9811, 0.871289);
    }

    @Test void parametersWithoutGradientsAreLeftAlone() {
        Parameter a = new Parameter(Tensor.of(new float[] {1f}, 1)), b = new Parameter(Tensor.of(new float[] {2f}, 1));
        Optimizer opt = new Adam(List.of(a, b), 0.1, 0.9, 0.999, 1e-8, 0, false);
        a.setGrad(Tensor.of(new float[] {1f}, 1));
        opt.step();
        assertEquals(2f, b.data()[0]);
        assertTrue(a.data()[0] < 1f);
    }

    @Test void badHyperparametersAreRejected() {
        List<Parameter> ps = List.of(new Parameter(Tensor.zeros(2)));
        assertThrows(IllegalArgumentException.class, () -> new SGD(ps, -1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new SGD(ps, 0.1, 0, 0, 0, true));
        assertThrows(IllegalArgumentException.class, () -> new Adam(ps, 0.1, 1.0, 0.999, 1e-8, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new RMSprop(ps, 0.1, 1.5, 1e-8, 0, 0, false));
        assertThrows(IllegalArgumentException.class, () -> new SignSGD(ps, 0.1, 1.0, 0));
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(), 0.1, 0, 0));
    }

    @Test void stateRoundTripsThroughACheckpoint() {
        Parameter p = new Parameter(Tensor.of(new float[] {1f, -1f}, 2)), q = new Parameter(Tensor.of(new float[] {1f, -1f}, 2));
        Adam a = new Adam(List.of(p), 0.1, 0.9, 0.999, 1e-8, 0, false), b = new Adam(List.of(q), 0.1, 0.9, 0.999, 1e-8, 0, false);
        p.setGrad(Tensor.of(new float[] {0.5f, 0.25f}, 2));
        a.step();
        q.copyFrom(p);
        b.loadState(a.state());
        p.setGrad(Tensor.of(new float[] {-1f, 2f}, 2));
        q.setGrad(Tensor.of(new float[] {-1f, 2f}, 2));
        a.step();
        b.step();
        assertEquals(p.data()[0], q.data()[0]);
        assertEquals(p.data()[1], q.data()[1]);
        assertEquals(2L, StateCodec.decodeCount(b.state().get("0.step")));
        var bad = new java.util.HashMap<>(a.state());
        bad.put("0.exp_avg", new float[3]);
        assertThrows(IllegalArgumentException.class, () -> b.loadState(bad));
    }
}
