package convlab.spec;

import convlab.nn.Module;
import convlab.tensor.Rng;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** What a {@code --model} value may be: a named model of the course, or an architecture spec (CLI and web workbench). */
public final class NamedModels {
    private NamedModels() {}

    private static final Map<String, String> NAMED = new LinkedHashMap<>();
    static {
        NAMED.put("mlp", "FLATTEN FC-256 RELU FC-10");
        NAMED.put("course-cnn", "CONV3-10 POOL2 CONV3-10 POOL2 FLATTEN FC-10");
        NAMED.put("wide-bn", "[CONV3-32 BN RELU]x2 POOL2 [CONV3-64 BN RELU]x2 POOL2 FLATTEN FC-128 RELU DROPOUT0.5 FC-10");
    }

    /** Named models and the spec each stands for, in the order the docs list them. */
    public static Map<String, String> named() { return Collections.unmodifiableMap(NAMED); }

    /** The spec a --model value stands for (a name from {@link #named()}, or the value itself). */
    public static String specOf(String model) {
        String named = NAMED.get(model.trim().toLowerCase(Locale.ROOT));
        return named != null ? named : model;
    }

    /** The analysis of a model for inputs of shape channels×height×width, checked to give one logit per class. */
    public static Analysis analyze(String model, int channels, int height, int width, int classes) {
        Spec spec = Spec.parse(specOf(model));
        Analysis a = Analysis.of(spec, FeatureShape.image(height, width, channels));
        FeatureShape output = a.output();
        if (!output.isFlat() || output.channels() != classes)
            throw new IllegalArgumentException("model '" + model + "' outputs " + output + " but the data has " + classes
                    + " classes: end the spec with FLATTEN FC-" + classes + " (or GAP FC-" + classes + ")");
        return a;
    }

    /**
     * Builds the model for inputs of shape channels×height×width; its output must have one logit per class.
     * Spec errors point at the offending token (see docs/SPEC.md).
     */
    public static Module build(String model, int channels, int height, int width, int classes, Rng rng) {
        Analysis a = analyze(model, channels, height, width, classes);
        return ModelBuilder.buildModel(a.spec(), a.input(), rng);   // a chain, or a graph when the spec has branches
    }
}
