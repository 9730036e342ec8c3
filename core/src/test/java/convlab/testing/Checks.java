package convlab.testing;

import convlab.autograd.GradCheck;
import convlab.tensor.DType;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test helpers shared by all test classes: random float64 inputs, gradient checks, array comparison. */
public final class Checks {
    private Checks() {}

    public static final double GRAD_TOL = 1e-6;

    public static Tensor rand64(long seed, int... shape) {
        return Tensor.uniform(new Rng(seed), -1, 1, DType.F64, shape);
    }

    /** Asserts the autograd gradient of f matches central differences in float64. */
    public static void assertGradients(String what, Function<Tensor[], Tensor> f, Tensor... inputs) {
        GradCheck.Result r = GradCheck.check(f, inputs);
        assertTrue(r.passed(GRAD_TOL), what + ": gradient check failed, max error " + r.maxError() + " at " + r.where());
    }

    public static void assertClose(double[] expected, double[] actual, double atol, double rtol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double tol = atol + rtol * Math.abs(expected[i]);
            if (!(Math.abs(expected[i] - actual[i]) <= tol))
                throw new AssertionError(what + ": element " + i + " expected " + expected[i] + " but was " + actual[i] + " (tolerance " + tol + ")");
        }
    }
}
