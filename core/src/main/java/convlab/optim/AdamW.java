package convlab.optim;

import convlab.nn.Parameter;

import java.util.List;

/**
 * AdamW (torch.optim.AdamW): Adam with decoupled weight decay, θ ← θ·(1 − lr·weightDecay) before the
 * Adam step, so decay is not rescaled by the adaptive denominator. See {@link Adam} for the formula.
 */
public class AdamW extends Adam {
    public AdamW(List<ParamGroup> groups, double beta1, double beta2, double eps, boolean amsgrad) {
        super(groups, beta1, beta2, eps, amsgrad, true);
    }

    /** torch.optim.AdamW(params, lr, (beta1, beta2), eps, weightDecay, amsgrad). */
    public AdamW(List<Parameter> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        this(List.of(new ParamGroup(params, lr, weightDecay)), beta1, beta2, eps, amsgrad);
    }
}
