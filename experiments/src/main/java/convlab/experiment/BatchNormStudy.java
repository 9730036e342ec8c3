package convlab.experiment;

import convlab.data.Dataset;
import convlab.data.FashionMnist;
import convlab.nn.Linear;
import convlab.nn.Sequential;
import convlab.optim.Optimizer;
import convlab.optim.Optimizers;
import convlab.report.Charts;
import convlab.report.Report;
import convlab.report.Results;
import convlab.spec.FeatureShape;
import convlab.spec.ModelBuilder;
import convlab.spec.Spec;
import convlab.tensor.Rng;
import org.knowm.xchart.XYChart;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Homework 5's batch-norm questions in training: the course CNN with and without batch norm over a range of batch
 * sizes (very small batches included, the same number of images seen), and the course's mean-only variant with one
 * example per batch, whose gradient into the layers below is exactly zero.
 */
public final class BatchNormStudy implements Experiment {
    static final String PLAIN = "CONV3-10 RELU POOL2 CONV3-10 RELU POOL2 FLATTEN FC-10";
    static final String WITH_BN = "CONV3-10 BN RELU POOL2 CONV3-10 BN RELU POOL2 FLATTEN FC-10";
    /** Mean-only batch norm after a fully connected layer: its statistic runs over the batch only. */
    static final String MEAN_ONLY = "FLATTEN FC-64 BN(meanonly) RELU FC-10";
    static final double LR = 0.02, MOMENTUM = 0.9;

    @Override public String name() { return "batch-norm"; }

    @Override public String description() {
        return "the course CNN with and without batch norm across batch sizes, and mean-only batch norm's zero gradient at n = 1";
    }

    @Override
    public Results run(Path outputDir, boolean quick, long seed, ExperimentProgress progress) {
        FashionMnist fm = Nets.fashionMnist(quick);
        int[] batches = quick ? new int[] {2, 8, 32} : new int[] {2, 8, 32, 128};
        int images = quick ? 3_200 : 32_000, testSize = quick ? 500 : 2_000;
        Dataset val = fm.test().subset(IntStream.range(0, Math.min(testSize, fm.test().size())).toArray(), "first " + testSize + " test images");
        Report report = new Report(outputDir, "Batch norm: batch size, and the mean-only variant at n = 1",
                "The course CNN with and without a batch norm after each convolution, trained with SGD (lr " + LR + ", momentum "
                        + MOMENTUM + ") on " + fm.source() + " for the same " + images + " images at each batch size (so a small "
                        + "batch takes more steps), same initial convolution weights per seed; test accuracy on " + val.size()
                        + " test images, in eval mode (batch norm then uses its running statistics).");
        report.setting("seed", seed).setting("quick", quick).setting("images", images).setting("lr", LR).setting("data", fm.source());
        Results res = report.results();
        progress.phase("batch sizes", 2 * batches.length + 2);
        double[] x = new double[batches.length], plain = new double[batches.length], bn = new double[batches.length];
        List<List<?>> rows = new ArrayList<>();
        for (int i = 0; i < batches.length; i++) {
            int b = batches[i], steps = images / b;
            x[i] = b;
            plain[i] = accuracy(PLAIN, fm.train(), val, steps, b, seed);
            progress.step("plain, batch " + b);
            bn[i] = accuracy(WITH_BN, fm.train(), val, steps, b, seed);
            progress.step("BN, batch " + b);
            rows.add(List.of(b, steps, plain[i], bn[i]));
        }
        res.put("batch_sizes", x).put("test_acc_plain", plain).put("test_acc_bn", bn);
        report.table("batch_size", List.of("batch", "steps", "test_acc_without_bn", "test_acc_with_bn"), rows,
                "test accuracy after the same number of images at each batch size");
        XYChart chart = Charts.fineLogTicks(Charts.logX("Test accuracy against batch size (same images seen)", "batch size",
                "test accuracy"));
        Charts.series(chart, "course CNN", x, plain);
        Charts.series(chart, "course CNN with batch norm", x, bn);
        StringBuilder per = new StringBuilder();
        for (int i = 0; i < x.length; i++)
            per.append(String.format(Locale.ROOT, "%sbatch %d: %.1f%% without, %.1f%% with BN", i == 0 ? "" : "; ", batches[i],
                    100 * plain[i], 100 * bn[i]));
        int smallest = 0, largest = x.length - 1;
        double chance = 1.0 / 10, nearChance = 2 * chance;
        String reading = bn[smallest] < nearChance && plain[smallest] < nearChance
                ? String.format(Locale.ROOT, "At batch %d neither network trains at this learning rate (%.1f%% and %.1f%%, chance is 10%%): "
                + "momentum 0.9 on the gradients of two examples at a time drives both off, batch norm or not. ", batches[smallest],
                100 * plain[smallest], 100 * bn[smallest])
                : bn[smallest] < plain[smallest]
                ? "At batch " + batches[smallest] + " batch norm is worse than none: statistics of two examples are so noisy, and so "
                + "unlike the running statistics used at test time, that the network trains on one normalisation and is tested on another."
                : "Even at batch " + batches[smallest] + " batch norm holds up here.";
        report.figure("batch_size", chart, "Test accuracy after " + images + " training images at each batch size (" + per + "). "
                + (bn[largest] > plain[largest] ? "At the larger batches batch norm helps. "
                : "At the larger batches batch norm does not help at this learning rate. ") + reading);

        // Mean-only batch norm with n = 1: y = x − mean(x) over the batch is 0 whatever x is, so no gradient reaches
        // the layer below; with n = 2 it does.
        double[] one = firstLayerChange(MEAN_ONLY, fm.train(), quick ? 30 : 100, 1, seed);
        progress.step("mean-only, n = 1");
        double[] two = firstLayerChange(MEAN_ONLY, fm.train(), quick ? 30 : 100, 2, seed);
        progress.step("mean-only, n = 2");
        res.put("mean_only_n1_first_layer_change", one[one.length - 1]).put("mean_only_n2_first_layer_change", two[two.length - 1]);
        XYChart mc = Charts.line("Mean-only batch norm: how far the layer below it moves", "optimizer step",
                "‖W₁ − W₁(start)‖ of the FC-64 before the batch norm");
        double[] steps = IntStream.rangeClosed(1, one.length).asDoubleStream().toArray();
        Charts.curve(mc, "one example per batch (n = 1)", steps, one);
        Charts.curve(mc, "two examples per batch (n = 2)", steps, two);
        report.figure("mean_only", mc, String.format(Locale.ROOT, "%s trained with batches of one and of two examples. With n = 1 "
                + "the batch mean is the example itself, so the normalised output x − mean(x) is 0 for every input and its "
                + "gradient with respect to x, γ·(g − mean g), is exactly 0: the first layer never changes (‖ΔW₁‖ = %s after %d "
                + "steps; only the bias β and the layers above learn). With n = 2 it moves (‖ΔW₁‖ = %.3g).", MEAN_ONLY,
                one[one.length - 1] == 0 ? "exactly 0" : String.format(Locale.ROOT, "%.3g", one[one.length - 1]), one.length,
                two[two.length - 1]));
        report.write();
        return res;
    }

    private static double accuracy(String spec, Dataset train, Dataset val, int steps, int batch, long seed) {
        Sequential net = ModelBuilder.build(Spec.parse(spec), FeatureShape.image(28, 28, 1), new Rng(seed));
        Optimizer opt = Optimizers.create("sgd", net, LR, MOMENTUM, 0);
        return Training.run(net, opt, train, val, steps, batch, steps, seed + 1).finalAccuracy();
    }

    /** After each step, the distance of the first linear layer's weights from where they started. */
    private static double[] firstLayerChange(String spec, Dataset train, int steps, int batch, long seed) {
        Sequential net = ModelBuilder.build(Spec.parse(spec), FeatureShape.image(28, 28, 1), new Rng(seed));
        Linear first = (Linear) net.layers().get(1);
        float[] start = first.weight.contiguous().toFloatArray();
        Optimizer opt = Optimizers.create("sgd", net, LR, MOMENTUM, 0);
        Dataset small = train.subset(IntStream.range(0, Math.min(train.size(), 2_000)).toArray(), "first 2000 training images");
        // One run of the shared loop, probing the distance after every step (it evaluates on one image each time).
        Training.Curve curve = Training.run(net, opt, small, small.subset(new int[] {0}, "one image"), steps, batch, 1, seed, m -> {
            float[] now = first.weight.contiguous().toFloatArray();
            double sum = 0;
            for (int i = 0; i < now.length; i++) sum += (double) (now[i] - start[i]) * (now[i] - start[i]);
            return Math.sqrt(sum);
        });
        return Training.Curve.array(curve.probe());
    }
}
