package convlab.cli;

import convlab.io.UserMessages;
import convlab.nn.Module;
import convlab.spec.Analysis;
import convlab.spec.FeatureShape;
import convlab.spec.ModelBuilder;
import convlab.spec.Spec;
import convlab.tensor.Rng;
import convlab.train.MemoryCheck;

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

    /** Throws when training the model on height×width×channels inputs in this batch would not fit the heap. */
    static void requireTrainable(String model, int channels, int height, int width, int batch, int evalBatch) {
        Analysis a = Analysis.of(Spec.parse(specOf(model)), FeatureShape.image(height, width, channels));
        MemoryCheck.requireFits(MemoryCheck.trainingBytes(a, batch, evalBatch),
                "training " + UserMessages.quote(specOf(model)) + " with batch " + batch);
    }

    /** Throws when evaluating the model in batches of evalBatch would not fit the heap. */
    static void requireEvaluable(String model, int channels, int height, int width, int evalBatch) {
        Analysis a = Analysis.of(Spec.parse(specOf(model)), FeatureShape.image(height, width, channels));
        MemoryCheck.requireFits(MemoryCheck.evaluationBytes(a, evalBatch), "evaluating " + UserMessages.quote(specOf(model)));
    }

    /**
     * Builds the model for inputs of shape channels×height×width; its output must have one logit per class.
     * Spec errors point at the offending token (see docs/SPEC.md).
     */
    static Module build(String model, int channels, int height, int width, int classes, Rng rng) {
        Spec spec = Spec.parse(specOf(model));
        FeatureShape input = FeatureShape.image(height, width, channels);
        Analysis analysis = Analysis.of(spec, input);
        // Refused before a single weight is allocated when the parameters alone would not fit the heap.
        MemoryCheck.requireFits(MemoryCheck.evaluationBytes(analysis, 1), "the model " + UserMessages.quote(specOf(model)));
        FeatureShape output = analysis.output();
        if (!output.isFlat() || output.channels() != classes)
            throw new IllegalArgumentException("model '" + model + "' outputs " + output + " but the data has " + classes
                    + " classes: end the spec with FLATTEN FC-" + classes + " (or GAP FC-" + classes + ")");
        return ModelBuilder.buildModel(spec, input, rng);
    }
}
