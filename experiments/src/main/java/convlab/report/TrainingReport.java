package convlab.report;

import convlab.nn.ConvLayer;
import convlab.nn.Linear;
import convlab.nn.Module;
import convlab.report.ImageGrid.Style;
import convlab.report.ImageGrid.Tile;
import convlab.tensor.Tensor;
import convlab.train.EpochStats;
import convlab.train.TrainingListener;
import org.knowm.xchart.XYChart;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of a training run ({@code convlab train --report DIR}): loss and accuracy curves, the test
 * confusion matrix of the last epoch and the first layer's filters, with the numbers in CSV and JSON.
 * Listens to the trainer; call {@link #write} after training.
 */
public final class TrainingReport implements TrainingListener {
    private final Path dir;
    private final List<String> classNames;
    private final int channels, height, width;
    private int stepsPerEpoch = 1;
    private final List<double[]> steps = new ArrayList<>();      // {global step, running loss, running accuracy}
    private final List<EpochStats> epochs = new ArrayList<>();

    public TrainingReport(Path dir, List<String> classNames, int channels, int height, int width) {
        this.dir = dir;
        this.classNames = List.copyOf(classNames);
        this.channels = channels;
        this.height = height;
        this.width = width;
    }

    @Override public void epochStarted(int epoch, int batches) { stepsPerEpoch = Math.max(1, batches); }

    @Override public void stepFinished(int epoch, int step, double runningLoss, double runningAccuracy, double imagesPerSecond) {
        steps.add(new double[] {epoch * stepsPerEpoch + step, runningLoss, runningAccuracy});
    }

    @Override public void epochFinished(EpochStats stats) { epochs.add(stats); }

    /** Writes the report for the trained model; settings (model, optimizer, seed, ...) are listed on the page. */
    public void write(Module model, String title, Map<String, Object> settings) {
        if (epochs.isEmpty()) throw new IllegalStateException("no finished epoch to report");
        Report r = new Report(dir, title, "Training curves, the test-set confusion matrix after the last epoch and the first "
                + "layer's weights of one convlab train run.");
        settings.forEach(r::setting);
        double[] x = new double[steps.size()], loss = new double[steps.size()], acc = new double[steps.size()];
        List<List<?>> stepRows = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            double[] s = steps.get(i);
            x[i] = s[0] / stepsPerEpoch; loss[i] = s[1]; acc[i] = s[2];
            stepRows.add(List.of((long) s[0], s[1], s[2]));
        }
        double[] ex = new double[epochs.size()], trainLoss = new double[ex.length], testLoss = new double[ex.length],
                trainAcc = new double[ex.length], testAcc = new double[ex.length];
        List<List<?>> epochRows = new ArrayList<>();
        for (int i = 0; i < ex.length; i++) {
            EpochStats e = epochs.get(i);
            ex[i] = e.epoch(); trainLoss[i] = e.trainLoss(); testLoss[i] = e.testLoss(); trainAcc[i] = e.trainAccuracy(); testAcc[i] = e.testAccuracy();
            epochRows.add(List.of(e.epoch(), e.trainLoss(), e.trainAccuracy(), e.testLoss(), e.testAccuracy(), e.trainImagesPerSecond()));
        }
        r.table("steps", List.of("step", "running_train_loss", "running_train_acc"), stepRows, "running means within each epoch, after every step");
        r.table("epochs", List.of("epoch", "train_loss", "train_acc", "test_loss", "test_acc", "train_images_per_s"), epochRows, "per-epoch results");
        EpochStats last = epochs.getLast();
        r.results().put("test_acc", last.testAccuracy()).put("test_loss", last.testLoss()).put("train_loss", last.trainLoss())
                .put("train_acc", last.trainAccuracy());

        XYChart lc = Charts.line("Loss", "epoch", "cross-entropy");
        Charts.curve(lc, "training (running mean within the epoch)", x, loss);
        Charts.series(lc, "training, epoch mean", ex, trainLoss);
        Charts.series(lc, "test, after the epoch", ex, testLoss);
        r.figure("loss", lc, "Training loss after every step (running mean since the epoch began, so it restarts each epoch) and the "
                + "test loss after each epoch. A test loss rising while the training loss falls would mean overfitting.");
        XYChart ac = Charts.line("Accuracy", "epoch", "accuracy");
        Charts.curve(ac, "training (running mean within the epoch)", x, acc);
        Charts.series(ac, "training, epoch mean", ex, trainAcc);
        Charts.series(ac, "test, after the epoch", ex, testAcc);
        r.figure("accuracy", ac, String.format(Locale.ROOT, "Accuracy during training; after the last epoch %.2f%% on the test set.",
                100 * last.testAccuracy()));
        r.figure("confusion", Charts.confusion("Test confusion matrix after epoch " + last.epoch(), last.testConfusion(), classNames),
                "Counts of test images by true class (rows) and predicted class (columns); the diagonal is correct. Off-diagonal "
                        + "blocks show which classes the model mixes up.");
        firstLayer(model, r);
        r.write();
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
