package convlab.experiment;

import convlab.data.Batch;
import convlab.data.DataLoader;
import convlab.data.Dataset;
import convlab.data.EdgeImages;
import convlab.geometry.PaddingMode;
import convlab.nn.Dropout;
import convlab.nn.Linear;
import convlab.nn.Module;
import convlab.nn.Parameter;
import convlab.nn.functional.F;
import convlab.optim.Adam;
import convlab.optim.Optimizer;
import convlab.optim.SGD;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;
import convlab.train.LoaderBatches;
import convlab.train.Trainer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The experiments train through the library's one loop (Trainer): Training.run and DropoutRegression give bitwise the
 * numbers of the hand-written loops they replaced (kept here as the reference).
 */
class TrainerClientsTest {

    /** The loop Training.run had before it used Trainer: zeroGrad, backward, step; evaluation every evalEvery steps. */
    private static List<Double> referenceRun(Module model, Optimizer opt, Dataset train, Dataset val, int steps, int batch, int evalEvery, long seed) {
        DataLoader loader = new DataLoader(train, Math.min(batch, train.size()), true, false, seed);
        var valBatches = LoaderBatches.inOrder(val, 500);
        List<Double> out = new ArrayList<>();
        double lossSum = 0;
        int lossCount = 0;
        model.train();
        for (int step = 1; step <= steps; step++) {
            if (!loader.hasNext()) loader.nextEpoch();
            Batch b = loader.next();
            Tensor loss = F.crossEntropy(model.forward(b.inputs()), b.labels());
            opt.zeroGrad();
            loss.backward();
            opt.step();
            lossSum += loss.item();
            lossCount++;
            if (step % evalEvery == 0 || step == steps) {
                Trainer.Evaluation ev = Trainer.evaluate(model, valBatches, val.numClasses());
                out.add(lossSum / lossCount);
                out.add(ev.loss());
                out.add(ev.accuracy());
                lossSum = 0;
                lossCount = 0;
            }
        }
        return out;
    }

    private static List<Float> weights(Module m) {
        List<Float> w = new ArrayList<>();
        for (Parameter p : m.parameters()) for (float v : p.data()) w.add(v);
        return w;
    }

    @Test void trainingRunIsTheReferenceLoopBitwise() {
        EdgeImages.Config c = new EdgeImages.Config(12, 4, 0.1);
        Dataset train = EdgeImages.orientations(c, new double[] {0, 90}, EdgeImages.Region.ANYWHERE, 24, 1);
        Dataset val = EdgeImages.orientations(c, new double[] {0, 90}, EdgeImages.Region.ANYWHERE, 10, 2);
        for (boolean adam : new boolean[] {false, true}) {
            Module a = Nets.smallCnn(12, 4, 3, PaddingMode.ZEROS, Nets.GlobalPool.AVG, 2, new Rng(5));
            Module b = Nets.smallCnn(12, 4, 3, PaddingMode.ZEROS, Nets.GlobalPool.AVG, 2, new Rng(5));
            Optimizer oa = adam ? new Adam(a.parameters(), 0.01, 0.9, 0.999, 1e-8, 0, false) : new SGD(a.parameters(), 0.1, 0.9, 0);
            Optimizer ob = adam ? new Adam(b.parameters(), 0.01, 0.9, 0.999, 1e-8, 0, false) : new SGD(b.parameters(), 0.1, 0.9, 0);
            // 48 examples, batch 10: the loader crosses epochs (a short last batch each) inside the 13 steps
            List<Double> ref = referenceRun(a, oa, train, val, 13, 10, 5, 9);
            Training.Curve curve = Training.run(b, ob, train, val, 13, 10, 5, 9);
            List<Double> got = new ArrayList<>();
            for (int i = 0; i < curve.steps().size(); i++) {
                got.add(curve.trainLoss().get(i));
                got.add(curve.valLoss().get(i));
                got.add(curve.valAccuracy().get(i));
            }
            assertEquals(List.of(5, 10, 13), curve.steps());
            assertEquals(ref, got, adam ? "Adam" : "SGD");
            assertEquals(weights(a), weights(b), "the trained weights, " + (adam ? "Adam" : "SGD"));
            assertEquals(13, curve.stepSeconds().length);
            for (double s : curve.stepSeconds()) assertTrue(s > 0, "every step is timed");
        }
    }

    /** The loop DropoutRegression.train had before it used Trainer. */
    private static DropoutRegression.Fit referenceFit(DropoutRegression.Data d, double rate, DropoutRegression.Opt opt, int steps, int batch, long seed) {
        Rng rng = new Rng(seed);
        Linear lin = new Linear(2, 1, false, rng);
        lin.weight.copyFrom(Tensor.zeros(1, 2));
        Dropout drop = new Dropout(rate, new Rng(seed + 1));
        Optimizer o = opt == DropoutRegression.Opt.SGD ? new SGD(lin.parameters(), 0.05, 0, 0) : new Adam(lin.parameters(), 0.01, 0.9, 0.999, 1e-8, 0, false);
        double[] sum = new double[2];
        int averaged = 0;
        List<double[]> path = new ArrayList<>();
        path.add(new double[] {0, 0});
        float[] xb = new float[batch * 2], yb = new float[batch];
        for (int t = 0; t < steps; t++) {
            for (int k = 0; k < batch; k++) {
                int i = rng.nextInt(d.n());
                xb[2 * k] = (float) d.x()[i][0];
                xb[2 * k + 1] = (float) d.x()[i][1];
                yb[k] = (float) d.y()[i];
            }
            Tensor pred = lin.forward(drop.forward(Tensor.of(xb.clone(), batch, 2)));
            Tensor loss = F.mse(pred, Tensor.of(yb.clone(), batch, 1));
            o.zeroGrad();
            loss.backward();
            o.step();
            float[] w = lin.weight.data();
            if ((t + 1) % Math.max(1, steps / 200) == 0) path.add(new double[] {w[0], w[1]});
            if (t >= steps / 2) { sum[0] += w[0]; sum[1] += w[1]; averaged++; }
        }
        return new DropoutRegression.Fit(new double[] {sum[0] / averaged, sum[1] / averaged}, path);
    }

    @Test void dropoutRegressionIsTheReferenceLoopBitwise() {
        DropoutRegression.Data d = DropoutRegression.Data.make(16, new Rng(3));
        for (DropoutRegression.Opt opt : DropoutRegression.Opt.values()) {
            for (double rate : new double[] {0, 0.3}) {
                DropoutRegression.Fit ref = referenceFit(d, rate, opt, 600, 8, 11), got = DropoutRegression.train(d, rate, opt, 600, 8, 11);
                assertArrayEquals(ref.averaged(), got.averaged(), 0.0, opt + " rate " + rate);
                assertEquals(ref.path().size(), got.path().size());
                for (int i = 0; i < ref.path().size(); i++) assertArrayEquals(ref.path().get(i), got.path().get(i), 0.0, opt + " rate " + rate + " point " + i);
            }
        }
    }
}
