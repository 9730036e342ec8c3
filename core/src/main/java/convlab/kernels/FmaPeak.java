package convlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Measures this machine's float32 FMA throughput on one core: a loop of independent vector FMAs with no
 * memory traffic, the ceiling any SGEMM can approach. The vectors are the kernels' own ({@link Vectors}): the widest
 * the CPU has, or the 256 bits {@code -Dconvlab.vector.bits=256} forces on an AVX-512 machine, where this is then the
 * ceiling of the AVX2 path (half the 512-bit one on a core with full-width FMA units). Twelve independent chains cover FMA latency × FMA
 * ports on current x86 cores. Each chain accumulates into the addend (acc = x·y + acc), as a GEMM kernel
 * does: on AMD Zen 3 that form runs about 20% faster than chaining through a multiplicand. Timed in thread CPU time, so other processes sharing the machine lower the
 * measured GEMM rates (wall clock) but not this ceiling.
 */
public final class FmaPeak {
    private FmaPeak() {}

    private static final VectorSpecies<Float> S = Vectors.FLOAT;
    /** Independent FMA chains per round. */
    public static final int CHAINS = 12;

    /** GFLOP/s of one thread on one core: the best of several runs of a few ms each. */
    public static double perThread() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long iters = 1 << 20;
        double best = 0;
        float sink = 0;
        for (int rep = 0; rep < 20; rep++) {
            long t0 = mx.getCurrentThreadCpuTime();
            sink += spin(iters);
            long dt = mx.getCurrentThreadCpuTime() - t0;
            if (dt > 0) best = Math.max(best, flops(iters) / dt);
        }
        if (sink == 42.4242f) System.out.print(""); // keeps the loops' results alive
        return best;
    }

    private static double flops(long iters) { return (double) iters * CHAINS * S.length() * 2; }

    /** iters rounds of CHAINS independent vector FMAs (2·CHAINS·lanes FLOPs each); the result keeps them alive. */
    public static float spin(long iters) {
        FloatVector x = FloatVector.broadcast(S, 0.999999f), y = FloatVector.broadcast(S, 1e-7f);
        FloatVector a0 = FloatVector.broadcast(S, 1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        FloatVector a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (long i = 0; i < iters; i++) {
            a0 = x.fma(y, a0); a1 = x.fma(y, a1); a2 = x.fma(y, a2); a3 = x.fma(y, a3);
            a4 = x.fma(y, a4); a5 = x.fma(y, a5); a6 = x.fma(y, a6); a7 = x.fma(y, a7);
            a8 = x.fma(y, a8); a9 = x.fma(y, a9); a10 = x.fma(y, a10); a11 = x.fma(y, a11);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }
}
