package convlab.cli;

import convlab.nn.Module;
import convlab.spec.Analysis;
import convlab.spec.FeatureShape;
import convlab.spec.ModelBuilder;
import convlab.spec.Spec;
import convlab.tensor.Rng;

import java.util.LinkedHashMap;
import java.util.Map;

/** What {@code --model} accepts: a named model of the course, or an architecture spec. */
final class Models {
    private Models() {}

    /** Named models and the spec each stands for. */
    static final Map<String, String> NAMED = new LinkedHashMap<>();
    static {
        NAMED.put("mlp", "FLATTEN FC-256 RELU FC-10");
        NAMED.put("course-cnn", "CONV3-10 POOL2 CONV3-10 POOL2 FLATTEN FC-10");
        NAMED.put("wide-bn", "[CONV3-32 BN RELU]x2 POOL2 [CONV3-64 BN RELU]x2 POOL2 FLATTEN FC-128 RELU DROPOUT0.5 FC-10");
    }

    /** The spec a --model value stands for (a name from {@link #NAMED}, or the value itself). */
    static String specOf(String model) {
        String named = NAMED.get(model.trim().toLowerCase(java.util.Locale.ROOT));
        return named != null ? named : model;
    }

    /**
     * Builds the model for inputs of shape channels×height×width; its output must have one logit per class.
     * Spec errors point at the offending token (see docs/SPEC.md).
     */
    static Module build(String model, int channels, int height, int width, int classes, Rng rng) {
        Spec spec = Spec.parse(specOf(model));
        FeatureShape input = FeatureShape.image(height, width, channels);
        FeatureShape output = Analysis.of(spec, input).output();
        if (!output.isFlat() || output.channels() != classes)
            throw new IllegalArgumentException("model '" + model + "' outputs " + output + " but the data has " + classes
                    + " classes: end the spec with FLATTEN FC-" + classes + " (or GAP FC-" + classes + ")");
        return ModelBuilder.buildModel(spec, input, rng);
    }
}
