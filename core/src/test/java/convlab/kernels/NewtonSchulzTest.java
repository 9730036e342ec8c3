package convlab.kernels;

import convlab.kernels.NewtonSchulz.Form;
import convlab.kernels.NewtonSchulz.Poly;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NewtonSchulzTest {

    static float[] gaussian(long seed, int n) {
        Random r = new Random(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (float) r.nextGaussian();
        return out;
    }

    /** Singular values (descending) of a rows×cols matrix: √eig(XᵀX) by cyclic Jacobi, in double. */
    static double[] singularValues(float[] x, int rows, int cols) {
        int n = cols;
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) {
            double s = 0;
            for (int k = 0; k < rows; k++) s += (double) x[k * cols + i] * x[k * cols + j];
            a[i][j] = s;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) for (int q = p + 1; q < n; q++) off += a[p][q] * a[p][q];
            if (off < 1e-30) break;
            for (int p = 0; p < n; p++) for (int q = p + 1; q < n; q++) {
                if (Math.abs(a[p][q]) < 1e-300) continue;
                double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                if (theta == 0) t = 1;
                double c = 1 / Math.sqrt(t * t + 1), s = t * c;
                for (int k = 0; k < n; k++) {
                    double akp = a[k][p], akq = a[k][q];
                    a[k][p] = c * akp - s * akq;
                    a[k][q] = s * akp + c * akq;
                }
                for (int k = 0; k < n; k++) {
                    double apk = a[p][k], aqk = a[q][k];
                    a[p][k] = c * apk - s * aqk;
                    a[q][k] = s * apk + c * aqk;
                }
            }
        }
        double[] sv = new double[n];
        for (int i = 0; i < n; i++) sv[i] = Math.sqrt(Math.max(0, a[i][i]));
        Arrays.sort(sv);
        for (int i = 0; i < n / 2; i++) { double t = sv[i]; sv[i] = sv[n - 1 - i]; sv[n - 1 - i] = t; }
        return sv;
    }

    @Test void oneStepMapsEachSingularValueThroughThePolynomial() {
        int rows = 12, cols = 5;
        float[] g = gaussian(1, rows * cols);
        double[] before = singularValues(NewtonSchulz.orthogonalize(g, rows, cols, Poly.CUBIC, 0, Form.DIRECT), rows, cols);
        for (Poly p : new Poly[] {Poly.CUBIC, Poly.QUINTIC}) {
            double[] after = singularValues(NewtonSchulz.orthogonalize(g, rows, cols, p, 1, Form.DIRECT), rows, cols);
            double[] want = new double[cols];
            for (int i = 0; i < cols; i++) want[i] = p.apply(before[i]);
            Arrays.sort(want);
            double[] got = after.clone();
            Arrays.sort(got);
            for (int i = 0; i < cols; i++) assertEquals(want[i], got[i], 1e-5, p + " σ" + i);
        }
        double frob = 0;
        for (double s : before) frob += s * s;
        assertEquals(1, frob, 1e-5, "normalized by the Frobenius norm first");
    }

    @Test void cubicConvergesToAnOrthogonalMatrix() {
        int rows = 20, cols = 6;
        float[] x = NewtonSchulz.orthogonalize(gaussian(2, rows * cols), rows, cols, Poly.CUBIC, 40, Form.DIRECT);
        for (double s : singularValues(x, rows, cols)) assertEquals(1, s, 1e-5);
    }

    @Test void quinticFiveStepsStaysInItsBand() {
        // For any start σ in [0.01, 1], five quintic steps land in [0.6818, 1.1344] (computed on the scalar map).
        int rows = 64, cols = 32;
        double[] sv = singularValues(NewtonSchulz.orthogonalize(gaussian(3, rows * cols), rows, cols, Poly.QUINTIC, 5, Form.GRAM), rows, cols);
        assertTrue(sv[cols - 1] > 0.06, "test input is not degenerate");
        for (double s : sv) assertTrue(s >= 0.681 && s <= 1.135, "σ = " + s + " outside the quintic band");
    }

    @Test void gramFormEqualsDirectForm() {
        for (int[] shape : new int[][] {{40, 8}, {33, 7}, {9, 9}, {5, 17}}) {
            int rows = shape[0], cols = shape[1];
            float[] g = gaussian(rows * 31L + cols, rows * cols);
            for (Poly p : new Poly[] {Poly.CUBIC, Poly.QUINTIC}) {
                float[] d = NewtonSchulz.orthogonalize(g, rows, cols, p, 5, Form.DIRECT);
                float[] m = NewtonSchulz.orthogonalize(g, rows, cols, p, 5, Form.GRAM);
                for (int i = 0; i < d.length; i++)
                    assertEquals(d[i], m[i], 2e-5, rows + "x" + cols + " " + p + " [" + i + "]");
            }
        }
    }

    @Test void costModelOfCourseProblemOne() {
        assertEquals(2L * 4096 * 4096 * 256, NewtonSchulz.multiplyAddsPerStep(4096, 256, Poly.CUBIC, Form.DIRECT));
        assertEquals(2L * 4096 * 256 * 256, NewtonSchulz.multiplyAddsPerStep(4096, 256, Poly.CUBIC, Form.GRAM));
        assertEquals(2L * 256 * 256 * 4096, NewtonSchulz.multiplyAddsPerStep(256, 4096, Poly.CUBIC, Form.GRAM));
    }

    @Test void zeroGradientStaysZeroAndBadInputIsRejected() {
        assertArrayEquals(new float[6], NewtonSchulz.orthogonalize(new float[6], 3, 2, Poly.QUINTIC, 5, Form.GRAM));
        assertThrows(IllegalArgumentException.class, () -> NewtonSchulz.orthogonalize(new float[5], 3, 2, Poly.CUBIC, 1, Form.GRAM));
        assertThrows(IllegalArgumentException.class, () -> NewtonSchulz.orthogonalize(new float[0], 0, 2, Poly.CUBIC, 1, Form.GRAM));
    }
}
