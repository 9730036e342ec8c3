package convlab.bench;

import convlab.kernels.Gemm;
import convlab.kernels.Parallel;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Random;

/**
 * Calling-thread CPU time of {@code Gemm.sgemm} on given shapes, one thread: GFLOP per CPU-second, the steady
 * number on a shared machine (wall-clock rates there measure the share of the CPU the process got). Shapes are
 * {@code OP:MxNxK[:BETA]} with OP one of nn, nt, tn, tt (e.g. the MLP's layers: {@code nt:64x256x784}
 * forward, {@code tn:256x784x64} weight gradient). Run after {@code mvn -q -o package -pl bench-jmh -am}:
 * <pre>java --add-modules jdk.incubator.vector -cp "bench-jmh/target/convlab-bench-jmh.jar:bench-jmh/target/lib/*" convlab.bench.GemmShapeBench [--reps N] SHAPE...</pre>
 */
public final class GemmShapeBench {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        int reps = 9;
        int first = 0;
        if (args.length > 1 && args[0].equals("--reps")) { reps = Integer.parseInt(args[1]); first = 2; }
        Parallel.setThreads(1);
        for (int i = first; i < args.length; i++) run(args[i], reps);
    }

    private static void run(String spec, int reps) {
        String[] parts = spec.split(":");
        boolean ta = parts[0].charAt(0) == 't', tb = parts[0].charAt(1) == 't';
        String[] d = parts[1].split("x");
        int m = Integer.parseInt(d[0]), n = Integer.parseInt(d[1]), k = Integer.parseInt(d[2]);
        float beta = parts.length > 2 ? Float.parseFloat(parts[2]) : 0f;
        Random r = new Random(1);
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
        int lda = ta ? m : k, ldb = tb ? k : n;
        double flops = 2.0 * m * n * k;
        // Enough calls per timing that one lasts about 20 ms of work at 100 GF/s.
        int calls = (int) Math.max(1, Math.min(100_000, 2e9 / flops));
        double[] rate = new double[reps];
        for (int w = 0; w < 3 + reps; w++) {
            long c0 = CPU.getCurrentThreadCpuTime();
            for (int q = 0; q < calls; q++) Gemm.sgemm(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, beta, c, 0, n);
            long c1 = CPU.getCurrentThreadCpuTime();
            if (w >= 3) rate[w - 3] = flops * calls / (c1 - c0);
        }
        Arrays.sort(rate);
        System.out.printf("%-22s GF/CPU-s median %6.1f  best %6.1f  (%d calls x %d)%n", spec, rate[reps / 2], rate[reps - 1], calls, reps);
    }
}
