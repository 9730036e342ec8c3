package convlab.kernels;

/**
 * Scalar float64 GroupNorm / LayerNorm / InstanceNorm, textbook form with x̂ explicit: the definition
 * {@link GroupNormKernels} is tested against and the float64 path of the gradient checks. Same layout
 * and contract as the fast kernels.
 */
public final class GroupNormReference {
    private GroupNormReference() {}

    public static void forward(double[] x, int rows, int groups, int cpg, int s, double eps, double[] gamma, double[] beta,
                               double[] y, double[] mean, double[] invStd) {
        int d = cpg * s;
        for (int r = 0; r < rows; r++) {
            double sum = 0, ss = 0;
            for (int j = 0; j < d; j++) sum += x[r * d + j];
            double mu = sum / d;
            for (int j = 0; j < d; j++) { double dev = x[r * d + j] - mu; ss += dev * dev; }
            mean[r] = mu;
            invStd[r] = 1 / Math.sqrt(ss / d + eps);
            for (int j = 0; j < d; j++) {
                int ch = (r % groups) * cpg + j / s;
                double xhat = (x[r * d + j] - mu) * invStd[r];
                y[r * d + j] = gamma == null ? xhat : xhat * gamma[ch] + beta[ch];
            }
        }
    }

    /** dx = (r/d)·(d·g' − Σg' − x̂·Σ g'·x̂) with g' = γ·g; dγ = Σ g·x̂; dβ = Σ g. */
    public static void backward(double[] g, double[] x, int rows, int groups, int cpg, int s, double[] mean, double[] invStd,
                                double[] gamma, double[] dx, double[] dGamma, double[] dBeta) {
        int d = cpg * s;
        if (dGamma != null) java.util.Arrays.fill(dGamma, 0);
        if (dBeta != null) java.util.Arrays.fill(dBeta, 0);
        for (int r = 0; r < rows; r++) {
            double sumG = 0, sumGxhat = 0;
            for (int j = 0; j < d; j++) {
                int p = r * d, ch = (r % groups) * cpg + j / s;
                double xhat = (x[p + j] - mean[r]) * invStd[r];
                double gp = g[p + j] * (gamma == null ? 1 : gamma[ch]);
                sumG += gp;
                sumGxhat += gp * xhat;
                if (dGamma != null) dGamma[ch] += g[p + j] * xhat;
                if (dBeta != null) dBeta[ch] += g[p + j];
            }
            if (dx == null) continue;
            for (int j = 0; j < d; j++) {
                int p = r * d + j, ch = (r % groups) * cpg + j / s;
                double xhat = (x[p] - mean[r]) * invStd[r];
                double gp = g[p] * (gamma == null ? 1 : gamma[ch]);
                dx[p] = invStd[r] / d * (d * gp - sumG - xhat * sumGxhat);
            }
        }
    }
}
