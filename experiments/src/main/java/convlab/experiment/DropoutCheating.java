package convlab.experiment;

import convlab.data.Dataset;
import convlab.data.FashionMnist;
import convlab.nn.Sequential;
import convlab.optim.Optimizer;
import convlab.optim.Optimizers;
import convlab.report.Charts;
import convlab.report.ImageGrid;
import convlab.report.ImageGrid.Style;
import convlab.report.Report;
import convlab.report.Results;
import convlab.spec.FeatureShape;
import convlab.spec.ModelBuilder;
import convlab.spec.Spec;
import convlab.tensor.Rng;
import org.knowm.xchart.XYChart;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The dropout notebook's part (I), "dropout on real data", on Fashion-MNIST: every training image carries a "cheating
 * feature", its label written in binary into the 4 bottom-right pixels (bit 1 white, bit 0 black; the notebook does the
 * same on CIFAR-10). A CNN trained on these images can read the label off the corner. Tested on clean images (corner as
 * photographed) it shows how much it learned from the garments; on images whose corner encodes a wrong label it shows
 * how much it follows the code. Dropout after each convolution block drops the few activations that carry the code
 * most of the time, so the network must also learn the garments.
 */
public final class DropoutCheating implements Experiment {
    /** The notebook's ConvNet, narrower (8 and 8 channels instead of 16 and 32) so a full run fits in minutes. */
    static String spec(double rate) {
        String drop = rate > 0 ? " DROPOUT" + rate : "";
        return "CONV3-8 RELU POOL2" + drop + " CONV3-8 RELU POOL2" + drop + " FLATTEN FC-10";
    }

    static final int BITS = 4;
    static final double LR = 0.05, MOMENTUM = 0.9;
    static final int BATCH = 64;

    @Override public String name() { return "dropout-cheating"; }

    @Override public String description() {
        return "dropout notebook (i): a CNN with a label-leaking corner code in its training images, with and without dropout";
    }

    /**
     * A copy of the images with code[i] written into the last BITS pixels of the bottom row (most significant bit first,
     * 1 = white, 0 = black), or unchanged where code[i] < 0; labelled with labels.
     */
    static Dataset withCode(Dataset d, int[] code, int[] labels, String source) {
        int c = d.channels(), h = d.height(), w = d.width(), size = d.imageSize();
        if (w < BITS) throw new IllegalArgumentException("images of width " + w + " have no room for a " + BITS + "-pixel code");
        byte[] bytes = new byte[Math.multiplyExact(d.size(), size)];
        float[] px = new float[size];
        for (int i = 0; i < d.size(); i++) {
            d.copyImage(i, px, 0);
            for (int j = 0; j < size; j++) bytes[i * size + j] = (byte) Math.round(px[j] * 255f);
            if (code[i] < 0) continue;
            for (int ch = 0; ch < c; ch++)
                for (int b = 0; b < BITS; b++) {
                    int bit = (code[i] >> (BITS - 1 - b)) & 1;
                    bytes[i * size + ch * h * w + (h - 1) * w + (w - BITS + b)] = (byte) (bit == 1 ? 255 : 0);
                }
        }
        return Dataset.ofUnsignedBytes(bytes, new int[] {d.size(), c, h, w}, labels.clone(), d.classNames(), source);
    }

    /** What one trained network does on the four test conditions. */
    record Outcome(double trainAcc, double cheatTestAcc, double cleanTestAcc, double followsWrongCode) {}

    @Override
    public Results run(Path outputDir, boolean quick, long seed, ExperimentProgress progress) {
        FashionMnist fm = Nets.fashionMnist(quick);
        int trainSize = Math.min(fm.train().size(), quick ? 2_000 : 4_000), testSize = Math.min(fm.test().size(), quick ? 1_000 : 2_000);
        int epochs = quick ? 8 : 6, seeds = quick ? 2 : 3;
        double[] rates = quick ? new double[] {0, 0.75} : new double[] {0, 0.5, 0.75};
        int steps = epochs * trainSize / BATCH;
        Dataset train0 = fm.train().subset(IntStream.range(0, trainSize).toArray(), "first " + trainSize + " training images");
        Dataset test0 = fm.test().subset(IntStream.range(0, testSize).toArray(), "first " + testSize + " test images");
        int[] wrong = new int[testSize];
        Rng codeRng = new Rng(seed + 7);
        for (int i = 0; i < testSize; i++) wrong[i] = (test0.label(i) + 1 + codeRng.nextInt(test0.numClasses() - 1)) % test0.numClasses();
        Dataset train = withCode(train0, train0.labels(), train0.labels(), "training images with their label in the corner");
        Dataset cheatTest = withCode(test0, test0.labels(), test0.labels(), "test images with their label in the corner");
        // Labelled with the wrong code itself: "accuracy" on it is the fraction of predictions that follow the code.
        Dataset wrongTest = withCode(test0, wrong, wrong, "test images with a wrong label in the corner, labelled with that label");
        Report report = new Report(outputDir, "Dropout and a cheating feature",
                "Dropout notebook part (I) on Fashion-MNIST: the label of every training image is written in binary into its 4 "
                        + "bottom-right pixels (white = 1, black = 0), a shortcut that is perfectly predictive in training. A CNN ("
                        + spec(0.5).replace("DROPOUT0.5", "DROPOUTp") + ", the notebook's network with half the channels) is "
                        + "trained with SGD (lr " + LR + ", momentum " + MOMENTUM + ", batch " + BATCH + ") for " + epochs
                        + " epochs on " + trainSize + " images of " + fm.source() + ", " + seeds + " seeds per dropout rate p "
                        + "(dropout after each convolution block, as in the notebook). It is then tested on " + testSize
                        + " test images: with their true code, clean (corner as in the photo), and with a wrong label's code.");
        report.setting("seed", seed).setting("quick", quick).setting("train_images", trainSize).setting("test_images", testSize)
                .setting("epochs", epochs).setting("seeds", seeds).setting("lr", LR).setting("momentum", MOMENTUM).setting("batch", BATCH)
                .setting("data", fm.source());
        Results res = report.results();

        ImageGrid grid = Figures.grid(4, "Training images with the cheating code in the bottom-right corner (label in binary)");
        grid.row("clean", Figures.examples(train0, 8, Style.GRAY_UNIT));
        List<ImageGrid.Tile> coded = new ArrayList<>();
        for (ImageGrid.Tile t : Figures.examples(train, 8, Style.GRAY_UNIT)) {
            int label = train.label(coded.size());
            String bits = String.format(Locale.ROOT, "%" + BITS + "s", Integer.toBinaryString(label)).replace(' ', '0');
            coded.add(new ImageGrid.Tile(t.values(), t.height(), t.width(), label + " = " + bits, t.style()));
        }
        grid.row("with code", coded);
        report.figure("examples", grid, "The first training images, as photographed and with the code: the last four pixels of the "
                + "bottom row spell the class number in binary (e.g. sneaker = 7 = 0111: black, white, white, white).");

        progress.phase("networks", rates.length * seeds);
        Outcome[][] out = new Outcome[rates.length][seeds];
        List<List<?>> rows = new ArrayList<>();
        for (int r = 0; r < rates.length; r++)
            for (int s = 0; s < seeds; s++) {
                long runSeed = seed + 1000L * s;
                Sequential net = ModelBuilder.build(Spec.parse(spec(rates[r])), FeatureShape.image(train.height(), train.width(), train.channels()),
                        new Rng(runSeed));
                Optimizer opt = Optimizers.create("sgd", net, LR, MOMENTUM, 0);
                Training.run(net, opt, train, cheatTest, steps, BATCH, steps, runSeed + 1);
                double follows = Training.accuracy(net, wrongTest);
                out[r][s] = new Outcome(Training.accuracy(net, train), Training.accuracy(net, cheatTest), Training.accuracy(net, test0), follows);
                Outcome o = out[r][s];
                rows.add(List.of(rates[r], s, o.trainAcc(), o.cheatTestAcc(), o.cleanTestAcc(), o.followsWrongCode()));
                progress.step(String.format(Locale.ROOT, "p %.2f, seed %d", rates[r], s));
            }
        report.table("outcomes", List.of("dropout_rate", "seed", "train_acc_with_code", "test_acc_with_code", "test_acc_clean",
                "follows_wrong_code"), rows, "every network: accuracy on its training images, on test images with the true code and "
                + "clean, and the fraction of test images with a wrong label's code that it classifies as that wrong label");

        double[][] trainAcc = pick(out, Outcome::trainAcc), cheatAcc = pick(out, Outcome::cheatTestAcc),
                clean = pick(out, Outcome::cleanTestAcc), follows = pick(out, Outcome::followsWrongCode);
        XYChart acc = Charts.line("Accuracy against dropout rate (mean line, one dot per seed)", "dropout rate p", "accuracy");
        double[] mTrain = Charts.meanWithRuns(acc, "training images (with code)", rates, trainAcc, Charts.PALETTE[0]);
        double[] mCheat = Charts.meanWithRuns(acc, "test images with the true code", rates, cheatAcc, Charts.PALETTE[2]);
        double[] mClean = Charts.meanWithRuns(acc, "clean test images (no code)", rates, clean, Charts.PALETTE[1]);
        acc.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        double[] mFollow = mean(follows);
        int last = rates.length - 1;
        res.put("dropout_rates", rates).put("train_acc_with_code", mTrain).put("test_acc_with_code", mCheat).put("test_acc_clean", mClean)
                .put("follows_wrong_code", mFollow);
        res.put("clean_acc_no_dropout", mClean[0]).put("clean_acc_max_dropout", mClean[last])
                .put("follows_wrong_code_no_dropout", mFollow[0]).put("follows_wrong_code_max_dropout", mFollow[last]);
        StringBuilder perRate = new StringBuilder();
        for (int r = 0; r < rates.length; r++)
            perRate.append(String.format(Locale.ROOT, "%sp = %.2f: %.1f%% on training images, %.1f%% on coded test images, %.1f%% on clean "
                    + "ones, follows a wrong code %.1f%%", r == 0 ? "" : "; ", rates[r], 100 * mTrain[r], 100 * mCheat[r], 100 * mClean[r],
                    100 * mFollow[r]));
        int bestClean = 0;
        for (int r = 1; r < rates.length; r++) if (mClean[r] > mClean[bestClean]) bestClean = r;
        report.figure("accuracy", acc, String.format(Locale.ROOT, "Without dropout the network reads the corner: %.1f%% on its "
                + "training images and %.1f%% on test images that carry the code, but only %.1f%% on clean test images (chance 10%%): "
                + "it learned the garments only partly. Dropout lowers the coded accuracy and raises the clean one (best at p = %.2f, "
                + "%.1f%%). Means over seeds: %s. The dots are the single seeds.", 100 * mTrain[0], 100 * mCheat[0], 100 * mClean[0],
                rates[bestClean], 100 * mClean[bestClean], perRate));

        XYChart fc = Charts.line("How often the network follows a wrong code in the corner", "dropout rate p",
                "fraction of test images classified as the code's label");
        Charts.meanWithRuns(fc, "predicts the (wrong) label written in the corner", rates, follows, Charts.PALETTE[3]);
        fc.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        report.figure("follows_code", fc, String.format(Locale.ROOT, "Test images whose corner spells a wrong label (true garment, "
                + "false code): the fraction classified as the code's label measures how much the network relies on the cheating "
                + "feature. Without dropout %.1f%%, with p = %.2f %.1f%% (one dot per seed).", 100 * mFollow[0], rates[last],
                100 * mFollow[last]));

        report.section("What this shows (notebook part I)", String.format(Locale.ROOT, "The code is a perfect predictor in "
                + "training and cheap to learn, so without dropout it becomes a main input: the network follows a wrong code "
                + "%.0f%% of the time and recognises %.0f%% of clean test images. Dropout after the convolutions removes the few "
                + "activations that carry the code in many steps (with p = %.2f a given activation survives only %.0f%% of the "
                + "time), so the code is an unreliable input during training, while the garment's shape is spread over many "
                + "activations and survives: with p = %.2f the network follows a wrong code only %.0f%% of the time. %s on clean "
                + "data (%s). Too much dropout also slows the learning of the garments in this short training, so clean accuracy "
                + "need not rise all the way to the largest p.", 100 * mFollow[0], 100 * mClean[0], rates[last],
                100 * (1 - rates[last]), rates[last], 100 * mFollow[last],
                allBetter(mClean) ? "Every dropout rate does better than none" : bestClean > 0
                        ? "The best network on clean images is one trained with dropout" : "Here dropout does not do better",
                perRate));
        report.write();
        return res;
    }

    private static double[][] pick(Outcome[][] out, java.util.function.ToDoubleFunction<Outcome> f) {
        double[][] v = new double[out.length][];
        for (int i = 0; i < out.length; i++) v[i] = Arrays.stream(out[i]).mapToDouble(f).toArray();
        return v;
    }

    /** Whether every entry after the first is larger than the first. */
    private static boolean allBetter(double[] v) {
        for (int i = 1; i < v.length; i++) if (!(v[i] > v[0])) return false;
        return true;
    }

    private static double[] mean(double[][] v) {
        double[] m = new double[v.length];
        for (int i = 0; i < v.length; i++) m[i] = Arrays.stream(v[i]).average().orElseThrow();
        return m;
    }
}
