package convlab.nn;

import convlab.tensor.Ops;
import convlab.tensor.Shape;
import convlab.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * A model with skip connections: a chain of modules (registered "0", "1", … like {@link Sequential}, so
 * parameter names read the same) plus steps that keep an intermediate output and later merge it back,
 * by concatenation along channels (axis 1, {@link Ops#cat}) or by addition ({@link Ops#add}). Built by
 * {@code convlab.spec.ModelBuilder} from a spec with branches; chain specs stay {@link Sequential}.
 */
public final class GraphModel extends Module {
    /** One step of the forward pass. */
    public sealed interface Step {}

    /** x = modules[module](x). */
    public record Apply(int module) implements Step {}

    /** slots[slot] = x (a labelled output a later merge uses). */
    public record Keep(int slot) implements Step {}

    /** x = cat(x, slots[s0], slots[s1], …) along channels, or x + slots[s0] + …; name is shown in errors. */
    public record Merge(boolean concat, int[] slots, String name) implements Step {
        public Merge { slots = slots.clone(); }
    }

    private final List<Module> modules = new ArrayList<>();
    private final List<Step> steps;
    private final int slots;

    public GraphModel(List<? extends Module> modules, List<Step> steps) {
        for (Module m : modules) {
            registerModule(Integer.toString(this.modules.size()), m);
            this.modules.add(m);
        }
        this.steps = List.copyOf(steps);
        int n = 0;
        for (Step s : steps) {
            switch (s) {
                case Apply a -> { if (a.module() < 0 || a.module() >= modules.size()) throw new IllegalArgumentException("no module " + a.module()); }
                case Keep k -> n = Math.max(n, k.slot() + 1);
                case Merge m -> { for (int slot : m.slots()) if (slot < 0 || slot >= n) throw new IllegalArgumentException("merge " + m.name() + " reads slot " + slot + " before it is kept"); }
            }
        }
        this.slots = n;
    }

    public List<Module> modules() { return java.util.Collections.unmodifiableList(modules); }

    public List<Step> steps() { return steps; }

    @Override
    public Tensor forward(Tensor x) {
        Tensor[] kept = new Tensor[slots];
        for (Step s : steps) {
            switch (s) {
                case Apply a -> {
                    Module m = modules.get(a.module());
                    try {
                        x = m.forward(x);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("module " + a.module() + " (" + m + ") with input " + Shape.str(x.shape()) + ": " + e.getMessage(), e);
                    }
                }
                case Keep k -> kept[k.slot()] = x;
                case Merge m -> x = merge(m, x, kept);
            }
        }
        return x;
    }

    private static Tensor merge(Merge m, Tensor x, Tensor[] kept) {
        try {
            if (m.concat()) {
                Tensor[] parts = new Tensor[m.slots().length + 1];
                parts[0] = x;
                for (int i = 0; i < m.slots().length; i++) parts[i + 1] = kept[m.slots()[i]];
                return Ops.cat(1, parts);
            }
            for (int slot : m.slots()) {
                Tensor y = kept[slot];
                if (!Shape.same(x.shape(), y.shape()))
                    throw new IllegalArgumentException("ADD needs equal shapes, got " + Shape.str(x.shape()) + " and " + Shape.str(y.shape()));
                x = Ops.add(x, y);
            }
            return x;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(m.name() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("GraphModel(");
        boolean first = true;
        for (Step s : steps) {
            sb.append(first ? "" : ", ");
            first = false;
            switch (s) {
                case Apply a -> sb.append(modules.get(a.module()));
                case Keep k -> sb.append("keep#").append(k.slot());
                case Merge m -> sb.append(m.name());
            }
        }
        return sb.append(')').toString();
    }
}
