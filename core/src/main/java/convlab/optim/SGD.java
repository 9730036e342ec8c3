package convlab.optim;

import convlab.nn.Parameter;

import java.util.List;

/**
 * Stochastic gradient descent with PyTorch's exact update rule (torch.optim.SGD):
 * <pre>
 *   g = grad + weightDecay·θ
 *   b = momentum·b + (1 − dampening)·g     (b = g on the first step)
 *   g = nesterov ? g + momentum·b : b       (when momentum ≠ 0)
 *   θ = θ − lr·g
 * </pre>
 */
public class SGD extends Optimizer {
    private final double momentum, dampening, weightDecay;
    private final boolean nesterov;
    private final float[][] buf;

    public SGD(List<Parameter> params, double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        super(params, lr);
        if (momentum < 0) throw new IllegalArgumentException("momentum must be >= 0, got " + momentum);
        if (weightDecay < 0) throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new IllegalArgumentException("Nesterov momentum requires momentum > 0 and dampening = 0");
        this.momentum = momentum;
        this.dampening = dampening;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
        this.buf = new float[this.params.size()][];
    }

    public SGD(List<Parameter> params, double lr, double momentum, double weightDecay) {
        this(params, lr, momentum, 0, weightDecay, false);
    }

    @Override
    public void step() {
        float lrF = (float) lr, mom = (float) momentum, damp = (float) (1 - dampening), wd = (float) weightDecay;
        for (int pi = 0; pi < params.size(); pi++) {
            Parameter p = params.get(pi);
            float[] g = gradOf(p);
            if (g == null) continue;
            float[] w = p.data();
            if (momentum == 0) {
                for (int i = 0; i < w.length; i++) w[i] -= lrF * (g[i] + wd * w[i]);
                continue;
            }
            float[] b = buf[pi];
            boolean first = b == null;
            if (first) b = buf[pi] = new float[w.length];
            for (int i = 0; i < w.length; i++) {
                float gi = g[i] + wd * w[i];
                float bi = first ? gi : mom * b[i] + damp * gi;
                b[i] = bi;
                w[i] -= lrF * (nesterov ? gi + mom * bi : bi);
            }
        }
    }

    /** Momentum buffers (null entries before the first step), for checkpoints. */
    public float[][] momentumBuffers() { return buf; }
}
