package convlab.experiment;

import convlab.data.DataLoader;
import convlab.data.Dataset;
import convlab.nn.Module;
import convlab.optim.Optimizer;
import convlab.data.Batch;
import convlab.train.BatchSource;
import convlab.train.EpochStats;
import convlab.train.LoaderBatches;
import convlab.train.Trainer;
import convlab.train.TrainingListener;

import java.util.ArrayList;
import java.util.List;

/**
 * The small training loop the experiments share: a fixed number of optimizer steps (not epochs, so tiny
 * training sets get as many updates as large ones), shuffled mini-batches from a seeded loader, and an
 * evaluation on the validation set every few steps.
 */
final class Training {
    private Training() {}

    /**
     * Measurements at each evaluation: step, seconds of training so far, running train loss, validation loss/accuracy;
     * and the duration of every single step (for medians that a load spike or a collection does not move).
     */
    record Curve(List<Integer> steps, List<Double> seconds, List<Double> trainLoss, List<Double> valLoss, List<Double> valAccuracy,
                 List<Double> probe, Trainer.Evaluation last, double[] stepSeconds) {
        double finalAccuracy() { return last.accuracy(); }

        double[] stepsArray() { return steps.stream().mapToDouble(Integer::doubleValue).toArray(); }

        static double[] array(List<Double> v) { return v.stream().mapToDouble(Double::doubleValue).toArray(); }
    }

    /**
     * Trains for the given number of steps with batches of min(batch, train size) and evaluates on val after
     * every evalEvery steps and at the end. Stops with an ArithmeticException ({@link Trainer.NonFiniteException}) if the
     * loss or a gradient goes non-finite.
     */
    static Curve run(Module model, Optimizer opt, Dataset train, Dataset val, int steps, int batch, int evalEvery, long seed) {
        return run(model, opt, train, val, steps, batch, evalEvery, seed, m -> Double.NaN);
    }

    /**
     * As above, also recording probe(model) at every evaluation (e.g. the fraction of zero weights). The steps run in
     * the library's one training loop ({@link Trainer}, cross-entropy and accuracy) as a single pass of {@code steps}
     * batches: the loader reshuffles as it crosses its epochs, a listener evaluates every evalEvery steps, and the
     * trainer's end-of-pass evaluation is the last one. Each step's duration is the time between the trainer's
     * step callbacks, the evaluations left out.
     */
    static Curve run(Module model, Optimizer opt, Dataset train, Dataset val, int steps, int batch, int evalEvery, long seed,
                     java.util.function.ToDoubleFunction<Module> probe) {
        DataLoader loader = new DataLoader(train, Math.min(batch, train.size()), true, false, seed);
        var valBatches = LoaderBatches.inOrder(val, 500);
        List<Integer> at = new ArrayList<>();
        List<Double> secs = new ArrayList<>(), trainLoss = new ArrayList<>(), valLoss = new ArrayList<>(), valAcc = new ArrayList<>(),
                probed = new ArrayList<>();
        double[] stepSeconds = new double[steps];
        var curve = new TrainingListener() {
            double lossSum, trainSeconds;
            int lossCount, step;
            long lastEnd = System.nanoTime();

            @Override public void stepLoss(long s, double loss, double accuracy) {
                lossSum += loss;
                lossCount++;
            }

            @Override public void stepFinished(int epoch, int stepInEpoch, double runningLoss, double runningAccuracy, double ips) {
                stepSeconds[step] = (System.nanoTime() - lastEnd) / 1e9;
                trainSeconds += stepSeconds[step];
                step++;
                if (step % evalEvery == 0 && step != steps) record(Trainer.evaluate(model, valBatches, val.numClasses()));
                lastEnd = System.nanoTime();
            }

            void record(Trainer.Evaluation ev) {
                at.add(step);
                secs.add(trainSeconds);
                trainLoss.add(lossSum / lossCount);
                valLoss.add(ev.loss());
                valAcc.add(ev.accuracy());
                probed.add(probe.applyAsDouble(model));
                lossSum = 0;
                lossCount = 0;
            }
        };
        BatchSource pass = BatchSource.steps(steps, loader.batchSize(), () -> {
            if (!loader.hasNext()) loader.nextEpoch();
            return loader.next();
        });
        EpochStats end = new Trainer(model, opt, curve).fit(pass, valBatches, 1, val.numClasses()).getFirst();
        Trainer.Evaluation last = new Trainer.Evaluation(end.testLoss(), end.testAccuracy(), end.testConfusion(), end.testImagesPerSecond());
        curve.record(last);
        return new Curve(at, secs, trainLoss, valLoss, valAcc, probed, last, stepSeconds);
    }

    /** Accuracy of a model on a dataset (eval mode, no autograd). */
    static double accuracy(Module model, Dataset data) {
        return Trainer.evaluate(model, LoaderBatches.inOrder(data, 500), data.numClasses()).accuracy();
    }
}
