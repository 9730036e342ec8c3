package convlab.nn.functional;

import convlab.autograd.Node;
import convlab.kernels.BatchNormKernels;
import convlab.kernels.BatchNormReference;
import convlab.kernels.GroupNormKernels;
import convlab.kernels.GroupNormReference;
import convlab.tensor.Shape;
import convlab.tensor.Tensor;

/**
 * Normalization ops with their closed-form backward: batch norm (with a mean-only variant), layer norm
 * and group norm. Float32 runs the fused kernels ({@link BatchNormKernels}, {@link GroupNormKernels});
 * float64 the textbook references (gradient checks). Formulas are in the kernel classes.
 */
public final class Normalization {
    private Normalization() {}

    /**
     * Batch normalization of x (N, C, *): statistics per channel over N and all trailing positions.
     *
     * <p>Training: normalizes by the batch mean and biased variance and, when the running tensors are
     * given, updates them in place as PyTorch does: {@code running = (1 − momentum)·running + momentum·batch},
     * with the UNBIASED batch variance (÷ (M − 1), M = values per channel) going into runningVar.
     * Like PyTorch it refuses M = 1 (one value per channel has no variance).
     * Evaluation: normalizes by runningMean/runningVar, which are required.
     *
     * <p>meanOnly: y = γ·(x − μ) + β, no division by σ (runningVar unused, may be null); its input
     * gradient in training is γ·(g − mean g), which is zero for M = 1, so M = 1 is allowed.
     *
     * <p>gamma and beta are the per-channel affine parameters, both or neither (null: γ = 1, β = 0).
     */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor gamma, Tensor beta,
                                   boolean training, double momentum, double eps, boolean meanOnly) {
        return batchNorm(x, runningMean, runningVar, gamma, beta, training, momentum, eps, meanOnly, false);
    }

    /**
     * {@link #batchNorm} with an optional fused ReLU: relu(batchNorm(x)) in the same pass, and a backward
     * that masks the gradient by the output (ReLU's rule) inside the batch-norm backward, saving the
     * separate ReLU layer's two passes and two allocations.
     */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor gamma, Tensor beta,
                                   boolean training, double momentum, double eps, boolean meanOnly, boolean relu) {
        if (x.dim() < 2)
            throw new IllegalArgumentException("batchNorm expects an input (N, C, ...) of rank >= 2, got shape " + Shape.str(x.shape()));
        int[] shape = x.shape();
        int n = shape[0], c = shape[1], s = 1;
        for (int i = 2; i < shape.length; i++) s *= shape[i];
        int m = n * s;
        checkPerChannel("batchNorm", x, c, "gamma", gamma);
        checkPerChannel("batchNorm", x, c, "beta", beta);
        checkPerChannel("batchNorm", x, c, "running mean", runningMean);
        if (!meanOnly) checkPerChannel("batchNorm", x, c, "running variance", runningVar);
        requireBothOrNeither("batchNorm", gamma, beta);

        double[] mean = new double[c], invStd = new double[c];
        Tensor xc = x.contiguous().detach();
        Tensor out = Tensor.zeros(x.dtype(), shape);
        if (training) {
            if (m <= 1 && !meanOnly)
                throw new IllegalArgumentException("batchNorm: expected more than 1 value per channel when training, got input of shape "
                        + Shape.str(shape) + " (PyTorch's rule: a single value has no variance); use a batch of at least 2 or eval() mode");
            if (m == 0) throw new IllegalArgumentException("batchNorm: empty input of shape " + Shape.str(shape));
            double[] var = new double[c];
            if (x.isF32()) {
                BatchNormKernels.trainingForward(xc.data(), n, c, s, meanOnly, eps, floats(gamma), floats(beta), relu, out.data(), mean, var, invStd);
            } else {
                BatchNormReference.batchStats(xc.dataF64(), n, c, s, meanOnly, mean, var);
                for (int ch = 0; ch < c; ch++) invStd[ch] = meanOnly ? 1 : 1 / Math.sqrt(var[ch] + eps);
                BatchNormReference.normalize(xc.dataF64(), n, c, s, mean, invStd, doubles(gamma), doubles(beta), out.dataF64());
            }
            if (runningMean != null) updateRunning(runningMean, mean, momentum, 1);
            if (runningVar != null && !meanOnly) updateRunning(runningVar, var, momentum, m / (m - 1.0));
        } else {
            if (runningMean == null || (runningVar == null && !meanOnly))
                throw new IllegalArgumentException("batchNorm in evaluation mode needs running statistics");
            for (int ch = 0; ch < c; ch++) {
                mean[ch] = runningMean.getFlat(ch);
                invStd[ch] = meanOnly ? 1 : 1 / Math.sqrt(runningVar.getFlat(ch) + eps);
            }
            if (x.isF32())
                BatchNormKernels.normalize(xc.data(), n, c, s, mean, invStd, floats(gamma), floats(beta), relu, out.data());
            else
                BatchNormReference.normalize(xc.dataF64(), n, c, s, mean, invStd, doubles(gamma), doubles(beta), out.dataF64());
        }
        if (relu && !x.isF32()) {       // float64 (gradient checks): the plain composition, in place
            double[] y = out.dataF64();
            for (int i = 0; i < y.length; i++) y[i] = Math.max(y[i], 0);
        }
        boolean varFromBatch = training && !meanOnly;
        int channels = c, spatial = s;
        return Node.record(out, "batchNorm", g -> {
            Tensor gc = g.contiguous();
            Tensor dx = x.requiresGrad() ? Tensor.zeros(x.dtype(), shape) : null;
            boolean affineGrads = gamma != null && (gamma.requiresGrad() || beta.requiresGrad());
            Tensor dGamma = affineGrads ? Tensor.zeros(x.dtype(), channels) : null;
            Tensor dBeta = affineGrads ? Tensor.zeros(x.dtype(), channels) : null;
            if (x.isF32() && relu) {
                float[] masked = dx != null ? dx.data() : new float[out.numel()];
                BatchNormKernels.backwardThroughRelu(gc.data(), out.data(), xc.data(), n, channels, spatial, mean, invStd, floats(gamma),
                        training, varFromBatch, masked, dx == null ? null : dx.data(), dGamma == null ? null : dGamma.data(),
                        dBeta == null ? null : dBeta.data());
            } else if (x.isF32()) {
                BatchNormKernels.backward(gc.data(), xc.data(), n, channels, spatial, mean, invStd, floats(gamma), training, varFromBatch,
                        dx == null ? null : dx.data(), dGamma == null ? null : dGamma.data(), dBeta == null ? null : dBeta.data());
            } else {
                double[] gv = gc.dataF64();
                if (relu) {
                    double[] y = out.dataF64(), masked = new double[gv.length];
                    for (int i = 0; i < gv.length; i++) masked[i] = y[i] > 0 ? gv[i] : 0;
                    gv = masked;
                }
                BatchNormReference.backward(gv, xc.dataF64(), n, channels, spatial, mean, invStd, doubles(gamma), training, varFromBatch,
                        dx == null ? null : dx.dataF64(), dGamma == null ? null : dGamma.dataF64(), dBeta == null ? null : dBeta.dataF64());
            }
            return new Tensor[] {dx, dGamma == null ? null : dGamma.to(gamma.dtype()), dBeta == null ? null : dBeta.to(beta.dtype())};
        }, x, gamma, beta);
    }

    /** running ← (1 − momentum)·running + momentum·correction·batch, in place, outside autograd. */
    private static void updateRunning(Tensor running, double[] batch, double momentum, double correction) {
        for (int ch = 0; ch < batch.length; ch++)
            running.setFlat(ch, (1 - momentum) * running.getFlat(ch) + momentum * correction * batch[ch]);
    }

    /**
     * Layer normalization over the trailing dimensions normalizedShape: each sample's last
     * ∏normalizedShape values get mean 0 and variance 1, then an elementwise γ, β of that shape.
     */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor gamma, Tensor beta, double eps) {
        int[] shape = x.shape();
        int k = normalizedShape.length;
        boolean fits = k >= 1 && k <= shape.length;
        for (int i = 0; fits && i < k; i++) fits = shape[shape.length - k + i] == normalizedShape[i];
        if (!fits)
            throw new IllegalArgumentException("layerNorm over trailing shape " + Shape.str(normalizedShape) + " does not fit input "
                    + Shape.str(shape) + ": its last " + k + " dimensions must equal " + Shape.str(normalizedShape));
        for (Tensor t : new Tensor[] {gamma, beta})
            if (t != null && !Shape.same(t.shape(), normalizedShape))
                throw new IllegalArgumentException("layerNorm affine parameter has shape " + Shape.str(t.shape()) + ", expected " + Shape.str(normalizedShape));
        int d = Shape.numel(normalizedShape);
        return rowNorm("layerNorm", x, x.numel() / Math.max(1, d), 1, d, 1, eps, gamma, beta);
    }

    /** Group normalization of x (N, C, *): the C channels split into groups, each normalized per sample. */
    public static Tensor groupNorm(Tensor x, int groups, Tensor gamma, Tensor beta, double eps) {
        if (x.dim() < 2)
            throw new IllegalArgumentException("groupNorm expects an input (N, C, ...) of rank >= 2, got shape " + Shape.str(x.shape()));
        int[] shape = x.shape();
        int c = shape[1], s = 1;
        for (int i = 2; i < shape.length; i++) s *= shape[i];
        if (groups <= 0 || c % groups != 0)
            throw new IllegalArgumentException("groupNorm: " + c + " channels cannot be split into " + groups + " equal groups");
        checkPerChannel("groupNorm", x, c, "gamma", gamma);
        checkPerChannel("groupNorm", x, c, "beta", beta);
        return rowNorm("groupNorm", x, shape[0] * groups, groups, c / groups, s, eps, gamma, beta);
    }

    /** rows of cpg·s values normalized on their own; see {@link GroupNormKernels} for the layout. */
    private static Tensor rowNorm(String op, Tensor x, int rows, int groups, int cpg, int s, double eps, Tensor gamma, Tensor beta) {
        requireBothOrNeither(op, gamma, beta);
        if (cpg * s == 0) throw new IllegalArgumentException(op + ": nothing to normalize in input " + Shape.str(x.shape()));
        int[] shape = x.shape();
        Tensor xc = x.contiguous().detach();
        Tensor out = Tensor.zeros(x.dtype(), shape);
        double[] mean = new double[rows], invStd = new double[rows];
        if (x.isF32())
            GroupNormKernels.forward(xc.data(), rows, groups, cpg, s, eps, floats(gamma), floats(beta), out.data(), mean, invStd);
        else
            GroupNormReference.forward(xc.dataF64(), rows, groups, cpg, s, eps, doubles(gamma), doubles(beta), out.dataF64(), mean, invStd);
        return Node.record(out, op, g -> {
            Tensor gc = g.contiguous();
            Tensor dx = x.requiresGrad() ? Tensor.zeros(x.dtype(), shape) : null;
            boolean affineGrads = gamma != null && (gamma.requiresGrad() || beta.requiresGrad());
            Tensor dGamma = affineGrads ? Tensor.zeros(x.dtype(), gamma.shape()) : null;
            Tensor dBeta = affineGrads ? Tensor.zeros(x.dtype(), beta.shape()) : null;
            if (x.isF32())
                GroupNormKernels.backward(gc.data(), xc.data(), rows, groups, cpg, s, mean, invStd, floats(gamma),
                        dx == null ? null : dx.data(), dGamma == null ? null : dGamma.data(), dBeta == null ? null : dBeta.data());
            else
                GroupNormReference.backward(gc.dataF64(), xc.dataF64(), rows, groups, cpg, s, mean, invStd, doubles(gamma),
                        dx == null ? null : dx.dataF64(), dGamma == null ? null : dGamma.dataF64(), dBeta == null ? null : dBeta.dataF64());
            return new Tensor[] {dx, dGamma == null ? null : dGamma.to(gamma.dtype()), dBeta == null ? null : dBeta.to(beta.dtype())};
        }, x, gamma, beta);
    }

    // ---------------------------------------------------------------- argument checks and array access

    private static void checkPerChannel(String op, Tensor x, int c, String what, Tensor t) {
        if (t == null) return;
        if (t.dim() != 1 || t.size(0) != c)
            throw new IllegalArgumentException(op + ": " + what + " has shape " + Shape.str(t.shape()) + ", expected " + c
                    + " values (one per channel of input " + Shape.str(x.shape()) + ")");
    }

    private static void requireBothOrNeither(String op, Tensor gamma, Tensor beta) {
        if ((gamma == null) != (beta == null))
            throw new IllegalArgumentException(op + ": give both affine parameters (gamma and beta) or neither");
    }

    private static float[] floats(Tensor t) { return t == null ? null : t.isF32() ? t.contiguous().data() : t.contiguous().toFloatArray(); }

    private static double[] doubles(Tensor t) { return t == null ? null : t.toDoubleArray(); }
}
