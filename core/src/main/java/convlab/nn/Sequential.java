package convlab.nn;

import convlab.tensor.Shape;
import convlab.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/** Layers applied in order; shape errors name the failing layer by position. */
public class Sequential extends Module {
    private final List<Module> layers = new ArrayList<>();

    public Sequential(Module... layers) { for (Module m : layers) add(m); }

    public Sequential(List<? extends Module> layers) { for (Module m : layers) add(m); }

    public final Sequential add(Module m) {
        registerModule(Integer.toString(layers.size()), m);
        layers.add(m);
        return this;
    }

    public List<Module> layers() { return java.util.Collections.unmodifiableList(layers); }

    /**
     * The layers in order. A {@link Linear} directly followed by a {@link ReLU} (both exactly those classes) runs as one
     * pass, {@link Linear#forwardRelu}: the same numbers, one pass over the activations fewer.
     */
    @Override
    public Tensor forward(Tensor x) {
        for (int i = 0; i < layers.size(); i++) {
            Module m = layers.get(i);
            try {
                if (m.getClass() == Linear.class && i + 1 < layers.size() && layers.get(i + 1).getClass() == ReLU.class) {
                    x = ((Linear) m).forwardRelu(x);
                    i++;
                } else x = m.forward(x);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("layer " + (i + 1) + " (" + m + ") with input " + Shape.str(x.shape()) + ": " + e.getMessage(), e);
            }
        }
        return x;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Sequential(");
        for (int i = 0; i < layers.size(); i++) { if (i > 0) sb.append(", "); sb.append(layers.get(i)); }
        return sb.append(')').toString();
    }
}
