package convlab.cli;

import convlab.data.FashionMnist;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExperimentCommandTest {
    @Test void listNamesEveryExperiment() {
        var r = CliTestSupport.run("experiment", "list");
        assertEquals(0, r.exitCode(), r.err());
        for (String name : new String[] {"hand-filters", "inductive-bias", "dropout-regression", "weight-gradient-scale", "optimizers", "fp8-unit-scaling"})
            assertTrue(r.out().contains(name), "list lacks " + name + ":\n" + r.out());
    }

    @Test void unknownExperimentIsBadInput() {
        var r = CliTestSupport.run("experiment", "no-such-thing");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("unknown experiment 'no-such-thing'") && r.err().contains("dropout-regression"), r.err());
    }

    @Test void ownKernelRunsHandFiltersAndIsRefusedElsewhere(@TempDir Path dir) {
        var r = CliTestSupport.run("experiment", "hand-filters", "--quick", "--kernel", "[[0,-1,0],[-1,5,-1],[0,-1,0]]",
                "--out", dir.toString(), "--no-progress");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("kernel_sum_your_kernel"), r.out());
        assertTrue(dir.resolve("before_after.png").toFile().isFile());
        var wrong = CliTestSupport.run("experiment", "optimizers", "--quick", "--kernel", "1 2 1", "--no-progress");
        assertEquals(2, wrong.exitCode());
        assertTrue(wrong.err().contains("--kernel applies only to the hand-filters"), wrong.err());
        var even = CliTestSupport.run("experiment", "hand-filters", "--quick", "--kernel", "1 1; 1 1", "--out", dir.resolve("x").toString(), "--no-progress");
        assertEquals(2, even.exitCode());
        assertTrue(even.err().contains("odd side"), even.err());
    }

    @Test void quickRunWritesTheReportFolder(@TempDir Path dir) {
        var r = CliTestSupport.run("experiment", "weight-gradient-scale", "--quick", "--seed", "2", "--out", dir.toString(), "--no-progress");
        assertEquals(0, r.exitCode(), r.err());
        for (String f : new String[] {"index.html", "results.json", "gradient_std.csv", "gradient_std.png"})
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        assertTrue(r.out().contains("slope_vs_n_minus_k_plus_1"), r.out());
    }

    @Test void trainReportHasCurvesConfusionAndFilters(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        for (String f : new String[] {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"})
            try (var in = FashionMnist.class.getResourceAsStream("/convlab/data/fashion-mnist-sample/" + f)) {
                Files.copy(in, data.resolve(f));
            }
        Path out = dir.resolve("report");
        var r = CliTestSupport.run("train", "--epochs", "1", "--data", data.toString(), "--report", out.toString(), "--no-progress", "--threads", "1");
        assertEquals(0, r.exitCode(), r.err());
        for (String f : new String[] {"index.html", "results.json", "loss.png", "accuracy.png", "confusion.png", "filters.png", "epochs.csv"})
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        String html = Files.readString(out.resolve("index.html"));
        assertTrue(html.contains("confusion.png") && html.contains("test_acc"), html);
        var settings = com.google.gson.JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonObject().getAsJsonObject("settings");
        assertEquals(List.of("model", "parameters", "data", "epochs", "batch", "optimizer", "lr", "momentum", "weight-decay",
                "lr-schedule", "unit-scaled", "fp8-params", "seed", "threads", "on-nan"), List.copyOf(settings.keySet()), "TrainSettings.describe");
        assertTrue(settings.get("data").getAsString().contains("--data " + data), settings.toString());
        // Every step's own loss with its smoothed value (not a running mean that restarts each epoch), and test points
        // inside the epoch: 6,000 sample images in batches of 64 are 94 steps, probed every 18.
        var steps = Files.readAllLines(out.resolve("steps.csv"));
        assertEquals("step,train_loss,train_acc,train_loss_smoothed,train_acc_smoothed", steps.get(0));
        assertEquals(1 + 94, steps.size());
        assertEquals(List.of("step,test_loss,test_acc", "18", "36", "54", "72", "90"),
                Files.readAllLines(out.resolve("test_probes.csv")).stream().map(l -> l.startsWith("step") ? l : l.split(",")[0]).toList());
        // The probes evaluate between steps without touching the training: the same run without a report ends the same.
        var plain = CliTestSupport.run("train", "--epochs", "1", "--data", data.toString(), "--no-progress", "--threads", "1");
        assertEquals(r.out().lines().filter(l -> l.startsWith("test accuracy")).findFirst().orElseThrow().replaceAll(",.*", ""),
                plain.out().lines().filter(l -> l.startsWith("test accuracy")).findFirst().orElseThrow().replaceAll(",.*", ""));
    }
}
