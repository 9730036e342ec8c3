package convlab.autograd;

import convlab.tensor.Tensor;

/**
 * One recorded operation: its inputs and the rule that turns the gradient of its output into the
 * gradients of its inputs. Ops create a Node right beside their forward code, so each op states its
 * own backward in one place.
 *
 * @param name           op name, used in error messages and graph dumps
 * @param inputs         the op's tensor inputs, in order
 * @param backward       maps dL/d(output) to dL/d(input_i) for each input (null for inputs needing none)
 * @param freshGradients the rule promises that every gradient it returns is a new tensor with its own
 *                       storage, shared with nothing else (not with another returned gradient, the gradient
 *                       it was given, or any forward tensor). The {@link Engine} may then keep such a tensor
 *                       as a leaf's {@link Tensor#grad()} instead of copying it.
 */
public record Node(String name, Tensor[] inputs, Backward backward, boolean freshGradients) {

    @FunctionalInterface
    public interface Backward {
        Tensor[] apply(Tensor gradOutput);
    }

    public Node(String name, Tensor[] inputs, Backward backward) { this(name, inputs, backward, false); }

    /** Records node as the producer of output when grad mode is on and an input requires grad. */
    public static Tensor record(Tensor output, String name, Backward backward, Tensor... inputs) {
        if (Tensor.needsGrad(inputs)) output.recordedBy(new Node(name, inputs, backward, false));
        return output;
    }

    /**
     * {@link #record} for a backward rule that returns only freshly allocated gradients, each with storage of
     * its own (see {@link #freshGradients}): a leaf takes such a gradient without a copy.
     */
    public static Tensor recordFresh(Tensor output, String name, Backward backward, Tensor... inputs) {
        if (Tensor.needsGrad(inputs)) output.recordedBy(new Node(name, inputs, backward, true));
        return output;
    }
}
