package convlab.experiment;

import convlab.data.Dataset;
import convlab.data.FashionMnist;
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
import convlab.train.Trainer;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Homework 5's dropout on a CNN: the course CNN with a hidden fully connected layer, trained on a small part of
 * Fashion-MNIST for many epochs with and without dropout (p = 0.5 before and after the hidden layer). Without dropout
 * the training accuracy runs to ~100% while the validation accuracy stalls: a growing train/validation gap. With
 * dropout the gap stays smaller. Train and validation are both measured in eval mode (dropout off) after every epoch,
 * so the gap is not inflated by the dropout noise in the training loss.
 */
public final class DropoutCnn implements Experiment {
    static final String PLAIN = "CONV3-10 RELU POOL2 CONV3-10 RELU POOL2 FLATTEN FC-128 RELU FC-10";
    static final String DROPOUT = "CONV3-10 RELU POOL2 CONV3-10 RELU POOL2 FLATTEN DROPOUT0.5 FC-128 RELU DROPOUT0.5 FC-10";
    static final double LR = 0.003;
    static final int BATCH = 32;

    @Override public String name() { return "dropout-cnn"; }

    @Override public String description() {
        return "homework 5 dropout on a CNN: train/validation accuracy gap over epochs with and without dropout (Fashion-MNIST)";
    }

    /** Per-epoch measurements of one run (eval mode): train and validation accuracy and loss. */
    record Curves(double[] trainAcc, double[] valAcc, double[] trainLoss, double[] valLoss) {
        double[] gap() {
            double[] g = new double[trainAcc.length];
            for (int i = 0; i < g.length; i++) g[i] = trainAcc[i] - valAcc[i];
            return g;
        }
    }

    static Curves train(String spec, Dataset train, Dataset val, int epochs, long seed) {
        Sequential net = ModelBuilder.build(Spec.parse(spec), FeatureShape.image(train.height(), train.width(), train.channels()), new Rng(seed));
        Optimizer opt = Optimizers.create("adam", net, LR, 0, 0);
        int stepsPerEpoch = (train.size() + BATCH - 1) / BATCH;
        List<Trainer.Evaluation> onTrain = new ArrayList<>();
        var trainBatches = convlab.train.LoaderBatches.inOrder(train, 500);
        // The shared loop evaluates on val once per epoch; the probe evaluates the training images at the same moments.
        Training.Curve c = Training.run(net, opt, train, val, epochs * stepsPerEpoch, BATCH, stepsPerEpoch, seed + 1, m -> {
            Trainer.Evaluation e = Trainer.evaluate(m, trainBatches, train.numClasses());
            onTrain.add(e);
            return e.accuracy();
        });
        double[] trainLoss = onTrain.stream().mapToDouble(Trainer.Evaluation::loss).toArray();
        return new Curves(Training.Curve.array(c.probe()), Training.Curve.array(c.valAccuracy()), trainLoss, Training.Curve.array(c.valLoss()));
    }

    @Override
    public Results run(Path outputDir, boolean quick, long seed, ExperimentProgress progress) {
        FashionMnist fm = Nets.fashionMnist(quick);
        int trainSize = Math.min(fm.train().size(), quick ? 500 : 2_000), valSize = Math.min(fm.test().size(), quick ? 600 : 2_000);
        int epochs = quick ? 15 : 20, seeds = quick ? 2 : 3;
        Dataset train = fm.train().subset(IntStream.range(0, trainSize).toArray(), "first " + trainSize + " training images");
        Dataset val = fm.test().subset(IntStream.range(0, valSize).toArray(), "first " + valSize + " test images");
        Report report = new Report(outputDir, "Dropout on a CNN: the train/validation gap",
                "The course CNN with a hidden layer, " + PLAIN + ", and the same network with dropout 0.5 before and after the "
                        + "hidden layer (" + DROPOUT + "), trained with Adam (lr " + LR + ", batch " + BATCH + ") for " + epochs
                        + " epochs on the first " + trainSize + " training images of " + fm.source() + " (few images, many epochs: "
                        + "the setting where a network overfits), " + seeds + " seeds each (the same seeds for both "
                        + "networks per seed). After every epoch, accuracy and loss on those training images and on " + valSize
                        + " test images, both in eval mode (dropout off).");
        report.setting("seed", seed).setting("quick", quick).setting("train_images", trainSize).setting("val_images", valSize)
                .setting("epochs", epochs).setting("seeds", seeds).setting("lr", LR).setting("batch", BATCH).setting("data", fm.source());
        Results res = report.results();
        progress.phase("networks", 2 * seeds);
        Curves[] plain = new Curves[seeds], drop = new Curves[seeds];
        List<List<?>> rows = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
            long runSeed = seed + 1000L * s;
            plain[s] = train(PLAIN, train, val, epochs, runSeed);
            progress.step("no dropout, seed " + s);
            drop[s] = train(DROPOUT, train, val, epochs, runSeed);
            progress.step("dropout, seed " + s);
            for (int e = 0; e < epochs; e++) {
                rows.add(List.of("none", s, e + 1, plain[s].trainAcc()[e], plain[s].valAcc()[e], plain[s].trainLoss()[e], plain[s].valLoss()[e]));
                rows.add(List.of("0.5", s, e + 1, drop[s].trainAcc()[e], drop[s].valAcc()[e], drop[s].trainLoss()[e], drop[s].valLoss()[e]));
            }
        }
        report.table("curves", List.of("dropout", "seed", "epoch", "train_acc", "val_acc", "train_loss", "val_loss"), rows,
                "per epoch and seed, eval-mode accuracy and loss on the training images and the validation images");
        double[] ep = IntStream.rangeClosed(1, epochs).asDoubleStream().toArray();

        XYChart acc = Charts.line("Train and validation accuracy per epoch (mean line, one dot per seed)", "epoch", "accuracy (eval mode)");
        double[] pTrain = meanRuns(acc, "no dropout: training images", ep, plain, Curves::trainAcc, Charts.PALETTE[1], false);
        double[] pVal = meanRuns(acc, "no dropout: validation images", ep, plain, Curves::valAcc, Charts.PALETTE[1], true);
        double[] dTrain = meanRuns(acc, "dropout 0.5: training images", ep, drop, Curves::trainAcc, Charts.PALETTE[0], false);
        double[] dVal = meanRuns(acc, "dropout 0.5: validation images", ep, drop, Curves::valAcc, Charts.PALETTE[0], true);
        int last = epochs - 1;
        double gapPlain = pTrain[last] - pVal[last], gapDrop = dTrain[last] - dVal[last];
        res.put("final_train_acc_no_dropout", pTrain[last]).put("final_val_acc_no_dropout", pVal[last])
                .put("final_train_acc_dropout", dTrain[last]).put("final_val_acc_dropout", dVal[last])
                .put("final_gap_no_dropout", gapPlain).put("final_gap_dropout", gapDrop)
                .put("best_val_acc_no_dropout", max(pVal)).put("best_val_acc_dropout", max(dVal));
        report.figure("accuracy", acc, String.format(Locale.ROOT, "Solid: training images, dashed: validation images; orange without "
                + "dropout, blue with. After %d epochs, without dropout %.1f%% train against %.1f%% validation (gap %.1f points); with "
                + "dropout %.1f%% against %.1f%% (gap %.1f points). Dots: the single seeds.", epochs, 100 * pTrain[last],
                100 * pVal[last], 100 * gapPlain, 100 * dTrain[last], 100 * dVal[last], 100 * gapDrop));

        XYChart gap = Charts.line("Train − validation accuracy gap per epoch (mean line, one dot per seed)", "epoch",
                "train accuracy − validation accuracy");
        double[][] gp = perEpoch(plain, Curves::gap), gd = perEpoch(drop, Curves::gap);
        Charts.meanWithRuns(gap, "no dropout", ep, gp, Charts.PALETTE[1]);
        Charts.meanWithRuns(gap, "dropout 0.5 before and after FC-128", ep, gd, Charts.PALETTE[0]);
        res.put("gap_no_dropout", mean(gp)).put("gap_dropout", mean(gd));
        report.figure("gap", gap, String.format(Locale.ROOT, "The generalisation gap over training. Without dropout it keeps "
                + "growing as the network memorises its %d training images (%.1f points after %d epochs); with dropout it grows "
                + "more slowly (%.1f points), because every step trains a different random half of the hidden units and no unit "
                + "can rely on particular others being present to fit single images.", trainSize, 100 * gapPlain, epochs, 100 * gapDrop));

        XYChart loss = Charts.line("Validation loss per epoch (mean line, one dot per seed)", "epoch", "validation cross-entropy (eval mode)");
        double[] pvl = meanRuns(loss, "no dropout", ep, plain, Curves::valLoss, Charts.PALETTE[1], false);
        double[] dvl = meanRuns(loss, "dropout 0.5", ep, drop, Curves::valLoss, Charts.PALETTE[0], false);
        int best = argmin(pvl);
        res.put("val_loss_no_dropout", pvl).put("val_loss_dropout", dvl);
        report.figure("val_loss", loss, String.format(Locale.ROOT, "Validation loss: without dropout it is lowest after epoch %d "
                + "(%.3f) and then rises to %.3f while the accuracy stays flat: the network grows more confident on the images it "
                + "gets wrong. With dropout it ends at %.3f.", best + 1, pvl[best], pvl[last], dvl[last]));
        report.section("What this shows", String.format(Locale.ROOT, "With %d training images the network without dropout fits "
                + "them almost perfectly (%.1f%%) but reaches %.1f%% on new images; dropout keeps training accuracy lower (%.1f%%) "
                + "and validation accuracy %s (%.1f%%): the train/validation gap shrinks from %.1f to %.1f points.", trainSize,
                100 * pTrain[last], 100 * pVal[last], 100 * dTrain[last], dVal[last] >= pVal[last] ? "as high or higher" : "slightly lower",
                100 * dVal[last], 100 * gapPlain, 100 * gapDrop));
        report.write();
        return res;
    }

    private static double[] meanRuns(XYChart c, String name, double[] x, Curves[] runs, java.util.function.Function<Curves, double[]> f,
                                     Color color, boolean dashed) {
        double[] m = Charts.meanWithRuns(c, name, x, perEpoch(runs, f), color);
        XYSeries s = c.getSeriesMap().get(name);
        s.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        s.setLineWidth(2f);
        if (dashed) s.setLineStyle(new java.awt.BasicStroke(2f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_ROUND, 10f,
                new float[] {7f, 5f}, 0f));
        return m;
    }

    /** repeats[epoch][seed] of a per-epoch quantity. */
    private static double[][] perEpoch(Curves[] runs, java.util.function.Function<Curves, double[]> f) {
        int epochs = f.apply(runs[0]).length;
        double[][] v = new double[epochs][runs.length];
        for (int s = 0; s < runs.length; s++) {
            double[] a = f.apply(runs[s]);
            for (int e = 0; e < epochs; e++) v[e][s] = a[e];
        }
        return v;
    }

    private static double[] mean(double[][] v) {
        double[] m = new double[v.length];
        for (int i = 0; i < v.length; i++) for (double x : v[i]) m[i] += x / v[i].length;
        return m;
    }

    private static double max(double[] v) { double m = Double.NEGATIVE_INFINITY; for (double x : v) m = Math.max(m, x); return m; }

    private static int argmin(double[] v) { int b = 0; for (int i = 1; i < v.length; i++) if (v[i] < v[b]) b = i; return b; }
}
