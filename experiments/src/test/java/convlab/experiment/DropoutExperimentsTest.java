package convlab.experiment;

import convlab.io.StrictJson;
import convlab.report.Results;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The homework-5 dropout experiments (issue 21) in quick mode: files written, strict JSON, the key effects. */
class DropoutExperimentsTest {
    private static void assertWritten(Path out, String... files) throws IOException {
        for (String f : files) assertTrue(Files.isRegularFile(out.resolve(f)), f);
        StrictJson.parse(Files.readString(out.resolve("results.json")));   // throws on NaN, Infinity or any other non-JSON
        assertTrue(Files.readString(out.resolve("index.html")).contains("<img src="));
    }

    @Test void batchOneLossJittersFarMoreThanALargeBatchAndBothEndNearTheClosedForm() throws IOException {
        Path out = Path.of("target", "experiment-tests", "dropout-batch-size");
        Results r = new DropoutBatchSize().run(out, true, 1, ExperimentProgress.NONE);
        System.out.println("dropout-batch-size quick: " + r.asMap());
        assertTrue(r.number("batch1_relative_jitter") > 0.5, "batch 1 should jump from step to step: " + r.asMap());
        assertTrue(r.number("batch1024_relative_jitter") < 0.2, "batch 1024 should be smooth: " + r.asMap());
        assertTrue(r.number("jitter_ratio") > 5, r.asMap().toString());
        // the large batch's loss sits on the expected (Tikhonov) loss, its weights on the closed form
        assertEquals(r.number("expected_loss_at_closed_form"), r.number("batch1024_steady_loss_mean"), 0.05 * r.number("expected_loss_at_closed_form"));
        assertTrue(r.number("batch1024_final_w_distance") < 0.05, r.asMap().toString());
        // batch 1's last iterate wanders farther from it than the large batch's; its average comes close
        assertTrue(r.number("batch1_final_w_distance") > r.number("batch1024_final_w_distance"), r.asMap().toString());
        assertTrue(r.number("batch1_averaged_w_distance") < 0.1, r.asMap().toString());
        // the large batch's loss noise is one example's (exact, at the closed form) divided by √1024, within 30%
        double predicted = r.number("single_example_loss_std_at_closed_form") / Math.sqrt(DropoutBatchSize.LARGE);
        assertEquals(predicted, r.number("batch1024_steady_loss_std"), 0.3 * predicted, r.asMap().toString());
        assertWritten(out, "loss_curves.png", "weights.png", "loss_per_step.csv", "weights.csv", "results.json", "index.html");
    }

    @Test void expectedDropoutLossIsTheTikhonovObjectiveAndMinimalAtTheClosedForm() {
        var d = DropoutRegression.Data.make(40, new convlab.tensor.Rng(3));
        double[] w = DropoutRegression.tikhonov(d, 1.0);
        double at = DropoutBatchSize.expectedLoss(d, w, 0.5);
        for (double[] dw : new double[][] {{0.01, 0}, {-0.01, 0}, {0, 0.01}, {0, -0.01}})
            assertTrue(DropoutBatchSize.expectedLoss(d, new double[] {w[0] + dw[0], w[1] + dw[1]}, 0.5) > at);
        // rate 0: plain mean squared error
        double mse = 0;
        for (int i = 0; i < d.n(); i++) { double e = d.y()[i] - d.x()[i][0]; mse += e * e / d.n(); }
        assertEquals(mse, DropoutBatchSize.expectedLoss(d, new double[] {1, 0}, 0), 1e-12);
        // rate 0: one example's loss has the spread of the squared residuals, and no mask spread
        double sq = 0;
        for (int i = 0; i < d.n(); i++) { double e = d.y()[i] - d.x()[i][0]; sq += e * e * e * e / d.n(); }
        assertEquals(Math.sqrt(sq - mse * mse), DropoutBatchSize.singleLossStd(d, new double[] {1, 0}, 0), 1e-12);
    }

    @Test void dropoutMakesTheNetworkLeanLessOnTheCheatingCode() throws IOException {
        Path out = Path.of("target", "experiment-tests", "dropout-cheating");
        Results r = new DropoutCheating().run(out, true, 1, ExperimentProgress.NONE);
        System.out.println("dropout-cheating quick: " + r.asMap());
        double[] trainAcc = r.array("train_acc_with_code"), coded = r.array("test_acc_with_code"), clean = r.array("test_acc_clean"),
                follows = r.array("follows_wrong_code");
        // without dropout the code is learned: coded test images far above clean ones
        assertTrue(trainAcc[0] > 0.95 && coded[0] > clean[0] + 0.2, r.asMap().toString());
        // with dropout: follows a wrong code less often and does better on clean images
        assertTrue(follows[follows.length - 1] < follows[0] - 0.05, r.asMap().toString());
        assertTrue(clean[clean.length - 1] > clean[0], r.asMap().toString());
        assertWritten(out, "examples.png", "accuracy.png", "follows_code.png", "outcomes.csv", "results.json", "index.html");
    }

    @Test void theCodeIsWrittenIntoTheCornerInBinary() {
        var fm = Nets.fashionMnist(true);
        var d = fm.test().subset(new int[] {0, 1}, "two");
        var coded = DropoutCheating.withCode(d, new int[] {9, -1}, new int[] {3, 4}, "coded");
        float[] px = new float[d.imageSize()], orig = new float[d.imageSize()];
        coded.copyImage(0, px, 0);
        int row = (d.height() - 1) * d.width(), w = d.width();
        assertEquals(1f, px[row + w - 4]);   // 9 = 1001
        assertEquals(0f, px[row + w - 3]);
        assertEquals(0f, px[row + w - 2]);
        assertEquals(1f, px[row + w - 1]);
        d.copyImage(0, orig, 0);
        for (int i = 0; i < row + w - 4; i++) assertEquals(orig[i], px[i], "pixel " + i + " is not part of the code");
        coded.copyImage(1, px, 0);
        d.copyImage(1, orig, 0);
        assertEquals(java.util.Arrays.toString(orig), java.util.Arrays.toString(px), "code -1 leaves the image as it is");
        assertEquals(3, coded.label(0));
        assertEquals(4, coded.label(1));
    }

    @Test void withoutDropoutTheTrainValidationGapIsLarger() throws IOException {
        Path out = Path.of("target", "experiment-tests", "dropout-cnn");
        Results r = new DropoutCnn().run(out, true, 1, ExperimentProgress.NONE);
        System.out.println("dropout-cnn quick: " + r.asMap());
        assertTrue(r.number("final_gap_no_dropout") > r.number("final_gap_dropout") + 0.02, r.asMap().toString());
        assertTrue(r.number("final_train_acc_no_dropout") > r.number("final_train_acc_dropout"), r.asMap().toString());
        assertTrue(r.number("final_val_acc_dropout") > 0.6, "the dropout network must still learn: " + r.asMap());
        assertWritten(out, "accuracy.png", "gap.png", "val_loss.png", "curves.csv", "results.json", "index.html");
    }
}
