package convlab.train;

import convlab.autograd.GradMode;
import convlab.nn.Module;
import convlab.nn.functional.F;
import convlab.optim.Optimizer;
import convlab.tensor.Tensor;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The classification training loop: per step forward, softmax cross-entropy, backward, optimizer step;
 * after each epoch an evaluation pass in eval mode without autograd.
 */
public final class Trainer {
    private final Module model;
    private final Optimizer optimizer;
    private final TrainingListener listener;

    public Trainer(Module model, Optimizer optimizer, TrainingListener listener) {
        this.model = model;
        this.optimizer = optimizer;
        this.listener = listener == null ? TrainingListener.NONE : listener;
    }

    /** Trains for the given number of epochs, evaluating on test after each; returns every epoch's stats. */
    public List<EpochStats> fit(BatchSource train, BatchSource test, int epochs, int numClasses) {
        if (epochs < 0) throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        List<EpochStats> history = new ArrayList<>();
        for (int epoch = 0; epoch < epochs; epoch++) {
            history.add(trainEpoch(train, test, epoch, numClasses));
        }
        return history;
    }

    private EpochStats trainEpoch(BatchSource train, BatchSource test, int epoch, int numClasses) {
        model.train();
        listener.epochStarted(epoch, train.batchesPerEpoch());
        double lossSum = 0;
        long seen = 0, correct = 0;
        long start = System.nanoTime();
        int step = 0;
        for (Iterator<Batch> it = train.epoch(epoch); it.hasNext(); ) {
            Batch b = it.next();
            Tensor logits = model.forward(b.inputs());
            Tensor loss = F.crossEntropy(logits, b.labels());
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            double l = loss.item();
            if (!Double.isFinite(l))
                throw new ArithmeticException("training diverged: loss is " + l + " at epoch " + (epoch + 1) + ", step " + (step + 1)
                        + " (try a smaller --lr)");
            lossSum += l * b.size();
            correct += Metrics.correct(logits, b.labels());
            seen += b.size();
            step++;
            double secs = (System.nanoTime() - start) / 1e9;
            listener.stepFinished(epoch, step, lossSum / seen, (double) correct / seen, seen / Math.max(secs, 1e-9));
        }
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        Evaluation ev = evaluate(model, test, numClasses);
        EpochStats stats = new EpochStats(epoch + 1, lossSum / Math.max(seen, 1), (double) correct / Math.max(seen, 1),
                ev.loss(), ev.accuracy(), trainSeconds, seen / Math.max(trainSeconds, 1e-9), ev.imagesPerSecond(), ev.confusion());
        listener.epochFinished(stats);
        return stats;
    }

    /** Loss, accuracy and confusion matrix of a model on a data source (eval mode, no autograd). */
    public record Evaluation(double loss, double accuracy, long[][] confusion, double imagesPerSecond) {}

    public static Evaluation evaluate(Module model, BatchSource data, int numClasses) {
        boolean wasTraining = model.isTraining();
        model.eval();
        double lossSum = 0;
        long seen = 0, correct = 0;
        long[][] confusion = new long[numClasses][numClasses];
        long start = System.nanoTime();
        try (var scope = GradMode.noGrad()) {
            for (Iterator<Batch> it = data.epoch(0); it.hasNext(); ) {
                Batch b = it.next();
                Tensor logits = model.forward(b.inputs());
                lossSum += F.crossEntropy(logits, b.labels()).item() * b.size();
                correct += Metrics.correct(logits, b.labels());
                Metrics.addToConfusion(confusion, logits, b.labels());
                seen += b.size();
            }
        } finally {
            if (wasTraining) model.train();
        }
        double secs = (System.nanoTime() - start) / 1e9;
        return new Evaluation(lossSum / Math.max(seen, 1), (double) correct / Math.max(seen, 1), confusion, seen / Math.max(secs, 1e-9));
    }
}
