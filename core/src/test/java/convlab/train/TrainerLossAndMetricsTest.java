package convlab.train;

import convlab.data.Batch;
import convlab.nn.Linear;
import convlab.nn.Sequential;
import convlab.optim.SGD;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The Trainer takes a loss and metrics: a regression with mean squared error, a custom counting metric. */
class TrainerLossAndMetricsTest {
    /** y = 2·x1 − x2 on 4 fixed points, one batch per epoch. */
    private static BatchSource line() {
        Batch b = Batch.regression(Tensor.of(new float[] {1, 0, 0, 1, 1, 1, 2, 1}, 4, 2), Tensor.of(new float[] {2, -1, 1, 3}, 4, 1));
        return new BatchSource() {
            @Override public int examplesPerEpoch() { return 4; }
            @Override public int batchesPerEpoch() { return 1; }
            @Override public Iterator<Batch> epoch(int epoch) { return List.of(b).iterator(); }
        };
    }

    @Test void regressionWithMeanSquaredErrorConverges() {
        Linear lin = new Linear(2, 1, false, new Rng(1));
        Metric within = Metric.of("within 0.01", (out, b) -> {
            long n = 0;
            for (int i = 0; i < b.size(); i++) if (Math.abs(out.data()[i] - b.targets().data()[i]) < 0.01) n++;
            return n;
        });
        Trainer t = new Trainer(new Sequential(lin), new SGD(lin.parameters(), 0.1, 0, 0), null, Loss.MSE, List.of(within));
        List<EpochStats> h = t.fit(line(), line(), 300, 0);
        EpochStats last = h.getLast();
        assertTrue(last.testLoss() < 1e-6, "mse " + last.testLoss());
        assertEquals(1.0, last.testAccuracy(), "the first metric is reported: every point within 0.01");
        assertNull(last.testConfusion(), "no classes, no confusion matrix");
        assertArrayEquals(new float[] {2, -1}, lin.weight.data(), 1e-3f);
        assertTrue(h.getFirst().trainLoss() > last.trainLoss());
    }

    @Test void withoutMetricsOrTestSetTheFiguresAreNaN() {
        Linear lin = new Linear(2, 1, false, new Rng(1));
        EpochStats s = new Trainer(new Sequential(lin), new SGD(lin.parameters(), 0.1, 0, 0), null, Loss.MSE, List.of())
                .fit(line(), null, 1, 0).getFirst();
        assertTrue(Double.isNaN(s.trainAccuracy()) && Double.isNaN(s.testLoss()) && Double.isNaN(s.testAccuracy()));
        assertTrue(Double.isFinite(s.trainLoss()));
    }

    @Test void aBatchNeedsLabelsOrTargetsAndMseNeedsTargets() {
        assertThrows(IllegalArgumentException.class, () -> new Batch(Tensor.zeros(2, 2), null, null, null));
        Batch labelled = new Batch(Tensor.zeros(2, 2), new int[] {0, 1});
        assertThrows(IllegalArgumentException.class, () -> Loss.MSE.compute(Tensor.zeros(2, 1), labelled));
        assertEquals(2, Metric.ACCURACY.count(Tensor.of(new float[] {1, 0, 0, 1}, 2, 2), labelled));
    }

    @Test void divergenceIsWordedInLibraryTerms() {
        Trainer.NonFiniteException e = new Trainer.NonFiniteException("training diverged at step 3");
        assertEquals("training diverged at step 3 (try a smaller learning rate)", e.getMessage());
        assertEquals("training diverged at step 3", e.diagnosis());
    }

    /**
     * A 1,000-image batch is evaluated in chunks (its first images in a probe-sized one, the rest whole): the counts
     * are those of the whole batch at once, the loss agrees with it to rounding, and evaluating again gives the same bits.
     */
    @Test void aChunkedEvaluationCountsAsTheWholeBatchAndRepeatsExactly() {
        Rng rng = new Rng(7);
        Sequential net = new Sequential(new Linear(20, 32, rng), new convlab.nn.ReLU(), new Linear(32, 5, rng));
        int n = 1000;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % 5;
        Batch b = new Batch(Tensor.randn(rng, n, 20), labels);
        BatchSource one = new BatchSource() {
            @Override public int examplesPerEpoch() { return n; }
            @Override public int batchesPerEpoch() { return 1; }
            @Override public Iterator<Batch> epoch(int epoch) { return List.of(b).iterator(); }
        };
        Trainer.Evaluation first = Trainer.evaluate(net, one, 5), again = Trainer.evaluate(net, one, 5);
        assertEquals(Double.doubleToRawLongBits(first.loss()), Double.doubleToRawLongBits(again.loss()));
        Tensor logits;
        try (var scope = convlab.autograd.GradMode.noGrad()) { logits = net.forward(b.inputs()); }
        assertEquals(Metrics.correct(logits, labels) / (double) n, first.accuracy());
        long[][] whole = new long[5][5];
        Metrics.addToConfusion(whole, logits, labels);
        assertArrayEquals(whole, first.confusion());
        assertEquals(convlab.nn.functional.F.crossEntropy(logits, labels).item(), first.loss(), 1e-6, "to float32 rounding: each chunk's mean is a float32");
    }

    @Test void aBatchsChunksAreNearEqualAndCoverItInOrder() {
        // Lengths one apart at most: each length is a set of arrays in the evaluation's arena.
        for (int n = 1; n <= 1_200; n++)
            for (int chunks = 1; chunks <= Math.min(n, 40); chunks++) {
                java.util.TreeSet<Integer> lengths = new java.util.TreeSet<>();
                int from = 0;
                for (int k = 0; k < chunks; k++) {
                    int to = Trainer.chunkEnd(n, chunks, k);
                    assertTrue(to > from, "chunk " + k + " of " + chunks + " for " + n + " images is empty");
                    lengths.add(to - from);
                    from = to;
                }
                assertEquals(n, from, n + " images in " + chunks + " chunks");
                assertTrue(lengths.last() - lengths.first() <= 1, n + " images in " + chunks + " chunks: lengths " + lengths);
            }
    }

    @Test void theLossWithoutAGradientIsBitwiseTheLossWithOne() {
        // An evaluation sums the cross-entropy without keeping the softmax for a backward pass: the same terms in the
        // same order, so the same bits, for ordinary and extreme logits.
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
        for (int trial = 0; trial < 50; trial++) {
            int n = 1 + rnd.nextInt(300), c = 2 + rnd.nextInt(12);
            float[] v = new float[n * c];
            int[] labels = new int[n];
            double scale = trial % 5 == 0 ? 80 : 4;   // every fifth trial: logits far apart, exp underflows
            for (int i = 0; i < v.length; i++) v[i] = (float) (rnd.nextGaussian() * scale);
            for (int i = 0; i < n; i++) labels[i] = rnd.nextInt(c);
            Tensor logits = Tensor.of(v, n, c).requiresGrad(true);
            double withGrad = convlab.nn.functional.F.crossEntropy(logits, labels).item();
            double without;
            try (var noGrad = convlab.autograd.GradMode.noGrad()) {
                without = convlab.nn.functional.F.crossEntropy(logits, labels).item();
            }
            assertEquals(Double.doubleToRawLongBits(withGrad), Double.doubleToRawLongBits(without), "trial " + trial);
        }
    }
}
