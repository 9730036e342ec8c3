package convlab.experiment;

import convlab.autograd.GradMode;
import convlab.autograd.Node;
import convlab.tensor.Tensor;

import java.util.function.Consumer;

/**
 * An identity op that watches the backward pass: the forward value is a copy of x; in the backward pass it hands
 * the gradient arriving at this point (∂L/∂x) to {@code seen} and passes on {@code scale} times it. With scale 1 it
 * only observes; with another scale it is the separate backward multiplier of unit scaling (course hw4 2(g)).
 */
final class GradientTap {
    private GradientTap() {}

    static Tensor apply(Tensor x, double scale, Consumer<Tensor> seen) {
        Tensor y;
        try (var off = GradMode.noGrad()) {
            y = x.mul(1.0);
        }
        return Node.record(y, "gradient-tap", g -> {
            seen.accept(g);
            return new Tensor[] {g.mul(scale)};
        }, x);
    }

    /** RMS of a tensor's values, ‖v‖₂/√n, in double. */
    static double rms(Tensor t) {
        return rms(t.contiguous().toDoubleArray());
    }

    static double rms(double[] v) {
        double ss = 0;
        for (double e : v) ss += e * e;
        return Math.sqrt(ss / v.length);
    }
}
