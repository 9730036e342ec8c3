package convlab.autograd;

import convlab.tensor.Tensor;

/**
 * One recorded operation: its inputs and the rule that turns the gradient of its output into the
 * gradients of its inputs. Ops create a Node right beside their forward code, so each op states its
 * own backward in one place.
 *
 * @param name     op name, used in error messages and graph dumps
 * @param inputs   the op's tensor inputs, in order
 * @param backward maps dL/d(output) to dL/d(input_i) for each input (null for inputs needing none)
 */
public record Node(String name, Tensor[] inputs, Backward backward) {

    @FunctionalInterface
    public interface Backward {
        Tensor[] apply(Tensor gradOutput);
    }

    /** Records node as the producer of output when grad mode is on and an input requires grad. */
    public static Tensor record(Tensor output, String name, Backward backward, Tensor... inputs) {
        if (Tensor.needsGrad(inputs)) output.recordedBy(new Node(name, inputs, backward));
        return output;
    }
}
