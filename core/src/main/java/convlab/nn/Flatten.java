package convlab.nn;

import convlab.tensor.Tensor;

/** (N, d1, d2, …) → (N, d1·d2·…): keeps the batch dimension. */
public class Flatten extends Module {
    @Override public Tensor forward(Tensor x) { return x.dim() <= 2 ? x : x.flatten(1); }
    @Override public String toString() { return "Flatten"; }
}
