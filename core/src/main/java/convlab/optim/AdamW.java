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

    /** torch.optim.AdamW's defaults: Adam's, but weight decay 0.01. */
    public static final Adam.Config PYTORCH_DEFAULTS = Adam.Config.PYTORCH_DEFAULTS.withWeightDecay(0.01);

    /** AdamW with named settings (start from {@link #PYTORCH_DEFAULTS}). */
    public AdamW(List<Parameter> params, Adam.Config c) {
        this(params, c.lr(), c.beta1(), c.beta2(), c.eps(), c.weightDecay(), c.amsgrad());
    }

    /** torch.optim.AdamW(params, lr, (beta1, beta2), eps, weightDecay, amsgrad). */
    public AdamW(List<Parameter> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        this(List.of(new ParamGroup(params, lr, weightDecay)), beta1, beta2, eps, amsgrad);
    }
}
