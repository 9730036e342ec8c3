package convlab.experiment;

import convlab.autograd.GradMode;
import convlab.geometry.PaddingMode;
import convlab.nn.Conv2d;
import convlab.nn.GlobalAvgPool2d;
import convlab.nn.ReLU;
import convlab.nn.Sequential;
import convlab.nn.functional.ConvOptions;
import convlab.report.Report;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * hw4 problem 4(f): CONV → ReLU → CONV → ReLU → global average pool with circular padding gives the same
 * features for an edge and its shifted copy. Measured on the problem's 8×8 images x₁ (horizontal line in row
 * 1), x₂ (vertical line in column 1), x₃ (column 6) and x₄ (row 5), with random weights.
 */
final class GapInvariance {
    private GapInvariance() {}

    static Tensor line(boolean horizontal, int index) {
        Tensor x = Tensor.zeros(1, 1, 8, 8);
        for (int i = 0; i < 8; i++) x.set(1, 0, 0, horizontal ? index : i, horizontal ? i : index);
        return x;
    }

    /** Largest |g(x₃) − g(x₂)| and |g(x₄) − g(x₁)| for the two-layer network with the given kernel and padding mode. */
    static double shiftDifference(int kernel, PaddingMode mode, long seed) {
        Rng rng = new Rng(seed);
        ConvOptions o = ConvOptions.DEFAULT.padding(1).paddingMode(mode);
        Sequential net = new Sequential(new Conv2d(1, 3, kernel, o, true, rng), new ReLU(), new Conv2d(3, 3, kernel, o, true, rng),
                new ReLU(), new GlobalAvgPool2d());
        try (var scope = GradMode.noGrad()) {
            double[] g1 = net.forward(line(true, 1)).toDoubleArray(), g2 = net.forward(line(false, 1)).toDoubleArray(),
                    g3 = net.forward(line(false, 6)).toDoubleArray(), g4 = net.forward(line(true, 5)).toDoubleArray();
            double d = 0;
            for (int i = 0; i < g1.length; i++) d = Math.max(d, Math.max(Math.abs(g3[i] - g2[i]), Math.abs(g4[i] - g1[i])));
            return d;
        }
    }

    static void measure(Report report, long seed) {
        List<List<?>> rows = new ArrayList<>();
        double circ3 = shiftDifference(3, PaddingMode.CIRCULAR, seed), zero3 = shiftDifference(3, PaddingMode.ZEROS, seed),
                circ2 = shiftDifference(2, PaddingMode.CIRCULAR, seed), zero2 = shiftDifference(2, PaddingMode.ZEROS, seed);
        rows.add(List.of(3, "circular", circ3));
        rows.add(List.of(3, "zeros", zero3));
        rows.add(List.of(2, "circular", circ2));
        rows.add(List.of(2, "zeros", zero2));
        report.results().put("gap_shift_diff_k3_circular", circ3).put("gap_shift_diff_k3_zeros", zero3)
                .put("gap_shift_diff_k2_circular", circ2).put("gap_shift_diff_k2_zeros", zero2);
        report.table("gap_invariance", List.of("kernel", "padding", "max_feature_difference"), rows,
                "largest difference between the GAP features of an edge and its shifted copy (problem 4f)");
        String k2 = circ2 < 1e-6 && zero2 < 1e-6
                ? "With the problem's own CONV2 layers (2×2 kernels, padding 1) both paddings give equal features for these four "
                        + "images (largest differences %.2g circular, %.2g zeros): their lines stay away from the border, where the "
                        + "paddings differ. Circular padding guarantees it for any position."
                : "With the problem's own CONV2 layers (2×2 kernels, padding 1) the largest differences are %.2g (circular) and "
                        + "%.2g (zeros).";
        report.section("Shifted edges give the same pooled features (problem 4f)", String.format(Locale.ROOT,
                "A random CONV3-3 → ReLU → CONV3-3 → ReLU → GAP network with circular padding 1 gives features for x3 (vertical line, "
                        + "column 6) and x4 (horizontal line, row 5) that differ from those of x2 and x1 by at most %.2g (float32 "
                        + "rounding): the convolutions commute with circular shifts and the average ignores position, so g3 = g2 "
                        + "and g4 = g1 as the course's answer says. With zero padding the same network differs by %.2g, because "
                        + "the shifted lines meet the border differently. " + k2, circ3, zero3, circ2, zero2));
    }
}
