package convlab.experiment;

import convlab.kernels.Gemm;
import convlab.kernels.NewtonSchulz;
import convlab.kernels.NewtonSchulz.Form;
import convlab.kernels.NewtonSchulz.Poly;
import convlab.kernels.Parallel;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Times one Newton–Schulz step in the direct and the Gram form (course problem 1) and compares both with
 * the plain GEMM speed of this machine, so the report says how close each form runs to it. The measurement behind
 * {@code convlab newton-schulz} and the newton-schulz-runtime experiment (bench-jmh's NewtonSchulzTiming times the
 * same step under JMH).
 */
public final class NewtonSchulzTiming {
    private NewtonSchulzTiming() {}

    public static final int[][] DEFAULT_SHAPES = {{4096, 256}, {4096, 512}, {1024, 1024}};

    /**
     * Seconds per step of each form (median of the timed repetitions), their spread (min and max), the achieved
     * rate in multiply-adds per second at the median, and how many untimed warm-up rounds ran.
     */
    public record Row(int rows, int cols, double directSec, double gramSec, double directRate, double gramRate,
                      double directMin, double directMax, double gramMin, double gramMax, int warmups,
                      double speedupMedian, double speedupLow, double speedupHigh) {
        /** Ratio of the median times. */
        public double speedup() { return directSec / gramSec; }
    }

    /** Multiply-adds per second of Gemm.sgemm on an n×n×n product (best of reps). */
    public static double gemmRate(int n, int reps) {
        float[] a = random(1, n * n), b = random(2, n * n), c = new float[n * n];
        double best = Double.MAX_VALUE;
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            Gemm.sgemm(n, n, n, a, b, c);
            best = Math.min(best, (System.nanoTime() - t0) * 1e-9);
        }
        return (double) n * n * n / best;
    }

    /** Warm-up rounds stop once both forms' last three times agree within this ratio (or after MAX_WARMUPS rounds). */
    static final double STEADY = 1.15;
    static final int MAX_WARMUPS = 12;

    /**
     * Times both forms after warming them up until steady: rounds of one step of each form (alternating, so a change
     * in machine load hits both alike) run untimed until each form's last three times are within 15 % of each other
     * (at most 12 rounds); then reps timed rounds. Small shapes (a step of a few milliseconds) reach the JIT's
     * compiled GEMM paths only after several steps, which is what made single-shot speedups swing from 0.1× to 1.4×.
     */
    public static Row measure(int rows, int cols, Poly poly, int reps) {
        float[] g = random(rows * 7L + cols, rows * cols);
        List<Double> wd = new ArrayList<>(), wg = new ArrayList<>();
        int warm = 0;
        while (warm < MAX_WARMUPS && !(steady(wd) && steady(wg))) {
            wd.add(time(g, rows, cols, poly, Form.DIRECT));
            wg.add(time(g, rows, cols, poly, Form.GRAM));
            warm++;
        }
        double[] d = new double[reps], gr = new double[reps];
        for (int r = 0; r < reps; r++) {
            d[r] = time(g, rows, cols, poly, Form.DIRECT);
            gr[r] = time(g, rows, cols, poly, Form.GRAM);
        }
        double direct = median(d), gram = median(gr);
        double[] ratio = new double[reps];   // each round's direct/Gram: the two ran back to back, under the same load
        for (int r = 0; r < reps; r++) ratio[r] = d[r] / gr[r];
        return new Row(rows, cols, direct, gram,
                NewtonSchulz.multiplyAddsPerStep(rows, cols, poly, Form.DIRECT) / direct,
                NewtonSchulz.multiplyAddsPerStep(rows, cols, poly, Form.GRAM) / gram,
                java.util.Arrays.stream(d).min().orElseThrow(), java.util.Arrays.stream(d).max().orElseThrow(),
                java.util.Arrays.stream(gr).min().orElseThrow(), java.util.Arrays.stream(gr).max().orElseThrow(), warm,
                median(ratio), java.util.Arrays.stream(ratio).min().orElseThrow(), java.util.Arrays.stream(ratio).max().orElseThrow());
    }

    private static boolean steady(List<Double> t) {
        if (t.size() < 3) return false;
        List<Double> last = t.subList(t.size() - 3, t.size());
        return java.util.Collections.max(last) <= STEADY * java.util.Collections.min(last);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /**
     * One orthogonalization on this thread (one thread), timed in this thread's CPU seconds: on a shared machine the
     * wall clock also counts other programs' turns, which made the two forms' ratio swing with the load.
     */
    private static double time(float[] g, int rows, int cols, Poly poly, Form form) {
        long t0 = CPU.getCurrentThreadCpuTime();
        NewtonSchulz.orthogonalize(g, rows, cols, poly, 1, form);
        return (CPU.getCurrentThreadCpuTime() - t0) * 1e-9;
    }

    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    /** The report as text lines: one row per shape, then the GEMM reference rate. */
    public static List<String> report(int[][] shapes, Poly poly, int reps) {
        NewtonSchulz.orthogonalize(random(0, 256 * 64), 256, 64, poly, 3, Form.DIRECT);   // JIT warm-up
        NewtonSchulz.orthogonalize(random(0, 256 * 64), 256, 64, poly, 3, Form.GRAM);
        gemmRate(512, 3);                                                                  // JIT warm-up of the GEMM
        double gemm = gemmRate(1024, Math.max(3, reps));
        List<String> out = new ArrayList<>();
        out.add(String.format("Newton-Schulz, one step, poly (%.4f, %.4f, %.4f), %d thread(s); both forms warmed up until their last 3 times agree"
                + " within %.0f%% (at most %d rounds), then %d timed rounds: median [min-max]", poly.a(), poly.b(), poly.c(), Parallel.threads(),
                (STEADY - 1) * 100, MAX_WARMUPS, reps));
        out.add(String.format("%-11s %-26s %-26s %-20s %10s %8s %8s %6s", "shape", "direct s", "gram s", "speedup", "d_out/d_in",
                "direct%", "gram%", "warmup"));
        for (int[] s : shapes) {
            Row r = measure(s[0], s[1], poly, reps);
            out.add(String.format("%-11s %-26s %-26s %-20s %10.1f %7.0f%% %7.0f%% %6d%s", s[0] + "x" + s[1],
                    String.format("%.4f [%.4f-%.4f]", r.directSec(), r.directMin(), r.directMax()),
                    String.format("%.4f [%.4f-%.4f]", r.gramSec(), r.gramMin(), r.gramMax()),
                    String.format("%.2fx [%.2f-%.2f]", r.speedupMedian(), r.speedupLow(), r.speedupHigh()),
                    (double) s[0] / s[1], 100 * r.directRate() / gemm, 100 * r.gramRate() / gemm, r.warmups(),
                    s[0] <= s[1] ? "  (d_out <= d_in: both forms run the same products)" : ""));
        }
        out.add("speedup: median [min-max] of each round's direct/Gram time ratio (the two forms run back to back in a round)");
        out.add("direct% / gram%: each form's multiply-add rate at its median time, as a percentage of the GEMM reference");
        out.add(String.format("GEMM reference (1024x1024x1024 sgemm, best of %d): %.2f G multiply-adds/s", Math.max(3, reps), gemm / 1e9));
        return out;
    }

    private static float[] random(long seed, int n) {
        Random r = new Random(seed);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = (float) r.nextGaussian();
        return out;
    }
}
