package convlab.train;

import convlab.tensor.Tensor;

/** One mini-batch: inputs (N, …) and class labels (N). */
public record Batch(Tensor inputs, int[] labels) {
    public Batch {
        if (inputs.size(0) != labels.length)
            throw new IllegalArgumentException("batch has " + inputs.size(0) + " inputs but " + labels.length + " labels");
    }

    public int size() { return labels.length; }
}
