package convlab.autograd;

import convlab.tensor.Ops;
import convlab.tensor.Shape;
import convlab.tensor.StepArena;
import convlab.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode differentiation: orders the recorded graph topologically from the root, then walks it
 * backwards, calling each node's backward rule once with the sum of the gradients that reached it.
 * Leaf tensors that require grad accumulate into {@link Tensor#grad()} (so several backward calls add up).
 *
 * <p>A leaf's gradient must be its own tensor: later backward calls add into it in place. A gradient that
 * reaches a leaf is copied, unless the engine knows nobody else holds it: it was returned by a rule recorded
 * with {@link Node#recordFresh} or is a sum the engine made itself. Those are kept as they are (for the MLP's
 * 784×256 weight that saves an allocation and a copy of 800 KB per step); the rest are copied.
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
        // Pending gradients that nothing else references (see the class comment); an entry is dropped when
        // its gradient is consumed, since a rule may pass the gradient it was given on to its inputs.
        Set<Tensor> owned = Collections.newSetFromMap(new IdentityHashMap<>());
        pending.put(root, seed);
        try (var scope = GradMode.noGrad()) {
            for (Tensor t : order) {
                Tensor g = pending.remove(t);
                if (g == null) continue;
                boolean gOwned = owned.remove(g);
                Node node = t.gradFn();
                if (node == null) { accumulateLeaf(t, g, gOwned); continue; }
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
                    if (prev == null) {
                        pending.put(in, gi);
                        if (node.freshGradients() && gi != g && !returnedTwice(inputGrads, i)) owned.add(gi);
                    } else if (owned.contains(prev) && prev.isContiguous() && prev.dtype() == gi.dtype()) {
                        Ops.addInPlace(prev, gi);    // the same sum Ops.add would give, without a new tensor
                    } else {
                        Tensor sum = Ops.add(prev, gi);
                        owned.remove(prev);
                        pending.put(in, sum);
                        owned.add(sum);
                    }
                }
            }
        }
    }

    /**
     * The first gradient of a leaf becomes its grad (taken over when owned, else copied); later ones add into it.
     * A leaf's gradient outlives the step, so it never keeps storage of a {@link StepArena}.
     */
    private static void accumulateLeaf(Tensor leaf, Tensor g, boolean owned) {
        if (!leaf.requiresGrad()) return;
        try (var noArena = StepArena.suspended()) {
            if (g.dtype() != leaf.dtype()) { g = g.to(leaf.dtype()); owned = true; }   // the cast is a new tensor
            boolean keep = owned && g.isContiguous() && !StepArena.holds(g);
            if (leaf.grad() == null) leaf.setGrad(keep ? g : Ops.copy(g));
            else Ops.addInPlace(leaf.grad(), g);
        }
    }

    /** True when the same tensor object is returned for another input too (then neither is owned). */
    private static boolean returnedTwice(Tensor[] grads, int i) {
        for (int j = 0; j < grads.length; j++) if (j != i && grads[j] == grads[i]) return true;
        return false;
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
