package convlab.nn;

import convlab.nn.functional.Dropouts;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;

/**
 * Dropout, PyTorch's nn.Dropout: in training each element is zeroed with probability p and survivors
 * are scaled by 1/(1 − p); in evaluation the identity. Masks come from the given seeded generator,
 * so a run is reproducible (save {@link Rng#state()} to resume one).
 */
public class Dropout extends Module {
    public final double p;
    private final Rng rng;

    public Dropout(double p, Rng rng) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("Dropout probability must be in [0, 1], got " + p);
        this.p = p;
        this.rng = registerGenerator("rng", java.util.Objects.requireNonNull(rng, "Dropout needs a random generator"));
    }

    public Rng rng() { return rng; }

    @Override public Tensor forward(Tensor x) { return Dropouts.dropout(x, p, isTraining(), rng); }

    @Override public int[] outputShape(int[] in) { return in.clone(); }

    @Override public String toString() { return "Dropout(p=" + p + ")"; }
}
