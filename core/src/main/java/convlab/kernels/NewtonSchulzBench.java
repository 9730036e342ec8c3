package convlab.kernels;

import convlab.kernels.NewtonSchulz.Form;
import convlab.kernels.NewtonSchulz.Poly;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Times one Newton–Schulz step in the direct and the Gram form (course problem 1) and compares both with
 * the plain GEMM speed of this machine, so the report says how close each form runs to it.
 */
public final class NewtonSchulzBench {
    private NewtonSchulzBench() {}

    public static final int[][] DEFAULT_SHAPES = {{4096, 256}, {4096, 512}, {1024, 1024}};

    /** Seconds per step of each form and the achieved rate in multiply-adds per second. */
    public record Row(int rows, int cols, double directSec, double gramSec, double directRate, double gramRate) {
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

    public static Row measure(int rows, int cols, Poly poly, int reps) {
        float[] g = random(rows * 7L + cols, rows * cols);
        double direct = time(g, rows, cols, poly, Form.DIRECT, reps), gram = time(g, rows, cols, poly, Form.GRAM, reps);
        return new Row(rows, cols, direct, gram,
                NewtonSchulz.multiplyAddsPerStep(rows, cols, poly, Form.DIRECT) / direct,
                NewtonSchulz.multiplyAddsPerStep(rows, cols, poly, Form.GRAM) / gram);
    }

    private static double time(float[] g, int rows, int cols, Poly poly, Form form, int reps) {
        double best = Double.MAX_VALUE;
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            NewtonSchulz.orthogonalize(g, rows, cols, poly, 1, form);
            best = Math.min(best, (System.nanoTime() - t0) * 1e-9);
        }
        return best;
    }

    /** The report as text lines: one row per shape, then the GEMM reference rate. */
    public static List<String> report(int[][] shapes, Poly poly, int reps) {
        NewtonSchulz.orthogonalize(random(0, 256 * 64), 256, 64, poly, 3, Form.DIRECT);   // JIT warm-up
        NewtonSchulz.orthogonalize(random(0, 256 * 64), 256, 64, poly, 3, Form.GRAM);
        gemmRate(512, 3);                                                                  // JIT warm-up of the GEMM
        double gemm = gemmRate(1024, Math.max(3, reps));
        List<String> out = new ArrayList<>();
        out.add(String.format("Newton-Schulz, one step, poly (%.4f, %.4f, %.4f), %d thread(s), best of %d",
                poly.a(), poly.b(), poly.c(), Parallel.threads(), reps));
        out.add(String.format("%-11s %11s %11s %8s %10s %14s %14s", "shape", "direct s", "gram s", "speedup",
                "d_out/d_in", "direct %gemm", "gram %gemm"));
        for (int[] s : shapes) {
            Row r = measure(s[0], s[1], poly, reps);
            out.add(String.format("%-11s %11.4f %11.4f %7.1fx %10.1f %13.0f%% %13.0f%%", s[0] + "x" + s[1], r.directSec(),
                    r.gramSec(), r.speedup(), (double) s[0] / s[1], 100 * r.directRate() / gemm, 100 * r.gramRate() / gemm));
        }
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
