package convlab.cli;

import com.google.gson.GsonBuilder;
import convlab.autograd.GradMode;
import convlab.kernels.FmaPeak;
import convlab.kernels.MachineInfo;
import convlab.kernels.Parallel;
import convlab.nn.Module;
import convlab.tensor.DType;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code convlab bench latency}: single-image inference latency of a named model (batch 1, eval mode, no
 * autograd), median and 99th percentile over many calls, next to the machine line. bench/compare.py runs it
 * beside the same measurement in PyTorch (bench/torch_train.py --latency).
 */
@Command(name = "latency", mixinStandardHelpOptions = true,
        description = {"Time single-image inference (batch 1) of a model: median and p99 microseconds per image.",
                "The model has random weights (the work is the same as trained); --warmup calls, and calls for at least "
                        + "--warmup-seconds, are run first and not timed (steady state: the JIT compiles the kernels' batch-1 "
                        + "shapes over the first ~10,000 calls)."})
public final class BenchLatencyCommand implements Runnable {
    @Option(names = "--model", defaultValue = "course-cnn", description = "A named model or a spec (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--iters", defaultValue = "2000", description = "Timed calls (default: ${DEFAULT-VALUE}).")
    int iters;

    @Option(names = "--warmup", defaultValue = "2000", description = "Untimed calls first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--warmup-seconds", defaultValue = "2", description = "Untimed calls also go on for at least this long (default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--threads", defaultValue = "1", description = "Threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--json", description = "Print one JSON object instead of a line.")
    boolean json;

    @Override
    public void run() {
        if (iters < 1 || iters > 10_000_000) throw new IllegalArgumentException("--iters must be between 1 and 10000000, got " + iters);
        if (warmup < 0 || warmup > 10_000_000) throw new IllegalArgumentException("--warmup must be between 0 and 10000000, got " + warmup);
        if (!(warmupSeconds >= 0 && warmupSeconds <= 3600)) throw new IllegalArgumentException("--warmup-seconds must be between 0 and 3600, got " + warmupSeconds);
        if (threads < 1 || threads > 1024) throw new IllegalArgumentException("--threads must be between 1 and 1024, got " + threads);
        Parallel.setThreads(threads);
        Module net = Models.build(model, 1, 28, 28, 10, new Rng(1));
        net.eval();
        Tensor x = Tensor.uniform(new Rng(2), 0, 1, DType.F32, 1, 1, 28, 28);
        double[] micros = new double[iters];
        int untimed = 0;
        float sink = 0;
        try (var scope = GradMode.noGrad()) {
            long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
            for (; untimed < warmup || System.nanoTime() < warmEnd; untimed++) sink += net.forward(x).data()[0];
            for (int i = 0; i < iters; i++) {
                long t0 = System.nanoTime();
                sink += net.forward(x).data()[0];
                micros[i] = (System.nanoTime() - t0) / 1e3;
            }
        }
        if (sink == 42.4242f) System.out.print("");
        Arrays.sort(micros);
        double median = micros[iters / 2], p99 = micros[Math.min(iters - 1, (int) Math.ceil(iters * 0.99) - 1)];
        double peak = FmaPeak.perThread();
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("model", Models.specOf(model));
            out.put("threads", threads);
            out.put("iters", iters);
            out.put("warmup", untimed);
            out.put("median_us", median);
            out.put("p99_us", p99);
            out.put("machine", MachineInfo.describe(peak));
            System.out.println(new GsonBuilder().setPrettyPrinting().create().toJson(out));
        } else {
            System.out.println(MachineInfo.line(peak));
            System.out.printf(Locale.ROOT, "%s, batch 1, %d thread(s): median %.1f us, p99 %.1f us (%d calls after %d untimed)%n",
                    model, threads, median, p99, iters, untimed);
        }
    }
}
