package convlab.jmh;

import convlab.kernels.FmaPeak;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.Map;
import java.util.Random;

/**
 * This machine's ceilings, for the "fraction of peak" column: one core's float32 FMA throughput with the
 * Vector API, and one core's streaming rate through an array the size of the batch-norm inputs.
 *
 * <p>{@link #fma}: twelve independent accumulator chains (acc = x·y + acc, the form a GEMM kernel uses)
 * cover FMA latency × FMA ports on current x86 cores, with no memory traffic: no SGEMM can go faster. The
 * same loop as the CLI's {@code convlab bench gemm} peak.
 * <p>{@link #stream}: y = a·x + b over n floats, 8 bytes per element (read x, write y): the access pattern
 * of the batch-norm and pooling kernels, which read an activation once and write one.
 */
public class PeakBench extends KernelBenchmark {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Vector FMA rounds per operation: 12 chains × 65536 ≈ 0.1 ms at 100 GFLOP/s with 8 lanes. */
    private static final int ROUNDS = 1 << 16, CHAINS = FmaPeak.CHAINS;

    @Benchmark
    public float fma() { return FmaPeak.spin(ROUNDS); }

    @State(Scope.Thread)
    public static class Arrays {
        /** Floats per array: a 64×32×28×28 and a 64×64×14×14 activation (BatchNormBench, MaxPoolBench). */
        @Param({"1605632", "802816"})
        public int n;
        float[] x, y;

        @Setup public void setUp() {
            Random r = new Random(SEED);
            x = new float[n];
            y = new float[n];
            for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        }
    }

    @Benchmark
    public float[] stream(Arrays s) {
        float[] x = s.x, y = s.y;
        FloatVector a = FloatVector.broadcast(S, 1.5f), b = FloatVector.broadcast(S, -0.25f);
        int i = 0;
        for (int bound = S.loopBound(x.length); i < bound; i += S.length()) FloatVector.fromArray(S, x, i).fma(a, b).intoArray(y, i);
        for (; i < x.length; i++) y[i] = x[i] * 1.5f - 0.25f;
        return y;
    }

    public static String shape(String method, Map<String, String> params) {
        return method.equals("fma") ? CHAINS + " chains × " + S.length() + " lanes" : "y = a·x + b, " + params.get("n") + " floats";
    }

    public static Work work(String method, Map<String, String> params) {
        return switch (method) {
            case "fma" -> Work.flops(2.0 * ROUNDS * CHAINS * S.length());
            case "stream" -> Work.bytes(8.0 * Integer.parseInt(params.get("n")));
            default -> throw new IllegalArgumentException("PeakBench has no benchmark '" + method + "'");
        };
    }
}
