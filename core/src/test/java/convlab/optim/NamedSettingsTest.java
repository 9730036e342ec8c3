package convlab.optim;

import convlab.nn.Parameter;
import convlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Adam.Config / AdamW's named settings: PyTorch's defaults, and the same steps as the positional constructors. */
class NamedSettingsTest {
    private static final float[] GRADS = {0.5f, -1f, 2f};

    private static float[] threeSteps(Optimizer opt, Parameter p) {
        float[] out = new float[3];
        for (int t = 0; t < 3; t++) {
            p.setGrad(Tensor.of(new float[] {GRADS[t]}, 1));
            opt.step();
            out[t] = p.data()[0];
        }
        return out;
    }

    private static Parameter theta() { return new Parameter(Tensor.of(new float[] {1f}, 1)); }

    @Test void pytorchDefaults() {
        // torch.optim.Adam: lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False; AdamW: weight_decay=1e-2
        assertEquals(new Adam.Config(1e-3, 0.9, 0.999, 1e-8, 0, false), Adam.Config.PYTORCH_DEFAULTS);
        assertEquals(new Adam.Config(1e-3, 0.9, 0.999, 1e-8, 0.01, false), AdamW.PYTORCH_DEFAULTS);
    }

    @Test void configStepsEqualPositionalSteps() {
        Adam.Config c = Adam.Config.PYTORCH_DEFAULTS.withLr(0.1).withBetas(0.8, 0.99).withEps(1e-6).withWeightDecay(0.1).withAmsgrad(true);
        Parameter a = theta(), b = theta();
        assertEquals(List.of(floats(threeSteps(new Adam(List.of(a), 0.1, 0.8, 0.99, 1e-6, 0.1, true), a))),
                List.of(floats(threeSteps(new Adam(List.of(b), c), b))));
        Parameter d = theta(), e = theta();
        assertEquals(List.of(floats(threeSteps(new AdamW(List.of(d), 0.1, 0.8, 0.99, 1e-6, 0.1, true), d))),
                List.of(floats(threeSteps(new AdamW(List.of(e), c), e))));
        // and the hand-worked AdamW steps of OptimizerHandStepsTest (lr 0.1, eps 0, weight decay 0.1)
        Parameter f = theta();
        float[] w = threeSteps(new AdamW(List.of(f), AdamW.PYTORCH_DEFAULTS.withLr(0.1).withEps(0).withWeightDecay(0.1)), f);
        assertEquals(0.89, w[0], 1e-6);
        assertEquals(0.91771035, w[1], 1e-6);
        assertEquals(0.86656769, w[2], 1e-6);
    }

    @Test void badSettingsAreRefusedWhenTheOptimizerIsMade() {
        var ps = List.of(theta());
        var e = assertThrows(IllegalArgumentException.class, () -> new Adam(ps, Adam.Config.PYTORCH_DEFAULTS.withBetas(0.9, 1.0)));
        assertEquals("beta2 must be in [0, 1), got 1.0", e.getMessage());
    }

    private static Float[] floats(float[] v) {
        Float[] out = new Float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i];
        return out;
    }
}
