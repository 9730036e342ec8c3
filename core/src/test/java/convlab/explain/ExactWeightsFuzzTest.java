package convlab.explain;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import convlab.spec.Analysis;
import convlab.spec.FeatureShape;
import convlab.spec.Spec;
import convlab.testing.Fuzzing;

import java.nio.charset.StandardCharsets;

/**
 * Fuzz target for the weights file of {@code convlab forward} ({@link ExactWeights}): any text either gives
 * every parameter of a small branched network (and the exact forward pass then runs, or stops with one clear
 * line where a square root is not rational) or is rejected with one clear line. A normal test run replays
 * the seed corpus in {@code ExactWeightsFuzzTestInputs/parseAndRun/}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class ExactWeightsFuzzTest {
    private static final Analysis NET = Analysis.of(Spec.parse("CONV2-2 @a CONV1-2(nobias) ADD(a) BN GAP FC-2"), FeatureShape.parse("3x3x1"));
    private static final ExactArray X = ExactArray.ofInts(new int[] {1, 3, 3}, 1, 0, 2, 0, 1, 0, 3, 0, 1);

    @FuzzTest(maxDuration = "2m")
    @DictionaryEntries({"1.weight", "1.bias", "4.weight", "6.weight", "6.bias", "6.running_var", "6.running_mean", "8.weight", "8.bias",
            "[1]", "[2]", " = ", "|", ";", "/", "#"})
    void parseAndRun(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        ExactWeights w = Fuzzing.parse(() -> ExactWeights.parse(text, NET));
        if (w != null) Fuzzing.parse(() -> ExactForward.run(NET, w, X));
    }
}
