package convlab.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import convlab.kernels.Gemm;
import convlab.kernels.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code convlab bench gemm}: GFLOP/s of {@link Gemm#sgemm} for a list of shapes, operand layouts and
 * thread counts, next to this machine's measured FMA peak, and optionally next to a BLAS measured by
 * {@code bench/gemm_numpy.py --json} on the same shapes.
 */
@Command(name = "gemm", mixinStandardHelpOptions = true,
        description = {"Time float32 GEMM C[m×n] = op(A)[m×k]·op(B)[k×n] and print GFLOP/s per shape and thread count.",
                // One element per paragraph: picocli wraps each element to the help's width, so an element broken by
                // hand left half-empty lines ("(2.5" at the end of one line, "-10 s, then each shape" alone on the next).
                "Each result is the median (and best) of --reps timed runs after JIT warm-up (2.5 to 10 s, then each shape "
                        + "until two untimed runs agree within 10%%, at most 5 s); a run repeats the product until it takes at "
                        + "least 200 ms (wall clock). 'GF/CPU-s' divides the work by the CPU time the process used instead "
                        + "(median): on a machine shared with other jobs it shows the speed per core that wall-clock rates "
                        + "hide. 'of peak' is GF/CPU-s over the measured FMA peak of one core.",
                "Compare with a BLAS:  /usr/bin/python3 bench/gemm_numpy.py --json > blas.json",
                "                      ./convlab bench gemm --blas blas.json"})
public final class BenchGemmCommand implements Runnable {
    static final String DEFAULT_SIZES = "256,1024,2048,32x50176x288,64x12544x576,64x256x784,64x10x784,10x784x90,1x256x784";

    @Option(names = "--threads", split = ",", defaultValue = "1,2", description = "Thread counts (default: ${DEFAULT-VALUE}).")
    int[] threads;

    @Option(names = "--sizes", split = ",", defaultValue = DEFAULT_SIZES,
            description = "Shapes m×n×k as MxNxK, or N for N³ (default: ${DEFAULT-VALUE}).")
    String[] sizes;

    @Option(names = "--ops", split = ",", defaultValue = "nn",
            description = "Operand layouts: nn (A·B), tn (Aᵀ·B), nt (A·Bᵀ), tt (default: ${DEFAULT-VALUE}).")
    String[] ops;

    @Option(names = "--reps", defaultValue = "5", description = "Timed runs per shape (default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--blas", paramLabel = "FILE",
            description = "JSON written by bench/gemm_numpy.py --json: adds the BLAS rate and the ratio convlab/BLAS.")
    Path blasFile;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    record Shape(int m, int n, int k) {
        static Shape parse(String s) {
            String[] parts = s.trim().toLowerCase().split("[x×]", -1);
            try {
                if (parts.length == 1) { int d = Integer.parseInt(parts[0]); return checked(s, d, d, d); }
                if (parts.length == 3)
                    return checked(s, Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
            } catch (NumberFormatException e) { /* fall through to the message below */ }
            throw new IllegalArgumentException("--sizes: '" + s + "' is not a shape (expected MxNxK like 64x256x784, or N for N³)");
        }

        private static Shape checked(String s, int m, int n, int k) {
            if (m < 1 || n < 1 || k < 1) throw new IllegalArgumentException("--sizes: '" + s + "' has a dimension below 1");
            if ((long) m * k > Integer.MAX_VALUE || (long) k * n > Integer.MAX_VALUE || (long) m * n > Integer.MAX_VALUE)
                throw new IllegalArgumentException("--sizes: '" + s + "' is too large for Java arrays");
            return new Shape(m, n, k);
        }

        double flops() { return 2.0 * m * n * k; }

        @Override public String toString() { return m + "x" + n + "x" + k; }
    }

    /** One measured row. The BLAS fields are NaN when no BLAS file was given or it lacks this row. */
    record Result(Shape shape, String op, int threads, double median, double best, double perCpu, double ofPeak,
                  double blas, double blasPerCpu) {}

    /** Rates of `reps` timed runs: wall-clock GFLOP/s and GFLOP per CPU-second of the process. */
    record Rates(double[] wall, double[] perCpu) {}

    @Override public void run() {
        if (reps < 1) throw new IllegalArgumentException("--reps must be >= 1, got " + reps);
        for (int t : threads) if (t < 1) throw new IllegalArgumentException("--threads: thread count must be >= 1, got " + t);
        for (String op : ops)
            if (!op.matches("[nt][nt]")) throw new IllegalArgumentException("--ops: '" + op + "' is not one of nn, tn, nt, tt");
        List<Shape> shapes = new ArrayList<>();
        for (String s : sizes) shapes.add(Shape.parse(s));
        Map<String, double[]> blas = blasFile == null ? Map.of() : readBlas(blasFile);

        int saved = Parallel.threads();
        List<Result> results = new ArrayList<>();
        try {
            warmUp();
            double peak = convlab.kernels.FmaPeak.perThread();
            if (!json) {
                System.out.println("Machine: " + convlab.kernels.MachineInfo.line(peak));
                System.out.printf("FMA peak: %.1f GFLOP/s per core (float32, %d-lane vectors, thread CPU time); %d CPUs%n",
                        peak, convlab.kernels.Vectors.lanes(), Runtime.getRuntime().availableProcessors());
                System.out.printf("%-16s %3s %7s %11s %9s %9s %7s%s%n", "shape m×n×k", "op", "threads", "median GF/s",
                        "best GF/s", "GF/CPU-s", "of peak",
                        blasFile == null ? "" : "  BLAS GF/s  GF/CPU-s  convlab/BLAS (wall, CPU)");
            }
            for (Shape s : shapes) {
                for (String op : ops) {
                    boolean ta = op.charAt(0) == 't', tb = op.charAt(1) == 't';
                    float[] a = random(1, s.m * s.k), b = random(2, s.k * s.n), c = new float[s.m * s.n];
                    for (int t : threads) {
                        Parallel.setThreads(t);
                        Rates rates = time(s, ta, tb, a, b, c);
                        double[] g = rates.wall, cpu = rates.perCpu;
                        Arrays.sort(g);
                        Arrays.sort(cpu);
                        double[] other = blas.getOrDefault(blasKey(s, op, t), new double[] {Double.NaN, Double.NaN});
                        Result r = new Result(s, op, t, g[g.length / 2], g[g.length - 1], cpu[cpu.length / 2],
                                cpu[cpu.length / 2] / peak, other[0], other[1]);
                        results.add(r);
                        if (!json) printRow(r);
                    }
                }
            }
            if (json) printJson(peak, results);
        } finally {
            Parallel.setThreads(saved);
        }
    }

    private void printRow(Result r) {
        String blasCols = blasFile == null ? "" : Double.isNaN(r.blas) ? String.format("%11s", "-")
                : String.format("%11.1f %9.1f %8.2f, %.2f", r.blas, r.blasPerCpu, r.median / r.blas, r.perCpu / r.blasPerCpu);
        System.out.printf("%-16s %3s %7d %11.1f %9.1f %9.1f %6.0f%%%s%n", r.shape, r.op, r.threads, r.median, r.best,
                r.perCpu, 100 * r.ofPeak, blasCols);
        System.out.flush();
    }

    private static void printJson(double peak, List<Result> results) {
        JsonObject root = new JsonObject();
        root.addProperty("peak_gflops_per_core", round(peak));
        root.addProperty("vector_lanes", convlab.kernels.Vectors.lanes());
        root.addProperty("cpus", Runtime.getRuntime().availableProcessors());
        root.add("machine", new Gson().toJsonTree(convlab.kernels.MachineInfo.describe(peak)));
        JsonArray rows = new JsonArray();
        for (Result r : results) {
            JsonObject o = new JsonObject();
            o.addProperty("shape", r.shape.toString());
            o.addProperty("m", r.shape.m);
            o.addProperty("n", r.shape.n);
            o.addProperty("k", r.shape.k);
            o.addProperty("op", r.op);
            o.addProperty("threads", r.threads);
            o.addProperty("median_gflops", round(r.median));
            o.addProperty("best_gflops", round(r.best));
            o.addProperty("median_gflops_per_cpu_s", round(r.perCpu));
            o.addProperty("fraction_of_peak", Math.round(r.ofPeak * 1000) / 1000.0);
            if (!Double.isNaN(r.blas)) {
                o.addProperty("blas_median_gflops", round(r.blas));
                o.addProperty("blas_median_gflops_per_cpu_s", round(r.blasPerCpu));
                o.addProperty("ratio_to_blas", Math.round(r.median / r.blas * 1000) / 1000.0);
                o.addProperty("ratio_to_blas_per_cpu_s", Math.round(r.perCpu / r.blasPerCpu * 1000) / 1000.0);
            }
            rows.add(o);
        }
        root.add("results", rows);
        Gson gson = new GsonBuilder().setPrettyPrinting().create();
        System.out.println(gson.toJson(root));
    }

    private static double round(double x) { return Math.round(x * 10) / 10.0; }

    private static String blasKey(Shape s, String op, int threads) { return s + "/" + op + "/" + threads; }

    /**
     * Median GFLOP/s and GFLOP per CPU-second (NaN if absent) per (shape, op, threads) from the "results"
     * array of bench/gemm_numpy.py --json.
     */
    static Map<String, double[]> readBlas(Path file) {
        Map<String, double[]> out = new LinkedHashMap<>();
        try {
            JsonElement root = JsonParser.parseString(Files.readString(file));
            if (!root.isJsonObject() || !root.getAsJsonObject().has("results"))
                throw new IllegalArgumentException("--blas " + file + ": expected the JSON of bench/gemm_numpy.py --json (an object with \"results\")");
            for (JsonElement e : root.getAsJsonObject().getAsJsonArray("results")) {
                JsonObject o = e.getAsJsonObject();
                Shape s = new Shape(o.get("m").getAsInt(), o.get("n").getAsInt(), o.get("k").getAsInt());
                String op = o.has("op") ? o.get("op").getAsString() : "nn";
                double perCpu = o.has("median_gflops_per_cpu_s") ? o.get("median_gflops_per_cpu_s").getAsDouble() : Double.NaN;
                out.put(blasKey(s, op, o.get("threads").getAsInt()), new double[] {o.get("median_gflops").getAsDouble(), perCpu});
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("--blas: cannot read " + file + ": " + e.getMessage());
        } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException e) {
            throw new IllegalArgumentException("--blas " + file + ": not the JSON of bench/gemm_numpy.py --json (" + e.getMessage() + ")");
        }
        return out;
    }

    /** Length of a timed run: long enough for the operating system's CPU-time accounting (ticks of a few ms). */
    static final long RUN_NANOS = 200_000_000L;

    /** Longest untimed warm-up of one shape, operand layout and thread count. */
    static final long SHAPE_WARMUP_NANOS = 5_000_000_000L;

    /**
     * Rates of each of `reps` timed runs; a run repeats the product until it has taken at least RUN_NANOS. Before
     * them, untimed runs of the same length until two in a row agree within 10% (at most SHAPE_WARMUP_NANOS): the
     * global warm-up does not take every path a shape takes (A·Bᵀ with many rows, Aᵀ·B, a thread split), and a
     * path C2 has not compiled yet runs many times slower. With a single untimed run sized by the first, still
     * interpreted, call, the first shape of a list measured 4.6 GF/s against 148 GF/s a minute later.
     */
    private Rates time(Shape s, boolean ta, boolean tb, float[] a, float[] b, float[] c) {
        long once = timeCalls(s, ta, tb, a, b, c, 1); // untimed: page in buffers, size thread-local workspaces
        int calls = callsPerRun(once);
        long start = System.nanoTime();
        for (double previous = 0; ; ) {
            long took = timeCalls(s, ta, tb, a, b, c, calls);
            double rate = calls / (double) Math.max(1, took);
            if (Math.abs(rate - previous) < 0.1 * rate || System.nanoTime() - start > SHAPE_WARMUP_NANOS) break;
            previous = rate;
            calls = callsPerRun(Math.max(1, took / calls));
        }
        double[] wall = new double[reps], perCpu = new double[reps];
        for (int r = 0; r < reps; r++) {
            long cpu0 = PROCESS.getProcessCpuTime();
            wall[r] = s.flops() * calls / timeCalls(s, ta, tb, a, b, c, calls);
            long cpu = PROCESS.getProcessCpuTime() - cpu0;
            perCpu[r] = cpu > 0 ? s.flops() * calls / cpu : Double.NaN;
        }
        return new Rates(wall, perCpu);
    }

    /** Calls of about RUN_NANOS, given the time of one. */
    private static int callsPerRun(long nanosPerCall) {
        return (int) Math.max(1, Math.min(10_000_000, RUN_NANOS / Math.max(1, nanosPerCall)));
    }

    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private static long timeCalls(Shape s, boolean ta, boolean tb, float[] a, float[] b, float[] c, int calls) {
        int lda = ta ? s.m : s.k, ldb = tb ? s.k : s.n;
        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) Gemm.sgemm(ta, tb, s.m, s.n, s.k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, s.n);
        return System.nanoTime() - t0;
    }

    /**
     * Lets the JIT compile the kernels before anything is timed (until C2 has compiled them, vector code runs
     * up to a hundred times slower): runs full and partial tiles, a few-row product and a few-row A·Bᵀ until
     * the rate of the last 250 ms is within 10% of the one before, at least 2.5 s and at most 10 s
     * (compiling the vector kernels takes seconds on a loaded machine).
     */
    private static void warmUp() {
        Shape tiles = new Shape(100, 250, 256), fewRows = new Shape(3, 250, 256), fewRowsNT = new Shape(10, 100, 256);
        float[] a = random(3, 100 * 256), b = random(4, 256 * 250), c = new float[100 * 250];
        Parallel.setThreads(1);
        long start = System.nanoTime();
        double previous = 0;
        while (true) {
            long t0 = System.nanoTime();
            long calls = 0;
            while (System.nanoTime() - t0 < 250_000_000L) {
                timeCalls(tiles, false, false, a, b, c, 1);
                timeCalls(tiles, true, true, a, b, c, 1);
                timeCalls(fewRows, false, false, a, b, c, 1);
                timeCalls(fewRowsNT, false, true, a, b, c, 1);
                calls++;
            }
            double rate = calls / ((System.nanoTime() - t0) / 1e9);
            long elapsed = System.nanoTime() - start;
            if (elapsed > 10_000_000_000L || (elapsed > 2_500_000_000L && Math.abs(rate - previous) < 0.1 * rate)) return;
            previous = rate;
        }
    }

    private static float[] random(long seed, int len) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[len];
        for (int i = 0; i < len; i++) x[i] = (float) (rnd.nextDouble() * 2 - 1);
        return x;
    }
}
