package convlab.nn;

import convlab.tensor.Tensor;

/**
 * A learnable tensor of a module: a contiguous leaf that requires grad. Optimizers read
 * {@link #data()} and {@link #grad()} and update the values in place.
 */
public final class Parameter extends Tensor {
    public Parameter(Tensor init) {
        super(init.contiguous().detach());
        requiresGrad(true);
    }

    /** Replaces all values (same shape) in place, e.g. when loading a model file. */
    public void copyFrom(Tensor values) {
        if (!convlab.tensor.Shape.same(values.shape(), shape()))
            throw new IllegalArgumentException("parameter of shape " + convlab.tensor.Shape.str(shape())
                    + " cannot take values of shape " + convlab.tensor.Shape.str(values.shape()));
        convlab.tensor.Ops.copyInto(values, this);
    }
}
