package convlab;

import convlab.explain.Answer;
import convlab.explain.ConvSpec;
import convlab.explain.ExactNormGrad;
import convlab.explain.ExactPoolGrad;
import convlab.explain.LeastSquaresOptimize;
import convlab.explain.MatrixParser;
import convlab.explain.Rational;
import convlab.explain.cost.CostAnalysis;
import convlab.explain.cost.MatrixExpr;
import convlab.geometry.PaddingMode;
import convlab.optim.StepSize;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The calculators' refusals as a Java caller reads them (the names it passed, no "--flag") and as the command line
 * reads them (its flags, word for word the messages convlab printed before the library learnt to name options).
 */
class OptionNamesTest {
    /** A bad call and its message for a Java caller and for the command line. */
    record Case(Executable call, String java, String commandLine) {}

    static final Rational[] NONE = null;

    static List<Case> cases() {
        return List.of(
                new Case(() -> Answer.parse(" "), "the answer is empty", "--expect is empty"),
                new Case(() -> new ConvSpec(false, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, new int[] {1, 1},
                        PaddingMode.ZEROS, false, false, Rational.ZERO),
                        "outputPadding applies only to transposed convolution (transpose)",
                        "--output-padding applies only to transposed convolution (--transpose)"),
                new Case(() -> new ConvSpec(false, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, new int[] {0, 0},
                        PaddingMode.ZEROS, true, true, Rational.ZERO),
                        "flip and transpose together are not defined here: flip the kernel yourself and use transpose",
                        "--flip and --transpose together are not defined here: flip the kernel yourself and use --transpose"),
                new Case(() -> ExactPoolGrad.compute(ExactPoolGrad.Kind.MAX, MatrixParser.parse("1 2; 3 4"), 0, null, 0, null),
                        "pooling window size must be >= 1, got 0", "pooling window --size must be >= 1, got 0"),
                new Case(() -> ExactNormGrad.compute(ExactNormGrad.Kind.BATCH, MatrixParser.parse("1; 1"), MatrixParser.parse("1; 0"),
                        null, null, Rational.ZERO, false, false),
                        "feature 0 has variance 0 and eps is 0: x̂ = (x − μ)/√(σ² + ε) divides by zero (use eps > 0, or meanOnly)",
                        "feature 0 has variance 0 and --eps is 0: x̂ = (x − μ)/√(σ² + ε) divides by zero (use --eps > 0, or --mean-only)"),
                new Case(() -> ExactNormGrad.compute(ExactNormGrad.Kind.BATCH, MatrixParser.parse("0; 1; 1"), MatrixParser.parse("1; 0; 0"),
                        null, null, Rational.ZERO, false, true),
                        "feature 0: σ² + ε = 2/9 is not the square of a rational, so the result involves √(2/9); requireExact needs",
                        "feature 0: σ² + ε = 2/9 is not the square of a rational, so the result involves √(2/9); --exact needs"),
                new Case(() -> LeastSquaresOptimize.Method.parse("lbfgs"),
                        "unknown method 'lbfgs', expected one of: sgd, momentum, nesterov, adagrad, rmsprop, adam, signsgd",
                        "unknown --method 'lbfgs', expected one of: sgd, momentum, nesterov, adagrad, rmsprop, adam, signsgd"),
                new Case(() -> LeastSquaresOptimize.Settings.of(LeastSquaresOptimize.Method.SGD, Rational.ZERO, LeastSquaresOptimize.Loss.MEAN, NONE),
                        "lr must be positive, got 0", "--lr must be positive, got 0"),
                new Case(() -> LeastSquaresOptimize.Problem.parse("1 2; 3 4", "1"),
                        "features has 2 example(s) (rows separated by ';') but targets has 1 value(s)",
                        "--features has 2 example(s) (rows separated by ';') but --targets has 1 value(s)"),
                new Case(() -> CostAnalysis.parseSizes("n=0"), "the size n=0 in sizes must be at least 1", "the size n=0 in --sizes must be at least 1"),
                new Case(() -> CostAnalysis.parseAssumption("a >> b", Set.of("a")),
                        "the assumption mentions 'b', which is not a dimension of the expression [a]",
                        "--assume mentions 'b', which is not a dimension of the expression [a]"),
                new Case(() -> MatrixExpr.parseDims("W"), "expected 'NAME: ROWS x COLS' in dims, got 'W'", "expected 'NAME: ROWS x COLS' in --dims, got 'W'"),
                new Case(() -> StepSize.Update.parse("lion"),
                        "unknown optimizer 'lion', expected one of: sgd, signsgd, muon, adam",
                        "unknown --optimizer 'lion', expected one of: sgd, signsgd, muon, adam"));
    }

    @Test void aJavaCallerReadsItsOwnNamesAndNoFlag() {
        for (Case c : cases()) {
            String m = assertThrows(IllegalArgumentException.class, c.call(), c.java()).getMessage();
            assertFalse(m.contains("--"), m);
            assertEquals(c.java(), m.substring(0, Math.min(m.length(), c.java().length())));
        }
    }

    @Test void theCommandLineReadsItsFlags() {
        for (Case c : cases()) {
            String m = OptionNames.call(OptionNames.COMMAND_LINE, () -> assertThrows(IllegalArgumentException.class, c.call(), c.java()).getMessage());
            assertEquals(c.commandLine(), m.substring(0, Math.min(m.length(), c.commandLine().length())));
        }
    }

    @Test void aClientSuppliesItsOwnNamingForTheCallsItMakes() {
        Map<String, String> form = new LinkedHashMap<>(Map.of("lr", "learning rate"));
        String m = OptionNames.call(k -> form.getOrDefault(k, k), () -> assertThrows(IllegalArgumentException.class,
                () -> LeastSquaresOptimize.Settings.of(LeastSquaresOptimize.Method.SGD, Rational.ZERO, LeastSquaresOptimize.Loss.MEAN, NONE)).getMessage());
        assertEquals("learning rate must be positive, got 0", m);
        assertEquals("outputPadding", OptionNames.of("output-padding"), "outside the call, the Java names again");
        assertEquals("checkpointDir", OptionNames.JAVA.apply("checkpoint-dir"));
        assertEquals("--checkpoint-dir", OptionNames.COMMAND_LINE.apply("checkpoint-dir"));
    }

    @Test void aCarriedCallNamesOptionsTheCallersWayOnAnotherThread() throws Exception {
        var pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            String carried = OptionNames.call(OptionNames.COMMAND_LINE,
                    () -> pool.submit(OptionNames.carried(() -> OptionNames.of("data", "folder"))).get());
            String plain = OptionNames.call(OptionNames.COMMAND_LINE, () -> pool.submit(() -> OptionNames.of("data", "folder")).get());
            assertEquals("--data", carried);
            assertEquals("folder", plain, "a scoped naming is not inherited by another thread: what carried is for");
            assertEquals("folder", pool.submit(OptionNames.carried(() -> OptionNames.of("data", "folder"))).get(), "unbound: the Java name");
        } finally {
            pool.shutdownNow();
        }
    }
}
