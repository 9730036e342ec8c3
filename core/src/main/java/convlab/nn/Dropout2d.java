package convlab.nn;

import convlab.nn.functional.Dropouts;
import convlab.tensor.Rng;
import convlab.tensor.Shape;
import convlab.tensor.Tensor;

/**
 * Spatial dropout, PyTorch's nn.Dropout2d: in training each channel of each sample of (N, C, H, W)
 * (or (N, C, L)) is zeroed as a whole with probability p, survivors scaled by 1/(1 − p); identity in
 * evaluation.
 */
public class Dropout2d extends Module {
    public final double p;
    private final Rng rng;

    public Dropout2d(double p, Rng rng) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("Dropout2d probability must be in [0, 1], got " + p);
        this.p = p;
        this.rng = registerGenerator("rng", java.util.Objects.requireNonNull(rng, "Dropout2d needs a random generator"));
    }

    public Rng rng() { return rng; }

    @Override public Tensor forward(Tensor x) {
        outputShape(x.shape());
        return Dropouts.dropout2d(x, p, isTraining(), rng);
    }

    @Override public int[] outputShape(int[] in) {
        if (in.length != 3 && in.length != 4)
            throw new IllegalArgumentException("Dropout2d expects an input (N, C, H, W) or (N, C, L), got " + Shape.str(in));
        return in.clone();
    }

    @Override public String toString() { return "Dropout2d(p=" + p + ")"; }
}
