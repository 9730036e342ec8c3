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

    @Test void rectThroughHalfPowersAndTheShiftPropertyExactly() throws Exception {
        Path out = Path.of("target", "experiment-tests", "conv1d-shift");
        Results r = new Conv1dShift().run(out, true, 1, ExperimentProgress.NONE);
        assertEquals(0, r.number("shift_mismatches"));
        assertEquals(0, r.number("closed_form_mismatches"));
        double[] t = r.array("times"), y = r.array("y"), y2 = r.array("y2");
        assertEquals(-6, t[0]);
        for (int i = 0; i < t.length; i++) {
            int n = (int) t[i];
            double expected = n < 0 ? 0 : n <= 6 ? 2 - Math.pow(0.5, n) : 127 / Math.pow(2, n);
            assertEquals(expected, y[i], 1e-15, "y(" + n + ")");
            if (i >= 5) assertEquals(y[i - 5], y2[i], 0, "y2(" + n + ") = y(" + (n - 5) + ")");
        }
        assertEquals(127.0 / 64, r.number("y_peak"), 0);
        assertTrue(Files.readString(out.resolve("signals.csv")).contains("127/64"));
        assertFiles(out, "signals.png", "signals.csv", "results.json", "index.html");
    }

    @Test void muonMeetsTheStepSizeRuleSignSgdStaysBelowItAndSgdFollowsTheGradient() throws Exception {
        Path out = Path.of("target", "experiment-tests", "step-size-rules");
        Results r = new StepSizeRules().run(out, true, 1, ExperimentProgress.NONE);
        System.out.println("step-size-rules quick: " + r.asMap());
        double eta = StepSizeRules.ETA;
        for (int l = 1; l <= 3; l++) {
            String muon = "muon_layer" + l, sign = "signsgd_layer" + l, sgd = "sgd_layer" + l;
            assertEquals(eta, r.number(muon + "_median_rms_dy"), 0.05 * eta, muon);                 // the rule's target, within 5%
            assertTrue(r.number(muon + "_fraction_within_5pct") >= 0.9, muon);
            // the only steps off the target: a gradient below Newton–Schulz's normalization ε (a confidently right example)
            assertEquals(0, r.number(muon + "_steps_off_by_5pct_with_gradient_above_eps"), muon);
            assertTrue(r.number(sign + "_median_rms_dy") <= eta, sign);                              // (d) is a bound
            assertEquals(1, r.number(sign + "_median_measured_over_predicted"), 1e-3, sign);         // η·mean|x|·√(g ≠ 0)
            assertTrue(r.number(sign + "_fraction_within_5pct") >= 0.95, sign);
            assertTrue(r.number(sgd + "_fraction_within_5pct") >= 0.95, sgd);
            assertEquals(1, r.number(sgd + "_median_measured_over_predicted"), 1e-3, sgd);           // η·RMS(x)²·RMS(g)
            assertTrue(r.number(sgd + "_median_rms_dy") < 0.5 * eta, sgd);                          // RMS(g) ≪ 1: far off the target
        }
        for (String u : new String[] {"sgd", "signsgd", "muon"})
            assertTrue(r.number(u + "_test_accuracy_after") > r.number(u + "_test_accuracy_before") + 0.1, u + " did not learn: " + r.asMap());
        assertFiles(out, "sgd.png", "signsgd.png", "muon.png", "medians.csv", "steps.csv", "results.json", "index.html");
        assertTrue(Files.readString(out.resolve("index.html")).contains("<th>median_rms_dy</th>"));
    }
}
