package convlab.bench;

import convlab.kernels.Parallel;
import convlab.nn.Conv2d;
import convlab.nn.functional.ConvOptions;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;

/**
 * Forward + backward time of the convolution layers of the two training workloads, batch 64 (no JMH:
 * warm-up, then the best of timed repetitions: on a shared machine the minimum is the stable statistic). Run after {@code mvn -q -o package -pl bench-jmh -am}:
 * <pre>java --add-modules jdk.incubator.vector -cp "bench-jmh/target/convlab-bench-jmh.jar:bench-jmh/target/lib/*" convlab.bench.ConvLayerBench [threads] [reps]</pre>
 * Each layer: 3×3, padding 1, bias, fused ReLU; the first layer of a network needs no input gradient.
 */
public final class ConvLayerBench {
    /** name, inC, outC, size, needs input gradient. */
    private static final Object[][] LAYERS = {
            {"course conv1 1->10 28x28", 1, 10, 28, false},
            {"course conv2 10->10 14x14", 10, 10, 14, true},
            {"wide conv1 1->32 28x28", 1, 32, 28, false},
            {"wide conv2 32->32 28x28", 32, 32, 28, true},
            {"wide conv3 32->64 14x14", 32, 64, 14, true},
            {"wide conv4 64->64 14x14", 64, 64, 14, true},
    };

    /** On a loaded machine the calling thread's CPU time is the steadier number (meaningful with 1 thread). */
    private static final java.lang.management.ThreadMXBean THREAD_CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    /** Untimed rounds first: the Vector API kernels are slow until C2 has compiled them. */
    private static final int WARMUP = 30;

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : Parallel.threads();
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Parallel.setThreads(threads);
        System.out.printf("threads %d, batch 64, best of %d (ms): forward / backward / total, GFLOP/s; then forward / backward in CPU time of this thread, GFLOP/s per CPU-second%n", threads, reps);
        for (Object[] l : LAYERS) {
            int inC = (Integer) l[1], outC = (Integer) l[2], size = (Integer) l[3];
            boolean inputGrad = (Boolean) l[4];
            Rng rng = new Rng(1);
            Conv2d conv = new Conv2d(inC, outC, 3, ConvOptions.DEFAULT.padding(1), true, rng).enableFusedRelu();
            Tensor x = Tensor.randn(rng, 64, inC, size, size).requiresGrad(inputGrad);
            Tensor gy = Tensor.randn(rng, 64, outC, size, size);
            double[] fwd = new double[reps], bwd = new double[reps], cpuFwd = new double[reps], cpuBwd = new double[reps];
            for (int r = -WARMUP; r < reps; r++) {
                long c0 = THREAD_CPU.getCurrentThreadCpuTime(), t0 = System.nanoTime();
                Tensor y = conv.forward(x);
                long t1 = System.nanoTime(), c1 = THREAD_CPU.getCurrentThreadCpuTime();
                y.backward(gy);
                long t2 = System.nanoTime(), c2 = THREAD_CPU.getCurrentThreadCpuTime();
                conv.zeroGrad();
                x.zeroGrad();
                if (r >= 0) { fwd[r] = (t1 - t0) / 1e6; bwd[r] = (t2 - t1) / 1e6; cpuFwd[r] = (c1 - c0) / 1e6; cpuBwd[r] = (c2 - c1) / 1e6; }
            }
            double f = best(fwd), b = best(bwd);
            double flops = 2.0 * 64 * outC * size * size * inC * 9 * (inputGrad ? 3 : 2);
            double cf = best(cpuFwd), cb = best(cpuBwd);
            System.out.printf("%-28s %7.2f / %7.2f / %7.2f   %5.1f   cpu %7.2f / %7.2f   %5.1f%n", l[0], f, b, f + b,
                    flops / ((f + b) * 1e6), cf, cb, flops / ((cf + cb) * 1e6));
        }
    }

    private static double best(double[] a) {
        return java.util.Arrays.stream(a).min().orElseThrow();
    }
}
