package convlab.optim;

import convlab.nn.Parameter;
import convlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The optimizers' and batch norm's named settings (Config records): PyTorch's defaults, and the same steps as the positional constructors. */
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

    @Test void otherOptimizersPytorchDefaults() {
        // torch.optim.SGD: lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False
        assertEquals(new SGD.Config(1e-3, 0, 0, 0, false), SGD.Config.PYTORCH_DEFAULTS);
        // torch.optim.RMSprop: lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False
        assertEquals(new RMSprop.Config(1e-2, 0.99, 1e-8, 0, 0, false), RMSprop.Config.PYTORCH_DEFAULTS);
        // torch.optim.Adagrad: lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10
        assertEquals(new Adagrad.Config(1e-2, 0, 0, 0, 1e-10), Adagrad.Config.PYTORCH_DEFAULTS);
        assertEquals(new SignSGD.Config(1e-3, 0, 0), SignSGD.Config.DEFAULTS);
        // nn.BatchNorm2d: eps=1e-5, momentum=0.1, affine=True
        var bn = new convlab.nn.BatchNorm2d(3);
        assertEquals(List.of(1e-5, 0.1, true, false), List.of(bn.eps, bn.momentum, bn.affine, bn.meanOnly));
    }

    @Test void otherOptimizersConfigStepsEqualPositionalSteps() {
        Parameter a = theta(), b = theta();
        assertEquals(List.of(floats(threeSteps(new SGD(List.of(a), 0.1, 0.9, 0, 0.01, true), a))),
                List.of(floats(threeSteps(new SGD(List.of(b), SGD.Config.PYTORCH_DEFAULTS.withLr(0.1).withMomentum(0.9)
                        .withWeightDecay(0.01).withNesterov(true)), b))));
        Parameter c = theta(), d = theta();
        assertEquals(List.of(floats(threeSteps(new SGD(List.of(c), 0.1, 0.5, 0.25, 0, false), c))),
                List.of(floats(threeSteps(new SGD(List.of(d), SGD.Config.PYTORCH_DEFAULTS.withLr(0.1).withMomentum(0.5)
                        .withDampening(0.25)), d))));
        Parameter e = theta(), f = theta();
        assertEquals(List.of(floats(threeSteps(new RMSprop(List.of(e), 0.01, 0.9, 1e-6, 0.1, 0.5, true), e))),
                List.of(floats(threeSteps(new RMSprop(List.of(f), RMSprop.Config.PYTORCH_DEFAULTS.withAlpha(0.9).withEps(1e-6)
                        .withWeightDecay(0.1).withMomentum(0.5).withCentered(true)), f))));
        Parameter g = theta(), h = theta();
        assertEquals(List.of(floats(threeSteps(new Adagrad(List.of(g), 0.1, 0.01, 0.1, 0.5, 1e-8), g))),
                List.of(floats(threeSteps(new Adagrad(List.of(h), Adagrad.Config.PYTORCH_DEFAULTS.withLr(0.1).withLrDecay(0.01)
                        .withWeightDecay(0.1).withInitialAccumulatorValue(0.5).withEps(1e-8)), h))));
        Parameter i = theta(), j = theta();
        assertEquals(List.of(floats(threeSteps(new SignSGD(List.of(i), 0.1, 0.9, 0.1), i))),
                List.of(floats(threeSteps(new SignSGD(List.of(j), SignSGD.Config.DEFAULTS.withLr(0.1).withMomentum(0.9)
                        .withWeightDecay(0.1)), j))));
        // SGD without momentum moves by lr·grad: 1 − 0.1·0.5, then + 0.1·1, then − 0.1·2
        Parameter k = theta();
        float[] w = threeSteps(new SGD(List.of(k), SGD.Config.PYTORCH_DEFAULTS.withLr(0.1)), k);
        assertEquals(0.95, w[0], 1e-6);
        assertEquals(1.05, w[1], 1e-6);
        assertEquals(0.85, w[2], 1e-6);
    }

    @Test void batchNormConfigEqualsPositional() {
        var cfg = convlab.nn.AbstractBatchNorm.Config.PYTORCH_DEFAULTS.withEps(1e-3).withMomentum(0.01).withAffine(false).withMeanOnly(true);
        var named = new convlab.nn.BatchNorm1d(4, cfg);
        var positional = new convlab.nn.BatchNorm1d(4, 1e-3, 0.01, false, true);
        assertEquals(List.of(positional.eps, positional.momentum, positional.affine, positional.meanOnly),
                List.of(named.eps, named.momentum, named.affine, named.meanOnly));
        var e = assertThrows(IllegalArgumentException.class,
                () -> new convlab.nn.BatchNorm2d(4, convlab.nn.AbstractBatchNorm.Config.PYTORCH_DEFAULTS.withMomentum(2)));
        assertEquals("BatchNorm2d momentum must be in [0, 1], got 2.0", e.getMessage());
    }

    private static Float[] floats(float[] v) {
        Float[] out = new Float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i];
        return out;
    }
}
