package convlab.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import convlab.data.FashionMnist;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TrainCommandTest {

    @Test void jsonReportsTheAgreedFields() {
        var r = CliTestSupport.run("train", "--epochs", "1", "--data", sampleDir().toString(), "--json", "--seed", "3", "--threads", "1");
        assertEquals(0, r.exitCode(), r.err());
        JsonObject j = JsonParser.parseString(r.out()).getAsJsonObject();
        double acc = j.get("test_acc").getAsDouble();
        assertTrue(acc > 0.70 && acc <= 1.0, "one epoch of the MLP on the sample should pass 70%, got " + acc);
        assertTrue(j.get("train_images_per_s").getAsDouble() > 0);
        assertEquals(1, j.get("epochs").getAsInt());
        assertEquals(3, j.get("seed").getAsLong());
        assertEquals(1, j.getAsJsonArray("history").size());
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
                "--data", sampleDir().toString(), "--threads", "2");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(JsonParser.parseString(r.out()).getAsJsonObject().get("test_acc").getAsDouble() > 0.6, r.out());
        var bad = CliTestSupport.run("train", "--model", "FLATTEN FC-7", "--data", sampleDir().toString());
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("10 classes"), bad.err());
        var typo = CliTestSupport.run("train", "--model", "CONV3- POOL2 FC-10", "--data", sampleDir().toString());
        assertEquals(2, typo.exitCode());
        assertTrue(typo.err().contains("^"), "spec errors point at the token: " + typo.err());
    }

    /** Issue 3's bar: the course CNN within 0.5 points of PyTorch's 0.871 (SGD lr 0.05, momentum 0.9, batch 64, 5 epochs). */
    @Tag("slow")
    @Test void courseCnnReachesPyTorchAccuracyOnFullFashionMnist() {
        assumeTrue(Files.isDirectory(Path.of(FashionMnist.DEBIAN_DIR)), "full Fashion-MNIST is not installed");
        var r = CliTestSupport.run("train", "--model", "course-cnn", "--epochs", "5", "--lr", "0.05", "--json");
        assertEquals(0, r.exitCode(), r.err());
        double acc = JsonParser.parseString(r.out()).getAsJsonObject().get("test_acc").getAsDouble();
        assertTrue(acc >= 0.866, "test accuracy " + acc);
    }

    /** Issue 2's bar: the 784-256-10 MLP with the default settings reaches 0.85 on full Fashion-MNIST in 3 epochs. */
    @Tag("slow")
    @Test void mlpReaches85PercentOnFullFashionMnist() {
        assumeTrue(Files.isDirectory(Path.of(FashionMnist.DEBIAN_DIR)), "full Fashion-MNIST is not installed");
        var r = CliTestSupport.run("train", "--model", "mlp", "--epochs", "3", "--json");
        assertEquals(0, r.exitCode(), r.err());
        double acc = JsonParser.parseString(r.out()).getAsJsonObject().get("test_acc").getAsDouble();
        assertTrue(acc >= 0.85, "test accuracy " + acc);
    }

    /** The embedded sample written out as a directory, so --data is exercised too. */
    private static Path sampleDir() {
        try {
            Path dir = Files.createTempDirectory("fashion-sample");
            for (String f : new String[] {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                    "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"})
                try (var in = FashionMnist.class.getResourceAsStream("/convlab/data/fashion-mnist-sample/" + f)) {
                    Files.copy(in, dir.resolve(f));
                }
            dir.toFile().deleteOnExit();
            return dir;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
