package convlab.bench;

import convlab.kernels.Parallel;
import convlab.nn.Module;
import convlab.nn.Sequential;
import convlab.nn.functional.F;
import convlab.optim.SGD;
import convlab.spec.ModelBuilder;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * Steady-state time of one SGD training step (batch 64, 28×28×1 inputs, random data) after a JIT warm-up:
 * per-layer forward, the whole backward, the optimizer step; best of rounds, wall and calling-thread CPU time.
 * The CPU time is the steadier number on a shared machine (meaningful with 1 thread). Run after
 * {@code mvn -q -o package -pl bench-jmh -am}:
 * <pre>java --add-modules jdk.incubator.vector -cp "bench-jmh/target/convlab-bench-jmh.jar:bench-jmh/target/lib/*" convlab.bench.TrainStepBench "SPEC" [threads] [rounds]</pre>
 */
public final class TrainStepBench {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        String spec = args.length > 0 ? args[0] : "CONV3-10 POOL2 CONV3-10 POOL2 FLATTEN FC-10";
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int stepsPerRound = args.length > 3 ? Integer.parseInt(args[3]) : 50;
        Parallel.setThreads(threads);
        Sequential model = ModelBuilder.build(spec, "28x28x1", 1);
        SGD opt = new SGD(model.parameters(), 0.05, 0.9, 0);
        Rng rng = new Rng(2);
        Tensor x = Tensor.uniform(rng, 0, 1, convlab.tensor.DType.F32, 64, 1, 28, 28);
        int[] labels = new int[64];
        for (int i = 0; i < 64; i++) labels[i] = i % 10;
        int L = model.layers().size();
        double[][] fwd = new double[rounds][L];
        double[] bwd = new double[rounds], step = new double[rounds], wall = new double[rounds], cpu = new double[rounds];
        for (int r = -3; r < rounds; r++) {   // 3 untimed rounds: C2 compiles the kernels
            double[] f = new double[L];
            double b = 0, s = 0;
            long w0 = System.nanoTime(), c0 = CPU.getCurrentThreadCpuTime();
            for (int k = 0; k < stepsPerRound; k++) {
                Tensor h = x;
                for (int i = 0; i < L; i++) {
                    long t = System.nanoTime();
                    h = model.layers().get(i).forward(h);
                    f[i] += System.nanoTime() - t;
                }
                long t = System.nanoTime();
                Tensor loss = F.crossEntropy(h, labels);
                opt.zeroGrad();
                loss.backward();
                long t2 = System.nanoTime();
                opt.step();
                b += t2 - t;
                s += System.nanoTime() - t2;
            }
            if (r < 0) continue;
            for (int i = 0; i < L; i++) fwd[r][i] = f[i] / stepsPerRound / 1e6;
            bwd[r] = b / stepsPerRound / 1e6;
            step[r] = s / stepsPerRound / 1e6;
            wall[r] = (System.nanoTime() - w0) / (double) stepsPerRound / 1e6;
            cpu[r] = (CPU.getCurrentThreadCpuTime() - c0) / (double) stepsPerRound / 1e6;
        }
        int best = 0;
        for (int r = 1; r < rounds; r++) if (wall[r] < wall[best]) best = r;
        System.out.printf("%s, threads %d, batch 64; best round of %d x %d steps (ms per step)%n", spec, threads, rounds, stepsPerRound);
        for (int i = 0; i < L; i++) System.out.printf("  fwd %-40s %7.3f%n", model.layers().get(i), fwd[best][i]);
        System.out.printf("  loss+backward %7.3f   optimizer %7.3f%n", bwd[best], step[best]);
        System.out.printf("  step: wall %7.3f (%.0f img/s)   cpu of this thread %7.3f (min %7.3f)%n",
                wall[best], 64e3 / wall[best], cpu[best], Arrays.stream(cpu).min().orElseThrow());
    }
}
