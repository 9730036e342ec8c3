package convlab.examples;

import convlab.autograd.GradCheck;
import convlab.autograd.GradMode;
import convlab.autograd.Node;
import convlab.data.DataLoader;
import convlab.data.FashionMnist;
import convlab.nn.Flatten;
import convlab.nn.Linear;
import convlab.nn.Module;
import convlab.nn.Parameter;
import convlab.nn.Sequential;
import convlab.optim.SGD;
import convlab.tensor.DType;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;
import convlab.train.EpochStats;
import convlab.train.LoaderBatches;
import convlab.train.Trainer;

import java.io.IOException;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A layer of your own with its own forward and backward: Swish with a learned slope,
 * y = x · σ(βx), one β for the whole layer (Ramachandran et al., 2017).
 *
 * <p>The pattern: compute the output without autograd, then {@link Node#record} the rule that turns
 * dL/dy into dL/dx and dL/dβ. The rule is checked against finite differences in float64 with
 * {@link GradCheck} before the layer is trusted in training.
 */
public final class CustomLayer {
    private CustomLayer() {}

    /** The layer: a {@link Module} that registers its parameter and calls the op below. */
    public static final class Swish extends Module {
        private final Parameter beta = registerParameter("beta", Tensor.full(1.0, DType.F32, 1));

        @Override public Tensor forward(Tensor x) { return swish(x, beta); }

        @Override public String toString() { return String.format("Swish(beta=%.3f)", beta.getFlat(0)); }
    }

    /** The op, x of any shape and beta of shape [1]: forward values, then the backward rule. */
    public static Tensor swish(Tensor x, Tensor beta) {
        Tensor s, y;
        try (var off = GradMode.noGrad()) {        // the forward is not recorded op by op ...
            s = x.mul(beta).sigmoid();             // σ(βx)
            y = x.mul(s);
        }
        // ... but as one node whose backward is written here (backward runs without autograd too):
        //   dy/dx = σ + βx·σ(1−σ),   dy/dβ = x²·σ(1−σ), summed over every element for the one β.
        return Node.record(y, "swish", g -> {
            Tensor ds = s.mul(s.neg().add(1));    // σ(1−σ)
            Tensor gx = g.mul(s.add(x.mul(beta).mul(ds)));
            Tensor gBeta = g.mul(x.mul(x).mul(ds)).sum().reshape(1);
            return new Tensor[] {gx, gBeta};
        }, x, beta);
    }

    public static void main(String[] args) throws IOException {
        // 1. Check the backward rule: autograd against central differences, every input element, float64.
        Rng rng = new Rng(1);
        Tensor x = Tensor.randn(rng, 2.0, DType.F64, 3, 5);
        Tensor beta = Tensor.of(new double[] {0.7}, 1);
        GradCheck.Result check = GradCheck.check(in -> swish(in[0], in[1]), x, beta);
        System.out.printf("gradient check: largest relative error %.2e (%s)%n", check.maxError(),
                check.passed(1e-6) ? "passed" : "FAILED at " + check.where());
        if (!check.passed(1e-6)) throw new AssertionError("the swish backward is wrong: " + check.where());

        // 2. Use it like any built-in layer: an MLP with Swish, one epoch on 2000 images of the embedded sample.
        FashionMnist data = FashionMnist.loadSample();
        Swish act = new Swish();
        Sequential net = new Sequential(new Flatten(), new Linear(784, 64, rng), act, new Linear(64, 10, rng));
        DataLoader loader = DataLoader.builder(data.train().subset(IntStream.range(0, 2000).toArray(), "first 2000"))
                .batch(50).shuffle(true).seed(3).build();
        Trainer trainer = new Trainer(net, new SGD(net.parameters(), 0.1, 0.9, 0), null);
        List<EpochStats> h = trainer.fit(new LoaderBatches(loader), LoaderBatches.inOrder(data.test(), 500), 1, 10);
        System.out.printf("MLP with %s: test accuracy %.1f%% after one epoch%n", act, 100 * h.getLast().testAccuracy());
    }
}
