package convlab.train;

import convlab.tensor.Tensor;

/**
 * One mini-batch: inputs (N, …) and class labels (N), or, for regression, target values (N, …) a {@link Loss}
 * such as {@link Loss#MSE} compares the outputs with. Either may be null, not both.
 */
public record Batch(Tensor inputs, int[] labels, Tensor targets) {
    public Batch {
        if (labels == null && targets == null) throw new IllegalArgumentException("a batch needs labels or targets");
        if (labels != null && inputs.size(0) != labels.length)
            throw new IllegalArgumentException("batch has " + inputs.size(0) + " inputs but " + labels.length + " labels");
        if (targets != null && (targets.dim() == 0 || targets.size(0) != inputs.size(0)))
            throw new IllegalArgumentException("batch has " + inputs.size(0) + " inputs but targets of shape "
                    + convlab.tensor.Shape.str(targets.shape()));
    }

    /** A classification batch. */
    public Batch(Tensor inputs, int[] labels) { this(inputs, labels, null); }

    /** A regression batch: inputs and target values. */
    public static Batch regression(Tensor inputs, Tensor targets) { return new Batch(inputs, null, targets); }

    public int size() { return inputs.size(0); }
}
