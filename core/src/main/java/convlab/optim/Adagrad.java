package convlab.optim;

import convlab.nn.Parameter;

import java.util.List;

/**
 * Adagrad with PyTorch's exact rule (torch.optim.Adagrad), at step t:
 * <pre>
 *   g = grad + weightDecay·θ
 *   clr = lr / (1 + (t − 1)·lrDecay)
 *   s = s + g²                      (s starts at initialAccumulatorValue)
 *   θ = θ − clr · g / (√s + ε)
 * </pre>
 */
public class Adagrad extends Optimizer {
    private final double lrDecay, initialAccumulator, eps;

    public Adagrad(List<ParamGroup> groups, double lrDecay, double initialAccumulatorValue, double eps) {
        super(groups);
        if (!(lrDecay >= 0) || Double.isInfinite(lrDecay)) throw new IllegalArgumentException("Adagrad lr_decay must be >= 0, got " + lrDecay);
        if (!(initialAccumulatorValue >= 0) || Double.isInfinite(initialAccumulatorValue))
            throw new IllegalArgumentException("Adagrad initial_accumulator_value must be >= 0, got " + initialAccumulatorValue);
        if (!(eps >= 0) || Double.isInfinite(eps)) throw new IllegalArgumentException("eps must be a finite number >= 0, got " + eps);
        this.lrDecay = lrDecay;
        this.initialAccumulator = initialAccumulatorValue;
        this.eps = eps;
    }

    public Adagrad(List<Parameter> params, double lr, double lrDecay, double weightDecay, double initialAccumulatorValue, double eps) {
        this(List.of(new ParamGroup(params, lr, weightDecay)), lrDecay, initialAccumulatorValue, eps);
    }

    @Override
    public void step() {
        float epsF = (float) eps;
        forEachWithGrad((pi, group, p, grad) -> {
            float[] w = p.data();
            int n = w.length;
            float wd = (float) group.weightDecay();
            boolean fresh = !hasSlot(pi, "sum");
            float[] s = slot(pi, "sum", n);
            if (fresh) java.util.Arrays.fill(s, (float) initialAccumulator);
            long t = nextStep(pi);
            float clr = (float) (group.lr() / (1 + (t - 1) * lrDecay));
            for (int i = 0; i < n; i++) {
                float g = grad[i] + wd * w[i];
                s[i] += g * g;
                float std = (float) Math.sqrt(s[i]) + epsF;
                w[i] -= clr * (g / std);
            }
        });
    }
}
