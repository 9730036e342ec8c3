package convlab.experiment;

import convlab.report.Results;
import convlab.tensor.Rng;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DropoutRegressionTest {
    static final Path OUT = Path.of("target", "experiment-tests", "dropout-regression");

    @Test
    void closedFormSolvesTheNormalEquations() {
        var d = DropoutRegression.Data.make(20, new Rng(3));
        double lambda = 0.7;
        double[] w = DropoutRegression.tikhonov(d, lambda);
        // gradient of ‖y − Xw‖² + λ‖Γw‖² is −2Xᵀ(y − Xw) + 2λ·diag(XᵀX)·w = 0 at the minimizer
        for (int j = 0; j < 2; j++) {
            double g = 0, gjj = 0;
            for (int i = 0; i < d.n(); i++) {
                double r = d.y()[i] - d.x()[i][0] * w[0] - d.x()[i][1] * w[1];
                g -= d.x()[i][j] * r;
                gjj += d.x()[i][j] * d.x()[i][j];
            }
            g += lambda * gjj * w[j];
            assertEquals(0, g, 1e-9, "normal equation " + j);
        }
    }

    @Test
    void sgdMatchesTheClosedFormAndTheWeightsJumpAtRateZero() {
        Results r = new DropoutRegression().run(OUT, true, 7, ExperimentProgress.NONE);
        double[] mn = r.array("min_norm_w"), lim = r.array("dropout_limit_w");
        // Without dropout SGD from zero converges to the minimum-norm fit.
        double[] sgd0 = r.array("sgd_w_rate_0.00");
        assertEquals(mn[0], sgd0[0], 0.02);
        assertEquals(mn[1], sgd0[1], 0.02);
        // With dropout, SGD's averaged weights match the Tikhonov solution it is equivalent to in expectation.
        for (String rate : new String[] {"0.20", "0.50"}) {
            double[] exact = r.array("exact_w_rate_" + rate), sgd = r.array("sgd_w_rate_" + rate);
            assertEquals(exact[0], sgd[0], 0.05 * Math.abs(exact[0]) + 0.02, "w1 at rate " + rate);
            assertEquals(exact[1], sgd[1], 0.05 * Math.abs(exact[1]) + 0.02, "w2 at rate " + rate);
        }
        // The jump: the small feature's weight is several times larger just above rate 0 than at 0.
        assertTrue(lim[1] > 4 * mn[1], "dropout limit w2 " + lim[1] + " vs minimum-norm w2 " + mn[1]);
        assertTrue(OUT.resolve("index.html").toFile().isFile());
        assertTrue(OUT.resolve("w2_vs_rate.png").toFile().length() > 5000);
    }
}
