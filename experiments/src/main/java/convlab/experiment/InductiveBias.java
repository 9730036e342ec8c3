package convlab.experiment;

import convlab.data.Dataset;
import convlab.data.EdgeImages;
import convlab.data.EdgeImages.Region;
import convlab.experiment.Nets.GlobalPool;
import convlab.geometry.PaddingMode;
import convlab.nn.Parameter;
import convlab.nn.Sequential;
import convlab.optim.Adam;
import convlab.optim.Optimizer;
import convlab.report.Charts;
import convlab.report.ImageGrid.Style;
import convlab.report.ImageGrid.Tile;
import convlab.report.Report;
import convlab.report.Results;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;
import org.knowm.xchart.XYChart;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The course's inductive-bias study (hw4 problem 6) on synthetic edge images: a one-layer CNN with global
 * pooling against an MLP — tiny training sets, a sweep over training-set size, frozen random vs edge-detector
 * filters, domain shift, a position task where the CNN's invariance hurts, and max vs average pooling.
 */
public final class InductiveBias implements Experiment {
    static final EdgeImages.Config IMAGES = EdgeImages.Config.DEFAULT;           // 24×24, segments of 9 px, noise 0.15
    static final double[] TWO = {0, 90}, FOUR = {0, 45, 90, 135};
    static final int CHANNELS = 4, HIDDEN = 64, BATCH = 32;
    static final double LR = 0.01;

    @Override public String name() { return "inductive-bias"; }

    @Override public String description() {
        return "CNN vs MLP on synthetic edge images: data efficiency, learned filters, frozen filters, domain shift, position task, pooling";
    }

    /** Sizes and repetitions of one run. */
    record Plan(int steps, int valPerClass, int[] perClass, int seeds, int shiftPerClass, int[] kernels, int[] classesPerClass) {
        static Plan of(boolean quick) {
            return quick
                    ? new Plan(120, 100, new int[] {2, 10, 50}, 1, 30, new int[] {3, 9}, new int[] {10})
                    : new Plan(400, 300, new int[] {1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000, 2000}, 3, 100, new int[] {3, 5, 7, 9, 13}, new int[] {5, 10, 20, 50, 100});
        }
    }

    /** Hand-made 3×3 line detectors for 0°, 90°, 45° and 135° segments (zero sum: blind to flat regions). */
    static final double[][][] EDGE_DETECTORS = {
            {{-1, -1, -1}, {2, 2, 2}, {-1, -1, -1}},
            {{-1, 2, -1}, {-1, 2, -1}, {-1, 2, -1}},
            {{-1, -1, 2}, {-1, 2, -1}, {2, -1, -1}},
            {{2, -1, -1}, {-1, 2, -1}, {-1, -1, 2}}};

    // the state of the run in progress (run() sets them; an instance runs one study at a time)
    private Report report;
    private Results res;
    private Plan plan;
    private ExperimentProgress progress;
    private long seed;

    @Override
    public Results run(Path outputDir, boolean quick, long seed, ExperimentProgress progress) {
        this.plan = Plan.of(quick);
        this.progress = progress;
        this.seed = seed;
        report = new Report(outputDir, "Inductive bias of CNNs: edges, CNN vs MLP",
                "Synthetic " + IMAGES.size() + "×" + IMAGES.size() + " images of a thin line segment (" + (int) IMAGES.length()
                        + " px) at a few orientations, with Gaussian pixel noise σ = " + IMAGES.noise() + ". The CNN is "
                        + "CONV3-" + CHANNELS + " → ReLU → global max pool → FC; the MLP is FC-" + HIDDEN + " → ReLU → FC. Both are "
                        + "trained with Adam (lr " + LR + ") for " + plan.steps() + " steps on mini-batches of " + BATCH + ".");
        report.setting("seed", seed).setting("quick", quick).setting("steps", plan.steps()).setting("validation_per_class", plan.valPerClass())
                .setting("seeds_per_point", plan.seeds()).setting("image_size", IMAGES.size()).setting("noise", IMAGES.noise());
        res = report.results();
        int trainings = 2 + plan.perClass().length * plan.seeds() * 4 + 2 + plan.kernels().length + 1 + plan.classesPerClass().length * 2 * plan.seeds();
        progress.phase("inductive bias", trainings);

        samples();
        overfitTinySet();
        sweep();
        domainShift();
        positionTask();
        moreClassesPooling();
        GapInvariance.measure(report, seed);
        report.write();
        return res;
    }

    private Dataset orientations(double[] angles, Region region, int perClass, long s) {
        return EdgeImages.orientations(IMAGES, angles, region, perClass, s);
    }

    private Dataset validation(double[] angles, Region region) { return orientations(angles, region, plan.valPerClass(), seed + 999_001); }

    private Sequential cnn(int kernel, GlobalPool pool, int classes, long s) {
        return Nets.smallCnn(IMAGES.size(), CHANNELS, kernel, PaddingMode.ZEROS, pool, classes, new Rng(s));
    }

    private Sequential mlp(int classes, long s) { return Nets.mlp(IMAGES.size() * IMAGES.size(), HIDDEN, classes, new Rng(s)); }

    private Training.Curve train(Sequential net, List<Parameter> trainable, Dataset train, Dataset val, long s, String note) {
        return train(net, trainable, train, val, plan.steps(), s, note);
    }

    private Training.Curve train(Sequential net, List<Parameter> trainable, Dataset train, Dataset val, int steps, long s, String note) {
        Optimizer opt = new Adam(trainable, LR, 0.9, 0.999, 1e-8, 0, false);
        Training.Curve c = Training.run(net, opt, train, val, steps, BATCH, Math.max(1, steps / 20), s);
        progress.step(note);
        return c;
    }

    private Training.Curve train(Sequential net, Dataset train, Dataset val, long s, String note) {
        return train(net, net.parameters(), train, val, s, note);
    }

    private void samples() {
        var grid = Figures.grid(4, "Examples: orientation task, domain shift (left / right half), position task");
        grid.row("orientations", Figures.examples(orientations(FOUR, Region.ANYWHERE, 2, seed + 5), 8, Style.GRAY_AUTO));
        grid.row("left half", Figures.examples(orientations(TWO, Region.LEFT_HALF, 3, seed + 6), 6, Style.GRAY_AUTO));
        grid.row("right half", Figures.examples(orientations(TWO, Region.RIGHT_HALF, 3, seed + 7), 6, Style.GRAY_AUTO));
        grid.row("position", Figures.examples(EdgeImages.leftOrRight(IMAGES, TWO, 3, seed + 8), 6, Style.GRAY_AUTO));
        report.figure("samples", grid, "Training examples of each task, captioned with their class. Each segment is one pixel "
                + "wide; the noise makes a pixel-by-pixel template (what an MLP can learn from few images) unreliable.");
    }

    /** Q1: overfit 5 images per class; show learned vs untrained vs hand-made filters. */
    private void overfitTinySet() {
        Dataset train = orientations(TWO, Region.ANYWHERE, 5, seed + 1), val = validation(TWO, Region.ANYWHERE);
        Sequential net = cnn(3, GlobalPool.MAX, 2, seed + 11);
        Tensor untrained = Nets.firstConv(net).weight().copy();
        // three times the usual steps: long after the training set is fitted, as in the course's notebook
        Training.Curve c = train(net, net.parameters(), train, val, 3 * plan.steps(), seed + 12, "overfit CNN");
        Sequential m = mlp(2, seed + 13);
        Training.Curve cm = train(m, train, val, seed + 14, "overfit MLP");
        res.put("overfit_cnn_train_acc", Training.accuracy(net, train)).put("overfit_cnn_val_acc", c.finalAccuracy())
                .put("overfit_mlp_train_acc", Training.accuracy(m, train)).put("overfit_mlp_val_acc", cm.finalAccuracy());
        double before = edgeLikeness(untrained), after = edgeLikeness(Nets.firstConv(net).weight());
        res.put("filter_edge_likeness_untrained", before).put("filter_edge_likeness_learned", after);
        var grid = Figures.grid(30, "First-layer filters (blue < 0 < red; each tile's bar gives its scale)");
        grid.row("untrained", Figures.filters(untrained, "filter "));
        grid.row("learned", Figures.filters(Nets.firstConv(net).weight(), "filter "));
        List<Tile> edges = new ArrayList<>();
        String[] names = {"0°", "90°", "45°", "135°"};
        for (int i = 0; i < EDGE_DETECTORS.length; i++) edges.add(Figures.tile(EDGE_DETECTORS[i], names[i] + " line", Style.DIVERGING).withValues());
        grid.row("edge detectors", edges);
        report.section("1. Overfitting 5 images per class", String.format(Locale.ROOT,
                "Both models fit the 10 training images (train accuracy CNN %s, MLP %s); on fresh images the CNN reaches %s "
                        + "and the MLP %s.", Figures.pct(res.number("overfit_cnn_train_acc")), Figures.pct(res.number("overfit_mlp_train_acc")),
                Figures.pct(c.finalAccuracy()), Figures.pct(cm.finalAccuracy())));
        report.figure("filters", grid, String.format(Locale.ROOT, "The CNN's 3×3 filters before and after training on 5 images "
                + "per class, beside hand-made line detectors. How line-detector-like a filter is: the largest |cosine| between the "
                + "filter (minus its mean) and one of the four detectors, averaged over the filters: %.2f untrained, %.2f learned. "
                + "%s", before, after, after > before
                ? "Training moves the filters towards the detectors' oriented-bar pattern, but only part of the way: ten images "
                + "of two classes can be separated by a few strong weights, so the filters need not become clean detectors."
                : "Ten images do not push the filters towards clean detectors: a few strong weights suffice to separate two classes."));
    }

    /** The models of the data-efficiency study (section 2), by the names a sweep gives them. */
    public static final List<String> DATA_EFFICIENCY_MODELS = List.of("cnn", "mlp", "frozen-random", "frozen-edges");

    /** The training-set sizes (images per class) of the data-efficiency study, quick or full. */
    public static int[] dataEfficiencySizes(boolean quick) { return Plan.of(quick).perClass().clone(); }

    /** Repetitions per size of the data-efficiency study, quick or full. */
    public static int dataEfficiencyRepeats(boolean quick) { return Plan.of(quick).seeds(); }

    /**
     * One training of the data-efficiency study, as {@code experiment inductive-bias} runs it (with the same quick, seed):
     * model (one of {@link #DATA_EFFICIENCY_MODELS}) on the point-th training-set size, repetition rep. Returns the
     * validation accuracy at each evaluation and, last, the loss at each ({@code [accuracies..., losses...]}); the last
     * accuracy is the number the study's table and chart show (sweep.csv).
     */
    public static double[] dataEfficiencyTrial(boolean quick, long seed, int point, int rep, String model) {
        Plan plan = Plan.of(quick);
        if (point < 0 || point >= plan.perClass().length) throw new IllegalArgumentException("no training-set size number " + point);
        if (rep < 0 || rep >= plan.seeds()) throw new IllegalArgumentException("repetition " + rep + " is not in 0.." + (plan.seeds() - 1));
        if (!DATA_EFFICIENCY_MODELS.contains(model))
            throw new IllegalArgumentException("model " + model + " is not one of " + String.join(", ", DATA_EFFICIENCY_MODELS));
        Dataset val = EdgeImages.orientations(IMAGES, TWO, Region.ANYWHERE, plan.valPerClass(), seed + 999_001);
        Training.Curve c = dataEfficiency(plan, seed, point, rep, model, val);
        double[] acc = Training.Curve.array(c.valAccuracy()), loss = Training.Curve.array(c.valLoss());
        double[] out = java.util.Arrays.copyOf(acc, acc.length + loss.length);
        System.arraycopy(loss, 0, out, acc.length, loss.length);
        return out;
    }

    /** The one home of a data-efficiency training: its data, model, seeds and frozen layers (section 2 and sweeps). */
    private static Training.Curve dataEfficiency(Plan plan, long seed, int i, int r, String model, Dataset val) {
        long s = seed + 1000L * (i + 1) + 10L * r;
        Dataset train = EdgeImages.orientations(IMAGES, TWO, Region.ANYWHERE, plan.perClass()[i], s);
        Sequential net = model.equals("mlp") ? Nets.mlp(IMAGES.size() * IMAGES.size(), HIDDEN, 2, new Rng(s + 3))
                : Nets.smallCnn(IMAGES.size(), CHANNELS, 3, PaddingMode.ZEROS, GlobalPool.MAX, 2, new Rng(model.equals("cnn") ? s + 1 : s + 5));
        if (model.equals("frozen-edges")) setEdgeDetectors(net);
        List<Parameter> trainable = model.startsWith("frozen") ? Nets.head(net).parameters() : net.parameters();
        long trainSeed = model.equals("cnn") ? s + 2 : model.equals("mlp") ? s + 4 : s + 6;
        Optimizer opt = new Adam(trainable, LR, 0.9, 0.999, 1e-8, 0, false);
        return Training.run(net, opt, train, val, plan.steps(), BATCH, Math.max(1, plan.steps() / 20), trainSeed);
    }

    /** Q2, Q3: validation accuracy against training-set size; frozen random vs edge-detector filters. */
    private void sweep() {
        int[] ns = plan.perClass();
        Dataset val = validation(TWO, Region.ANYWHERE);
        double[] x = new double[ns.length], cnnAcc = new double[ns.length], mlpAcc = new double[ns.length],
                frozenRandom = new double[ns.length], frozenEdges = new double[ns.length];
        double[][] cnnRuns = new double[ns.length][plan.seeds()], mlpRuns = new double[ns.length][plan.seeds()],
                randomRuns = new double[ns.length][plan.seeds()], edgeRuns = new double[ns.length][plan.seeds()];
        List<List<?>> rows = new ArrayList<>();
        Training.Curve cnnCurve10 = null, mlpCurve10 = null;
        for (int i = 0; i < ns.length; i++) {
            x[i] = ns[i];
            for (int r = 0; r < plan.seeds(); r++) {
                Training.Curve c = dataEfficiency(plan, seed, i, r, "cnn", val);
                progress.step("sweep CNN n=" + ns[i]);
                Training.Curve m = dataEfficiency(plan, seed, i, r, "mlp", val);
                progress.step("sweep MLP n=" + ns[i]);
                Training.Curve f1 = dataEfficiency(plan, seed, i, r, "frozen-random", val);
                progress.step("frozen random n=" + ns[i]);
                Training.Curve f2 = dataEfficiency(plan, seed, i, r, "frozen-edges", val);
                progress.step("frozen edges n=" + ns[i]);
                cnnRuns[i][r] = c.finalAccuracy();
                mlpRuns[i][r] = m.finalAccuracy();
                randomRuns[i][r] = f1.finalAccuracy();
                edgeRuns[i][r] = f2.finalAccuracy();
                cnnAcc[i] += c.finalAccuracy() / plan.seeds();
                mlpAcc[i] += m.finalAccuracy() / plan.seeds();
                frozenRandom[i] += f1.finalAccuracy() / plan.seeds();
                frozenEdges[i] += f2.finalAccuracy() / plan.seeds();
                rows.add(List.of(ns[i], r, c.finalAccuracy(), m.finalAccuracy(), f1.finalAccuracy(), f2.finalAccuracy()));
                if (ns[i] == 10 && r == 0) { cnnCurve10 = c; mlpCurve10 = m; }
            }
        }
        res.put("sweep_images_per_class", x).put("sweep_cnn_acc", cnnAcc).put("sweep_mlp_acc", mlpAcc)
                .put("frozen_random_acc", frozenRandom).put("frozen_edge_acc", frozenEdges)
                .put("frozen_edge_minus_random_min", minMargin(frozenEdges, frozenRandom));
        report.table("sweep", List.of("images_per_class", "repeat", "cnn_acc", "mlp_acc", "frozen_random_cnn_acc", "frozen_edge_cnn_acc"),
                rows, "validation accuracy of every training run in the sweep");
        int at10 = indexOf(ns, 10);
        double cnn10 = cnnAcc[at10];
        res.put("cnn_acc_at_10", cnn10).put("mlp_acc_at_10", mlpAcc[at10]);
        double match = Double.NaN, match90 = Double.NaN;
        for (int i = ns.length - 1; i >= 0 && mlpAcc[i] >= cnn10; i--) match = ns[i];        // from here on the MLP stays as good
        for (int i = ns.length - 1; i >= 0 && mlpAcc[i] >= 0.9; i--) match90 = ns[i];
        res.put("mlp_images_per_class_for_90", match90).put("mlp_images_per_class_to_match_cnn_at_10", match);

        XYChart c = Charts.logX("Validation accuracy against training-set size", "training images per class (log scale)", "validation accuracy");
        Charts.meanWithRuns(c, "CNN (conv 3×3, global max pool)", x, cnnRuns, Charts.PALETTE[0]);
        Charts.meanWithRuns(c, "MLP (one hidden layer of " + HIDDEN + ")", x, mlpRuns, Charts.PALETTE[1]);
        Charts.hline(c, "90%", 0.9, x[0], x[x.length - 1]);
        String mlpNeeds = (Double.isNaN(match90) ? "The MLP does not reach 90% within the sweep (up to " + ns[ns.length - 1] + " per class)"
                : "The MLP needs " + (int) match90 + " images per class (" + (int) (match90 / 10) + "× as many) to reach 90%")
                + (Double.isNaN(match) ? " and never matches the CNN's 10-image accuracy here."
                : " and " + (int) match + " per class (" + (int) (match / 10) + "×) to match the CNN's 10-image accuracy.");
        report.figure("sweep", c, String.format(Locale.ROOT, "Mean validation accuracy over %d training run(s) per point (the small dots are "
                        + "the single runs). With 10 images "
                        + "per class the CNN reaches %s and the MLP %s. %s The CNN's weight sharing and pooling build in that a line "
                        + "is a line wherever it is; the MLP must see it lit at every position.", plan.seeds(), Figures.pct(cnn10),
                Figures.pct(mlpAcc[at10]), mlpNeeds));

        if (cnnCurve10 != null) {
            XYChart acc = Charts.line("Training curves with 10 images per class", "optimizer step", "validation accuracy");
            Charts.series(acc, "CNN", cnnCurve10.stepsArray(), Training.Curve.array(cnnCurve10.valAccuracy()));
            Charts.series(acc, "MLP", mlpCurve10.stepsArray(), Training.Curve.array(mlpCurve10.valAccuracy()));
            report.figure("curves_accuracy", acc, "Validation accuracy during training on 10 images per class (every step is one "
                    + "mini-batch of the 20 images, i.e. one epoch).");
            XYChart loss = Charts.line("Validation loss with 10 images per class", "optimizer step", "validation cross-entropy");
            Charts.series(loss, "CNN", cnnCurve10.stepsArray(), Training.Curve.array(cnnCurve10.valLoss()));
            Charts.series(loss, "MLP", mlpCurve10.stepsArray(), Training.Curve.array(mlpCurve10.valLoss()));
            List<Double> ml = mlpCurve10.valLoss(), ma = mlpCurve10.valAccuracy();
            report.figure("curves_loss", loss, String.format(Locale.ROOT, "Validation loss during the same runs. The MLP's "
                    + "validation loss goes from %.2f (step %d) to %.2f while its accuracy goes from %s to %s: once it fits its 20 "
                    + "training images exactly, its answers on new images only grow more confident, right or wrong, so the loss "
                    + "can rise while the accuracy stays or creeps up.", ml.getFirst(), mlpCurve10.steps().getFirst(), ml.getLast(),
                    Figures.pct(ma.getFirst()), Figures.pct(ma.getLast())));
        }

        XYChart f = Charts.logX("Frozen first layer: only the classifier is trained", "training images per class (log scale)", "validation accuracy");
        Charts.meanWithRuns(f, "CNN, all layers trained", x, cnnRuns, Charts.PALETTE[0]);
        Charts.meanWithRuns(f, "frozen random filters", x, randomRuns, Charts.PALETTE[1]);
        Charts.meanWithRuns(f, "frozen edge-detector filters", x, edgeRuns, Charts.PALETTE[2]);
        int last = ns.length - 1;
        report.figure("frozen", f, String.format(Locale.ROOT, "Training only the final layer on top of fixed filters (lines: means; dots: the "
                        + "single runs). With %d image(s) "
                        + "per class: edge detectors %s, random filters %s, fully trained CNN %s; with %d per class: %s, %s and %s. "
                        + "%s", ns[0], Figures.pct(frozenEdges[0]), Figures.pct(frozenRandom[0]), Figures.pct(cnnAcc[0]), ns[last],
                Figures.pct(frozenEdges[last]), Figures.pct(frozenRandom[last]), Figures.pct(cnnAcc[last]),
                frozenEdges[last] < frozenRandom[last]
                        ? "At large data the random filters do better than the hand-made ones: they are not tied to one idea of a "
                        + "line and the classifier can combine whatever they respond to."
                        : String.format(Locale.ROOT, "The course (problem 6, Q2(ii)) reports the opposite at high data: with the "
                        + "first layer frozen, the network started from edge detectors ends below the one with random filters. Here "
                        + "the detectors never fall behind at any size (smallest margin %+.1f points), and the run shows why: with %d "
                        + "image(s) per class the frozen detectors already reach %s, so their pooled responses separate the classes "
                        + "from the start and random filters have nothing left to overtake. These %d detectors are exactly line "
                        + "detectors for the task's orientations of one-pixel segments; generic edge filters on other images fit "
                        + "those less well, which is presumably where random filters win (not tested here: the notebook's images "
                        + "and filters are not part of convlab).", 100 * minMargin(frozenEdges, frozenRandom), ns[0],
                        Figures.pct(frozenEdges[0]), CHANNELS)));
    }

    /** The smallest a[i] − b[i]: how far a stays ahead of b over all sizes. */
    static double minMargin(double[] a, double[] b) {
        double m = Double.POSITIVE_INFINITY;
        for (int i = 0; i < a.length; i++) m = Math.min(m, a[i] - b[i]);
        return m;
    }

    /** Mean over filters of the largest |cosine| between the zero-mean filter and a line detector (3×3 filters). */
    static double edgeLikeness(Tensor weight) {
        double[] w = weight.toDoubleArray();
        int filters = weight.size(0), taps = 9;
        double total = 0;
        for (int o = 0; o < filters; o++) {
            double mean = 0;
            for (int i = 0; i < taps; i++) mean += w[o * taps + i] / taps;
            double best = 0, nf = 0;
            for (int i = 0; i < taps; i++) nf += (w[o * taps + i] - mean) * (w[o * taps + i] - mean);
            for (double[][] d : EDGE_DETECTORS) {
                double dot = 0, nd = 0;
                for (int i = 0; i < taps; i++) { dot += (w[o * taps + i] - mean) * d[i / 3][i % 3]; nd += d[i / 3][i % 3] * d[i / 3][i % 3]; }
                best = Math.max(best, Math.abs(dot) / Math.sqrt(nf * nd + 1e-30));
            }
            total += best;
        }
        return total / filters;
    }

    private static void setEdgeDetectors(Sequential net) {
        var conv = Nets.firstConv(net);
        float[] w = new float[CHANNELS * 9];
        for (int o = 0; o < CHANNELS; o++)
            for (int i = 0; i < 9; i++) w[o * 9 + i] = (float) (EDGE_DETECTORS[o % EDGE_DETECTORS.length][i / 3][i % 3] / 6.0);
        conv.weight().copyFrom(Tensor.of(w, CHANNELS, 1, 3, 3));
        conv.bias().copyFrom(Tensor.zeros(CHANNELS));
    }

    /** Q4: train on segments in the left half, validate on the right half. */
    private void domainShift() {
        Dataset train = orientations(FOUR, Region.LEFT_HALF, plan.shiftPerClass(), seed + 21);
        Dataset val = orientations(FOUR, Region.RIGHT_HALF, plan.valPerClass(), seed + 22);
        Training.Curve c = train(cnn(3, GlobalPool.MAX, 4, seed + 23), train, val, seed + 24, "domain shift CNN");
        Training.Curve m = train(mlp(4, seed + 25), train, val, seed + 26, "domain shift MLP");
        res.put("shift_cnn_acc", c.finalAccuracy()).put("shift_mlp_acc", m.finalAccuracy());
        report.section("Domain shift", "Trained on " + plan.shiftPerClass() + " images per class with the segment in the left half, "
                + "validated on segments in the right half.");
        report.figure("shift_confusion_cnn", Charts.confusion("CNN, validated on the right half: " + Figures.pct(c.finalAccuracy()),
                c.last().confusion(), train.classNames()), "The CNN's filters respond to a line wherever it is and global pooling "
                + "discards where, so moving the segments to the unseen half changes nothing: the confusion matrix is diagonal.");
        report.figure("shift_confusion_mlp", Charts.confusion("MLP, validated on the right half: " + Figures.pct(m.finalAccuracy()),
                m.last().confusion(), train.classNames()), "The MLP learned weights only for the left-half pixels it saw lit; the "
                + "right-half pixels' weights stayed near their random start, so its answers there are close to guesses (or one "
                + "favoured class).");
    }

    /** Q5: label = which half holds the segment; the CNN's translation invariance is now the wrong bias. */
    private void positionTask() {
        int per = plan.shiftPerClass();
        Dataset train = EdgeImages.leftOrRight(IMAGES, TWO, per, seed + 31), val = EdgeImages.leftOrRight(IMAGES, TWO, plan.valPerClass(), seed + 32);
        int[] ks = plan.kernels();
        double[] x = new double[ks.length], acc = new double[ks.length];
        Sequential largest = null;
        for (int i = 0; i < ks.length; i++) {
            Sequential net = Nets.smallCnn(IMAGES.size(), CHANNELS, ks[i], PaddingMode.ZEROS, GlobalPool.AVG, 2, new Rng(seed + 33 + i));
            Training.Curve c = train(net, train, val, seed + 40 + i, "position CNN k=" + ks[i]);
            x[i] = ks[i];
            acc[i] = c.finalAccuracy();
            res.put("position_cnn_acc_k" + ks[i], acc[i]);
            largest = net;
        }
        Training.Curve m = train(mlp(2, seed + 50), train, val, seed + 51, "position MLP");
        res.put("position_mlp_acc", m.finalAccuracy());
        XYChart c = Charts.line("Left or right? (label = the half holding the segment)", "CNN kernel size", "validation accuracy");
        Charts.series(c, "CNN, zero padding, global average pool", x, acc);
        Charts.hline(c, "MLP", m.finalAccuracy(), x[0], x[x.length - 1]);
        Charts.hline(c, "chance", 0.5, x[0], x[x.length - 1]);
        report.figure("position", c, String.format(Locale.ROOT, "When the label depends on absolute position, the CNN's global "
                + "pooling throws away exactly the information needed: the MLP reaches %s, the 3×3 CNN %s. Only zero padding leaks "
                + "position to the CNN (filters overlapping the border see zeros); a larger kernel overlaps the border over more of "
                + "the image: with %d×%d kernels the CNN reaches %s.", Figures.pct(m.finalAccuracy()), Figures.pct(acc[0]),
                ks[ks.length - 1], ks[ks.length - 1], Figures.pct(acc[ks.length - 1])));
        var grid = Figures.grid(10, "Filters of the " + ks[ks.length - 1] + "×" + ks[ks.length - 1] + " CNN on the position task");
        grid.row("learned", Figures.filters(Nets.firstConv(largest).weight(), "filter "));
        report.figure("position_filters", grid, "Large filters trained on the position task: they are lopsided, one side weighted "
                + "differently from the other, so that near a border (where the padding is zero) their response differs between the left "
                + "and the right half.");
    }

    /** Q6: four orientations; global max vs global average pooling. */
    private void moreClassesPooling() {
        int[] ns = plan.classesPerClass();
        Dataset val = validation(FOUR, Region.ANYWHERE);
        double[] x = new double[ns.length], max = new double[ns.length], avg = new double[ns.length];
        double[][] maxRuns = new double[ns.length][plan.seeds()], avgRuns = new double[ns.length][plan.seeds()];
        for (int i = 0; i < ns.length; i++) {
            x[i] = ns[i];
            for (int r = 0; r < plan.seeds(); r++) {
                long s0 = seed + 5000 + 100L * i + 10L * r;
                Dataset train = orientations(FOUR, Region.ANYWHERE, ns[i], s0);
                maxRuns[i][r] = train(cnn(3, GlobalPool.MAX, 4, s0 + 1), train, val, s0 + 2, "4 classes max pool").finalAccuracy();
                avgRuns[i][r] = train(cnn(3, GlobalPool.AVG, 4, s0 + 1), train, val, s0 + 3, "4 classes avg pool").finalAccuracy();
                max[i] += maxRuns[i][r] / plan.seeds();
                avg[i] += avgRuns[i][r] / plan.seeds();
            }
        }
        double avgSpread = 0, maxSpread = 0;   // the widest range of single runs at one size
        for (int i = 0; i < ns.length; i++) {
            avgSpread = Math.max(avgSpread, Arrays.stream(avgRuns[i]).max().orElseThrow() - Arrays.stream(avgRuns[i]).min().orElseThrow());
            maxSpread = Math.max(maxSpread, Arrays.stream(maxRuns[i]).max().orElseThrow() - Arrays.stream(maxRuns[i]).min().orElseThrow());
        }
        res.put("classes4_avg_pool_widest_run_range", avgSpread).put("classes4_max_pool_widest_run_range", maxSpread);
        res.put("classes4_images_per_class", x).put("classes4_max_pool_acc", max).put("classes4_avg_pool_acc", avg);
        XYChart c = Charts.fineLogTicks(Charts.logX("Four orientations: global max vs average pooling", "training images per class (log scale)",
                "validation accuracy"));
        Charts.meanWithRuns(c, "global max pool", x, maxRuns, Charts.PALETTE[0]);
        Charts.meanWithRuns(c, "global average pool", x, avgRuns, Charts.PALETTE[1]);
        int last = ns.length - 1;
        report.figure("pooling", c, String.format(Locale.ROOT, "Classifying 0°, 45°, 90° and 135° segments, mean over %d run(s) per "
                + "point, dots the single runs (%d images per class: max pool %s, average pool %s). The single runs of average "
                + "pooling spread over up to %s at one size (max pooling: %s): whether a run finds filters whose average over the "
                + "whole image still separates four orientations depends on its initial weights, so its mean is unsteady. Max pooling reports the strongest response anywhere, which is what matters when the "
                + "object is a few pixels in a noisy image; average pooling dilutes that response with the response to noise over "
                + "the whole image (here 9 lit pixels among 576), though it passes gradient to every position and keeps how much of "
                + "a pattern there is, which suits textures and large objects.", plan.seeds(), ns[last], Figures.pct(max[last]), Figures.pct(avg[last]),
                Figures.pct(avgSpread), Figures.pct(maxSpread)));
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) if (a[i] == v) return i;
        throw new IllegalStateException("sweep lacks " + v + " images per class");
    }
}
