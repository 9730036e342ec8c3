package convlab.kernels;

/**
 * Float32 batch normalization over an (N, C, S) array (S = H·W for images, 1 for features): statistics
 * per channel over N and S. Channels are split over {@link Parallel} threads; each channel's sums run
 * in a fixed order, so results are reproducible. {@link BatchNormReference} is the float64 definition
 * these are tested against.
 *
 * <p>The backward is the closed form, one reduction pass and one fused elementwise pass per channel.
 * With x̂ = (x − μ)·r (r = 1/√(σ² + ε)), y = γ·x̂ + β and M = N·S values per channel:
 * <pre>
 *   ∂L/∂β = Σ g        ∂L/∂γ = r · Σ g·(x − μ)
 *   ∂L/∂x = γr·g − γr·Σg/M − (x − μ)·γr³·Σ g·(x − μ)/M      (μ and σ² from the batch)
 * </pre>
 * The second term is the path through μ, the third the path through σ². Mean-only normalization
 * (r = 1, no σ²) keeps the first two; evaluation mode (μ, σ² fixed running statistics) only the first.
 * A fused following ReLU masks g by the output first ({@link #backwardThroughRelu}).
 */
public final class BatchNormKernels {
    private BatchNormKernels() {}

    private static int minChannels(int perChannel) { return Math.max(1, (1 << 15) / Math.max(1, perChannel)); }

    /** Below this run length a plain loop beats setting up vectors. */
    private static final int VECTOR_MIN = 16;

    /**
     * Per-channel batch mean and biased variance (divided by M) into mean[c], var[c]; var is left
     * untouched when meanOnly.
     */
    public static void batchStats(float[] x, int n, int c, int s, boolean meanOnly, double[] mean, double[] var) {
        Parallel.forRange(c, minChannels(n * s), (c0, c1) -> {
            for (int ch = c0; ch < c1; ch++) channelStats(x, n, c, s, ch, meanOnly, mean, var);
        });
    }

    /**
     * y = (x − mean)·invStd·γ + β per channel, computed as x·a + b with a = γ·invStd, b = β − mean·a
     * (PyTorch's CPU arrangement). gamma/beta may be null (γ = 1, β = 0). relu: y = max(y, 0) in the same
     * pass (a fused following ReLU).
     */
    public static void normalize(float[] x, int n, int c, int s, double[] mean, double[] invStd,
                                 float[] gamma, float[] beta, boolean relu, float[] y) {
        Parallel.forRange(c, minChannels(n * s), (c0, c1) -> {
            for (int ch = c0; ch < c1; ch++) normalizeChannel(x, n, c, s, ch, mean, invStd, gamma, beta, relu, y);
        });
    }

    /**
     * The training forward, {@link #batchStats} then {@link #normalize}, channel by channel so that a
     * channel's values are still in cache when they are normalized (one trip through memory, not two).
     * Fills mean, var (biased; untouched when meanOnly) and invStd (1 when meanOnly).
     */
    public static void trainingForward(float[] x, int n, int c, int s, boolean meanOnly, double eps, float[] gamma, float[] beta,
                                       boolean relu, float[] y, double[] mean, double[] var, double[] invStd) {
        Parallel.forRange(c, minChannels(n * s), (c0, c1) -> {
            for (int ch = c0; ch < c1; ch++) {
                channelStats(x, n, c, s, ch, meanOnly, mean, var);
                invStd[ch] = meanOnly ? 1 : 1 / Math.sqrt(var[ch] + eps);
                normalizeChannel(x, n, c, s, ch, mean, invStd, gamma, beta, relu, y);
            }
        });
    }

    private static void channelStats(float[] x, int n, int c, int s, int ch, boolean meanOnly, double[] mean, double[] var) {
        int m = n * s;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            int off = (i * c + ch) * s;
            sum += s >= VECTOR_MIN ? PlaneReductions.sum(x, off, s) : PlaneReductions.sumScalar(x, off, s);
        }
        mean[ch] = sum / m;
        if (meanOnly) return;
        float mu = (float) mean[ch];
        double ss = 0;
        for (int i = 0; i < n; i++) {
            int off = (i * c + ch) * s;
            ss += s >= VECTOR_MIN ? PlaneReductions.sumSquaredDeviation(x, off, s, mu)
                    : PlaneReductions.sumSquaredDeviationScalar(x, off, s, mu);
        }
        // x was centred on the float-rounded mean; the exact correction is −M·(μ − μf)².
        double shift = mean[ch] - mu;
        var[ch] = Math.max(0, ss / m - shift * shift);
    }

    private static void normalizeChannel(float[] x, int n, int c, int s, int ch, double[] mean, double[] invStd,
                                         float[] gamma, float[] beta, boolean relu, float[] y) {
        float a = (float) (invStd[ch] * (gamma == null ? 1f : gamma[ch]));
        float b = (float) ((beta == null ? 0f : beta[ch]) - mean[ch] * a);
        for (int i = 0; i < n; i++) {
            int off = (i * c + ch) * s;
            if (relu) for (int k = off; k < off + s; k++) y[k] = Math.max(x[k] * a + b, 0f);
            else for (int k = off; k < off + s; k++) y[k] = x[k] * a + b;
        }
    }

    /**
     * The backward of {@link #normalize}. meanFromBatch: μ was computed from this x (training);
     * varFromBatch: so was σ² (training, not mean-only). dx, dGamma and dBeta may each be null when
     * not wanted; gamma null means γ = 1.
     */
    public static void backward(float[] g, float[] x, int n, int c, int s, double[] mean, double[] invStd, float[] gamma,
                                boolean meanFromBatch, boolean varFromBatch, float[] dx, float[] dGamma, float[] dBeta) {
        Parallel.forRange(c, minChannels(n * s), (c0, c1) -> {
            double[] sums = new double[2];
            for (int ch = c0; ch < c1; ch++)
                channelBackward(g, x, n, c, s, ch, mean, invStd, gamma, meanFromBatch, varFromBatch, sums, dx, dGamma, dBeta);
        });
    }

    /**
     * The backward of batch norm followed by ReLU (the forward ran with relu = true and produced y):
     * the gradient is first masked by y > 0 (ReLU's rule, 0 at exactly 0) into masked, channel by
     * channel, then goes through {@link #backward}'s rule while the channel is in cache. masked is
     * scratch of x's size and may be dx itself (each element is read before it is overwritten).
     */
    public static void backwardThroughRelu(float[] g, float[] y, float[] x, int n, int c, int s, double[] mean, double[] invStd,
                                           float[] gamma, boolean meanFromBatch, boolean varFromBatch, float[] masked,
                                           float[] dx, float[] dGamma, float[] dBeta) {
        Parallel.forRange(c, minChannels(n * s), (c0, c1) -> {
            double[] sums = new double[2];
            for (int ch = c0; ch < c1; ch++) {
                for (int i = 0; i < n; i++) ReluKernels.maskByPositive(g, y, (i * c + ch) * s, s, masked);
                channelBackward(masked, x, n, c, s, ch, mean, invStd, gamma, meanFromBatch, varFromBatch, sums, dx, dGamma, dBeta);
            }
        });
    }

    private static void channelBackward(float[] g, float[] x, int n, int c, int s, int ch, double[] mean, double[] invStd,
                                        float[] gamma, boolean meanFromBatch, boolean varFromBatch, double[] sums,
                                        float[] dx, float[] dGamma, float[] dBeta) {
        int m = n * s;
        float mu = (float) mean[ch];
        sums[0] = 0;
        sums[1] = 0;
        for (int i = 0; i < n; i++) {
            int off = (i * c + ch) * s;
            if (s >= VECTOR_MIN) PlaneReductions.sumAndCenteredDot(g, x, off, s, mu, sums);
            else PlaneReductions.sumAndCenteredDotScalar(g, x, off, s, mu, sums);
        }
        double sumG = sums[0], sumGxc = sums[1] - sumG * (mean[ch] - mu);   // centre on the exact mean
        double r = invStd[ch], gam = gamma == null ? 1 : gamma[ch];
        if (dGamma != null) dGamma[ch] = (float) (sumGxc * r);
        if (dBeta != null) dBeta[ch] = (float) sumG;
        if (dx == null) return;
        float k1 = (float) (gam * r);
        float k2 = varFromBatch ? (float) (-gam * r * r * r * sumGxc / m) : 0f;
        float k3 = meanFromBatch ? (float) (-gam * r * sumG / m) : 0f;
        for (int i = 0; i < n; i++) {
            int off = (i * c + ch) * s;
            for (int k = off; k < off + s; k++) dx[k] = g[k] * k1 + ((x[k] - mu) * k2 + k3);
        }
    }
}
