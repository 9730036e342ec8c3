package convlab.optim;

import convlab.nn.Parameter;
import convlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Underdetermined least squares: θ ∈ R³, one sample x = (1, 0.1, 0.01), y = 1, loss ½(θ·x − 1)², start at 0.
 * Every gradient is a multiple of x, so SGD stays in span(x) and converges to the minimum-norm solution
 * x/‖x‖². A diagonally preconditioned method (Adagrad) scales coordinates differently and leaves span(x).
 */
class MinimumNormTest {
    private static final double[] X = {1, 0.1, 0.01};

    private static double[] train(Optimizer opt, Parameter theta, int steps) {
        float[] w = theta.data();
        for (int s = 0; s < steps; s++) {
            double r = w[0] * X[0] + w[1] * X[1] + w[2] * X[2] - 1;
            float[] g = new float[3];
            for (int i = 0; i < 3; i++) g[i] = (float) (r * X[i]);
            theta.setGrad(Tensor.of(g, 3));
            opt.step();
        }
        return new double[] {w[0], w[1], w[2]};
    }

    @Test void sgdFindsTheMinimumNormSolution() {
        Parameter theta = new Parameter(Tensor.zeros(3));
        double[] got = train(new SGD(List.of(theta), 0.5, 0, 0), theta, 200);
        double nx2 = 1 + 0.01 + 0.0001;
        for (int i = 0; i < 3; i++) assertEquals(X[i] / nx2, got[i], 1e-6, "θ[" + i + "]");
    }

    @Test void adagradFitsTheDataButNotWithMinimumNorm() {
        Parameter theta = new Parameter(Tensor.zeros(3));
        double[] got = train(new Adagrad(List.of(theta), 0.1, 0, 0, 0, 1e-10), theta, 5000);
        double fit = got[0] * X[0] + got[1] * X[1] + got[2] * X[2];
        assertEquals(1, fit, 1e-4, "Adagrad reaches an interpolating solution");
        // The first step moves every coordinate by the same lr (sign-like), so θ is far from parallel to x.
        double nx2 = 1 + 0.01 + 0.0001;
        double dist = 0;
        for (int i = 0; i < 3; i++) dist += Math.pow(got[i] - X[i] / nx2, 2);
        assertTrue(Math.sqrt(dist) > 0.05, "Adagrad should not land on the minimum-norm solution, distance " + Math.sqrt(dist));
        double norm = Math.sqrt(got[0] * got[0] + got[1] * got[1] + got[2] * got[2]);
        assertTrue(norm > 1 / Math.sqrt(nx2) + 1e-3, "its norm " + norm + " exceeds the minimum 1/‖x‖");
    }
}
