package convlab.jmh;

import convlab.kernels.NewtonSchulz;
import convlab.kernels.NewtonSchulz.Form;
import convlab.kernels.NewtonSchulz.Poly;
import convlab.kernels.Parallel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.Map;

/**
 * One Newton–Schulz step (the course's cubic) in the direct form (A = XXᵀ) and the Gram form (G = XᵀX) at
 * the shapes of {@code convlab newton-schulz} (experiments' NewtonSchulzTiming). FLOPs are the course's cost
 * model of the form that ran ({@link NewtonSchulz#multiplyAddsPerStep}), so the Gram form's speed-up shows
 * in the time column while both rates show how close each runs to the GEMM.
 */
@State(Scope.Benchmark)
public class NewtonSchulzBench extends KernelBenchmark {
    @Param({"4096x256", "4096x512", "1024x1024"}) public String shape;
    @Param public Form form;
    @Param({"1"}) public int threads;

    private float[] g;
    private int rows, cols;

    @Setup public void setUp() {
        Parallel.setThreads(threads);
        int[] d = PoolNormBench.dims(shape);
        rows = d[0];
        cols = d[1];
        g = GemmBench.random(rows * cols, rows * 7L + cols);
    }

    @Benchmark
    public float[] step() { return NewtonSchulz.orthogonalize(g, rows, cols, Poly.CUBIC, 1, form); }

    public static String shape(String method, Map<String, String> params) {
        return params.get("shape") + " " + params.get("form").toLowerCase(java.util.Locale.ROOT);
    }

    public static Work work(String method, Map<String, String> params) {
        int[] d = PoolNormBench.dims(params.get("shape"));
        return Work.flops(2.0 * NewtonSchulz.multiplyAddsPerStep(d[0], d[1], Poly.CUBIC, Form.valueOf(params.get("form"))));
    }
}
