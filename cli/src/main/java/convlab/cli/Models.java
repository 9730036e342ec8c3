package convlab.cli;

import convlab.nn.Module;
import convlab.spec.NamedModels;
import convlab.tensor.Rng;

import java.util.Map;

/** What {@code --model} accepts: a named model of the course, or an architecture spec (rules in {@link NamedModels}). */
final class Models {
    private Models() {}

    /** Named models and the spec each stands for. */
    static final Map<String, String> NAMED = NamedModels.named();

    /** The spec a --model value stands for (a name from {@link #NAMED}, or the value itself). */
    static String specOf(String model) { return NamedModels.specOf(model); }

    /**
     * Builds the model for inputs of shape channels×height×width; its output must have one logit per class.
     * Spec errors point at the offending token (see docs/SPEC.md).
     */
    static Module build(String model, int channels, int height, int width, int classes, Rng rng) {
        return NamedModels.build(model, channels, height, width, classes, rng);
    }
}
