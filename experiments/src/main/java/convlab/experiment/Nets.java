package convlab.experiment;

import convlab.geometry.PaddingMode;
import convlab.nn.Conv2d;
import convlab.nn.Flatten;
import convlab.nn.GlobalAvgPool2d;
import convlab.nn.Linear;
import convlab.nn.MaxPool2d;
import convlab.nn.Module;
import convlab.nn.ReLU;
import convlab.nn.Sequential;
import convlab.nn.functional.ConvOptions;
import convlab.spec.FeatureShape;
import convlab.spec.ModelBuilder;
import convlab.spec.Spec;
import convlab.tensor.Rng;

/** The networks the experiments compare. */
final class Nets {
    private Nets() {}

    enum GlobalPool { MAX, AVG }

    /**
     * A one-layer CNN: CONV(k, "same" padding) → ReLU → global max or average pool → FC. Translation
     * invariant up to border effects (exactly, with circular padding and average pooling).
     */
    static Sequential smallCnn(int imageSize, int channels, int kernel, PaddingMode padding, GlobalPool pool, int classes, Rng rng) {
        if (kernel % 2 == 0) throw new IllegalArgumentException("smallCnn needs an odd kernel for 'same' padding, got " + kernel);
        Conv2d conv = new Conv2d(1, channels, kernel, ConvOptions.DEFAULT.padding(kernel / 2).paddingMode(padding), true, rng);
        Module p = pool == GlobalPool.MAX ? new MaxPool2d(imageSize) : new GlobalAvgPool2d();
        return new Sequential(conv, new ReLU(), p, new Flatten(), new Linear(channels, classes, rng));
    }

    /** A one-hidden-layer MLP: FLATTEN → FC-hidden → ReLU → FC-classes. */
    static Sequential mlp(int inputs, int hidden, int classes, Rng rng) {
        return new Sequential(new Flatten(), new Linear(inputs, hidden, rng), new ReLU(), new Linear(hidden, classes, rng));
    }

    /** The course's CNN (problem 4e), as convlab train --model course-cnn builds it (a ReLU implied after each CONV). */
    static final String COURSE_CNN = "CONV3-10 POOL2 CONV3-10 POOL2 FLATTEN FC-";

    /** The course CNN for 1×28×28 inputs: CONV3-10 → ReLU → POOL2 → CONV3-10 → ReLU → POOL2 → FLATTEN → FC-classes. */
    static Sequential courseCnn(int classes, Rng rng) {
        return ModelBuilder.build(Spec.parse(COURSE_CNN + classes), FeatureShape.image(28, 28, 1), rng);
    }

    /** The data of the Fashion-MNIST studies: the embedded sample for a quick run, else the full set (Debian package or sample). */
    static convlab.data.FashionMnist fashionMnist(boolean quick) {
        try {
            return quick ? convlab.data.FashionMnist.loadSample() : convlab.data.FashionMnist.load(null);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read Fashion-MNIST: " + e.getMessage(), e);
        }
    }

    /** The first convolution of a Sequential built here. */
    static Conv2d firstConv(Sequential net) { return (Conv2d) net.layers().get(0); }

    /** The last Linear layer of a Sequential built here. */
    static Linear head(Sequential net) { return (Linear) net.layers().getLast(); }
}
