package convlab.jmh;

import convlab.kernels.Parallel;
import convlab.nn.Conv2d;
import convlab.nn.functional.ConvOptions;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.Map;

/**
 * A {@link Conv2d} layer of the CNNs ({@link CnnLayer}), batch 64, as the model builder makes it, through the
 * public module API: {@link #forward} is the layer's forward (recording its backward, as in training);
 * {@link #backward} runs the recorded backward rule once (input gradient where the network needs it,
 * weight and bias gradients), what a training step pays, without the accumulation into leaf gradients.
 */
@State(Scope.Benchmark)
public class ConvBench extends KernelBenchmark {
    @Param public CnnLayer layer;
    @Param({"1"}) public int threads;

    private Conv2d conv;
    private Tensor x, gy, y;

    @Setup(Level.Trial) public void setUp() {
        Parallel.setThreads(threads);
        Rng rng = new Rng(SEED);
        conv = new Conv2d(layer.inC, layer.outC, CnnLayer.KERNEL, ConvOptions.DEFAULT.padding(1), true, rng);
        if (layer.fusedRelu) conv.enableFusedRelu();
        x = Tensor.randn(rng, CnnLayer.BATCH, layer.inC, layer.size, layer.size).requiresGrad(layer.inputGrad);
        gy = Tensor.randn(rng, CnnLayer.BATCH, layer.outC, layer.size, layer.size);
    }

    /** A fresh forward whose recorded backward {@link #backward} replays (the rule does not consume its inputs). */
    @Setup(Level.Iteration) public void recordForward() { y = conv.forward(x); }

    @Benchmark
    public Tensor forward() { return conv.forward(x); }

    @Benchmark
    public Tensor[] backward() { return y.gradFn().backward().apply(gy); }

    public static String shape(String method, Map<String, String> params) {
        CnnLayer l = CnnLayer.valueOf(params.get("layer"));
        return l.label + (l.fusedRelu ? " +ReLU" : "");
    }

    public static Work work(String method, Map<String, String> params) {
        CnnLayer l = CnnLayer.valueOf(params.get("layer"));
        return switch (method) {
            case "forward" -> Work.flops(l.forwardFlops());
            case "backward" -> Work.flops(l.backwardFlops());
            default -> throw new IllegalArgumentException("ConvBench has no benchmark '" + method + "'");
        };
    }
}
