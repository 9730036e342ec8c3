package convlab.train;

import convlab.data.Batch;
import convlab.autograd.GradMode;
import convlab.kernels.FiniteCheck;
import convlab.nn.Module;
import convlab.nn.Parameter;
import convlab.nn.Sequential;
import convlab.optim.Optimizer;
import convlab.tensor.StepArena;
import convlab.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The one training loop: per step forward, loss, backward, optimizer step; after each epoch an evaluation pass in
 * eval mode without autograd. The loss and the metrics are the trainer's settings ({@link Loss}, {@link Metric}):
 * by default softmax cross-entropy and accuracy, the classification loop; the first metric is the one reported
 * beside the loss (the "accuracy" of {@link EpochStats} and of the listener's callbacks), NaN without metrics.
 *
 * <p>The trainer counts where it is ({@link #position()}: epochs done, steps taken, the running sums of the
 * epoch in progress), so a run can be checkpointed after any step and continued with
 * {@link #resumeFrom(Position)}: together with the model, optimizer, generator and data-loader states, the
 * continued run is bitwise identical to one never interrupted.
 *
 * <p>Gradients are valid from a step's backward until the next step's: the trainer releases them
 * ({@link convlab.optim.Optimizer#releaseGrads}), so the next backward may overwrite their storage. A listener that
 * wants to keep a gradient past its step must copy it. Likewise the step's large activations and their
 * gradients live in a {@link StepArena} and are overwritten by the next step.
 *
 * <p>A non-finite loss or gradient stops training ({@link NonFiniteException}, naming the step and the
 * layer whose values went bad first) unless {@link #skipNonFinite} is set: then the step's update is skipped
 * and the learning rate halved.
 */
public final class Trainer {
    /** Where a run is: epochs completed, optimizer steps taken, and the running sums of the current epoch. */
    public record Position(int epochsDone, long steps, double epochLossSum, long epochCorrect, long epochSeen, double epochSeconds) {
        public static final Position START = new Position(0, 0, 0, 0, 0, 0);
    }

    /**
     * Training stopped on a non-finite loss or gradient. The message is the diagnosis and the advice in library terms
     * ("(try a smaller learning rate)"); a client that names its own option for the learning rate uses {@link #diagnosis()}.
     */
    public static final class NonFiniteException extends ArithmeticException {
        private final String diagnosis;

        public NonFiniteException(String diagnosis) {
            super(diagnosis + " (try a smaller learning rate)");
            this.diagnosis = diagnosis;
        }

        /** What went non-finite, where: the message without the advice. */
        public String diagnosis() { return diagnosis; }
    }

    private final Module model;
    private final Optimizer optimizer;
    private final Loss loss;
    private final List<Metric> metrics;
    private TrainingListener listener;
    private boolean skipNonFinite;
    private Position position = Position.START;
    private final StepArena arena = new StepArena();
    /**
     * The model's parameters by name, read once per {@link #fit}: the gradient check runs after every step, and
     * {@link Module#namedParameters()} builds a new map and every name anew on each call.
     */
    private List<Map.Entry<String, Parameter>> namedParameters = List.of();

    /** A classification trainer: softmax cross-entropy, accuracy. */
    public Trainer(Module model, Optimizer optimizer, TrainingListener listener) {
        this(model, optimizer, listener, Loss.CROSS_ENTROPY, List.of(Metric.ACCURACY));
    }

    /** A trainer minimising the given loss and reporting the given metrics (the first beside the loss; may be empty). */
    public Trainer(Module model, Optimizer optimizer, TrainingListener listener, Loss loss, List<Metric> metrics) {
        if (model == null || optimizer == null || loss == null || metrics == null)
            throw new IllegalArgumentException("a trainer needs a model, an optimizer, a loss and a (possibly empty) list of metrics");
        this.model = model;
        this.optimizer = optimizer;
        this.loss = loss;
        this.metrics = List.copyOf(metrics);
        this.listener = listener == null ? TrainingListener.NONE : listener;
    }

    public Loss loss() { return loss; }

    public List<Metric> metrics() { return metrics; }

    /** Adds a listener, called after those added before. */
    public Trainer listen(TrainingListener more) {
        listener = listener == TrainingListener.NONE ? more : TrainingListener.both(listener, more);
        return this;
    }

    /** On a non-finite loss or gradient: skip that step and halve the learning rate instead of stopping. */
    public Trainer skipNonFinite(boolean on) { this.skipNonFinite = on; return this; }

    /** Where the run is now (valid inside listener callbacks: after a step, after an epoch). */
    public Position position() { return position; }

    /** Continues a run from a saved position (restore the model, optimizer and data loader separately). */
    public void resumeFrom(Position p) { this.position = p; }

    /**
     * Trains until the given number of epochs is complete (counting epochs done before a resume),
     * evaluating on test after each (no evaluation when test is null: the test figures are NaN); returns the stats
     * of the epochs run by this call. numClasses sizes the test confusion matrix (0: none).
     */
    public List<EpochStats> fit(BatchSource train, BatchSource test, int epochs, int numClasses) {
        if (epochs < 0) throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        List<EpochStats> history = new ArrayList<>();
        namedParameters = List.copyOf(model.namedParameters().entrySet());
        try {
            while (position.epochsDone() < epochs) history.add(trainEpoch(train, test, numClasses));
        } finally {
            arena.close();   // the last step's buffers go back to the garbage collector
        }
        return history;
    }

    private EpochStats trainEpoch(BatchSource train, BatchSource test, int numClasses) {
        int epoch = position.epochsDone();
        model.train();
        listener.epochStarted(epoch, train.batchesPerEpoch());
        double lossSum = position.epochLossSum(), earlierSeconds = position.epochSeconds();
        long seen = position.epochSeen(), correct = position.epochCorrect(), steps = position.steps();
        int stepInEpoch = (int) Math.ceil(seen / (double) Math.max(1, train.examplesPerEpoch()) * train.batchesPerEpoch());
        long start = System.nanoTime();
        for (Iterator<Batch> it = train.epoch(epoch); it.hasNext(); ) {
            Batch b = it.next();
            // The step's activations and their gradients take the previous step's arrays (StepArena): nothing
            // below reads them after this step, and parameter gradients never live there.
            arena.begin();
            Tensor logits, batchLoss;
            double l;
            try {
                logits = model.forward(b.inputs());
                batchLoss = loss.compute(logits, b);
                l = batchLoss.item();
                optimizer.releaseGrads();   // nothing here keeps a gradient past the update: backward may reuse their storage
                if (Double.isFinite(l)) batchLoss.backward();
            } finally {
                arena.pause();
            }
            String bad = Double.isFinite(l) ? firstNonFiniteGradient() : "loss is " + l;
            steps++;
            if (bad != null) {
                String where = "at epoch " + (epoch + 1) + ", step " + steps + ": " + bad + "; " + firstBadLayer(b.inputs());
                if (!skipNonFinite) throw new NonFiniteException("training diverged " + where);
                // The weights that gave this loss came from the last update: go back to the state before it (the last
                // one whose loss was finite), so a too-large step is retried smaller instead of every later step being skipped.
                boolean undone = restoreLastGood();
                if (!undone && nonFiniteParameter() != null)
                    throw new NonFiniteException("training diverged " + where + "; the weights are not finite and there is no "
                            + "earlier finite state to return to");
                optimizer.setLr(optimizer.lr() / 2);
                listener.stepSkipped(steps, where + "; step skipped" + (undone ? ", the previous update undone" : "")
                        + ", learning rate halved to " + optimizer.lr());
            } else {
                if (skipNonFinite) saveLastGood();
                optimizer.step();
                String broken = skipNonFinite ? nonFiniteParameter() : null;   // the update itself overflowed
                if (broken != null) {
                    restoreLastGood();
                    optimizer.setLr(optimizer.lr() / 2);
                    listener.stepSkipped(steps, "at epoch " + (epoch + 1) + ", step " + steps + ": after the update, " + broken
                            + "; update undone, learning rate halved to " + optimizer.lr());
                }
                long right = metrics.isEmpty() ? 0 : metrics.getFirst().count(logits, b);
                lossSum += l * b.size();
                correct += right;
                listener.stepLoss(steps, l, metrics.isEmpty() ? Double.NaN : (double) right / b.size());
            }
            seen += b.size();
            stepInEpoch++;
            double secs = earlierSeconds + (System.nanoTime() - start) / 1e9;
            position = new Position(epoch, steps, lossSum, correct, seen, secs);
            listener.stepFinished(epoch, stepInEpoch, lossSum / seen, metrics.isEmpty() ? Double.NaN : (double) correct / seen,
                    seen / Math.max(secs, 1e-9));
        }
        double trainSeconds = earlierSeconds + (System.nanoTime() - start) / 1e9;
        String broken = nonFiniteParameter();   // e.g. the epoch's last update overflowed: never evaluate or save such a model
        if (broken != null)
            throw new NonFiniteException("training diverged in epoch " + (epoch + 1) + ": " + broken);
        Evaluation ev = test == null ? new Evaluation(Double.NaN, Double.NaN, null, Double.NaN) : evaluate(test, numClasses);
        EpochStats stats = new EpochStats(epoch + 1, lossSum / Math.max(seen, 1),
                metrics.isEmpty() ? Double.NaN : (double) correct / Math.max(seen, 1),
                ev.loss(), ev.accuracy(), trainSeconds, seen / Math.max(trainSeconds, 1e-9), ev.imagesPerSecond(), ev.confusion());
        position = new Position(epoch + 1, steps, 0, 0, 0, 0);
        listener.epochFinished(stats);
        return stats;
    }

    /** The first parameter whose gradient holds NaN or an infinity, as a message; null when all are finite. */
    private String firstNonFiniteGradient() {
        for (Map.Entry<String, Parameter> e : namedParameters) {
            Tensor g = e.getValue().grad();
            if (g != null && !allFinite(g)) return "the gradient of " + e.getKey() + " is not finite";
        }
        return null;
    }

    /** Parameters, buffers and optimizer state before the latest update (--on-nan skip only), or null. */
    private Map<String, Tensor> lastGoodModel;
    private Map<String, float[]> lastGoodOptimizer;

    private void saveLastGood() {
        try (var scope = GradMode.noGrad()) {
            Map<String, Tensor> copy = new java.util.LinkedHashMap<>();
            convlab.io.ModelFile.stateOf(model).forEach((name, t) -> copy.put(name, t.copy()));
            lastGoodModel = copy;
        }
        lastGoodOptimizer = optimizer.state();
    }

    /** Puts back the state saved before the latest update; false when there is none. */
    private boolean restoreLastGood() {
        if (lastGoodModel == null) return false;
        try (var scope = GradMode.noGrad()) {
            convlab.io.ModelFile.loadState(model, lastGoodModel, "the last finite state");
        }
        optimizer.loadState(lastGoodOptimizer);
        return true;
    }

    /** "parameter X holds non-finite values" for the first such parameter, or null when all are finite. */
    private String nonFiniteParameter() {
        for (Map.Entry<String, Parameter> e : namedParameters)
            if (!allFinite(e.getValue())) return "parameter " + e.getKey() + " holds non-finite values";
        return null;
    }

    /** Names the first parameter, or else the first layer output, that is not finite for this batch. */
    private String firstBadLayer(Tensor inputs) {
        String parameter = nonFiniteParameter();
        if (parameter != null) return parameter;
        if (!(model instanceof Sequential seq)) return "no parameter is non-finite";
        try (var scope = GradMode.noGrad()) {
            Tensor x = inputs;
            for (int i = 0; i < seq.layers().size(); i++) {
                x = seq.layers().get(i).forward(x);
                if (!allFinite(x)) return "the output of layer " + (i + 1) + " (" + seq.layers().get(i) + ") goes non-finite first";
            }
        }
        return "all layer outputs are finite; the loss overflowed";
    }

    private static boolean allFinite(Tensor t) {
        Tensor c = t.contiguous();
        if (c.dtype() == convlab.tensor.DType.F32) return FiniteCheck.allFinite(c.data(), 0, c.numel());
        for (double v : c.dataF64()) if (!Double.isFinite(v)) return false;
        return true;
    }

    /**
     * Loss, first metric ("accuracy"; NaN without metrics) and confusion matrix (null when numClasses is 0) of a model on
     * a data source (eval mode, no autograd).
     */
    public record Evaluation(double loss, double accuracy, long[][] confusion, double imagesPerSecond) {}

    /** Cross-entropy, accuracy and confusion matrix of a classifier on a data source (eval mode, no autograd). */
    public static Evaluation evaluate(Module model, BatchSource data, int numClasses) {
        return evaluate(model, data, numClasses, Loss.CROSS_ENTROPY, List.of(Metric.ACCURACY));
    }

    /** This trainer's loss and first metric on a data source (eval mode, no autograd). */
    public Evaluation evaluate(BatchSource data, int numClasses) { return evaluate(model, data, numClasses, loss, metrics); }

    private static Evaluation evaluate(Module model, BatchSource data, int numClasses, Loss loss, List<Metric> metrics) {
        boolean wasTraining = model.isTraining();
        model.eval();
        double lossSum = 0;
        long seen = 0, correct = 0;
        long[][] confusion = numClasses > 0 ? new long[numClasses][numClasses] : null;
        long start = System.nanoTime();
        int chunkMax = FIRST_CHUNK;
        try (var scope = GradMode.noGrad(); StepArena arena = new StepArena()) {
            for (Iterator<Batch> it = data.epoch(0); it.hasNext(); ) {
                Batch b = it.next();
                int n = b.size(), chunks = (n + chunkMax - 1) / chunkMax;
                boolean restWhole = false;
                for (int k = 0, from = 0, to; from < n; k++, from = to) {
                    to = restWhole ? n : chunkEnd(n, chunks, k);
                    int size = to - from;
                    arena.begin();
                    try {
                        Batch chunk = from == 0 && to == n ? b : new Batch(rows(b.inputs(), from, to),
                                b.labels() == null ? null : Arrays.copyOfRange(b.labels(), from, to),
                                b.targets() == null ? null : rows(b.targets(), from, to),
                                b.indices() == null ? null : Arrays.copyOfRange(b.indices(), from, to));
                        Tensor logits = model.forward(chunk.inputs());
                        lossSum += loss.compute(logits, chunk).item() * size;
                        if (!metrics.isEmpty()) correct += metrics.getFirst().count(logits, chunk);
                        if (confusion != null) Metrics.addToConfusion(confusion, logits, chunk.labels());
                    } finally {
                        arena.pause();
                    }
                    if (seen == 0) {
                        chunkMax = chunkSize(arena.floatsHandedOut() / Math.max(1, size), n);
                        // The rest of the first batch goes whole when it fits (the MLP: 62 images, then 938, where 16
                        // chunks took 5-17% longer in 5 of 7 pairs of runs and 2% less in 2), else on in first-size
                        // chunks. Chunks of other lengths would be more arrays: with 63, 468, 468 and then 500s the
                        // course CNN's evaluation ran 1.5 times as long, and with 63s then 62s wide-bn's arena dropped
                        // and remade a set each batch (945 MB resident instead of 504).
                        restWhole = n - to <= chunkMax;
                    }
                    seen += size;
                }
            }
        } finally {
            if (wasTraining) model.train();
        }
        double secs = (System.nanoTime() - start) / 1e9;
        return new Evaluation(lossSum / Math.max(seen, 1), metrics.isEmpty() ? Double.NaN : (double) correct / Math.max(seen, 1),
                confusion, seen / Math.max(secs, 1e-9));
    }

    /*
     * Evaluation runs each batch through the network in chunks whose large tensors (StepArena) stay within a
     * budget, each chunk reusing the previous one's arrays. A 1,000-image batch through the wide batch-norm CNN
     * would otherwise make 100 MB tensors per layer, which go straight to the old generation (2 GB resident).
     * Predictions are the same (each image is computed alone); the reported loss is summed per chunk.
     */
    private static final int FIRST_CHUNK = 64;
    private static final long CHUNK_BUDGET_FLOATS = 8L << 20;   // 32 MB of large tensors per chunk

    /**
     * End of chunk k of a batch of n images in near-equal chunks (two lengths one apart, spread evenly): every batch of
     * the same size is split alike, so the evaluation's arena reuses its arrays from batch to batch.
     */
    static int chunkEnd(int n, int chunks, int k) { return (int) ((long) n * (k + 1) / chunks); }

    /** Images per chunk, from the large-tensor floats one image took in the first chunk. */
    static int chunkSize(long floatsPerImage, int batch) {
        long fit = CHUNK_BUDGET_FLOATS / Math.max(1, floatsPerImage);
        return (int) Math.max(FIRST_CHUNK, Math.min(Math.max(batch, FIRST_CHUNK), fit));
    }

    /** Rows [from, to) of a batch tensor, copied (the copy lives in the current arena). */
    private static Tensor rows(Tensor x, int from, int to) {
        if (from == 0 && to == x.shape()[0]) return x;
        int[] shape = x.shape().clone();
        int per = x.numel() / shape[0];
        shape[0] = to - from;
        Tensor out = Tensor.zeros(x.dtype(), shape);
        Tensor c = x.contiguous();
        if (x.dtype() == convlab.tensor.DType.F32) System.arraycopy(c.data(), from * per, out.data(), 0, (to - from) * per);
        else System.arraycopy(c.dataF64(), from * per, out.dataF64(), 0, (to - from) * per);
        return out;
    }
}
