package convlab.autograd;

import convlab.tensor.Ops;
import convlab.tensor.Shape;
import convlab.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reverse-mode differentiation: orders the recorded graph topologically from the root, then walks it
 * backwards, calling each node's backward rule once with the sum of the gradients that reached it.
 * Leaf tensors that require grad accumulate into {@link Tensor#grad()} (so several backward calls add up).
 */
public final class Engine {
    private Engine() {}

    public static void backward(Tensor root, Tensor seed) {
        if (!Shape.same(root.shape(), seed.shape()))
            throw new IllegalArgumentException("gradient of shape " + Shape.str(seed.shape()) + " for a tensor of shape " + Shape.str(root.shape()));
        if (!root.requiresGrad())
            throw new IllegalStateException("backward() on a tensor that does not require grad (was it computed under noGrad, or from inputs without requiresGrad?)");
        List<Tensor> order = topologicalOrder(root);
        Map<Tensor, Tensor> pending = new IdentityHashMap<>();
        pending.put(root, seed);
        try (var scope = GradMode.noGrad()) {
            for (Tensor t : order) {
                Tensor g = pending.remove(t);
                if (g == null) continue;
                Node node = t.gradFn();
                if (node == null) { accumulateLeaf(t, g); continue; }
                Tensor[] inputGrads = node.backward().apply(g);
                Tensor[] inputs = node.inputs();
                if (inputGrads.length != inputs.length)
                    throw new IllegalStateException(node.name() + " backward returned " + inputGrads.length + " gradients for " + inputs.length + " inputs");
                for (int i = 0; i < inputs.length; i++) {
                    Tensor in = inputs[i];
                    if (in == null || !in.requiresGrad() || inputGrads[i] == null) continue;
                    Tensor gi = inputGrads[i];
                    if (!Shape.same(gi.shape(), in.shape()))
                        throw new IllegalStateException(node.name() + " backward gave input " + i + " a gradient of shape "
                                + Shape.str(gi.shape()) + ", expected " + Shape.str(in.shape()));
                    Tensor prev = pending.get(in);
                    pending.put(in, prev == null ? gi : Ops.add(prev, gi));
                }
            }
        }
    }

    private static void accumulateLeaf(Tensor leaf, Tensor g) {
        if (!leaf.requiresGrad()) return;
        if (g.dtype() != leaf.dtype()) g = g.to(leaf.dtype());
        if (leaf.grad() == null) leaf.setGrad(Ops.copy(g));
        else Ops.addInPlace(leaf.grad(), g);
    }

    /** Tensors reachable from root through gradFn edges, root first, each before its inputs. */
    static List<Tensor> topologicalOrder(Tensor root) {
        Map<Tensor, Boolean> visited = new IdentityHashMap<>();
        List<Tensor> postOrder = new ArrayList<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();   // {tensor, nextInputIndex}
        stack.push(new Object[] {root, 0});
        visited.put(root, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor t = (Tensor) frame[0];
            int next = (Integer) frame[1];
            Tensor[] inputs = t.gradFn() == null ? new Tensor[0] : t.gradFn().inputs();
            if (next < inputs.length) {
                frame[1] = next + 1;
                Tensor in = inputs[next];
                if (in != null && in.requiresGrad() && visited.put(in, Boolean.TRUE) == null) stack.push(new Object[] {in, 0});
            } else {
                stack.pop();
                postOrder.add(t);
            }
        }
        Collections.reverse(postOrder);
        return postOrder;
    }
}
