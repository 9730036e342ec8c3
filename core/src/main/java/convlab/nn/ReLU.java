package convlab.nn;

import convlab.tensor.Tensor;

/** max(x, 0), elementwise. */
public class ReLU extends Module {
    @Override public Tensor forward(Tensor x) { return x.relu(); }
    @Override public String toString() { return "ReLU"; }
}
