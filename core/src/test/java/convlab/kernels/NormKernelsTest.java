package convlab.kernels;

import convlab.tensor.Rng;
import org.junit.jupiter.api.Test;

import static convlab.testing.Checks.assertClose;

/** Batch/group normalization kernels and the SIMD plane reductions against their scalar references. */
class NormKernelsTest {

    private static float[] random(Rng rng, int n, double offset) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (offset + 2 * rng.nextDouble() - 1);
        return x;
    }

    private static double[] widen(float[] x) {
        if (x == null) return null;
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) d[i] = x[i];
        return d;
    }

    @Test void planeReductionsMatchScalarTwins() {
        Rng rng = new Rng(5);
        for (int len : new int[] {0, 1, 7, 8, 15, 16, 17, 63, 511, 512, 513, 1025, 5000}) {
            float[] x = random(rng, len + 3, 3), g = random(rng, len + 3, 0);
            String what = "len " + len;
            assertClose(new double[] {PlaneReductions.sumScalar(x, 3, len)}, new double[] {PlaneReductions.sum(x, 3, len)}, 1e-4, 1e-6, what);
            assertClose(new double[] {PlaneReductions.sumSquaredDeviationScalar(x, 3, len, 2.9f)},
                    new double[] {PlaneReductions.sumSquaredDeviation(x, 3, len, 2.9f)}, 1e-4, 1e-6, what);
            double[] a = new double[2], b = new double[2];
            PlaneReductions.sumAndCenteredDotScalar(g, x, 3, len, 2.9f, a);
            PlaneReductions.sumAndCenteredDot(g, x, 3, len, 2.9f, b);
            assertClose(a, b, 1e-4, 1e-6, what + " sumAndCenteredDot");
        }
    }

    @Test void batchNormMatchesReference() {
        Rng rng = new Rng(6);
        int[][] shapes = {{2, 1, 1}, {5, 3, 1}, {1, 2, 7}, {3, 2, 16}, {2, 3, 17}, {4, 2, 33}, {2, 2, 600}};
        for (int[] sh : shapes)
            for (int mode = 0; mode < 3; mode++) {            // 0 training, 1 mean-only training, 2 evaluation
                int n = sh[0], c = sh[1], s = sh[2];
                boolean meanOnly = mode == 1, eval = mode == 2;
                float[] x = random(rng, n * c * s, 1.5), g = random(rng, n * c * s, 0.2);
                float[] gamma = random(rng, c, 1), beta = random(rng, c, 0);
                double[] mean = new double[c], var = new double[c], refMean = new double[c], refVar = new double[c];
                if (eval) for (int ch = 0; ch < c; ch++) { mean[ch] = refMean[ch] = 1.4; var[ch] = refVar[ch] = 0.3 + ch; }
                else {
                    BatchNormKernels.batchStats(x, n, c, s, meanOnly, mean, var);
                    BatchNormReference.batchStats(widen(x), n, c, s, meanOnly, refMean, refVar);
                }
                String what = "bn " + n + "x" + c + "x" + s + " mode " + mode;
                assertClose(refMean, mean, 1e-6, 1e-6, what + " mean");
                if (!meanOnly) assertClose(refVar, var, 1e-6, 1e-5, what + " var");
                double[] invStd = new double[c];
                for (int ch = 0; ch < c; ch++) invStd[ch] = meanOnly ? 1 : 1 / Math.sqrt(refVar[ch] + 1e-5);

                float[] y = new float[x.length];
                double[] refY = new double[x.length];
                BatchNormKernels.normalize(x, n, c, s, refMean, invStd, gamma, beta, false, y);
                BatchNormReference.normalize(widen(x), n, c, s, refMean, invStd, widen(gamma), widen(beta), refY);
                assertClose(refY, widen(y), 1e-5, 1e-5, what + " y");

                float[] dx = new float[x.length], dGamma = new float[c], dBeta = new float[c];
                double[] refDx = new double[x.length], refDGamma = new double[c], refDBeta = new double[c];
                BatchNormKernels.backward(g, x, n, c, s, refMean, invStd, gamma, !eval, !eval && !meanOnly, dx, dGamma, dBeta);
                BatchNormReference.backward(widen(g), widen(x), n, c, s, refMean, invStd, widen(gamma), !eval, !eval && !meanOnly,
                        refDx, refDGamma, refDBeta);
                assertClose(refDx, widen(dx), 1e-5, 1e-4, what + " dx");
                assertClose(refDGamma, widen(dGamma), 1e-4, 1e-5, what + " dGamma");
                assertClose(refDBeta, widen(dBeta), 1e-4, 1e-5, what + " dBeta");
            }
    }

    @Test void fusedTrainingForwardEqualsStatsThenNormalize() {
        Rng rng = new Rng(8);
        for (int variant = 0; variant < 4; variant++) {
            boolean meanOnly = variant % 2 == 1, relu = variant >= 2;
            int n = 3, c = 5, s = 37;
            float[] x = random(rng, n * c * s, 0.7), gamma = random(rng, c, 1), beta = random(rng, c, 0);
            double[] mean = new double[c], var = new double[c], invStd = new double[c];
            float[] y = new float[x.length];
            BatchNormKernels.trainingForward(x, n, c, s, meanOnly, 1e-5, gamma, beta, relu, y, mean, var, invStd);
            double[] mean2 = new double[c], var2 = new double[c], invStd2 = new double[c];
            float[] y2 = new float[x.length];
            BatchNormKernels.batchStats(x, n, c, s, meanOnly, mean2, var2);
            for (int ch = 0; ch < c; ch++) invStd2[ch] = meanOnly ? 1 : 1 / Math.sqrt(var2[ch] + 1e-5);
            BatchNormKernels.normalize(x, n, c, s, mean2, invStd2, gamma, beta, relu, y2);
            org.junit.jupiter.api.Assertions.assertArrayEquals(mean2, mean);
            org.junit.jupiter.api.Assertions.assertArrayEquals(invStd2, invStd);
            org.junit.jupiter.api.Assertions.assertArrayEquals(y2, y);
        }
    }

    @Test void backwardThroughReluEqualsMaskThenBackward() {
        Rng rng = new Rng(9);
        int n = 4, c = 3, s = 21;
        float[] x = random(rng, n * c * s, 0.3), g = random(rng, x.length, 0), gamma = random(rng, c, 1), beta = random(rng, c, 0);
        double[] mean = new double[c], var = new double[c], invStd = new double[c];
        float[] y = new float[x.length];
        BatchNormKernels.trainingForward(x, n, c, s, false, 1e-5, gamma, beta, true, y, mean, var, invStd);
        float[] masked = new float[x.length];
        for (int i = 0; i < x.length; i++) masked[i] = y[i] > 0 ? g[i] : 0;
        float[] dx = new float[x.length], dGamma = new float[c], dBeta = new float[c];
        BatchNormKernels.backward(masked, x, n, c, s, mean, invStd, gamma, true, true, dx, dGamma, dBeta);
        float[] dx2 = new float[x.length], dGamma2 = new float[c], dBeta2 = new float[c];
        BatchNormKernels.backwardThroughRelu(g, y, x, n, c, s, mean, invStd, gamma, true, true, dx2, dx2, dGamma2, dBeta2);
        org.junit.jupiter.api.Assertions.assertArrayEquals(dx, dx2);
        org.junit.jupiter.api.Assertions.assertArrayEquals(dGamma, dGamma2);
        org.junit.jupiter.api.Assertions.assertArrayEquals(dBeta, dBeta2);
    }

    @Test void groupNormMatchesReference() {
        Rng rng = new Rng(7);
        // {n, groups, channels per group, positions}: LayerNorm (G=1, S=1), GroupNorm, InstanceNorm (cpg=1)
        int[][] shapes = {{3, 1, 5, 1}, {2, 1, 40, 1}, {2, 2, 3, 7}, {3, 4, 1, 17}, {1, 3, 2, 33}, {2, 1, 4, 1}};
        for (int[] sh : shapes)
            for (boolean affine : new boolean[] {true, false}) {
                int n = sh[0], groups = sh[1], cpg = sh[2], s = sh[3], rows = n * groups, channels = groups * cpg;
                float[] x = random(rng, rows * cpg * s, -2), g = random(rng, x.length, 0.1);
                float[] gamma = affine ? random(rng, channels, 1) : null, beta = affine ? random(rng, channels, 0) : null;
                float[] y = new float[x.length];
                double[] mean = new double[rows], invStd = new double[rows];
                double[] refY = new double[x.length], refMean = new double[rows], refInvStd = new double[rows];
                GroupNormKernels.forward(x, rows, groups, cpg, s, 1e-5, gamma, beta, y, mean, invStd);
                GroupNormReference.forward(widen(x), rows, groups, cpg, s, 1e-5, widen(gamma), widen(beta), refY, refMean, refInvStd);
                String what = "gn " + java.util.Arrays.toString(sh) + " affine " + affine;
                assertClose(refMean, mean, 1e-6, 1e-6, what + " mean");
                assertClose(refInvStd, invStd, 1e-6, 1e-5, what + " invStd");
                assertClose(refY, widen(y), 1e-5, 1e-5, what + " y");

                float[] dx = new float[x.length], dGamma = affine ? new float[channels] : null, dBeta = affine ? new float[channels] : null;
                double[] refDx = new double[x.length], refDGamma = affine ? new double[channels] : null, refDBeta = affine ? new double[channels] : null;
                GroupNormKernels.backward(g, x, rows, groups, cpg, s, refMean, refInvStd, gamma, dx, dGamma, dBeta);
                GroupNormReference.backward(widen(g), widen(x), rows, groups, cpg, s, refMean, refInvStd, widen(gamma), refDx, refDGamma, refDBeta);
                assertClose(refDx, widen(dx), 1e-5, 1e-4, what + " dx");
                if (affine) {
                    assertClose(refDGamma, widen(dGamma), 1e-4, 1e-5, what + " dGamma");
                    assertClose(refDBeta, widen(dBeta), 1e-4, 1e-5, what + " dBeta");
                }
            }
    }
}
