package convlab.nn.functional;

import convlab.autograd.Node;
import convlab.kernels.Gemm;
import convlab.nn.Parameter;
import convlab.tensor.Ops;
import convlab.tensor.Shape;
import convlab.tensor.Tensor;

/**
 * Functional forms of the layers (PyTorch's torch.nn.functional): each op's forward and its backward
 * side by side. Modules in convlab.nn call these.
 */
public final class F {
    private F() {}

    /** y = x·Wᵀ + b for x of shape (N, in), W (out, in), b (out) or null. One GEMM each way. */
    public static Tensor linear(Tensor x, Tensor w, Tensor b) { return linear(x, w, b, 1.0); }

    /**
     * y = scale·x·Wᵀ + b: the forward multiplier of the unit-scaled parametrization (scale = 1/√in), folded
     * into the GEMMs' alpha so it costs nothing; scale = 1 is the ordinary linear layer.
     */
    public static Tensor linear(Tensor x, Tensor w, Tensor b, double scale) {
        if (x.dim() != 2 || !x.isF32() || !w.isF32() || (b != null && !b.isF32())) {
            Tensor y = x.matmul(w.t());       // general path (float64, batched): composed ops
            if (scale != 1.0) y = y.mul(scale);
            return b == null ? y : y.add(b);
        }
        float alpha = (float) scale;
        int n = x.size(0), in = x.size(1), out = w.size(0);
        if (w.size(1) != in)
            throw new IllegalArgumentException("linear: input has " + in + " features, weight expects " + w.size(1));
        Tensor xc = x.contiguous().detach(), wc = w.contiguous().detach();
        Tensor y = Tensor.zeros(n, out);
        float[] yv = y.data();
        if (b != null) {
            float[] bv = b.contiguous().data();
            for (int i = 0; i < n; i++) System.arraycopy(bv, 0, yv, i * out, out);
        }
        Gemm.sgemm(false, true, n, out, in, alpha, xc.data(), 0, in, wc.data(), 0, in, b == null ? 0f : 1f, yv, 0, out);
        // The gradients are new tensors of their own, so the weight and bias keep them without a copy.
        return Node.recordFresh(y, "linear", g -> {
            Tensor gc = g.contiguous();
            float[] gv = gc.data();
            Tensor gx = null, gw = null, gb = null;
            if (x.requiresGrad()) {
                gx = Tensor.zeros(n, in);
                Gemm.sgemm(false, false, n, in, out, alpha, gv, 0, out, wc.data(), 0, in, 0f, gx.data(), 0, in);
            }
            if (w.requiresGrad()) {
                // Overwritten whole (beta 0): a parameter's released gradient storage serves, no new 800 KB per step.
                gw = w instanceof Parameter p ? p.gradBuffer() : Tensor.zeros(out, in);
                Gemm.sgemm(true, false, out, in, n, alpha, gv, 0, out, xc.data(), 0, in, 0f, gw.data(), 0, in);
            }
            if (b != null && b.requiresGrad()) {
                gb = Tensor.zeros(out);
                float[] gbv = gb.data();
                for (int i = 0; i < n; i++) for (int j = 0; j < out; j++) gbv[j] += gv[i * out + j];
            }
            return new Tensor[] {gx, gw, gb};
        }, x, w, b);
    }

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
        double[] z = logits.toDoubleArray();   // exact for float32; one pass instead of strided reads per use
        double[] prob = new double[n * c];      // softmax, kept for the backward
        double total = 0;
        for (int i = 0; i < n; i++) {
            int t = targets[i];
            if (t < 0 || t >= c) throw new IllegalArgumentException("crossEntropy: target " + t + " at row " + i + " is not a class in [0, " + c + ")");
            int row = i * c;
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) m = Math.max(m, z[row + j]);
            double s = 0;
            for (int j = 0; j < c; j++) { double e = Math.exp(z[row + j] - m); prob[row + j] = e; s += e; }
            for (int j = 0; j < c; j++) prob[row + j] /= s;
            total += m + Math.log(s) - z[row + t];
        }
        Tensor loss = Tensor.scalar(total / n, logits.dtype());
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
