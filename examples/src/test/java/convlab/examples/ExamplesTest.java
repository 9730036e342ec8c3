package convlab.examples;

import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs every example's main and checks that it did what it says (so CI keeps the examples working). */
class ExamplesTest {

    @Test void trainCustomCnnLearnsTheSample() throws Exception {
        String out = Run.main(TrainCustomCnn::main);
        Matcher m = Pattern.compile("epoch 1: train loss [0-9.,]+, test accuracy ([0-9.,]+)%").matcher(out);
        assertTrue(m.find(), "no epoch line in:\n" + out);
        double accuracy = number(m.group(1));
        // 10 classes: chance is 10%; this small CNN reaches about 82% on the sample in one epoch.
        assertTrue(accuracy > 70, "test accuracy " + accuracy + "% after one epoch");
    }

    @Test void customLayerPassesItsGradientCheckAndTrains() throws Exception {
        String out = Run.main(CustomLayer::main);
        assertTrue(out.contains("gradient check: largest relative error") && out.contains("(passed)"), out);
        Matcher m = Pattern.compile("test accuracy ([0-9.,]+)% after one epoch").matcher(out);
        assertTrue(m.find(), out);
        assertTrue(number(m.group(1)) > 50, out);
    }

    /** A wrong backward rule must fail the check the example relies on (so the check can fail). */
    @Test void aWrongBackwardFailsTheGradientCheck() {
        var rng = new convlab.tensor.Rng(1);
        var x = convlab.tensor.Tensor.randn(rng, 2.0, convlab.tensor.DType.F64, 3, 5);
        var beta = convlab.tensor.Tensor.of(new double[] {0.7}, 1);
        // x·σ(βx) with the σ(1−σ) term dropped from its backward: the forward is swish, the gradient is not.
        var r = convlab.autograd.GradCheck.check(in -> {
            convlab.tensor.Tensor s, y;
            try (var off = convlab.autograd.GradMode.noGrad()) { s = in[0].mul(in[1]).sigmoid(); y = in[0].mul(s); }
            return convlab.autograd.Node.record(y, "wrong", g -> new convlab.tensor.Tensor[] {g.mul(s), g.sum().reshape(1)}, in[0], in[1]);
        }, x, beta);
        assertTrue(!r.passed(1e-6), "a wrong rule passed: " + r.maxError());
    }

    @Test void pytorchModelLoadsAndFineTunes() throws Exception {
        String out = Run.main(FineTunePyTorchModel::main);
        assertTrue(out.contains("largest difference from PyTorch's outputs"), out);
        Matcher first = Pattern.compile("step  1: loss ([0-9.,]+)").matcher(out);
        Matcher last = Pattern.compile("step 30: loss ([0-9.,]+)").matcher(out);
        assertTrue(first.find() && last.find(), out);
        assertTrue(number(last.group(1)) < number(first.group(1)) / 2, "loss did not fall:\n" + out);
        assertTrue(out.contains("after fine-tuning: 5 of 5 inputs get their new label"), out);
    }

    @Test void exactCalculatorsComputeExplainAndCheck() throws Exception {
        String out = Run.main(ExactCalculators::main);
        // Flipped kernel [[-1, 0], [0, 1]]: y[i,j] = x[i+1,j+1] − x[i,j] = 4 everywhere, plus the bias 1/2.
        assertTrue(out.contains("9/2"), out);
        assertTrue(out.contains("Check: not correct"), out);
        assertTrue(out.strip().endsWith("correct: false"), out);
        assertEquals(1, out.lines().filter(l -> l.startsWith("y[1,1]: given 4, correct 9/2")).count(), out);
    }

    /** A number the example printed with printf (a decimal comma in some locales). */
    private static double number(String printed) { return Double.parseDouble(printed.replace(',', '.')); }
}
