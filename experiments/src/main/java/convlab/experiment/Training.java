package convlab.experiment;

import convlab.data.DataLoader;
import convlab.data.Dataset;
import convlab.nn.Module;
import convlab.nn.functional.F;
import convlab.optim.Optimizer;
import convlab.tensor.Tensor;
import convlab.train.LoaderBatches;
import convlab.train.Trainer;

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
     * every evalEvery steps and at the end. Stops with an ArithmeticException if the loss diverges.
     */
    static Curve run(Module model, Optimizer opt, Dataset train, Dataset val, int steps, int batch, int evalEvery, long seed) {
        return run(model, opt, train, val, steps, batch, evalEvery, seed, m -> Double.NaN);
    }

    /** As above, also recording probe(model) at every evaluation (e.g. the fraction of zero weights). */
    static Curve run(Module model, Optimizer opt, Dataset train, Dataset val, int steps, int batch, int evalEvery, long seed,
                     java.util.function.ToDoubleFunction<Module> probe) {
        DataLoader loader = new DataLoader(train, Math.min(batch, train.size()), true, false, seed);
        var valBatches = LoaderBatches.inOrder(val, 500);
        List<Integer> at = new ArrayList<>();
        List<Double> secs = new ArrayList<>(), trainLoss = new ArrayList<>(), valLoss = new ArrayList<>(), valAcc = new ArrayList<>(),
                probed = new ArrayList<>();
        double lossSum = 0;
        int lossCount = 0;
        double trainSeconds = 0;
        double[] stepSeconds = new double[steps];
        Trainer.Evaluation ev = null;
        model.train();
        for (int step = 1; step <= steps; step++) {
            if (!loader.hasNext()) loader.nextEpoch();
            long t0 = System.nanoTime();
            DataLoader.Batch b = loader.next();
            Tensor loss = F.crossEntropy(model.forward(b.images()), b.labels());
            opt.zeroGrad();
            loss.backward();
            opt.step();
            stepSeconds[step - 1] = (System.nanoTime() - t0) / 1e9;
            trainSeconds += stepSeconds[step - 1];
            double l = loss.item();
            if (!Double.isFinite(l)) throw new ArithmeticException("training diverged: loss " + l + " at step " + step);
            lossSum += l;
            lossCount++;
            if (step % evalEvery == 0 || step == steps) {
                ev = Trainer.evaluate(model, valBatches, val.numClasses());
                at.add(step);
                secs.add(trainSeconds);
                trainLoss.add(lossSum / lossCount);
                valLoss.add(ev.loss());
                valAcc.add(ev.accuracy());
                probed.add(probe.applyAsDouble(model));
                lossSum = 0;
                lossCount = 0;
            }
        }
        return new Curve(at, secs, trainLoss, valLoss, valAcc, probed, ev, stepSeconds);
    }

    /** Accuracy of a model on a dataset (eval mode, no autograd). */
    static double accuracy(Module model, Dataset data) {
        return Trainer.evaluate(model, LoaderBatches.inOrder(data, 500), data.numClasses()).accuracy();
    }
}
