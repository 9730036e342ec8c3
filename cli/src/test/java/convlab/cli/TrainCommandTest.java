package convlab.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import convlab.data.FashionMnist;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TrainCommandTest {

    @Test void jsonReportsTheAgreedFields() {
        var r = CliTestSupport.run("train", "--epochs", "1", "--data", CliTestSupport.sampleDir().toString(), "--json", "--seed", "3", "--threads", "1");
        assertEquals(0, r.exitCode(), r.err());
        JsonObject j = JsonParser.parseString(r.out()).getAsJsonObject();
        double acc = j.get("test_acc").getAsDouble();
        assertTrue(acc > 0.70 && acc <= 1.0, "one epoch of the MLP on the sample should pass 70%, got " + acc);
        assertTrue(j.get("train_images_per_s").getAsDouble() > 0);
        assertEquals(1, j.get("epochs").getAsInt());
        assertEquals(3, j.get("seed").getAsLong());
        assertEquals(1, j.getAsJsonArray("history").size());
        JsonObject epoch = j.getAsJsonArray("history").get(0).getAsJsonObject();
        assertEquals(j.get("infer_images_per_s"), epoch.get("test_images_per_s"), "the last epoch's test pass is the inference rate");
        // The keys --json has always had, and the one description of the run (TrainSettings.describe) beside them.
        for (String k : new String[] {"test_acc", "test_loss", "train_acc", "train_loss", "train_images_per_s", "train_seconds",
                "infer_images_per_s", "peak_rss_mb", "epochs", "seed", "threads", "batch", "optimizer", "lr", "momentum", "weight_decay",
                "model", "parameters", "data", "history", "weight-decay", "lr-schedule", "unit-scaled", "fp8-params", "on-nan"})
            assertTrue(j.has(k), k + " in " + j.keySet());
        assertEquals(j.get("weight_decay"), j.get("weight-decay"));
    }

    @Test void badOptionsGiveOneLineAndExitCode2() {
        for (String[] args : new String[][] {
                {"train", "--epochs", "0"}, {"train", "--lr", "-1"}, {"train", "--optimizer", "nope"},
                {"train", "--model", "nonsense"}, {"train", "--data", "/nonexistent/dir"}, {"train", "--batch", "x"}}) {
            var r = CliTestSupport.run(args);
            assertEquals(2, r.exitCode(), String.join(" ", args) + " -> " + r.err());
            assertTrue(r.err().startsWith("convlab train: "), r.err());
            assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
        }
    }

    @Test void trainsAnySpecAndRejectsAWrongOutputSize() {
        var r = CliTestSupport.run("train", "--model", "CONV3-4 POOL2 FLATTEN FC-10", "--epochs", "1", "--json",
                "--data", CliTestSupport.sampleDir().toString(), "--threads", "2");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(JsonParser.parseString(r.out()).getAsJsonObject().get("test_acc").getAsDouble() > 0.6, r.out());
        var bad = CliTestSupport.run("train", "--model", "FLATTEN FC-7", "--data", CliTestSupport.sampleDir().toString());
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("10 classes"), bad.err());
        var typo = CliTestSupport.run("train", "--model", "CONV3- POOL2 FC-10", "--data", CliTestSupport.sampleDir().toString());
        assertEquals(2, typo.exitCode());
        assertTrue(typo.err().contains("(at character 7: CONV3-▸ ◂POOL2 FC-10)") && typo.err().strip().lines().count() == 1,
                "spec errors point at the token, on one line: " + typo.err());
    }

    /**
     * A run interrupted mid-epoch and resumed from its checkpoint ends bitwise identical to one never
     * interrupted: the interruption is simulated by deleting every checkpoint after a mid-epoch one.
     */
    @Test void resumeFromAMidEpochCheckpointIsBitwiseIdentical() throws Exception {
        String data = CliTestSupport.sampleDir().toString();
        Path tmp = Files.createTempDirectory("resume");
        String[] common = {"train", "--model", "CONV3-4 POOL2 FLATTEN DROPOUT0.3 FC-10", "--epochs", "2", "--batch", "100",
                "--data", data, "--threads", "2", "--seed", "5", "--optimizer", "adam", "--lr", "0.002", "--no-progress"};
        var straight = CliTestSupport.run(CliTestSupport.concat(common, "--save-model", tmp.resolve("straight.safetensors").toString()));
        assertEquals(0, straight.exitCode(), straight.err());

        Path ckpt = tmp.resolve("ckpt");
        var full = CliTestSupport.run(CliTestSupport.concat(common, "--checkpoint-dir", ckpt.toString(), "--checkpoint-every", "25", "--keep", "100"));
        assertEquals(0, full.exitCode(), full.err());
        // Steps 25 and 50 are mid-epoch (60 steps per epoch); keep step 85 (mid-epoch 2) as the latest.
        CliTestSupport.rewindCheckpoints(ckpt, 85);
        var resumed = CliTestSupport.run(CliTestSupport.concat(common, "--checkpoint-dir", ckpt.toString(), "--resume",
                "--save-model", tmp.resolve("resumed.safetensors").toString()));
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(resumed.out().contains("resumed from"), resumed.out());
        assertArrayEquals(Files.readAllBytes(tmp.resolve("straight.safetensors")), Files.readAllBytes(tmp.resolve("resumed.safetensors")));

        // The saved model evaluates to the accuracy training reported.
        var eval = CliTestSupport.run("eval", "--model-file", tmp.resolve("straight.safetensors").toString(), "--data", data, "--json");
        assertEquals(0, eval.exitCode(), eval.err());
        double trained = Double.parseDouble(straight.out().replaceAll("(?s).*test accuracy ([0-9.]+).*", "$1"));
        assertEquals(trained, JsonParser.parseString(eval.out()).getAsJsonObject().get("test_acc").getAsDouble(), 1e-4);
        var missing = CliTestSupport.run("eval", "--model-file", tmp.resolve("nope.safetensors").toString());
        assertEquals(2, missing.exitCode());
    }

    @Test void aUnitScaledModelFileEvaluatesToWhatTrainingReported() throws Exception {
        String data = CliTestSupport.sampleDir().toString();
        Path file = Files.createTempDirectory("unit").resolve("m.safetensors");
        var train = CliTestSupport.run("train", "--model", "CONV3-4 POOL2 FLATTEN FC-10", "--unit-scaled", "--optimizer", "adam",
                "--lr", "0.01", "--epochs", "1", "--data", data, "--no-progress", "--save-model", file.toString());
        assertEquals(0, train.exitCode(), train.err());
        var eval = CliTestSupport.run("eval", "--model-file", file.toString(), "--data", data, "--json");
        assertEquals(0, eval.exitCode(), eval.err());
        double trained = Double.parseDouble(train.out().replaceAll("(?s).*test accuracy ([0-9.]+).*", "$1"));
        assertEquals(trained, JsonParser.parseString(eval.out()).getAsJsonObject().get("test_acc").getAsDouble(), 1e-4);
    }

    @Test void divergenceStopsWithTheStepAndLayerOrSkipsWhenAsked() {
        String data = CliTestSupport.sampleDir().toString();
        var stop = CliTestSupport.run("train", "--model", "FLATTEN FC-32 RELU FC-10", "--epochs", "1", "--lr", "1e30",
                "--momentum", "0", "--data", data, "--no-progress");
        assertEquals(2, stop.exitCode(), stop.out());   // an error, not "not correct"
        assertTrue(stop.err().contains("training diverged at epoch 1, step "), stop.err());
        assertTrue(stop.err().contains("parameter") || stop.err().contains("layer"), stop.err());
        var skip = CliTestSupport.run("train", "--model", "FLATTEN FC-32 RELU FC-10", "--epochs", "1", "--lr", "1e30",
                "--momentum", "0", "--data", data, "--no-progress", "--on-nan", "skip");
        assertEquals(0, skip.exitCode(), skip.err());
        assertTrue(skip.out().contains("step skipped, the previous update undone, learning rate halved"), skip.out());
    }

    /** Issue 3's bar: the course CNN within 0.5 points of PyTorch's 0.871 (SGD lr 0.05, momentum 0.9, batch 64, 5 epochs). */
    @Tag("slow")
    @Test void courseCnnReachesPyTorchAccuracyOnFullFashionMnist() {
        assertTrue(fullDataTestAccuracy("--model", "course-cnn", "--epochs", "5", "--lr", "0.05") >= 0.866);
    }

    /**
     * Issue 4's bar: the wide batch-norm network reaches 0.91 on full Fashion-MNIST in 3 epochs (Adam, lr 0.001:
     * 0.9127 measured; SGD lr 0.05 momentum 0.9 reached 0.8997).
     */
    @Tag("slow")
    @Test void wideBatchNormNetworkReaches91Percent() {
        assertTrue(fullDataTestAccuracy("--model", "wide-bn", "--epochs", "3", "--optimizer", "adam", "--lr", "0.001") >= 0.91);
    }

    /** Issue 2's bar: the 784-256-10 MLP with the default settings reaches 0.85 on full Fashion-MNIST in 3 epochs. */
    @Tag("slow")
    @Test void mlpReaches85PercentOnFullFashionMnist() {
        assertTrue(fullDataTestAccuracy("--model", "mlp", "--epochs", "3") >= 0.85);
    }

    /** Trains on the full data set (skipped when it is not installed) and returns the test accuracy, printed for the log. */
    private static double fullDataTestAccuracy(String... trainArgs) {
        assumeTrue(Files.isDirectory(Path.of(FashionMnist.DEBIAN_DIR)), "full Fashion-MNIST is not installed");
        var r = CliTestSupport.run(CliTestSupport.concat(CliTestSupport.concat(new String[] {"train"}, trainArgs), "--json"));
        assertEquals(0, r.exitCode(), r.err());
        var j = JsonParser.parseString(r.out()).getAsJsonObject();
        System.out.printf("full Fashion-MNIST %s: test accuracy %.4f, %.0f train images/s%n", String.join(" ", trainArgs),
                j.get("test_acc").getAsDouble(), j.get("train_images_per_s").getAsDouble());
        return j.get("test_acc").getAsDouble();
    }

}
