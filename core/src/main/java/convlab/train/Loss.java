package convlab.train;

import convlab.data.Batch;
import convlab.nn.functional.F;
import convlab.tensor.Tensor;

/**
 * What the {@link Trainer} minimises: a batch's mean loss, a scalar tensor that records its backward, from the model's
 * outputs and the batch (its class labels, or its {@link Batch#targets() targets} for regression).
 */
@FunctionalInterface
public interface Loss {
    Tensor compute(Tensor outputs, Batch batch);

    /** Softmax cross-entropy of logits (N, C) against the class labels, averaged over the batch (the default). */
    Loss CROSS_ENTROPY = (outputs, batch) -> F.crossEntropy(outputs, batch.labels());

    /** Mean squared error of the outputs against the batch's targets (same shape). */
    Loss MSE = (outputs, batch) -> {
        if (batch.targets() == null) throw new IllegalArgumentException("the MSE loss needs batches with targets, this one has only labels");
        return F.mse(outputs, batch.targets());
    };
}
