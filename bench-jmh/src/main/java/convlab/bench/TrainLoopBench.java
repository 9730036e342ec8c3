package convlab.bench;

import convlab.data.Batch;
import convlab.data.DataLoader;
import convlab.data.FashionMnist;
import convlab.kernels.FiniteCheck;
import convlab.kernels.Parallel;
import convlab.nn.Parameter;
import convlab.nn.Sequential;
import convlab.optim.SGD;
import convlab.spec.ModelBuilder;
import convlab.tensor.StepArena;
import convlab.tensor.Tensor;
import convlab.train.LoaderBatches;
import convlab.train.Loss;
import convlab.train.Metric;

import java.util.Iterator;

/**
 * Where a training step's time goes in the real loop: the phases of {@link convlab.train.Trainer}'s step (the next
 * shuffled batch from the data loader, the forward per layer, the loss, the backward, the gradient check, the
 * optimizer step, the metric) timed one by one over whole epochs of Fashion-MNIST, with the trainer's step arena and
 * reused batch buffers. Unlike {@link TrainStepBench}, which repeats one batch, every step reads a new batch that
 * the loader has just written, as training does: on two cores that is where a thread meets data the other core
 * wrote. Wall-clock microseconds per step, one line per epoch (the first ones include the JIT compiling the kernels).
 * Run after {@code mvn -q -o package -pl bench-jmh -am}:
 * <pre>java --add-modules jdk.incubator.vector -XX:+UseSerialGC -Xmn96m -cp "bench-jmh/target/convlab-bench-jmh.jar:bench-jmh/target/lib/*" convlab.bench.TrainLoopBench "SPEC" [threads] [epochs]</pre>
 * SPEC defaults to the course's MLP, {@code FLATTEN FC-256 RELU FC-10}; the data is the Debian package's or the
 * embedded sample.
 */
public final class TrainLoopBench {
    private static final String[] PHASES = {"data", "forward", "loss", "backward", "grad check", "optimizer", "metric"};

    public static void main(String[] args) throws Exception {
        String spec = args.length > 0 ? args[0] : "FLATTEN FC-256 RELU FC-10";
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 6;
        Parallel.setThreads(threads);
        FashionMnist fm = FashionMnist.load(null);
        Sequential model = ModelBuilder.build(spec, "28x28x1", 1);
        SGD opt = new SGD(model.parameters(), 0.01, 0.9, 0);
        LoaderBatches batches = new LoaderBatches(new DataLoader(fm.train(), 64, true, false, 1, true));
        int layers = model.layers().size();
        System.out.printf("%s, %d threads, batch 64, %s: microseconds per step, wall clock%n", spec, threads, fm.source());
        try (StepArena arena = new StepArena()) {
            for (int epoch = 0; epoch < epochs; epoch++) {
                long[] phase = new long[PHASES.length], layer = new long[layers];
                int steps = 0;
                long start = System.nanoTime();
                for (Iterator<Batch> it = batches.epoch(epoch); it.hasNext(); steps++) {
                    long t0 = System.nanoTime();
                    Batch b = it.next();
                    arena.begin();
                    long t1 = System.nanoTime();
                    Tensor h = b.inputs();
                    for (int i = 0; i < layers; i++) {
                        long s = System.nanoTime();
                        h = model.layers().get(i).forward(h);
                        layer[i] += System.nanoTime() - s;
                    }
                    long t2 = System.nanoTime();
                    Tensor loss = Loss.CROSS_ENTROPY.compute(h, b);
                    loss.item();
                    opt.releaseGrads();
                    long t3 = System.nanoTime();
                    loss.backward();
                    arena.pause();
                    long t4 = System.nanoTime();
                    boolean finite = true;
                    for (Parameter p : model.parameters()) finite &= FiniteCheck.allFinite(p.grad().data(), 0, p.grad().numel());
                    long t5 = System.nanoTime();
                    if (finite) opt.step();
                    long t6 = System.nanoTime();
                    Metric.ACCURACY.count(h, b);
                    long t7 = System.nanoTime();
                    long[] at = {t0, t1, t2, t3, t4, t5, t6, t7};
                    for (int p = 0; p < PHASES.length; p++) phase[p] += at[p + 1] - at[p];
                }
                double perStep = (System.nanoTime() - start) / 1e3 / steps;
                StringBuilder line = new StringBuilder(String.format("epoch %d: %.0f µs/step (%,.0f img/s):", epoch + 1, perStep, 64e6 / perStep));
                for (int p = 0; p < PHASES.length; p++) line.append(String.format(" %s %.1f", PHASES[p], phase[p] / 1e3 / steps));
                line.append(" | forward by layer:");
                for (int i = 0; i < layers; i++) line.append(String.format(" %s %.1f", model.layers().get(i), layer[i] / 1e3 / steps));
                System.out.println(line);
            }
        }
        System.exit(0);
    }
}
