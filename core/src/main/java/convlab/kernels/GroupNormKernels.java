package convlab.kernels;

/**
 * Float32 per-sample normalization: GroupNorm, and LayerNorm and InstanceNorm as its two ends.
 * The input is {@code rows = N·G} rows of {@code d = cpg·S} values (G groups per sample, cpg channels
 * per group, S positions per channel); each row is normalized by its own mean and variance, then
 * element j of row r gets the affine pair of channel {@code (r mod G)·cpg + j / S}.
 * <ul>
 *   <li>GroupNorm(G) on (N, C, H, W): G groups, cpg = C/G, S = H·W.</li>
 *   <li>LayerNorm over trailing dims of size D: G = 1, cpg = D, S = 1 (one affine pair per element).</li>
 *   <li>InstanceNorm: G = C.</li>
 * </ul>
 * Rows are split over threads for the forward and dx; γ/β gradients over channels; each sum runs in a
 * fixed order. {@link GroupNormReference} is the float64 definition.
 *
 * <p>Backward (g' = γ·g, r = 1/√(σ² + ε), sums over the row):
 * {@code dx = r·g' − r·Σg'/d − (x − μ)·r³·Σ g'·(x − μ)/d}; {@code dγ = Σ g·x̂}, {@code dβ = Σ g} over
 * every row and position of the channel.
 */
public final class GroupNormKernels {
    private GroupNormKernels() {}

    private static int minRows(int d) { return Math.max(1, (1 << 15) / Math.max(1, d)); }

    private static final int VECTOR_MIN = 16;

    /** Normalizes rows; writes y and the per-row mean and 1/√(var + ε). gamma/beta may be null. */
    public static void forward(float[] x, int rows, int groups, int cpg, int s, double eps, float[] gamma, float[] beta,
                               float[] y, double[] mean, double[] invStd) {
        int d = cpg * s;
        Parallel.forRange(rows, minRows(d), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int off = r * d;
                double mu = (d >= VECTOR_MIN ? PlaneReductions.sum(x, off, d) : PlaneReductions.sumScalar(x, off, d)) / d;
                float muf = (float) mu;
                double ss = d >= VECTOR_MIN ? PlaneReductions.sumSquaredDeviation(x, off, d, muf)
                        : PlaneReductions.sumSquaredDeviationScalar(x, off, d, muf);
                double shift = mu - muf;
                double rstd = 1 / Math.sqrt(Math.max(0, ss / d - shift * shift) + eps);
                mean[r] = mu;
                invStd[r] = rstd;
                float scale = (float) rstd, bias = (float) (-rstd * mu);
                int ch0 = (r % groups) * cpg;
                if (gamma == null) {
                    for (int k = off; k < off + d; k++) y[k] = x[k] * scale + bias;
                } else if (s == 1) {                       // LayerNorm: one affine pair per element
                    for (int j = 0; j < d; j++) y[off + j] = (x[off + j] * scale + bias) * gamma[ch0 + j] + beta[ch0 + j];
                } else {                                   // GroupNorm: one affine pair per run of S
                    for (int cb = 0; cb < cpg; cb++) {
                        float ga = gamma[ch0 + cb], be = beta[ch0 + cb];
                        for (int k = off + cb * s; k < off + (cb + 1) * s; k++) y[k] = (x[k] * scale + bias) * ga + be;
                    }
                }
            }
        });
    }

    /** The backward of {@link #forward}; dx, dGamma, dBeta may each be null when not wanted. */
    public static void backward(float[] g, float[] x, int rows, int groups, int cpg, int s, double[] mean, double[] invStd,
                                float[] gamma, float[] dx, float[] dGamma, float[] dBeta) {
        int d = cpg * s;
        if (dx != null) Parallel.forRange(rows, minRows(d), (r0, r1) -> {
            double[] sums = new double[2];
            for (int r = r0; r < r1; r++) {
                int off = r * d, ch0 = (r % groups) * cpg;
                float mu = (float) mean[r];
                double sumG = 0, sumGxc = 0;     // Σ g' and Σ g'·(x − μ) with g' = γ·g
                for (int cb = 0; cb < cpg; cb++) {
                    sums[0] = 0;
                    sums[1] = 0;
                    if (s >= VECTOR_MIN) PlaneReductions.sumAndCenteredDot(g, x, off + cb * s, s, mu, sums);
                    else PlaneReductions.sumAndCenteredDotScalar(g, x, off + cb * s, s, mu, sums);
                    double ga = gamma == null ? 1 : gamma[ch0 + cb];
                    sumG += ga * sums[0];
                    sumGxc += ga * sums[1];
                }
                sumGxc -= sumG * (mean[r] - mu);
                double rs = invStd[r];
                float k2 = (float) (-rs * rs * rs * sumGxc / d), k3 = (float) (-rs * sumG / d);
                for (int cb = 0; cb < cpg; cb++) {
                    float k1 = (float) (rs * (gamma == null ? 1 : gamma[ch0 + cb]));
                    for (int k = off + cb * s; k < off + (cb + 1) * s; k++) dx[k] = g[k] * k1 + ((x[k] - mu) * k2 + k3);
                }
            }
        });
        if (dGamma == null && dBeta == null) return;
        int channels = groups * cpg, n = rows / groups;
        Parallel.forRange(channels, minRows(n * s), (c0, c1) -> {
            double[] sums = new double[2];
            for (int ch = c0; ch < c1; ch++) {
                int gi = ch / cpg, cb = ch % cpg;
                double sg = 0, sgx = 0;
                for (int i = 0; i < n; i++) {
                    int r = i * groups + gi, off = r * d + cb * s;
                    float mu = (float) mean[r];
                    sums[0] = 0;
                    sums[1] = 0;
                    if (s >= VECTOR_MIN) PlaneReductions.sumAndCenteredDot(g, x, off, s, mu, sums);
                    else PlaneReductions.sumAndCenteredDotScalar(g, x, off, s, mu, sums);
                    sg += sums[0];
                    sgx += (sums[1] - sums[0] * (mean[r] - mu)) * invStd[r];
                }
                if (dGamma != null) dGamma[ch] = (float) sgx;
                if (dBeta != null) dBeta[ch] = (float) sg;
            }
        });
    }
}
