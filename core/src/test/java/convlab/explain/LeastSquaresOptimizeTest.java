package convlab.explain;

import convlab.explain.LeastSquaresOptimize.Limit;
import convlab.explain.LeastSquaresOptimize.Loss;
import convlab.explain.LeastSquaresOptimize.Method;
import convlab.explain.LeastSquaresOptimize.Problem;
import convlab.explain.LeastSquaresOptimize.Settings;
import convlab.nn.Parameter;
import convlab.optim.Adagrad;
import convlab.optim.Adam;
import convlab.optim.Optimizer;
import convlab.optim.ParamGroup;
import convlab.optim.RMSprop;
import convlab.optim.SGD;
import convlab.optim.SignSGD;
import convlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** `convlab optimize`'s exact engine against the library's optimizers, its limits against long numeric runs. */
class LeastSquaresOptimizeTest {
    private static Rational[] zeros(int d) {
        Rational[] z = new Rational[d];
        Arrays.fill(z, Rational.ZERO);
        return z;
    }

    private static Rational[] r(String... v) { return Arrays.stream(v).map(Rational::parse).toArray(Rational[]::new); }

    /** The library optimizer (float32, PyTorch's rules) with the same hyperparameters and ε = 0. */
    private static Optimizer library(Settings s, Parameter theta) {
        List<Parameter> ps = List.of(theta);
        double lr = s.lr().toDouble(), mu = s.momentum().toDouble();
        return switch (s.method()) {
            case SGD -> new SGD(ps, lr, 0, 0);
            case MOMENTUM -> new SGD(ps, lr, mu, 0, 0, false);
            case NESTEROV -> new SGD(ps, lr, mu, 0, 0, true);
            case ADAGRAD -> new Adagrad(ps, lr, 0, 0, 0, 0);
            case RMSPROP -> new RMSprop(ps, lr, s.alpha().toDouble(), 0, 0, 0, false);
            case ADAM -> new Adam(List.of(new ParamGroup(ps, lr, 0)), s.beta1().toDouble(), s.beta2().toDouble(), 0, false, false);
            case SIGNSGD -> new SignSGD(ps, lr, 0, 0);
        };
    }

    @Test void exactStepsAgreeWithTheLibraryOptimizersStepForStep() {
        Random rnd = new Random(16);
        int compared = 0;
        for (int trial = 0; trial < 70; trial++) {
            Method m = Method.values()[trial % Method.values().length];
            int n = 1 + rnd.nextInt(3), d = 1 + rnd.nextInt(4);
            Rational[][] x = new Rational[n][d];
            Rational[] y = new Rational[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) x[i][j] = Rational.of((rnd.nextBoolean() ? 1 : -1) * (1 + rnd.nextInt(20)), 10);   // nonzero: no 0/0 with ε = 0
                y[i] = Rational.of(rnd.nextInt(21) - 10, 5);
            }
            Problem p = new Problem(x, y);
            Loss loss = rnd.nextBoolean() ? Loss.MEAN : Loss.SUM;
            Settings s = Settings.of(m, Rational.of(1 + rnd.nextInt(5), 100), loss, null);
            Rational[] theta0 = new Rational[d];
            for (int j = 0; j < d; j++) theta0[j] = Rational.of(rnd.nextInt(11) - 5, 10);
            int steps = 6;
            List<List<ExactReal>> exact = LeastSquaresOptimize.exactSteps(p, s, theta0, steps);

            float[] init = new float[d];
            for (int j = 0; j < d; j++) init[j] = (float) theta0[j].toDouble();
            Parameter theta = new Parameter(Tensor.of(init, d));
            Optimizer opt = library(s, theta);
            float[] w = theta.data();
            LeastSquaresOptimize.Run<ExactReal> gradRun = new LeastSquaresOptimize.Run<>(p, s, theta0, LeastSquaresOptimize.EXACT);
            for (int t = 1; t <= steps; t++) {
                List<ExactReal> g = gradRun.gradient();
                // a gradient entry at (or within float rounding of) 0 makes sign/normalized steps ill-conditioned in float32
                if (g.stream().anyMatch(v -> Math.abs(v.toDouble()) < 1e-3)) break;
                float[] grad = new float[d];
                double scale = loss == Loss.MEAN ? 2.0 / n : 2.0;
                for (int i = 0; i < n; i++) {
                    double res = -y[i].toDouble();
                    for (int j = 0; j < d; j++) res += x[i][j].toDouble() * w[j];
                    for (int j = 0; j < d; j++) grad[j] += (float) (scale * res * x[i][j].toDouble());
                }
                theta.setGrad(Tensor.of(grad, d));
                opt.step();
                gradRun.step();
                for (int j = 0; j < d; j++) {
                    double e = exact.get(t).get(j).toDouble();
                    assertEquals(e, w[j], 2e-4 * (1 + Math.abs(e)), m + " trial " + trial + " step " + t + " θ[" + j + "] (exact " + exact.get(t).get(j).show() + ")");
                }
                compared++;
            }
        }
        assertTrue(compared > 250, "compared only " + compared + " steps");
    }

    @Test void exactAndDoubleArithmeticRunTheSameRules() {
        Problem p = Problem.parse("1 0.5; -0.3 2", "1 -1");
        for (Method m : Method.values()) {
            Settings s = Settings.of(m, Rational.of(1, 20), Loss.MEAN, null);
            List<ExactReal> exact = LeastSquaresOptimize.exactSteps(p, s, zeros(2), 5).getLast();
            var run = new LeastSquaresOptimize.Run<>(p, s, zeros(2), LeastSquaresOptimize.DOUBLE);
            for (int k = 0; k < 5; k++) run.step();
            for (int j = 0; j < 2; j++) assertEquals(exact.get(j).toDouble(), run.theta().get(j), 1e-12, m.label());
        }
    }

    @Test void examQuestion7SgdGoesToTheMinimumNormSolutionAndThePreconditionedOneToTheMInverseClosest() {
        Problem p = Problem.parse("1 0.1 0.01", "1");
        Limit sgd = LeastSquaresOptimize.limit(p, Settings.of(Method.SGD, Rational.of(1, 10), Loss.MEAN, null), zeros(3));
        assertArrayEquals(r("10000/10101", "1000/10101", "100/10101"), sgd.closed());
        Limit pre = LeastSquaresOptimize.limit(p, Settings.of(Method.SGD, Rational.of(1, 10), Loss.MEAN, r("1", "10", "100")), zeros(3));
        assertArrayEquals(r("100/111", "100/111", "100/111"), pre.closed());
        Limit ada = LeastSquaresOptimize.limit(p, Settings.of(Method.ADAGRAD, Rational.of(1, 10), Loss.MEAN, null), zeros(3));
        assertArrayEquals(r("100/111", "100/111", "100/111"), ada.closed());
        for (Limit l : List.of(sgd, pre, ada)) {
            assertTrue(l.converged());
            for (int j = 0; j < 3; j++) assertEquals(l.closed()[j].toDouble(), l.numeric()[j], 1e-9);
        }
    }

    @Test void closedFormLimitsMatchLongNumericRunsOnRandomProblems() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 40; trial++) {
            int n = 1 + rnd.nextInt(3), d = n + rnd.nextInt(3);   // under-determined or square
            Rational[][] x = new Rational[n][d];
            Rational[] y = new Rational[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) x[i][j] = Rational.of(rnd.nextInt(7) - 3, 2);
                y[i] = Rational.of(rnd.nextInt(7) - 3);
            }
            Problem p = new Problem(x, y);
            Method m = trial % 4 == 3 && n == 1 ? Method.ADAGRAD : new Method[] {Method.SGD, Method.MOMENTUM, Method.NESTEROV}[trial % 3];
            Rational[] pre = m != Method.ADAGRAD && rnd.nextBoolean() ? new Rational[d] : null;
            if (pre != null) for (int j = 0; j < d; j++) pre[j] = Rational.of(1 + rnd.nextInt(4), 2);
            Rational[] theta0 = new Rational[d];
            for (int j = 0; j < d; j++) theta0[j] = Rational.of(rnd.nextInt(5) - 2, 3);
            Limit l = LeastSquaresOptimize.limit(p, Settings.of(m, m == Method.ADAGRAD ? Rational.of(1, 10) : Rational.of(1, 200), Loss.MEAN, pre), theta0);
            assertFalse(l.diverged(), "trial " + trial);
            assertTrue(l.converged(), "trial " + trial + " " + m);
            for (int j = 0; j < d; j++) assertEquals(l.closed()[j].toDouble(), l.numeric()[j], 1e-7, "trial " + trial + " " + m + " θ[" + j + "]");
        }
    }

    @Test void checkNamesTheResidualAndAcceptsDecimalsToTheirDigits() {
        Problem p = Problem.parse("1 0.1 0.01", "1");
        Rational[] limit = r("100/111", "100/111", "100/111");
        var wrong = LeastSquaresOptimize.check(p, limit, r("1", "1", "1"), "the limit");
        assertFalse(wrong.correct());
        assertTrue(wrong.lines().contains("plugging it in gives x·θ = 111/100 ≈ 1.11, not 1"), wrong.lines().toString());
        var other = LeastSquaresOptimize.check(p, limit, r("1", "0", "0"), "the limit");
        assertFalse(other.correct());
        assertTrue(other.interpolates());
        var approx = LeastSquaresOptimize.check(p, limit, r("0.9009", "0.9009", "0.9009"), "the limit");
        assertTrue(approx.correct());
        assertEquals(4, approx.approxDigits());
        assertFalse(LeastSquaresOptimize.check(p, limit, r("0.9", "0.9", "0.9"), "the limit").correct());   // 1 significant digit
    }

    @Test void badInputIsRefusedWithAnActionableMessage() {
        var e = assertThrows(IllegalArgumentException.class, () -> Problem.parse("1 2; 3 4", "1 2 3"));
        assertTrue(e.getMessage().contains("2 example(s)"), e.getMessage());
        Problem p = Problem.parse("1 1", "1");
        e = assertThrows(IllegalArgumentException.class,
                () -> LeastSquaresOptimize.limit(p, Settings.of(Method.SGD, Rational.ONE, Loss.MEAN, r("0", "0")), zeros(2)));
        assertTrue(e.getMessage().startsWith("no limit exists"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Settings.of(Method.ADAM, Rational.ONE, Loss.MEAN, r("1", "1")));
        assertThrows(IllegalArgumentException.class, () -> Settings.of(Method.SGD, Rational.ZERO, Loss.MEAN, null));
        assertThrows(IllegalArgumentException.class, () -> LeastSquaresOptimize.exactSteps(p, Settings.of(Method.SGD, Rational.ONE, Loss.MEAN, null), zeros(2), 5000));
    }

    @Test void sqrtExpressionsSimplify() {
        assertEquals("√1790321/500", ExactReal.of(Rational.parse("1790321/250000")).sqrt().text());
        assertEquals(Rational.of(4), ExactReal.of(2).sqrt().multiply(ExactReal.of(8).sqrt()).rational());
        assertEquals("√2/2", ExactReal.ONE.divide(ExactReal.of(2).sqrt()).text());
        ExactReal s = ExactReal.ONE.add(ExactReal.of(3).sqrt());
        assertEquals("4 + 2·√3", s.multiply(s).text());
    }
}
