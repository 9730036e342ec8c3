package convlab.experiment;

import convlab.kernels.NewtonSchulz;
import convlab.report.Charts;
import convlab.report.Report;
import convlab.report.Results;
import org.knowm.xchart.XYChart;

import java.nio.file.Path;
import java.util.ArrayList;
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
                        + "d_in × d_in). Both forms alternate in every round (NewtonSchulzTiming, as convlab newton-schulz): warm-up rounds "
                        + "until each form's last three times agree within 15%, then " + reps + " timed rounds; the speed-up is the "
                        + "median of the rounds' direct/Gram ratios, with their range. Prediction from the multiply-adds of the products: "
                        + "direct 2·d_out²·d_in, Gram 2·d_out·d_in², ratio d_out / d_in.");
        report.setting("seed", seed).setting("quick", quick).setting("d_in", dIn).setting("reps", reps);
        Results res = report.results();
        progress.phase("shapes", ratios.length);
        double[] x = new double[ratios.length], measured = new double[ratios.length], predicted = new double[ratios.length],
                low = new double[ratios.length], high = new double[ratios.length];
        List<List<?>> rows = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < ratios.length; i++) {
            int dOut = dIn * ratios[i];
            // The library's Newton-Schulz benchmark: both forms alternate in every round (a change of load hits both),
            // warmed up until steady, then reps timed rounds.
            NewtonSchulzTiming.Row row = NewtonSchulzTiming.measure(dOut, dIn, NewtonSchulz.Poly.CUBIC, reps);
            x[i] = ratios[i];
            measured[i] = row.speedupMedian();
            low[i] = row.speedupLow();
            high[i] = row.speedupHigh();
            predicted[i] = (double) NewtonSchulz.multiplyAddsPerStep(dOut, dIn, NewtonSchulz.Poly.CUBIC, NewtonSchulz.Form.DIRECT)
                    / NewtonSchulz.multiplyAddsPerStep(dOut, dIn, NewtonSchulz.Poly.CUBIC, NewtonSchulz.Form.GRAM);
            rows.add(List.of(dOut, dIn, row.directSec() * 1e3, row.directMin() * 1e3, row.directMax() * 1e3, row.gramSec() * 1e3,
                    row.gramMin() * 1e3, row.gramMax() * 1e3, measured[i], row.speedupLow(), row.speedupHigh(), predicted[i]));
            text.append(String.format(Locale.ROOT, "%d×%d: direct %.3f ms, Gram %.3f ms, %.1f× faster (rounds %.1f-%.1f×; predicted %.1f×). ",
                    dOut, dIn, row.directSec() * 1e3, row.gramSec() * 1e3, measured[i], row.speedupLow(), row.speedupHigh(), predicted[i]));
            progress.step(dOut + "x" + dIn);
        }
        res.put("ratios", x).put("measured_speedup", measured).put("predicted_speedup", predicted).put("speedup_low", low).put("speedup_high", high);
        report.table("times", List.of("d_out", "d_in", "direct_ms", "direct_min_ms", "direct_max_ms", "gram_ms", "gram_min_ms",
                "gram_max_ms", "speedup", "speedup_low", "speedup_high", "predicted_speedup"), rows,
                "median time per step of each form with the range of the rounds; speed-up: median and range of each round's ratio");
        XYChart chart = (Charts.logLog("Gram form's speed-up over the direct form", "d_out / d_in",
                "time(direct) / time(Gram)"));
        Charts.series(chart, "measured (median of the rounds' ratios)", x, measured);
        Charts.points(chart, "lowest and highest round", concat(x, x), concat(low, high));
        Charts.dashed(chart, "predicted from multiply-adds: d_out / d_in", x, predicted);
        report.figure("speedup", chart, "Speed-up of the Gram form for a tall W, measured against the prediction d_out / d_in. "
                + "At d_out = d_in both forms are the same computation. For small matrices the measured speed-up falls short of "
                + "the prediction: packing, the polynomial and memory traffic, not the multiply-adds, take much of the time; for the "
                + "tallest the direct form's d_out × d_out intermediate outgrows the caches, and the Gram form can win by more than "
                + "the count. The spread of the rounds shows how much the machine's load moved single times. " + text);
        report.section("The count", "Direct: WWᵀ costs c·d_out·d_in·d_out and (3I − WWᵀ)W costs c·d_out·d_out·d_in, so a step "
                + "costs 2c·d_out²·d_in. Gram: WᵀW costs c·d_in·d_out·d_in and W(3I − WᵀW) costs c·d_out·d_in·d_in, so 2c·d_out·d_in². "
                + "The ratio is d_out / d_in: worth it exactly when W is tall (for a wide W, transpose it first).");
        report.write();
        return res;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
