package convlab.experiment;

import convlab.report.Results;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

class OptimizerComparisonTest {
    static final Path OUT = Path.of("target", "experiment-tests", "optimizers");

    @Test
    void everyOptimizerLearnsTheCourseCnnQuickly() {
        Results r = new OptimizerComparison().run(OUT, true, 1, ExperimentProgress.NONE);
        System.out.println("optimizers quick: " + r.asMap());
        // 60 steps of 32 images: each optimizer must be well above chance (10%) on held-out images.
        for (String o : new String[] {"sgd", "adam", "signum", "muon"})
            assertTrue(r.number(o + "_final_val_acc") > 0.4, o + " reached only " + r.number(o + "_final_val_acc"));
        for (String f : new String[] {"accuracy_vs_steps.png", "loss_vs_time.png", "curves.csv", "index.html"})
            assertTrue(OUT.resolve(f).toFile().isFile(), f);
    }
}
