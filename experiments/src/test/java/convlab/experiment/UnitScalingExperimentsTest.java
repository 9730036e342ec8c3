package convlab.experiment;

import convlab.io.StrictJson;
import convlab.report.Results;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Homework 4 problems 2(b)–(g) and 3(a)(b) as experiments (issue 21), in quick mode. */
class UnitScalingExperimentsTest {
    static void assertFiles(Path out, String... files) throws Exception {
        for (String f : files) assertTrue(Files.isRegularFile(out.resolve(f)), f);
        StrictJson.parse(Files.readString(out.resolve("results.json")));
    }

    @Test void unitScalingKeepsTheActivationRmsAtOneAndWithoutItGrowsAsRootFanIn() throws Exception {
        Path out = Path.of("target", "experiment-tests", "unit-scaling-depth");
        Results r = new UnitScalingDepth().run(out, true, 1, ExperimentProgress.NONE);
        System.out.println("unit-scaling-depth quick: " + r.asMap());
        for (int d : new int[] {64, 256}) {
            assertTrue(r.number("unit_rms_min_d" + d) >= 0.5 && r.number("unit_rms_max_d" + d) <= 2, r.asMap().toString());
            double depth20 = r.number("rms_depth20_unit_d" + d);
            assertTrue(depth20 >= 0.5 && depth20 <= 2, "unit-scaled RMS at depth 20: " + depth20);
            assertEquals(Math.sqrt(d), r.number("growth_per_layer_c1_d" + d), 0.05 * Math.sqrt(d), "growth per layer without c");
            assertTrue(r.number("rms_depth20_xavier_d" + d) >= 0.5 && r.number("rms_depth20_xavier_d" + d) <= 2);
            assertTrue(r.number("fp8_below_normal_xavier_d" + d) > 5 * r.number("fp8_below_normal_unit_d" + d), r.asMap().toString());
        }
        assertFiles(out, "rms_by_depth.png", "rms_by_depth.csv", "results.json", "index.html");
    }

    @Test void rankOneGradientsExplodeAsRootDAndTheBackwardMultiplierKeepsThemAtOne() throws Exception {
        Path out = Path.of("target", "experiment-tests", "backprop-scale");
        Results r = new BackpropScale().run(out, true, 1, ExperimentProgress.NONE);
        System.out.println("backprop-scale quick: " + r.asMap());
        for (int d : new int[] {64, 256}) {
            assertEquals(Math.sqrt(d), r.number("growth_per_layer_exact_rank_one_d" + d), 1e-3 * Math.sqrt(d));
            assertEquals(1, r.number("growth_per_layer_multiplied_rank_one_d" + d), 1e-3);
            assertEquals(1, r.number("rms_input_grad_multiplied_rank_one_d" + d), 1e-2);
            // random N(0, 1) weights: c alone keeps square layers stable; the extra multiplier makes the gradient vanish
            assertEquals(1, r.number("growth_per_layer_exact_gaussian_d" + d), 0.1);
            assertEquals(1 / Math.sqrt(d), r.number("growth_per_layer_multiplied_gaussian_d" + d), 0.1 / Math.sqrt(d));
        }
        assertTrue(r.number("weight_gradient_signs_compared") > 0);
        assertEquals(0, r.number("weight_gradient_signs_differing"));
        assertFiles(out, "rank_one.png", "gaussian.png", "gradient_rms.csv", "results.json", "index.html");
    }
}
