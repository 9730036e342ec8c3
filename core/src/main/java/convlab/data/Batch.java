package convlab.data;

import convlab.tensor.Shape;
import convlab.tensor.Tensor;

/**
 * One mini-batch, the one batch type of convlab: inputs (N, …); class labels (N), or, for regression, target values
 * (N, …) that a loss such as {@code convlab.train.Loss.MSE} compares the outputs with (labels or targets may be null,
 * not both); and the dataset index of each example when a {@link DataLoader} made the batch (else null).
 */
public record Batch(Tensor inputs, int[] labels, Tensor targets, int[] indices) {
    public Batch {
        if (inputs == null) throw new IllegalArgumentException("a batch needs inputs");
        if (labels == null && targets == null) throw new IllegalArgumentException("a batch needs labels or targets");
        if (labels != null && inputs.size(0) != labels.length)
            throw new IllegalArgumentException("batch has " + inputs.size(0) + " inputs but " + labels.length + " labels");
        if (targets != null && (targets.dim() == 0 || targets.size(0) != inputs.size(0)))
            throw new IllegalArgumentException("batch has " + inputs.size(0) + " inputs but targets of shape " + Shape.str(targets.shape()));
        if (indices != null && indices.length != inputs.size(0))
            throw new IllegalArgumentException("batch has " + inputs.size(0) + " inputs but " + indices.length + " dataset indices");
    }

    /** A classification batch. */
    public Batch(Tensor inputs, int[] labels) { this(inputs, labels, null, null); }

    /** A regression batch: inputs and target values. */
    public static Batch regression(Tensor inputs, Tensor targets) { return new Batch(inputs, null, targets, null); }

    public int size() { return inputs.size(0); }
}
