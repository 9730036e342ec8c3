package convlab.nn.functional;

import convlab.autograd.Node;
import convlab.kernels.Gemm;
import convlab.kernels.LinearKernels;
import convlab.kernels.Parallel;
import convlab.kernels.ReluKernels;
import convlab.geometry.PoolGeometry;
import convlab.nn.Parameter;
import convlab.tensor.DType;
import convlab.tensor.Ops;
import convlab.tensor.Rng;
import convlab.tensor.Shape;
import convlab.tensor.Tensor;

/**
 * Functional forms of the layers (PyTorch's torch.nn.functional), the one index of them: a PyTorch user finds
 * {@code F.conv2d}, {@code F.maxPool2d}, {@code F.dropout} here. The fully connected layer and the losses are written
 * here, forward and backward side by side; each other family lives in its own file with its backward beside it
 * ({@link Conv}, {@link Pooling}, {@link Normalization}, {@link Dropouts}), and its entries below are one-line
 * pointers to it. Modules in convlab.nn call these.
 */
public final class F {
    private F() {}

    /** 2-D convolution (cross-correlation) of x (N, C, H, W) with w (F, C/groups, kH, kW), bias b (F) or null: {@link Conv#conv2d}. */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor b, ConvOptions o) { return Conv.conv2d(x, w, b, o); }

    /** 1-D convolution of x (N, C, L) with w (F, C/groups, k): {@link Conv#conv1d}. */
    public static Tensor conv1d(Tensor x, Tensor w, Tensor b, ConvOptions o) { return Conv.conv1d(x, w, b, o); }

    /** Transposed 2-D convolution, w (C, F/groups, kH, kW): {@link Conv#convTranspose2d}. */
    public static Tensor convTranspose2d(Tensor x, Tensor w, Tensor b, ConvOptions o) { return Conv.convTranspose2d(x, w, b, o); }

    /** Transposed 1-D convolution: {@link Conv#convTranspose1d}. */
    public static Tensor convTranspose1d(Tensor x, Tensor w, Tensor b, ConvOptions o) { return Conv.convTranspose1d(x, w, b, o); }

    /** Max pooling with a square window (PyTorch's max_pool2d without dilation): {@link Pooling#maxPool2d}. */
    public static Tensor maxPool2d(Tensor x, int kernel, int stride, int padding, boolean ceilMode) {
        return Pooling.maxPool2d(x, new PoolGeometry(kernel, kernel, stride, stride, padding, padding, 1, 1, ceilMode));
    }

    /** Average pooling with a square window: {@link Pooling#avgPool2d}. */
    public static Tensor avgPool2d(Tensor x, int kernel, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        return Pooling.avgPool2d(x, new PoolGeometry(kernel, kernel, stride, stride, padding, padding, 1, 1, ceilMode), countIncludePad);
    }

    /** Mean of each channel's plane, (N, C, H, W) → (N, C): {@link Pooling#globalAvgPool2d}. */
    public static Tensor globalAvgPool2d(Tensor x) { return Pooling.globalAvgPool2d(x); }

    /** Batch normalization: {@link Normalization#batchNorm}. */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor gamma, Tensor beta,
                                   boolean training, double momentum, double eps) {
        return Normalization.batchNorm(x, runningMean, runningVar, gamma, beta, training, momentum, eps, false);
    }

    /** Layer normalization over the trailing normalizedShape: {@link Normalization#layerNorm}. */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor gamma, Tensor beta, double eps) {
        return Normalization.layerNorm(x, normalizedShape, gamma, beta, eps);
    }

    /** Group normalization: {@link Normalization#groupNorm}. */
    public static Tensor groupNorm(Tensor x, int groups, Tensor gamma, Tensor beta, double eps) {
        return Normalization.groupNorm(x, groups, gamma, beta, eps);
    }

    /** Inverted dropout of rate p (identity when not training): {@link Dropouts#dropout}. */
    public static Tensor dropout(Tensor x, double p, boolean training, Rng rng) { return Dropouts.dropout(x, p, training, rng); }

    /** Channel dropout of rate p: {@link Dropouts#dropout2d}. */
    public static Tensor dropout2d(Tensor x, double p, boolean training, Rng rng) { return Dropouts.dropout2d(x, p, training, rng); }

    /** max(x, 0): {@link Ops#relu}. */
    public static Tensor relu(Tensor x) { return Ops.relu(x); }

    /** y = x·Wᵀ + b for x of shape (N, in), W (out, in), b (out) or null. One GEMM each way. */
    public static Tensor linear(Tensor x, Tensor w, Tensor b) { return linear(x, w, b, 1.0); }

    /**
     * y = scale·x·Wᵀ + b: the forward multiplier of the unit-scaled parametrization (scale = 1/√in), folded
     * into the GEMMs' alpha so it costs nothing; scale = 1 is the ordinary linear layer.
     */
    public static Tensor linear(Tensor x, Tensor w, Tensor b, double scale) { return linear(x, w, b, scale, false); }

    /**
     * relu(scale·x·Wᵀ + b) in one pass: the bias and the ReLU are applied to each thread's block of the product as
     * soon as it is computed ({@link Gemm.BlockDone}), bitwise {@code linear(x, w, b, scale).relu()}. A Sequential runs
     * a Linear followed by a ReLU this way.
     */
    public static Tensor linearRelu(Tensor x, Tensor w, Tensor b, double scale) { return linear(x, w, b, scale, true); }

    private static Tensor linear(Tensor x, Tensor w, Tensor b, double scale, boolean relu) {
        if (x.dim() != 2 || !x.isF32() || !w.isF32() || (b != null && !b.isF32())) {
            Tensor y = x.matmul(w.t());       // general path (float64, batched): composed ops
            if (scale != 1.0) y = y.mul(scale);
            if (b != null) y = y.add(b);
            return relu ? y.relu() : y;
        }
        float alpha = (float) scale;
        int n = x.size(0), in = x.size(1), out = w.size(0);
        if (w.size(1) != in)
            throw new IllegalArgumentException("linear: input has " + in + " features, weight expects " + w.size(1));
        Tensor xc = x.contiguous().detach(), wc = w.contiguous().detach();
        Tensor y = Tensor.empty(DType.F32, n, out);   // every element is written: the bias rows below, or the GEMM at beta 0
        float[] yv = y.data(), bv = b == null ? null : b.contiguous().data();
        // The bias goes in after the product, by each thread on the columns it computed, where that rounds as the bias
        // put in first (one depth block); for deeper inputs it is put in first, as it always was, so results stay the same.
        boolean biasFirst = bv != null && !Gemm.oneDepthBlock(in);
        if (biasFirst) for (int i = 0; i < n; i++) System.arraycopy(bv, 0, yv, i * out, out);
        float[] addAfter = biasFirst ? null : bv;
        // The threads split the weight's rows (output features) here, in the weight gradient and in the optimizer's
        // update alike, so each thread's rows of W, of its gradient and of the momentum stay in its own core's cache;
        // each adds the bias (and applies the ReLU) to the columns it computed.
        Gemm.sgemm(false, true, n, out, in, alpha, xc.data(), 0, in, wc.data(), 0, in, biasFirst ? 1f : 0f, yv, 0, out,
                Gemm.Split.COLUMNS, addAfter == null && !relu ? Gemm.BlockDone.NONE
                        : (r0, r1, c0, c1) -> LinearKernels.biasRelu(yv, out, r0, r1, c0, c1, addAfter, relu));
        // The gradients are new tensors of their own, so the weight and bias keep them without a copy.
        return Node.recordFresh(y, relu ? "linear_relu" : "linear", gOut -> {
            Tensor g = gOut.contiguous();
            if (relu) {   // through the ReLU first: y > 0 ? g : 0
                Tensor masked = Tensor.empty(DType.F32, n, out);
                ReluKernels.maskByPositive(g.data(), yv, 0, n * out, masked.data());
                g = masked;
            }
            float[] gv = g.data();
            Tensor gx = null, gw = null, gb = null;
            if (x.requiresGrad()) {
                gx = Tensor.empty(DType.F32, n, in);   // overwritten whole (beta 0)
                Gemm.sgemm(false, false, n, in, out, alpha, gv, 0, out, wc.data(), 0, in, 0f, gx.data(), 0, in);
            }
            if (w.requiresGrad()) {
                // Overwritten whole (beta 0): a parameter's released gradient storage serves, no new 800 KB per step.
                gw = w instanceof Parameter p ? p.gradBuffer() : Tensor.zeros(out, in);
                Gemm.sgemm(true, false, out, in, n, alpha, gv, 0, out, xc.data(), 0, in, 0f, gw.data(), 0, in, Gemm.Split.ROWS);
            }
            if (b != null && b.requiresGrad()) {
                gb = Tensor.zeros(out);   // a new array of its own, which the bias keeps as its gradient
                LinearKernels.columnSums(gv, n, out, gb.data());
            }
            return new Tensor[] {gx, gw, gb};
        }, x, w, b);
    }

    /** Fewest rows per thread in {@link #crossEntropy}: a training batch of 64 stays on the calling thread. */
    private static final int CROSS_ENTROPY_ROWS_PER_THREAD = 256;

    /**
     * Mean softmax cross-entropy of logits (N, C) against class indices, fused and numerically stable:
     * loss = mean_i [logsumexp(z_i) − z_i[t_i]]; gradient (softmax(z_i) − onehot(t_i)) / N.
     */
    public static Tensor crossEntropy(Tensor logits, int[] targets) {
        if (logits.dim() != 2)
            throw new IllegalArgumentException("crossEntropy expects logits of shape (N, C), got " + Shape.str(logits.shape()));
        int n = logits.size(0), c = logits.size(1);
        if (targets.length != n)
            throw new IllegalArgumentException("crossEntropy: " + n + " rows of logits but " + targets.length + " targets");
        for (int i = 0; i < n; i++)   // first, in order: the message names the first bad row however the rows are shared
            if (targets[i] < 0 || targets[i] >= c)
                throw new IllegalArgumentException("crossEntropy: target " + targets[i] + " at row " + i + " is not a class in [0, " + c + ")");
        double[] z = logits.toDoubleArray();   // exact for float32; one pass instead of strided reads per use
        // The softmax is kept for the backward; an evaluation (no gradient) sums the same terms without storing it.
        double[] prob = Tensor.needsGrad(logits) ? new double[n * c] : null;
        // Each row's term on its own (the threads share an evaluation batch's rows: a 1,000-image batch spends most of
        // its loss in 10,000 exp calls), then the terms summed in row order, as one loop adding them would.
        double[] term = new double[n];
        Parallel.forRange(n, CROSS_ENTROPY_ROWS_PER_THREAD, (from, to) -> {
            for (int i = from; i < to; i++) {
                int row = i * c;
                double m = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < c; j++) m = Math.max(m, z[row + j]);
                double s = 0;
                if (prob == null) {
                    for (int j = 0; j < c; j++) s += Math.exp(z[row + j] - m);
                } else {
                    for (int j = 0; j < c; j++) { double e = Math.exp(z[row + j] - m); prob[row + j] = e; s += e; }
                    for (int j = 0; j < c; j++) prob[row + j] /= s;
                }
                term[i] = m + Math.log(s) - z[row + targets[i]];
            }
        });
        double total = 0;
        for (double t : term) total += t;
        Tensor loss = Tensor.scalar(total / n, logits.dtype());
        if (prob == null) return loss;
        return Node.recordFresh(loss, "crossEntropy", g -> {
            double scale = g.item() / n;
            Tensor gl = Tensor.zeros(logits.dtype(), n, c);
            if (gl.isF32()) {
                float[] out = gl.data();
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < c; j++) out[i * c + j] = (float) (scale * (prob[i * c + j] - (j == targets[i] ? 1 : 0)));
            } else {
                double[] out = gl.dataF64();
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < c; j++) out[i * c + j] = scale * (prob[i * c + j] - (j == targets[i] ? 1 : 0));
            }
            return new Tensor[] {gl};
        }, logits);
    }

    /** Mean squared error: mean((pred − target)²). */
    public static Tensor mse(Tensor pred, Tensor target) {
        if (!Shape.same(pred.shape(), target.shape()))
            throw new IllegalArgumentException("mse: prediction " + Shape.str(pred.shape()) + " and target " + Shape.str(target.shape()) + " differ in shape");
        Tensor d = Ops.sub(pred, target);
        return Ops.mul(d, d).mean();
    }
}
