package convlab.experiment;

import convlab.report.Results;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

class InductiveBiasTest {
    static final Path OUT = Path.of("target", "experiment-tests", "inductive-bias");

    @Test
    void quickRunShowsTheCoursesResults() {
        long t0 = System.nanoTime();
        Results r = new InductiveBias().run(OUT, true, 1, ExperimentProgress.NONE);
        System.out.println("inductive-bias quick: " + (System.nanoTime() - t0) / 1e9 + " s " + r.asMap());
        // The course: the CNN reaches at least 90% with 10 images per class, and beats the MLP there.
        assertTrue(r.number("cnn_acc_at_10") >= 0.9, "CNN accuracy at 10 images/class " + r.number("cnn_acc_at_10"));
        assertTrue(r.number("cnn_acc_at_10") > r.number("mlp_acc_at_10") + 0.1, "CNN should clearly beat the MLP at small data");
        // Domain shift: the CNN transfers to the unseen half, the MLP does not.
        assertTrue(r.number("shift_cnn_acc") > 0.85, "CNN under domain shift " + r.number("shift_cnn_acc"));
        assertTrue(r.number("shift_mlp_acc") < r.number("shift_cnn_acc") - 0.3, "MLP under domain shift " + r.number("shift_mlp_acc"));
        // Position task: the MLP beats the translation-invariant CNN with a 3×3 kernel.
        assertTrue(r.number("position_mlp_acc") > r.number("position_cnn_acc_k3") + 0.1);
        // Problem 4f: circular padding + GAP is exactly shift invariant (float32 rounding aside); zero padding is not.
        assertTrue(r.number("gap_shift_diff_k3_circular") < 1e-6);
        assertTrue(r.number("gap_shift_diff_k3_zeros") > 1e-3);
        // Frozen first layer: the line detectors match this task's thin segments, so they separate the classes from the
        // smallest training set on and stay at least as good as random filters at every size (the caption explains why
        // the course's opposite high-data result does not appear here).
        assertTrue(r.array("frozen_edge_acc")[0] >= 0.95, "frozen edge detectors at the smallest size " + r.array("frozen_edge_acc")[0]);
        assertTrue(r.number("frozen_edge_minus_random_min") >= 0, "edge detectors fall behind random filters by " + r.number("frozen_edge_minus_random_min"));
        for (String f : new String[] {"index.html", "filters.png", "sweep.png", "frozen.png", "shift_confusion_cnn.png", "position.png", "pooling.png"})
            assertTrue(OUT.resolve(f).toFile().isFile(), f);
    }
}
