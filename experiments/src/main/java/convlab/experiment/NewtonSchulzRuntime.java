package convlab.experiment;

import convlab.kernels.NewtonSchulz;
import convlab.report.Charts;
import convlab.report.Report;
import convlab.report.Results;
import convlab.tensor.Rng;
import org.knowm.xchart.XYChart;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Homework 4 problem 1: one Newton–Schulz step p(W) = ½(3I − WWᵀ)W costs two products of 2·c·d_out²·d_in together
 * (WWᵀ, then (…)W); written with the Gram matrix, p(W) = ½W(3I − WᵀW), it costs 2·c·d_out·d_in², so for a tall
 * W (d_out ≫ d_in) the Gram form is faster by d_out / d_in. Measured: both forms' time per step against d_out / d_in.
 */
public final class NewtonSchulzRuntime implements Experiment {
    @Override public String name() { return "newton-schulz"; }

    @Override public String description() {
        return "Newton-Schulz step time, direct (WWᵀ) vs Gram (WᵀW) form, against d_out/d_in with the predicted ratio (hw4 problem 1)";
    }

    @Override
    public Results run(Path outputDir, boolean quick, long seed, ExperimentProgress progress) {
        int dIn = quick ? 64 : 128;
        int[] ratios = quick ? new int[] {1, 2, 4, 8} : new int[] {1, 2, 4, 8, 16, 32};
        int reps = quick ? 5 : 9;
        Report report = new Report(outputDir, "Newton–Schulz: direct against Gram form",
                "One step of the course's cubic p(W) = ½(3I − WWᵀ)W on a d_out × d_in matrix (d_in = " + dIn + ", W Gaussian, "
                        + "normalised), computed directly (WWᵀ is d_out × d_out) and in the Gram form p(W) = ½W(3I − WᵀW) (WᵀW is "
                        + "d_in × d_in). Time per step: median of " + reps + " timed runs after warm-up runs until two "
                        + "consecutive times agree within 10%, with the range. Prediction from the multiply-adds of the products: "
                        + "direct 2·d_out²·d_in, Gram 2·d_out·d_in², ratio d_out / d_in.");
        report.setting("seed", seed).setting("quick", quick).setting("d_in", dIn).setting("reps", reps);
        Results res = report.results();
        progress.phase("shapes", ratios.length);
        double[] x = new double[ratios.length], measured = new double[ratios.length], predicted = new double[ratios.length],
                best = new double[ratios.length];
        List<List<?>> rows = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < ratios.length; i++) {
            int dOut = dIn * ratios[i];
            float[] w = new float[dOut * dIn];
            Rng rng = new Rng(seed + i);
            for (int k = 0; k < w.length; k++) w[k] = (float) rng.nextGaussian();
            double[] direct = time(w, dOut, dIn, NewtonSchulz.Form.DIRECT, reps), gram = time(w, dOut, dIn, NewtonSchulz.Form.GRAM, reps);
            double d = median(direct), g = median(gram);
            x[i] = ratios[i];
            measured[i] = d / g;
            best[i] = min(direct) / min(gram);   // the fastest runs: the least disturbed by other work on the machine
            predicted[i] = (double) NewtonSchulz.multiplyAddsPerStep(dOut, dIn, NewtonSchulz.Poly.CUBIC, NewtonSchulz.Form.DIRECT)
                    / NewtonSchulz.multiplyAddsPerStep(dOut, dIn, NewtonSchulz.Poly.CUBIC, NewtonSchulz.Form.GRAM);
            rows.add(List.of(dOut, dIn, d * 1e3, min(direct) * 1e3, max(direct) * 1e3, g * 1e3, min(gram) * 1e3, max(gram) * 1e3,
                    measured[i], predicted[i]));
            text.append(String.format(Locale.ROOT, "%d×%d: direct %.3f ms, Gram %.3f ms, %.1f× faster (predicted %.1f×). ", dOut, dIn,
                    d * 1e3, g * 1e3, measured[i], predicted[i]));
            progress.step(dOut + "x" + dIn);
        }
        res.put("ratios", x).put("measured_speedup", measured).put("predicted_speedup", predicted).put("best_run_speedup", best);
        report.table("times", List.of("d_out", "d_in", "direct_ms", "direct_min_ms", "direct_max_ms", "gram_ms", "gram_min_ms",
                "gram_max_ms", "speedup", "predicted_speedup"), rows, "median time per step of each form, with the range of the runs");
        XYChart chart = Charts.fineLogTicks(Charts.logLog("Gram form's speed-up over the direct form", "d_out / d_in",
                "time(direct) / time(Gram)"));
        Charts.series(chart, "measured (median)", x, measured);
        Charts.points(chart, "measured (fastest runs)", x, best);
        Charts.dashed(chart, "predicted from multiply-adds: d_out / d_in", x, predicted);
        report.figure("speedup", chart, "Speed-up of the Gram form for a tall W, measured against the prediction d_out / d_in. "
                + "At d_out = d_in both forms are the same computation. For small matrices the measured speed-up falls short of "
                + "the prediction: packing, the polynomial and memory traffic, not the multiply-adds, take much of the time. " + text);
        report.section("The count", "Direct: WWᵀ costs c·d_out·d_in·d_out and (3I − WWᵀ)W costs c·d_out·d_out·d_in, so a step "
                + "costs 2c·d_out²·d_in. Gram: WᵀW costs c·d_in·d_out·d_in and W(3I − WᵀW) costs c·d_out·d_in·d_in, so 2c·d_out·d_in². "
                + "The ratio is d_out / d_in: worth it exactly when W is tall (for a wide W, transpose it first).");
        report.write();
        return res;
    }

    /** Seconds per step of one form: warm-up until two consecutive times agree within 10% (at most 30 runs), then reps runs. */
    private static double[] time(float[] w, int rows, int cols, NewtonSchulz.Form form, int reps) {
        double last = Double.MAX_VALUE;
        for (int k = 0; k < 30; k++) {
            long t0 = System.nanoTime();
            NewtonSchulz.orthogonalize(w, rows, cols, NewtonSchulz.Poly.CUBIC, 1, form);
            double t = (System.nanoTime() - t0) / 1e9;
            if (k >= 3 && Math.abs(t - last) <= 0.1 * last) break;
            last = t;
        }
        double[] out = new double[reps];
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            NewtonSchulz.orthogonalize(w, rows, cols, NewtonSchulz.Poly.CUBIC, 1, form);
            out[r] = (System.nanoTime() - t0) / 1e9;
        }
        return out;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) { return Arrays.stream(v).min().orElseThrow(); }

    private static double max(double[] v) { return Arrays.stream(v).max().orElseThrow(); }
}
