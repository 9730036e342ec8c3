package convlab.optim;

import convlab.nn.Parameter;

import java.util.List;

/**
 * Base of all optimizers, PyTorch-shaped: {@link #step()} updates the parameters in place from their
 * gradients, {@link #zeroGrad()} clears the gradients. The learning rate can be changed between steps
 * (schedules do this).
 */
public abstract class Optimizer {
    protected final List<Parameter> params;
    protected double lr;

    protected Optimizer(List<Parameter> params, double lr) {
        if (params.isEmpty()) throw new IllegalArgumentException("optimizer given no parameters");
        if (!(lr >= 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("learning rate must be a finite number >= 0, got " + lr);
        this.params = List.copyOf(params);
        this.lr = lr;
    }

    public abstract void step();

    public void zeroGrad() { for (Parameter p : params) p.zeroGrad(); }

    public double lr() { return lr; }

    public void setLr(double lr) { this.lr = lr; }

    public List<Parameter> parameters() { return params; }

    /** The gradient values of p as a float array, or null if p received no gradient this step. */
    protected static float[] gradOf(Parameter p) {
        return p.grad() == null ? null : p.grad().contiguous().data();
    }
}
