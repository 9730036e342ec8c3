package convlab.jmh;

import convlab.kernels.Gemm;
import convlab.kernels.Parallel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.Map;
import java.util.Random;

/**
 * {@link Gemm#sgemm}, C = A·B row-major: the 1024³ square product on 1 and 2 threads, and the per-image
 * im2col products of the CNN layers (W[outC × 9·inC] · cols[9·inC × H·W], one thread), the shapes the
 * convolution runs when it takes the im2col path.
 */
public class GemmBench extends KernelBenchmark {
    /** Operands of an m×n×k product, filled once per trial. */
    abstract static class Operands {
        float[] a, b, c;
        int m, n, k;

        void allocate(int m, int n, int k, int threads) {
            Parallel.setThreads(threads);
            this.m = m;
            this.n = n;
            this.k = k;
            a = random(m * k, 1);
            b = random(k * n, 2);
            c = new float[m * n];
        }
    }

    @State(Scope.Benchmark)
    public static class Square extends Operands {
        @Param({"1024"}) public int size;
        @Param({"1", "2"}) public int threads;

        @Setup public void setUp() { allocate(size, size, size, threads); }
    }

    @State(Scope.Benchmark)
    public static class Im2col extends Operands {
        @Param public CnnLayer layer;
        @Param({"1"}) public int threads;

        @Setup public void setUp() {
            int[] mnk = layer.im2colGemm();
            allocate(mnk[0], mnk[1], mnk[2], threads);
        }
    }

    @Benchmark
    public float[] square(Square s) { return multiply(s); }

    @Benchmark
    public float[] im2col(Im2col s) { return multiply(s); }

    private static float[] multiply(Operands o) {
        Gemm.sgemm(o.m, o.n, o.k, o.a, o.b, o.c);
        return o.c;
    }

    /** The shape as the report shows it, m×n×k. */
    public static String shape(String method, Map<String, String> params) {
        int[] mnk = mnk(method, params);
        return mnk[0] + "×" + mnk[1] + "×" + mnk[2];
    }

    public static Work work(String method, Map<String, String> params) {
        int[] mnk = mnk(method, params);
        return Work.flops(2.0 * mnk[0] * mnk[1] * mnk[2]);
    }

    private static int[] mnk(String method, Map<String, String> params) {
        return switch (method) {
            case "square" -> { int s = Integer.parseInt(params.get("size")); yield new int[] {s, s, s}; }
            case "im2col" -> CnnLayer.valueOf(params.get("layer")).im2colGemm();
            default -> throw new IllegalArgumentException("GemmBench has no benchmark '" + method + "'");
        };
    }

    static float[] random(int n, long seed) {
        Random r = new Random(SEED * 31 + seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (float) r.nextGaussian();
        return out;
    }
}
