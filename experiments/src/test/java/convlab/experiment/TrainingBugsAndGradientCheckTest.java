package convlab.experiment;

import convlab.report.Results;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingBugsAndGradientCheckTest {
    @Test void everyLayerPassesTheFiniteDifferenceCheck() {
        Path out = Path.of("target", "experiment-tests", "gradient-check");
        Results r = new GradientCheck().run(out, true, 1, ExperimentProgress.NONE);
        assertEquals(GradientCheck.cases().size(), (int) r.number("layers_checked"));
        assertEquals(0, r.number("failed"));
        assertTrue(r.number("largest_error") < GradientCheck.TOLERANCE, "largest error " + r.number("largest_error"));
        for (String f : new String[] {"gradient_check.png", "gradient_check.csv", "results.json", "index.html"})
            assertTrue(out.resolve(f).toFile().isFile(), f);
    }

    @Test void bothBugsEndAboveTheCorrectRun() {
        Path out = Path.of("target", "experiment-tests", "training-bugs");
        Results r = new TrainingBugs().run(out, true, 1, ExperimentProgress.NONE);
        System.out.println("training-bugs quick: " + r.asMap());
        double correct = r.number("correct_final_loss_mean10");
        assertTrue(correct < 1.2, "the correct run must learn: " + correct);
        for (String bug : new String[] {"lr_too_high", "no_zero_grad"}) {
            double l = r.number(bug + "_final_loss_mean10");
            // a diverged run has no final mean (NaN) and fewer finite steps: also "worse"
            assertTrue(Double.isNaN(l) || l > correct + 0.3, bug + " ended at " + l + " against the correct " + correct);
        }
        assertTrue(out.resolve("loss.png").toFile().isFile());
    }
}
