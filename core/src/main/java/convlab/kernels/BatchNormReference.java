package convlab.kernels;

/**
 * Scalar float64 batch normalization over an (N, C, S) array, written the textbook way (x̂ explicit):
 * the definition {@link BatchNormKernels} is tested against, and the float64 path of the gradient checks.
 * Same contract as the fast kernels; see there for the formulas.
 */
public final class BatchNormReference {
    private BatchNormReference() {}

    public static void batchStats(double[] x, int n, int c, int s, boolean meanOnly, double[] mean, double[] var) {
        int m = n * s;
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int i = 0; i < n; i++) for (int k = 0; k < s; k++) sum += x[(i * c + ch) * s + k];
            mean[ch] = sum / m;
            if (meanOnly) continue;
            double ss = 0;
            for (int i = 0; i < n; i++)
                for (int k = 0; k < s; k++) { double d = x[(i * c + ch) * s + k] - mean[ch]; ss += d * d; }
            var[ch] = ss / m;
        }
    }

    public static void normalize(double[] x, int n, int c, int s, double[] mean, double[] invStd,
                                 double[] gamma, double[] beta, double[] y) {
        for (int i = 0; i < n; i++)
            for (int ch = 0; ch < c; ch++)
                for (int k = 0; k < s; k++) {
                    int p = (i * c + ch) * s + k;
                    double xhat = (x[p] - mean[ch]) * invStd[ch];
                    y[p] = xhat * (gamma == null ? 1 : gamma[ch]) + (beta == null ? 0 : beta[ch]);
                }
    }

    /** dx = (γr/M)·(M·g − [μ from batch]·Σg − [σ² from batch]·x̂·Σ g·x̂); dγ = Σ g·x̂; dβ = Σ g. */
    public static void backward(double[] g, double[] x, int n, int c, int s, double[] mean, double[] invStd, double[] gamma,
                                boolean meanFromBatch, boolean varFromBatch, double[] dx, double[] dGamma, double[] dBeta) {
        int m = n * s;
        for (int ch = 0; ch < c; ch++) {
            double sumG = 0, sumGxhat = 0;
            for (int i = 0; i < n; i++)
                for (int k = 0; k < s; k++) {
                    int p = (i * c + ch) * s + k;
                    sumG += g[p];
                    sumGxhat += g[p] * (x[p] - mean[ch]) * invStd[ch];
                }
            if (dGamma != null) dGamma[ch] = sumGxhat;
            if (dBeta != null) dBeta[ch] = sumG;
            if (dx == null) continue;
            double gam = gamma == null ? 1 : gamma[ch];
            for (int i = 0; i < n; i++)
                for (int k = 0; k < s; k++) {
                    int p = (i * c + ch) * s + k;
                    double xhat = (x[p] - mean[ch]) * invStd[ch];
                    double inner = m * g[p] - (meanFromBatch ? sumG : 0) - (varFromBatch ? xhat * sumGxhat : 0);
                    dx[p] = gam * invStd[ch] / m * inner;
                }
        }
    }
}
