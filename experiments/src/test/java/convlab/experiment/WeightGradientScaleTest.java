package convlab.experiment;

import convlab.report.Results;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WeightGradientScaleTest {
    static final Path OUT = Path.of("target", "experiment-tests", "weight-gradient-scale");

    @Test
    void gradientStdGrowsLinearlyWithImageSide() {
        Results r = new WeightGradientScale().run(OUT, true, 3, ExperimentProgress.NONE);
        // Problem 7(b): std(dw) = (n − k + 1)·σx·σg, so the log-log slope is 1.
        assertEquals(1.0, r.number("slope_vs_n_minus_k_plus_1"), 0.05);
        assertEquals(1.0, r.number("slope_vs_n_large_half"), 0.15);
        assertTrue(r.number("largest_relative_error") < 0.1, "relative error " + r.number("largest_relative_error"));
        // Problem 7(c): max pooling routes each window's gradient (1) to one position; average pooling gives 1/4 everywhere.
        assertEquals(16, r.number("maxpool_grad_total"), 1e-6);
        assertEquals(0.25, r.number("avgpool_grad_max"), 1e-7);
        assertTrue(OUT.resolve("gradient_std.png").toFile().isFile());
    }
}
