package convlab.experiment;

import convlab.explain.ConvSpec;
import convlab.explain.ExactArray;
import convlab.explain.ExactConv;
import convlab.explain.Rational;
import convlab.explain.TimeAxis;
import convlab.report.Report;
import convlab.report.Results;
import convlab.report.StemPlot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Homework 4 problem 3(a)(b): the rect x(n) of length 7 convolved with h(n) = (1/2)ⁿ·u(n), by convlab's exact
 * (fraction) convolution in the signal-processing sense (kernel flipped, full padding), drawn as stem plots on one
 * time axis; then x₂(n) = x(n − 5), whose output is y(n − 5): time invariance, checked value by value.
 */
public final class Conv1dShift implements Experiment {
    static final int L = 7, SHIFT = 5, FROM = -6, TO_A = 12;
    /** h is cut after this many taps: every y(n) with n ≤ TAPS − 1 is then exact (each uses h(0 … n) only). */
    static final int TAPS = 18;

    @Override public String name() { return "conv1d-shift"; }

    @Override public String description() {
        return "1-D rect signal, kernel (1/2)^n u(n) and their convolution on one time axis, and the shift property y2(n) = y(n-5) (hw4 problem 3a, 3b)";
    }

    /** A signal given from time start, by exact values. */
    record Signal(int start, Rational[] values) {
        Rational at(int n) { int i = n - start; return i >= 0 && i < values.length ? values[i] : Rational.ZERO; }
    }

    /** y = x * h (true convolution), both starting at the given times, by {@link ExactConv}; the output with its start time. */
    static Signal convolve(Signal x, Signal h) {
        ExactArray in = new ExactArray(new int[] {x.values().length}, x.values());
        ExactArray k = new ExactArray(new int[] {h.values().length}, h.values());
        ConvSpec spec = ConvSpec.plain(true).withFlip(true).withPadding(0, h.values().length - 1);   // "full": every overlap
        ExactConv.Result r = ExactConv.compute(in, k, spec);
        TimeAxis t = TimeAxis.of(r, x.start(), h.start());
        Rational[] y = new Rational[r.output().size()];
        for (int i = 0; i < y.length; i++) y[i] = r.output().flat(i);
        return new Signal(t.outputStart(), y);
    }

    static Signal rect(int start) {
        Rational[] v = new Rational[L];
        java.util.Arrays.fill(v, Rational.ONE);
        return new Signal(start, v);
    }

    static Signal halfPowers() {
        Rational[] v = new Rational[TAPS];
        for (int n = 0; n < TAPS; n++) v[n] = Rational.of(1, 1L << n);
        return new Signal(0, v);
    }

    /** The closed form of 3(a): 0 before 0, 2 − (1/2)ⁿ for 0 ≤ n ≤ 6, (2⁷ − 1)/2ⁿ after. */
    static Rational closedForm(int n) {
        if (n < 0) return Rational.ZERO;
        if (n < L) return Rational.of(2).subtract(Rational.of(1, 1L << n));
        return Rational.of((1L << L) - 1, 1L << n);
    }

    @Override
    public Results run(Path outputDir, boolean quick, long seed, ExperimentProgress progress) {
        int to = TO_A + SHIFT;   // one axis for both parts: y₂ needs five more steps
        Report report = new Report(outputDir, "Convolution as a filter: the rect, (1/2)ⁿu(n) and the shift property",
                "Problem 3: x(n) = 1 for n = 0 … 6 (a rect of length 7), h(n) = (1/2)ⁿ for n ≥ 0, y = x * h with "
                        + "y(n) = Σᵢ x(i)·h(n − i) (true convolution: the kernel is flipped). Computed in exact fractions by "
                        + "convlab's ExactConv (the library behind `convlab conv --flip --padding full --origin-input N`), with h "
                        + "cut after n = " + (TAPS - 1) + ": y(n) for n ≤ " + (TAPS - 1) + " uses only h(0 … n), so every value "
                        + "shown is exact. Then x₂(n) = x(n − " + SHIFT + ") and y₂ = x₂ * h. Nothing here is random; --quick and "
                        + "--seed change nothing.");
        report.setting("L", L).setting("shift", SHIFT).setting("h_taps", TAPS).setting("axis", FROM + ".." + to);
        Results res = report.results();
        progress.phase("signals", 2);
        Signal x = rect(0), h = halfPowers(), y = convolve(x, h);
        progress.step("y = x * h");
        Signal x2 = rect(SHIFT), y2 = convolve(x2, h);
        progress.step("y2 = x2 * h");

        int count = to - FROM + 1;
        int[] times = new int[count];
        for (int i = 0; i < count; i++) times[i] = FROM + i;
        List<List<?>> rows = new ArrayList<>();
        long shiftMismatches = 0, closedFormMismatches = 0;
        StringBuilder yText = new StringBuilder(), y2Text = new StringBuilder();
        for (int n : times) {
            Rational yn = y.at(n), y2n = y2.at(n), yShifted = y.at(n - SHIFT);
            if (!y2n.equals(yShifted)) shiftMismatches++;
            if (!yn.equals(closedForm(n))) closedFormMismatches++;
            rows.add(List.of(n, x.at(n).toString(), n >= 0 && n < TAPS ? h.at(n).toString() : "0", yn.toString(), yn.toDouble(),
                    x2.at(n).toString(), y2n.toString(), y2n.toDouble(), yShifted.toString()));
            if (n >= 0 && n <= TO_A) yText.append(yText.isEmpty() ? "" : ", ").append("y(").append(n).append(") = ").append(yn);
            if (n >= SHIFT && n <= to) y2Text.append(y2Text.isEmpty() ? "" : ", ").append("y₂(").append(n).append(") = ").append(y2n);
        }
        res.put("y", values(y, times)).put("y2", values(y2, times)).put("times", java.util.Arrays.stream(times).asDoubleStream().toArray())
                .put("shift_mismatches", shiftMismatches).put("closed_form_mismatches", closedFormMismatches)
                .put("y_sum", sum(y, FROM, to).toDouble()).put("y_peak", y.at(L - 1).toDouble());
        report.table("signals", List.of("n", "x", "h", "y_exact", "y", "x2", "y2_exact", "y2", "y_of_n_minus_5"), rows,
                "every signal at every time on the axis, exact fractions and decimals");

        List<StemPlot.Signal> panels = List.of(
                panel("x[n]", x, times, false), panel("h[n]", h, times, true), panel("y[n] = x*h", y, times, true),
                panel("x₂[n] = x[n−5]", x2, times, false), panel("y₂[n] = x₂*h", y2, times, true));
        report.figure("signals", panels, FROM, to, "Stem plots on one time axis, n = " + FROM + " … " + to + " (h continues beyond: (1/2)ⁿ "
                + "never reaches 0; it is drawn to n = " + to + "). (a) y rises while the rect slides into h's window, "
                + "y(n) = 2 − (1/2)ⁿ for n = 0 … 6 (peak y(6) = 127/64), then decays as 127/2ⁿ, the tail of h. "
                + "(b) x₂ is x moved 5 steps right, and y₂ is y moved 5 steps right, value for value: y₂(n) = y(n − 5) "
                + (shiftMismatches == 0 ? "at every n of the axis (checked exactly, in fractions)" : "FAILS at " + shiftMismatches + " times")
                + ". Exact values are printed above the stems of h, y and y₂.");
        report.section("(a) y = x * h, exact", yText + ". Closed form: y(n) = Σ_{i=0}^{min(n,6)} (1/2)^{n−i} = 2 − (1/2)ⁿ for "
                + "0 ≤ n ≤ 6 and (2⁷ − 1)/2ⁿ = 127/2ⁿ for n ≥ 7; the exact convolution agrees with it at every n "
                + (closedFormMismatches == 0 ? "(0 mismatches)." : "EXCEPT " + closedFormMismatches + " times."));
        report.section("(b) the shift property", y2Text + ". Each y₂(n) equals y(n − 5): shifting the input of a linear "
                + "time-invariant system shifts its output by the same amount (time invariance; for a CNN: convolution is "
                + "shift-equivariant). " + shiftMismatches + " mismatches on n = " + FROM + " … " + to + ".");
        report.write();
        return res;
    }

    private static StemPlot.Signal panel(String name, Signal s, int[] times, boolean labelled) {
        double[] v = new double[times.length];
        String[] labels = new String[times.length];
        for (int i = 0; i < times.length; i++) {
            Rational r = s.at(times[i]);
            v[i] = r.toDouble();
            labels[i] = labelled && !r.isZero() ? r.toString() : null;
        }
        return new StemPlot.Signal(name, times, v, labelled ? labels : null);
    }

    private static double[] values(Signal s, int[] times) {
        double[] out = new double[times.length];
        for (int i = 0; i < times.length; i++) out[i] = s.at(times[i]).toDouble();
        return out;
    }

    private static Rational sum(Signal s, int from, int to) {
        Rational acc = Rational.ZERO;
        for (int n = from; n <= to; n++) acc = acc.add(s.at(n));
        return acc;
    }
}
