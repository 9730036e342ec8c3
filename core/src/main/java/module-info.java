/**
 * convlab's library: tensors with autograd, layers, optimizers, data loading, the training loop, model files,
 * the architecture language and the exact calculators of a deep-learning course. Pure Java; the fast kernels use
 * the Vector API ({@code jdk.incubator.vector}), which this module requires, so on the module path it is resolved
 * without {@code --add-modules} (on the class path that flag is still needed).
 *
 * <p>Every package is exported except {@code convlab.kernels}, the hot loops on plain arrays: they are an
 * implementation detail whose signatures change with each new kernel. The library's own clients (the command
 * line, the experiments, the JMH benchmarks) may use them through qualified exports; the vocabulary the public
 * API shares with them (padding modes, convolution and pooling geometry) lives in the exported
 * {@code convlab.geometry}.
 */
module convlab.core {
    requires transitive com.google.gson;
    requires jdk.incubator.vector;
    requires java.management; // FmaPeak measures thread CPU time

    exports convlab;
    exports convlab.geometry;
    exports convlab.tensor;
    exports convlab.autograd;
    exports convlab.nn;
    exports convlab.nn.functional;
    exports convlab.optim;
    exports convlab.optim.fp8;
    exports convlab.data;
    exports convlab.train;
    exports convlab.io;
    exports convlab.spec;
    exports convlab.explain;
    exports convlab.explain.answer;
    exports convlab.explain.cost;
    exports convlab.sheet;

    exports convlab.kernels to convlab.cli, convlab.experiments, convlab.bench.jmh;
}
