package convlab.experiment;

import convlab.autograd.GradMode;
import convlab.data.Dataset;
import convlab.data.FashionMnist;
import convlab.nn.functional.Conv;
import convlab.nn.functional.ConvOptions;
import convlab.report.ImageGrid;
import convlab.report.ImageGrid.Style;
import convlab.report.ImageGrid.Tile;
import convlab.report.Report;
import convlab.report.Results;
import convlab.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * hw4 problem 5 (and 3c/3d): hand-designed blurring and edge-detection kernels applied with the library's
 * convolution to real Fashion-MNIST images (the sample embedded in convlab, so every machine shows the same
 * images), before and after.
 */
public final class HandFilters implements Experiment {
    /** The student's own kernel (problem 5), applied after the built-in ones; null when none is given. */
    private final Kernel own;

    public HandFilters() { this.own = null; }

    /** With the student's own kernel, written as the matrix parser reads it (e.g. "[[0,-1,0],[-1,5,-1],[0,-1,0]]"). */
    public HandFilters(String kernelText) { this.own = ownKernel(kernelText); }

    /** Largest side of an own kernel. */
    static final int MAX_OWN = 15;

    static Kernel ownKernel(String text) {
        var a = convlab.explain.MatrixParser.parse(text);
        if (a.rank() != 2)
            throw new IllegalArgumentException("--kernel must be one matrix (rows separated by ';' or as [[..],[..]]), got shape " + a.shapeText());
        int h = a.dim(0), w = a.dim(1);
        if (h != w || h % 2 == 0 || h > MAX_OWN)
            throw new IllegalArgumentException("--kernel must be square with an odd side of at most " + MAX_OWN
                    + " (so the zero padding keeps the 28×28 size), got " + h + "×" + w);
        double[] v = a.toDoubles();
        double[][] k = new double[h][w];
        boolean signed = false;
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++) { k[i][j] = v[i * w + j]; signed |= k[i][j] < 0; }
        return new Kernel("your kernel", k, signed);
    }

    private List<Kernel> kernels() {
        if (own == null) return KERNELS;
        List<Kernel> all = new ArrayList<>(KERNELS);
        all.add(own);
        return all;
    }
    @Override public String name() { return "hand-filters"; }

    @Override public String description() {
        return "Hand-designed blur and edge-detection kernels on Fashion-MNIST images, before/after (problems 3 and 5)";
    }

    /** A named kernel and whether its output is signed (edge detectors) or an image (blurs). */
    record Kernel(String name, double[][] k, boolean signed) {
        Tensor weight() {
            int h = k.length, w = k[0].length;
            float[] v = new float[h * w];
            for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) v[i * w + j] = (float) k[i][j];
            return Tensor.of(v, 1, 1, h, w);
        }

        double sum() {
            double s = 0;
            for (double[] r : k) for (double v : r) s += v;
            return s;
        }
    }

    static double[][] box(int n) {
        double[][] k = new double[n][n];
        for (double[] r : k) java.util.Arrays.fill(r, 1.0 / (n * n));
        return k;
    }

    static double[][] gaussian(int n, double sigma) {
        double[][] k = new double[n][n];
        double s = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                double di = i - (n - 1) / 2.0, dj = j - (n - 1) / 2.0;
                s += k[i][j] = Math.exp(-(di * di + dj * dj) / (2 * sigma * sigma));
            }
        for (double[] r : k) for (int j = 0; j < n; j++) r[j] /= s;
        return k;
    }

    static final List<Kernel> KERNELS = List.of(
            new Kernel("box blur 5×5", box(5), false),
            new Kernel("Gaussian blur σ=1.5", gaussian(7, 1.5), false),
            new Kernel("Sobel, vertical edges", new double[][] {{-1, 0, 1}, {-2, 0, 2}, {-1, 0, 1}}, true),
            new Kernel("Sobel, horizontal edges", new double[][] {{-1, -2, -1}, {0, 0, 0}, {1, 2, 1}}, true),
            new Kernel("Laplacian", new double[][] {{0, 1, 0}, {1, -4, 1}, {0, 1, 0}}, true));

    /** Applies a kernel as PyTorch's conv2d does (cross-correlation), zero padding keeping the size. */
    static Tensor apply(Tensor images, Kernel k) {
        try (var scope = GradMode.noGrad()) {
            return Conv.conv2d(images, k.weight(), null, ConvOptions.DEFAULT.padding(k.k().length / 2));
        }
    }

    /** Mean absolute difference between horizontally and vertically adjacent pixels (how much fine detail there is). */
    static double roughness(Tensor images) {
        int n = images.size(0), h = images.size(2), w = images.size(3);
        float[] v = images.contiguous().data();
        double s = 0;
        long count = 0;
        for (int b = 0; b < n; b++)
            for (int i = 0; i < h; i++)
                for (int j = 0; j < w; j++) {
                    int p = b * h * w + i * w + j;
                    if (j + 1 < w) { s += Math.abs(v[p + 1] - v[p]); count++; }
                    if (i + 1 < h) { s += Math.abs(v[p + w] - v[p]); count++; }
                }
        return s / count;
    }

    @Override
    public Results run(Path outputDir, boolean quick, long seed, ExperimentProgress progress) {
        Dataset test;
        try {
            test = FashionMnist.loadSample().test();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the embedded Fashion-MNIST sample: " + e.getMessage(), e);
        }
        int count = quick ? 4 : 8;
        // one image of each of the first `count` classes, chosen by the seed
        convlab.tensor.Rng rng = new convlab.tensor.Rng(seed);
        int[] pick = new int[count];
        for (int c = 0; c < count; c++) {
            List<Integer> ofClass = new ArrayList<>();
            for (int i = 0; i < test.size(); i++) if (test.label(i) == c) ofClass.add(i);
            pick[c] = ofClass.get(rng.nextInt(ofClass.size()));
        }
        Dataset images = test.subset(pick, "hand-filters examples");
        Report report = new Report(outputDir, "Hand-designed filters on Fashion-MNIST (problem 5)",
                "Blurring and edge-detection kernels designed by hand, applied with convlab's conv2d (cross-correlation, zero "
                        + "padding that keeps the 28×28 size) to " + count + " Fashion-MNIST test images from the sample embedded in "
                        + "convlab. Blurred images are shown on a 0–1 grey scale; edge maps in blue (negative) and red (positive).");
        report.setting("seed", seed).setting("quick", quick).setting("images", count);
        Results res = report.results();
        progress.phase("kernels", kernels().size());

        ImageGrid grid = Figures.grid(4, "Before and after: each row one kernel applied to the same images");
        grid.row("original", Figures.examples(images, count, Style.GRAY_UNIT));
        ImageGrid kernels = Figures.grid(30, "The kernels (blue < 0 < red, values printed in the cells)");
        List<Tile> kernelTiles = new ArrayList<>();
        double before = roughness(images.images());
        res.put("roughness_original", before);
        for (Kernel k : kernels()) {
            Tensor out = apply(images.images(), k);
            float[] v = out.data();
            List<Tile> tiles = new ArrayList<>();
            for (int i = 0; i < count; i++)
                tiles.add(Tile.of(java.util.Arrays.copyOfRange(v, i * 784, (i + 1) * 784), 28, 28, "", k.signed() ? Style.DIVERGING : Style.GRAY_UNIT));
            grid.row(k.name(), tiles);
            kernelTiles.add(Figures.tile(k.k(), k.name(), Style.DIVERGING).withValues());
            String key = k.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("_$", "");
            res.put("kernel_sum_" + key, k.sum());
            if (!k.signed()) res.put("roughness_" + key, roughness(out));
            progress.step(k.name());
        }
        kernels.row("", kernelTiles);
        report.figure("kernels", kernels, "The hand-designed kernels. Blurs are positive and sum to 1 (a weighted average: flat "
                + "regions keep their value); edge detectors sum to 0 (flat regions give 0, only changes respond).");
        report.figure("before_after", grid, String.format(Locale.ROOT, "Each kernel applied to the same images. The blurs average "
                + "neighbouring pixels: the mean difference between adjacent pixels drops from %.3f to %.3f (box 5×5) and %.3f "
                + "(Gaussian). The Sobel kernels respond to left-right and top-bottom changes of brightness, with the sign telling "
                + "dark-to-bright from bright-to-dark; the Laplacian responds to outlines and fine texture in every direction.",
                before, res.number("roughness_box_blur_5_5"), res.number("roughness_gaussian_blur_1_5"))
                + (own == null ? "" : String.format(Locale.ROOT, " The last row is your kernel (--kernel), which sums to %s%s.",
                        ImageGrid.valueLabel(own.sum()), own.signed() ? " and has negative entries, so its output is drawn "
                        + "blue (negative) to red (positive)" : String.format(Locale.ROOT, "; adjacent pixels then differ by %.3f on "
                        + "average", res.number("roughness_your_kernel")))));
        courseProblem3(report);
        report.write();
        return res;
    }

    /** Problem 3(c), 3(d): the 5×5 ramp image and the Sobel-like h, as true convolution (flip on). */
    private static void courseProblem3(Report report) {
        float[] xv = new float[25];
        for (int i = 0; i < 25; i++) xv[i] = i + 1;
        Tensor x = Tensor.of(xv, 1, 1, 5, 5);
        Tensor h = Tensor.of(new float[] {-1, -2, -1, 0, 0, 0, 1, 2, 1}, 1, 1, 3, 3);
        StringBuilder sb = new StringBuilder("True convolution (kernel flipped, equation 4 of the problem) of x = [1..25 in rows] "
                + "with h = [[-1,-2,-1],[0,0,0],[1,2,1]]: ");
        int[][] cases = {{1, 0}, {1, 1}, {2, 1}};
        try (var scope = GradMode.noGrad()) {
            for (int[] c : cases) {
                Tensor y = Conv.conv2d(x, h, null, ConvOptions.DEFAULT.stride(c[0]).padding(c[1]).flip(true));
                sb.append("stride ").append(c[0]).append(", pad ").append(c[1]).append(": y = ").append(matrix(y)).append("; ");
                report.results().put("problem3_stride" + c[0] + "_pad" + c[1], y.toDoubleArray());
            }
        }
        sb.append("Without padding every entry is −40: each output subtracts 4 times a row from 4 times the row two below it "
                + "in the flipped kernel's order, and rows differ by 5. (PyTorch's conv2d, which does not flip, gives +40.)");
        report.section("Problem 3(c) and 3(d) with the same convolution", sb.toString());
    }

    private static String matrix(Tensor y) {
        int h = y.size(2), w = y.size(3);
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < h; i++) {
            if (i > 0) sb.append(", ");
            sb.append('[');
            for (int j = 0; j < w; j++) { if (j > 0) sb.append(", "); sb.append((int) Math.round(y.get(0, 0, i, j))); }
            sb.append(']');
        }
        return sb.append(']').toString();
    }
}
