package convlab.cli;

import convlab.io.UserMessages;
import convlab.nn.Module;
import convlab.spec.Analysis;
import convlab.spec.FeatureShape;
import convlab.spec.NamedModels;
import convlab.spec.Spec;
import convlab.tensor.Rng;
import convlab.train.MemoryCheck;
import convlab.train.TrainRun;

import java.util.Map;

/** What {@code --model} accepts: a named model of the course, or an architecture spec (rules in {@link NamedModels}). */
final class Models {
    private Models() {}

    /** Named models and the spec each stands for. */
    static final Map<String, String> NAMED = NamedModels.named();

    /** The spec a --model value stands for (a name from {@link #NAMED}, or the value itself). */
    static String specOf(String model) { return NamedModels.specOf(model); }

    /** Throws when training the model on height×width×channels inputs in this batch would not fit the heap. */
    static void requireTrainable(String model, int channels, int height, int width, int batch, int evalBatch) {
        TrainRun.requireTrainable(model, channels, height, width, batch, evalBatch);
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
        return TrainRun.buildModel(model, channels, height, width, classes, rng);
    }
}
