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

    /** The storage of a released gradient, for the next backward to overwrite; null when there is none. */
    private Tensor released;

    /**
     * Clears the gradient like {@link #zeroGrad()}, with the caller's promise that nothing holds on to it: the next
     * backward may then write this parameter's new gradient into the same storage ({@link #gradBuffer}) rather
     * than allocate and clear a new one (800 KB per step for the MLP's first weight). A training loop that only
     * reads gradients between backward and update can make that promise; code that keeps a gradient across
     * steps must use {@link #zeroGrad()}.
     */
    public void releaseGrad() {
        Tensor g = grad();
        if (g != null && g.isContiguous() && g.dtype() == dtype() && convlab.tensor.Shape.same(g.shape(), shape()))
            released = g;
        zeroGrad();
    }

    /**
     * A tensor of this parameter's shape and dtype for a backward rule that overwrites every element with a new
     * gradient (and returns it as a fresh gradient, see Node.recordFresh): the released gradient's storage if
     * there is one (handed out once), else a new tensor.
     */
    public Tensor gradBuffer() {
        Tensor b = released;
        released = null;
        if (b != null) return b;
        try (var noArena = convlab.tensor.StepArena.suspended()) {   // a gradient outlives the step
            return Tensor.zeros(dtype(), shape());
        }
    }

    /** Replaces all values (same shape) in place, e.g. when loading a model file. */
    public void copyFrom(Tensor values) {
        if (!convlab.tensor.Shape.same(values.shape(), shape()))
            throw new IllegalArgumentException("parameter of shape " + convlab.tensor.Shape.str(shape())
                    + " cannot take values of shape " + convlab.tensor.Shape.str(values.shape()));
        convlab.tensor.Ops.copyInto(values, this);
    }
}
