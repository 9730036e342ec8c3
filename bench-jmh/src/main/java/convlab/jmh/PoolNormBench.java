package convlab.jmh;

import convlab.kernels.Parallel;
import convlab.nn.BatchNorm2d;
import convlab.nn.MaxPool2d;
import convlab.nn.Module;
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
 * The memory-bound layers of the wide-bn CNN at batch 64, through the public module API, reported in GB/s:
 * 2×2 max pooling and training-mode batch norm with its fused ReLU (as the model builder makes
 * {@code BN RELU}). Forward records the backward as in training; backward replays the recorded rule.
 *
 * <p>Bytes per operation (each tensor read or written once; float32 and int32 are 4 bytes, N = input elements):
 * max pool forward reads x and writes y and the argmax indices (N + N/4 + N/4), backward reads dy and the
 * indices and writes dx (the same 1.5·N); batch norm forward reads x and writes y (2·N), backward reads dy,
 * y (the ReLU mask) and x and writes dx (4·N).
 */
@State(Scope.Benchmark)
public class PoolNormBench extends KernelBenchmark {
    public enum Layer { MAXPOOL2, BATCHNORM_RELU }

    @Param public Layer layer;
    /** N×C×H×W: the activations before the two pooling layers of wide-bn (and of its two BN widths). */
    @Param({"64x32x28x28", "64x64x14x14"}) public String shape;
    @Param({"1"}) public int threads;

    private Module module;
    private Tensor x, gy, y;

    @Setup(Level.Trial) public void setUp() {
        Parallel.setThreads(threads);
        int[] s = dims(shape);
        module = layer == Layer.MAXPOOL2 ? new MaxPool2d(2) : new BatchNorm2d(s[1]).enableFusedRelu();
        Rng rng = new Rng(SEED);
        x = Tensor.randn(rng, s).requiresGrad(true);
        gy = Tensor.randn(rng, module.outputShape(s));
    }

    @Setup(Level.Iteration) public void recordForward() { y = module.forward(x); }

    @Benchmark
    public Tensor forward() { return module.forward(x); }

    @Benchmark
    public Tensor[] backward() { return y.gradFn().backward().apply(gy); }

    public static String shape(String method, Map<String, String> params) {
        return (Layer.valueOf(params.get("layer")) == Layer.MAXPOOL2 ? "MaxPool2d(2) " : "BatchNorm2d+ReLU ") + params.get("shape");
    }

    public static Work work(String method, Map<String, String> params) {
        double n = 1;
        for (int d : dims(params.get("shape"))) n *= d;
        boolean pool = Layer.valueOf(params.get("layer")) == Layer.MAXPOOL2;
        if (!method.equals("forward") && !method.equals("backward"))
            throw new IllegalArgumentException("PoolNormBench has no benchmark '" + method + "'");
        double elements = pool ? 1.5 * n : method.equals("forward") ? 2 * n : 4 * n;
        return Work.bytes(4 * elements);
    }

    static int[] dims(String shape) {
        String[] p = shape.split("x");
        int[] d = new int[p.length];
        for (int i = 0; i < p.length; i++) d[i] = Integer.parseInt(p[i]);
        return d;
    }
}
