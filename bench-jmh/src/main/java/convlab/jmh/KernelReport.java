package convlab.jmh;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns JMH's JSON results (run with {@link CpuTimeProfiler}) into bench/kernels.md: one row per benchmark
 * with the wall and CPU time per operation, the rate (GFLOP/s or GB/s, from each benchmark class's
 * {@code work(method, params)}) and the fraction of this machine's measured peak ({@link PeakBench}: FMA
 * peak for FLOP rates, the best streaming rate for byte rates), both per CPU-second. Optionally adds the
 * PyTorch times of the convolution layers (tools/pytorch/conv_layer_bench.py --json) and the start-up time. When the
 * run left PeakBench out (a regex for one benchmark class), the FMA peak is --fma-peak, the one {@code convlab bench
 * machine} measured for the machine line (bench/kernels.sh runs it with the forks' JVM flags, so the same vector width).
 * <pre>java -cp ... convlab.jmh.KernelReport --jmh r.json [--torch t.json] [--startup s.txt] [--machine M] [--fma-peak GFLOPS]
 *     [--command C] [--out F]</pre>
 */
public final class KernelReport {
    private KernelReport() {}

    /** One benchmark result: wall and CPU milliseconds per operation, and its work. */
    record Row(String benchmark, String method, Map<String, String> params, String shape, int threads,
               double wallMs, double cpuMs, Work work) {
        double wallRate() { return work.ratePerSecond(wallMs); }
        double cpuRate() { return Double.isNaN(cpuMs) ? Double.NaN : work.ratePerSecond(cpuMs); }
        String name() { return benchmark + "." + method; }
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> opt = options(args);
        if (!opt.containsKey("--jmh")) throw new IllegalArgumentException("KernelReport: --jmh FILE (JMH's -rf json output) is required");
        List<Row> rows = rows(read(opt.get("--jmh")).getAsJsonArray());
        JsonObject torch = opt.containsKey("--torch") ? read(opt.get("--torch")).getAsJsonObject() : null;
        List<String> startup = opt.containsKey("--startup") ? Files.readAllLines(Path.of(opt.get("--startup"))) : null;
        double machinePeak = opt.containsKey("--fma-peak") ? gflops(opt.get("--fma-peak")) : Double.NaN;
        String md = markdown(rows, torch, startup, opt.getOrDefault("--machine", "(not given)"), machinePeak,
                opt.getOrDefault("--command", "(not given)"));
        if (opt.containsKey("--out")) Files.writeString(Path.of(opt.get("--out")), md);
        else System.out.print(md);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opt = new LinkedHashMap<>();
        List<String> known = List.of("--jmh", "--torch", "--startup", "--machine", "--fma-peak", "--command", "--out");
        for (int i = 0; i < args.length; i += 2) {
            if (!known.contains(args[i]) || i + 1 >= args.length)
                throw new IllegalArgumentException("KernelReport: expected one of " + known + " followed by a value, got '" + args[i] + "'");
            opt.put(args[i], args[i + 1]);
        }
        return opt;
    }

    /** A --fma-peak value: a positive, finite number of GFLOP/s. */
    static double gflops(String value) {
        double v;
        try {
            v = Double.parseDouble(value);
        } catch (NumberFormatException e) {
            v = Double.NaN;
        }
        if (!(v > 0) || Double.isInfinite(v))
            throw new IllegalArgumentException("KernelReport: --fma-peak must be a positive number of GFLOP/s, got '" + value + "'");
        return v;
    }

    private static JsonElement read(String file) {
        try {
            return JsonParser.parseString(Files.readString(Path.of(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("KernelReport: cannot read " + file, e);
        }
    }

    /** Table order: the ceilings first, then from the GEMM up to the layers that use it. */
    private static final List<String> ORDER = List.of("PeakBench", "GemmBench", "ConvBench", "PoolNormBench", "NewtonSchulzBench");

    static List<Row> rows(JsonArray results) {
        List<Row> rows = new ArrayList<>();
        for (JsonElement e : results) {
            JsonObject r = e.getAsJsonObject();
            String full = r.get("benchmark").getAsString();
            int dot = full.lastIndexOf('.');
            String cls = full.substring(0, dot), method = full.substring(dot + 1);
            Map<String, String> params = new LinkedHashMap<>();
            if (r.has("params")) r.getAsJsonObject("params").entrySet().forEach(p -> params.put(p.getKey(), p.getValue().getAsString()));
            JsonObject primary = r.getAsJsonObject("primaryMetric");
            requireMs(full, primary);
            JsonObject secondary = r.has("secondaryMetrics") ? r.getAsJsonObject("secondaryMetrics") : new JsonObject();
            double cpu = Double.NaN;
            if (secondary.has(CpuTimeProfiler.LABEL)) {
                JsonObject c = secondary.getAsJsonObject(CpuTimeProfiler.LABEL);
                requireMs(full, c);
                cpu = c.get("score").getAsDouble();
            }
            int threads = Integer.parseInt(params.getOrDefault("threads", "1"));
            rows.add(new Row(cls.substring(cls.lastIndexOf('.') + 1), method, params, (String) call(cls, "shape", method, params),
                    threads, primary.get("score").getAsDouble(), cpu, (Work) call(cls, "work", method, params)));
        }
        rows.sort(java.util.Comparator.comparingInt((Row r) -> ORDER.indexOf(r.benchmark()) < 0 ? ORDER.size() : ORDER.indexOf(r.benchmark())));
        return rows;
    }

    private static void requireMs(String benchmark, JsonObject metric) {
        String unit = metric.get("scoreUnit").getAsString();
        if (!unit.equals("ms/op"))
            throw new IllegalArgumentException("KernelReport: " + benchmark + " is in " + unit + "; run the benchmarks in their own mode and unit (ms/op)");
    }

    /** The benchmark class's static shape(method, params) or work(method, params). */
    private static Object call(String cls, String what, String method, Map<String, String> params) {
        try {
            return Class.forName(cls).getMethod(what, String.class, Map.class).invoke(null, method, params);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("KernelReport: " + cls + "." + what + " failed for " + method + " " + params, e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("KernelReport: " + cls + " has no public static " + what + "(String, Map)", e);
        }
    }

    /** The best per-CPU-second rate of a PeakBench method (NaN when it did not run). */
    static double peak(List<Row> rows, String method) {
        return rows.stream().filter(r -> r.benchmark().equals("PeakBench") && r.method().equals(method))
                .mapToDouble(Row::cpuRate).filter(Double::isFinite).max().orElse(Double.NaN);
    }

    /**
     * The report; machineFmaPeak (GFLOP/s per core, NaN if unknown) stands in for PeakBench's FMA rate when PeakBench
     * did not run, so the fraction of peak is there for a run of one benchmark class too.
     */
    static String markdown(List<Row> rows, JsonObject torch, List<String> startup, String machine, double machineFmaPeak, String command) {
        double benchPeak = peak(rows, "fma"), bytePeak = peak(rows, "stream");
        boolean fromMachine = Double.isNaN(benchPeak) && !Double.isNaN(machineFmaPeak);
        double flopPeak = fromMachine ? machineFmaPeak : benchPeak;
        StringBuilder md = new StringBuilder();
        md.append("# Kernel benchmarks (JMH)\n\n");
        md.append("Date: ").append(LocalDate.now(ZoneOffset.UTC)).append(" (UTC)  \n");
        md.append("Machine: ").append(machine).append("  \n");
        md.append("Command: `").append(command).append("`\n\n");
        md.append(String.format(Locale.ROOT, "Measured peak of one core: float32 FMA %s GFLOP/s (Vector API, 12 independent accumulators%s); "
                + "streaming y = a·x + b %s GB/s (best of the array sizes below).%n%n", fmt(flopPeak, 1),
                fromMachine ? ", measured by `convlab bench machine` for the machine line: PeakBench did not run" : "", fmt(bytePeak, 1)));
        md.append("Time: JMH average per operation, wall clock, and the process's CPU time per operation (all threads, GC and JIT included). "
                + "On a machine shared with other jobs the wall time mostly shows the share of the CPU the benchmark got, "
                + "so rates are also given per CPU-second, and the fraction of peak is the per-CPU-second rate over one core's peak. "
                + "FLOPs count a multiply-add as 2 (bias and ReLU not counted); bytes are the least traffic (each tensor read or written once).\n\n");
        md.append("| benchmark | shape | threads | time ms | CPU ms | rate | rate per CPU-s | fraction of peak |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            double peak = r.work().unit() == Work.Unit.FLOP ? flopPeak : bytePeak;
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s %s | %s | %s |%n", r.name(), r.shape(), r.threads(),
                    ms(r.wallMs()), ms(r.cpuMs()), fmt(r.wallRate(), 1), r.work().unit().rateLabel, fmt(r.cpuRate(), 1),
                    fmt(r.cpuRate() / peak, 2)));
        }
        if (torch != null) md.append(torchTable(rows, torch));
        if (startup != null) md.append(startupSection(startup));
        return md.toString();
    }

    /** Convolution layers side by side: convlab forward + backward against PyTorch's, both in CPU time and wall time. */
    private static String torchTable(List<Row> rows, JsonObject torch) {
        StringBuilder md = new StringBuilder();
        md.append("\n## Convolution layers next to PyTorch\n\n");
        md.append("PyTorch ").append(torch.get("torch").getAsString()).append(", ").append(torch.get("threads").getAsInt())
                .append(" thread(s), best of ").append(torch.get("reps").getAsInt())
                .append(" (tools/pytorch/conv_layer_bench.py --json --relu models: conv + bias, ReLU where the model fuses it). "
                        + "convlab: the ConvBench rows above (average). Ratio > 1: convlab is faster.\n\n");
        md.append("| layer | convlab fwd + bwd ms | PyTorch fwd + bwd ms | ratio (wall) | convlab CPU ms | PyTorch CPU ms | ratio (CPU) |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        JsonObject layers = torch.getAsJsonObject("layers");
        for (CnnLayer l : CnnLayer.values()) {
            Row f = find(rows, "forward", l), b = find(rows, "backward", l);
            if (f == null || b == null || !layers.has(l.label)) continue;
            JsonObject t = layers.getAsJsonObject(l.label);
            double wall = f.wallMs() + b.wallMs(), cpu = f.cpuMs() + b.cpuMs();
            double tWall = t.get("forward_ms").getAsDouble() + t.get("backward_ms").getAsDouble(), tCpu = t.get("cpu_ms").getAsDouble();
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", l.label + (l.fusedRelu ? " +ReLU" : ""),
                    ms(wall), ms(tWall), fmt(tWall / wall, 2), ms(cpu), ms(tCpu), fmt(tCpu / cpu, 2)));
        }
        return md.toString();
    }

    private static Row find(List<Row> rows, String method, CnnLayer layer) {
        return rows.stream().filter(r -> r.benchmark().equals("ConvBench") && r.method().equals(method)
                && layer.name().equals(r.params().get("layer")) && r.threads() == 1).findFirst().orElse(null);
    }

    /** Lines "wall user sys" in seconds, one per run of the start-up command; the first line is the command. */
    private static String startupSection(List<String> lines) {
        List<String> runs = lines.subList(Math.min(1, lines.size()), lines.size()).stream().filter(s -> !s.isBlank()).toList();
        if (runs.isEmpty()) throw new IllegalArgumentException("KernelReport: the --startup file holds no timed runs (lines 'wall user sys')");
        double[] wall = new double[runs.size()], cpu = new double[runs.size()];
        for (int i = 0; i < runs.size(); i++) {
            String[] f = runs.get(i).trim().split("\\s+");
            wall[i] = Double.parseDouble(f[0]);
            cpu[i] = Double.parseDouble(f[1]) + Double.parseDouble(f[2]);
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        return String.format(Locale.ROOT, "%n## Start-up%n%n`%s` (build current, %d runs): wall median %.2f s (min %.2f, max %.2f), "
                        + "CPU time (user + sys) median %.2f s.%n", lines.getFirst(), runs.size(), median(wall), wall[0],
                wall[wall.length - 1], median(cpu));
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String ms(double v) {
        if (Double.isNaN(v)) return "–";
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : v >= 1 ? "%.2f" : "%.3f", v);
    }

    private static String fmt(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "–";
    }
}
