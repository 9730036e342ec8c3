package convlab.report;

import convlab.nn.ConvLayer;
import convlab.nn.Linear;
import convlab.nn.Module;
import convlab.report.ImageGrid.Style;
import convlab.report.ImageGrid.Tile;
import convlab.tensor.Tensor;
import convlab.train.EpochStats;
import convlab.train.Trainer;
import convlab.train.TrainingListener;
import org.knowm.xchart.XYChart;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The report of a training run ({@code convlab train --report DIR}): loss and accuracy curves, the test
 * confusion matrix of the last epoch and the first layer's filters, with the numbers in CSV and JSON.
 * Listens to the trainer; call {@link #write} after training.
 *
 * <p>The curves show every step's own batch loss and accuracy (raw) with an exponential moving average over them
 * (smoothed, bias-corrected as TensorBoard does, so the start is not pulled toward zero); test points come after
 * each epoch and, when a test probe is given, every few steps inside an epoch as well.
 */
public final class TrainingReport implements TrainingListener {
    private final Path dir;
    private final List<String> classNames;
    private final int channels, height, width;
    private int stepsPerEpoch = 1;
    private final List<double[]> steps = new ArrayList<>();      // {global step, the step's batch loss, its batch accuracy}
    private final List<double[]> probes = new ArrayList<>();     // {global step, test loss, test accuracy}
    private final List<EpochStats> epochs = new ArrayList<>();
    private Supplier<Trainer.Evaluation> testProbe;
    private int probeEvery;

    /** Weight of the past in the smoothed curves: an average over about the last 1 / (1 − w) = 20 steps. */
    static final double SMOOTHING = 0.95;

    public TrainingReport(Path dir, List<String> classNames, int channels, int height, int width) {
        this.dir = dir;
        this.classNames = List.copyOf(classNames);
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    @Override public void epochStarted(int epoch, int batches) { stepsPerEpoch = Math.max(1, batches); }

    /**
     * Also evaluates on a test probe (typically a fixed subset of the test set) after every {@code every} steps, so a
     * long epoch shows how the test numbers move inside it. The probe runs in eval mode without autograd between
     * steps: the training itself is unchanged (bitwise), only slower by the probe's time.
     */
    public TrainingReport probeTestEvery(int every, Supplier<Trainer.Evaluation> probe) {
        if (every < 1) throw new IllegalArgumentException("test probe interval must be >= 1 step, got " + every);
        this.probeEvery = every;
        this.testProbe = probe;
        return this;
    }

    @Override public void stepLoss(long step, double loss, double accuracy) {
        steps.add(new double[] {step, loss, accuracy});
    }

    @Override public void stepFinished(int epoch, int step, double runningLoss, double runningAccuracy, double imagesPerSecond) {
        long global = steps.isEmpty() ? 0 : (long) steps.getLast()[0];
        // The step that ends an epoch gets its test point from the epoch's own full evaluation.
        if (testProbe != null && global > 0 && global % probeEvery == 0 && step < stepsPerEpoch) {
            Trainer.Evaluation ev = testProbe.get();
            probes.add(new double[] {global, ev.loss(), ev.accuracy()});
        }
    }

    /** Exponential moving average with TensorBoard's bias correction (the first values are not pulled toward 0). */
    static double[] smooth(double[] v, double weight) {
        double[] out = new double[v.length];
        double acc = 0, norm = 0;
        for (int i = 0; i < v.length; i++) {
            acc = weight * acc + (1 - weight) * v[i];
            norm = weight * norm + (1 - weight);
            out[i] = acc / norm;
        }
        return out;
    }

    @Override public void epochFinished(EpochStats stats) { epochs.add(stats); }

    /** Writes the report for the trained model; settings (model, optimizer, seed, ...) are listed on the page. */
    public void write(Module model, String title, Map<String, Object> settings) {
        if (epochs.isEmpty()) throw new IllegalStateException("no finished epoch to report");
        Report r = new Report(dir, title, "Training curves, the test-set confusion matrix after the last epoch and the first "
                + "layer's weights of one convlab train run.");
        settings.forEach(r::setting);
        double[] x = new double[steps.size()], loss = new double[steps.size()], acc = new double[steps.size()];
        for (int i = 0; i < steps.size(); i++) {
            double[] s = steps.get(i);
            x[i] = s[0] / stepsPerEpoch; loss[i] = s[1]; acc[i] = s[2];
        }
        double[] smoothLoss = smooth(loss, SMOOTHING), smoothAcc = smooth(acc, SMOOTHING);
        List<List<?>> stepRows = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++)
            stepRows.add(List.of((long) steps.get(i)[0], loss[i], acc[i], smoothLoss[i], smoothAcc[i]));
        double[] ex = new double[epochs.size() + probes.size()], testLoss = new double[ex.length], testAcc = new double[ex.length];
        List<double[]> testPoints = new ArrayList<>(probes);
        for (EpochStats e : epochs) testPoints.add(new double[] {(double) e.epoch() * stepsPerEpoch, e.testLoss(), e.testAccuracy()});
        testPoints.sort((a, b) -> Double.compare(a[0], b[0]));
        for (int i = 0; i < ex.length; i++) {
            ex[i] = testPoints.get(i)[0] / stepsPerEpoch; testLoss[i] = testPoints.get(i)[1]; testAcc[i] = testPoints.get(i)[2];
        }
        List<List<?>> epochRows = new ArrayList<>(), probeRows = new ArrayList<>();
        for (EpochStats e : epochs)
            epochRows.add(List.of(e.epoch(), e.trainLoss(), e.trainAccuracy(), e.testLoss(), e.testAccuracy(), e.trainImagesPerSecond()));
        for (double[] p : probes) probeRows.add(List.of((long) p[0], p[1], p[2]));
        r.table("steps", List.of("step", "train_loss", "train_acc", "train_loss_smoothed", "train_acc_smoothed"), stepRows,
                "every step's own batch loss and accuracy, and their moving average (weight " + SMOOTHING + ", bias-corrected)");
        r.table("epochs", List.of("epoch", "train_loss", "train_acc", "test_loss", "test_acc", "train_images_per_s"), epochRows, "per-epoch results");
        if (!probes.isEmpty())
            r.table("test_probes", List.of("step", "test_loss", "test_acc"), probeRows, "test points inside epochs (the test probe)");
        EpochStats last = epochs.getLast();
        r.results().put("test_acc", last.testAccuracy()).put("test_loss", last.testLoss()).put("train_loss", last.trainLoss())
                .put("train_acc", last.trainAccuracy());

        String testLabel = probes.isEmpty() ? "test, after each epoch" : "test (inside epochs: the test probe; at epoch ends: the whole test set)";
        XYChart lc = Charts.line("Loss", "epoch", "cross-entropy");
        rawSeries(Charts.curve(lc, "training, each step's batch (raw)", x, loss));
        Charts.curve(lc, "training, smoothed", x, smoothLoss).setLineColor(Charts.PALETTE[0]);
        Charts.series(lc, testLabel, ex, testLoss).setLineColor(Charts.PALETTE[1]);
        r.figure("loss", lc, "Training loss of every step's batch (light, raw: it jumps from batch to batch) and its moving average "
                + "(dark, smoothed), with the test loss" + (probes.isEmpty() ? " after each epoch" : " every " + probeEvery
                + " steps and after each epoch") + ". A test loss rising while the training loss falls would mean overfitting.");
        XYChart ac = Charts.line("Accuracy", "epoch", "accuracy");
        rawSeries(Charts.curve(ac, "training, each step's batch (raw)", x, acc));
        Charts.curve(ac, "training, smoothed", x, smoothAcc).setLineColor(Charts.PALETTE[0]);
        Charts.series(ac, testLabel, ex, testAcc).setLineColor(Charts.PALETTE[1]);
        r.figure("accuracy", ac, String.format(Locale.ROOT, "Accuracy of every step's batch (raw and smoothed) and on the test set; "
                + "after the last epoch %.2f%% on the test set.", 100 * last.testAccuracy()));
        r.figure("confusion", Charts.confusion("Test confusion matrix after epoch " + last.epoch(), last.testConfusion(), classNames),
                "Counts of test images by true class (rows) and predicted class (columns); the diagonal is correct. Off-diagonal "
                        + "blocks show which classes the model mixes up.");
        firstLayer(model, r);
        r.write();
    }

    /** Raw per-step values: thin and light, so the smoothed curve over them reads first. */
    private static void rawSeries(org.knowm.xchart.XYSeries s) {
        s.setLineWidth(0.8f);
        s.setLineColor(new java.awt.Color(0, 114, 178, 90));
    }

    private void firstLayer(Module model, Report r) {
        Module first = firstWeighted(model);
        if (first instanceof ConvLayer conv && conv.weight().dim() == 4) {
            Tensor w = conv.weight();
            int out = w.size(0), in = w.size(1), k = w.size(2) * w.size(3);
            double[] v = w.toDoubleArray();
            List<Tile> tiles = new ArrayList<>();
            for (int o = 0; o < out; o++) {
                double[] t = new double[k];
                for (int c = 0; c < in; c++) for (int i = 0; i < k; i++) t[i] += v[(o * in + c) * k + i] / in;
                tiles.add(new Tile(t, w.size(2), w.size(3), Integer.toString(o + 1), Style.DIVERGING));
            }
            ImageGrid g = new ImageGrid(Math.max(6, 60 / w.size(2))).title("First convolution's filters (blue < 0 < red)");
            for (int s = 0; s < tiles.size(); s += 16) g.row(s == 0 ? "filters" : "", tiles.subList(s, Math.min(tiles.size(), s + 16)));
            r.figure("filters", g, "Each filter of the first convolution, enlarged (mean over input channels), each scaled by its own "
                    + "largest |weight|.");
        } else if (first instanceof Linear lin && lin.inFeatures == channels * height * width) {
            float[] v = lin.weight.contiguous().toFloatArray();
            int shown = Math.min(lin.outFeatures, 32), per = height * width;
            List<Tile> tiles = new ArrayList<>();
            for (int o = 0; o < shown; o++) {
                double[] t = new double[per];
                for (int c = 0; c < channels; c++) for (int i = 0; i < per; i++) t[i] += v[o * lin.inFeatures + c * per + i] / channels;
                tiles.add(new Tile(t, height, width, Integer.toString(o + 1), Style.DIVERGING));
            }
            ImageGrid g = new ImageGrid(3).title("First layer: the weights of " + shown + " hidden units as images");
            for (int s = 0; s < tiles.size(); s += 8) g.row("", tiles.subList(s, Math.min(tiles.size(), s + 8)));
            r.figure("filters", g, "The first fully connected layer's weights into " + shown + " hidden units, each drawn as an image "
                    + "(red: the unit is excited by ink there, blue: inhibited). Each unit sees the whole image, so whatever structure training "
                    + "adds spans the image, not a local patch; after a few epochs much of what shows is still the random start.");
        }
    }

    private static Module firstWeighted(Module m) {
        if (m instanceof ConvLayer || m instanceof Linear) return m;
        for (Module c : m.children().values()) {
            Module f = firstWeighted(c);
            if (f != null) return f;
        }
        return null;
    }
}
