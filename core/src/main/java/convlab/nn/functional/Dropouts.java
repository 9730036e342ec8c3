package convlab.nn.functional;

import convlab.autograd.Node;
import convlab.tensor.Rng;
import convlab.tensor.Shape;
import convlab.tensor.Tensor;

/**
 * Dropout ops with PyTorch's meaning of p: each element (dropout) or each whole channel (dropout2d,
 * "spatial dropout") is zeroed with probability p, and survivors are scaled by 1/(1 − p) so the
 * expected value is unchanged; identity in evaluation. Masks are drawn from the caller's seeded
 * {@link Rng} in row-major order on one thread, so the same seed gives the same mask whatever the
 * thread count. The backward multiplies by the same mask.
 */
public final class Dropouts {
    private Dropouts() {}

    /** Elementwise dropout; returns x itself when not training or p = 0. */
    public static Tensor dropout(Tensor x, double p, boolean training, Rng rng) {
        checkP(p);
        if (!training || p == 0) return x;
        return masked(x, drawMask(rng, x.numel(), p), 1, "dropout");
    }

    /** Channel dropout of x (N, C, *): each of the N·C channels is kept or zeroed as a whole. */
    public static Tensor dropout2d(Tensor x, double p, boolean training, Rng rng) {
        checkP(p);
        if (x.dim() < 3)
            throw new IllegalArgumentException("dropout2d expects an input (N, C, H, W) or (N, C, L), got shape " + Shape.str(x.shape()));
        if (!training || p == 0) return x;
        int channels = x.size(0) * x.size(1);
        return masked(x, drawMask(rng, channels, p), x.numel() / Math.max(1, channels), "dropout2d");
    }

    private static void checkP(double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("dropout probability must be in [0, 1], got " + p);
    }

    /** mask[i] = 0 with probability p, else 1/(1 − p) (p = 1: all zero, as PyTorch). */
    private static double[] drawMask(Rng rng, int count, double p) {
        double keep = p == 1 ? 0 : 1 / (1 - p);
        double[] mask = new double[count];
        for (int i = 0; i < count; i++) mask[i] = rng.nextDouble() < p ? 0 : keep;
        return mask;
    }

    /** x times the mask, each mask entry covering a run of `run` consecutive elements. */
    private static Tensor masked(Tensor x, double[] mask, int run, String name) {
        Tensor out = applyMask(x.contiguous(), mask, run);
        return Node.record(out, name, g -> new Tensor[] {applyMask(g.contiguous(), mask, run)}, x);
    }

    private static Tensor applyMask(Tensor t, double[] mask, int run) {
        Tensor out = Tensor.zeros(t.dtype(), t.shape());
        if (t.isF32()) {
            float[] x = t.data(), o = out.data();
            for (int m = 0, i = 0; m < mask.length; m++) {
                float k = (float) mask[m];
                for (int end = i + run; i < end; i++) o[i] = x[i] * k;
            }
        } else {
            double[] x = t.dataF64(), o = out.dataF64();
            for (int m = 0, i = 0; m < mask.length; m++)
                for (int end = i + run; i < end; i++) o[i] = x[i] * mask[m];
        }
        return out;
    }
}
