package convlab.cli;

import com.google.gson.JsonParser;
import convlab.data.FashionMnist;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** train's --optimizer names, --unit-scaled and --fp8-params, on the embedded Fashion-MNIST sample. */
class TrainOptimizerOptionsTest {

    @Test void unitScaledMuonWithFp8ParametersTrains() throws Exception {
        Path dir = CliTestSupport.sampleDir();
        var r = CliTestSupport.run("train", "--epochs", "1", "--batch", "256", "--data", dir.toString(), "--json", "--threads", "1",
                "--optimizer", "muon", "--lr", "0.02", "--unit-scaled", "--fp8-params", "e4m3:master", "--lr-schedule", "warmup:5+cosine:40");
        assertEquals(0, r.exitCode(), r.err());
        double acc = JsonParser.parseString(r.out()).getAsJsonObject().get("test_acc").getAsDouble();
        assertTrue(acc > 0.6, "one epoch of unit-scaled Muon with fp8 weights on the sample, got " + acc);
    }

    /** Muon + AdamW state, per-layer learning rates, the fp8 master copy and the schedule all survive a resume bitwise. */
    @Test void resumeWithMuonUnitScalingFp8AndScheduleIsBitwiseIdentical() throws Exception {
        String data = CliTestSupport.sampleDir().toString();
        Path tmp = Files.createTempDirectory("resume-optim");
        String[] common = {"train", "--model", "CONV3-4 POOL2 CONV3-4 POOL2 FLATTEN FC-10", "--epochs", "1", "--batch", "100",
                "--data", data, "--threads", "2", "--seed", "9", "--optimizer", "muon", "--lr", "0.05", "--no-progress",
                "--unit-scaled", "--fp8-params", "e4m3:master:stochastic", "--lr-schedule", "warmup:10+cosine:50"};
        var straight = CliTestSupport.run(CliTestSupport.concat(common, "--save-model", tmp.resolve("straight.safetensors").toString()));
        assertEquals(0, straight.exitCode(), straight.err());
        Path ckpt = tmp.resolve("ckpt");
        var full = CliTestSupport.run(CliTestSupport.concat(common, "--checkpoint-dir", ckpt.toString(), "--checkpoint-every", "20", "--keep", "100"));
        assertEquals(0, full.exitCode(), full.err());
        CliTestSupport.rewindCheckpoints(ckpt, 20);
        var resumed = CliTestSupport.run(CliTestSupport.concat(common, "--checkpoint-dir", ckpt.toString(), "--resume",
                "--save-model", tmp.resolve("resumed.safetensors").toString()));
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(resumed.out().contains("resumed from"), resumed.out());
        org.junit.jupiter.api.Assertions.assertArrayEquals(Files.readAllBytes(tmp.resolve("straight.safetensors")),
                Files.readAllBytes(tmp.resolve("resumed.safetensors")));
    }

    @Test void badOptimizerOptionsGiveOneLine() {
        for (String[] args : new String[][] {{"train", "--optimizer", "adamax"}, {"train", "--fp8-params", "e3m4"},
                {"train", "--fp8-params", "e4m3:fast"}, {"train", "--optimizer", "signum", "--momentum", "0"},
                {"train", "--lr-schedule", "cosine"}, {"train", "--lr-schedule", "warmup:10+linear:5"}}) {
            var r = CliTestSupport.run(args);
            assertEquals(2, r.exitCode(), String.join(" ", args) + " -> " + r.err());
            assertTrue(r.err().startsWith("convlab train: ") && !r.err().contains("\tat "), r.err());
        }
        var r = CliTestSupport.run("train", "--optimizer", "adamax");
        assertTrue(r.err().contains("sgd, nesterov, adam, adamw, rmsprop, adagrad, signsgd, signum, muon"), r.err());
    }

    @Test void summaryListsUnitScalingPerLayer() {
        var r = CliTestSupport.run("summary", "CONV3-10 POOL2 CONV3-10 POOL2 FLATTEN FC-10", "--unit-scaled", "0.1");
        assertEquals(0, r.exitCode(), r.err());
        // rows numbered as the summary's; the Muon column is the step used, η·√(d_out/d_in)/c = 0.1·√10 (issue 16)
        assertTrue(r.out().contains("4 CONV3-10     10x90        1/sqrt(90)     0.0105409     0.316228"), r.out());
        var json = CliTestSupport.run("summary", "FC-256 FC-10", "--input", "784", "--unit-scaled", "1", "--json");
        assertEquals(0, json.exitCode(), json.err());
        var unit = com.google.gson.JsonParser.parseString(json.out()).getAsJsonObject().getAsJsonObject("unitScaled").getAsJsonArray("layers");
        assertEquals(1, unit.get(0).getAsJsonObject().get("index").getAsInt());
        assertEquals(16.0, unit.get(0).getAsJsonObject().get("muon_step").getAsDouble(), 1e-12);   // 256×784: 16, not η/c = 28
        assertEquals(3, unit.get(1).getAsJsonObject().get("index").getAsInt());
    }

    /** Issue 5's bar: on the course CNN, Muon reaches at least SGD's test accuracy in the same epochs (measured 0.8645 vs 0.8378). */
    @org.junit.jupiter.api.Tag("slow")
    @Test void muonMatchesSgdOnFullFashionMnist() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of(FashionMnist.DEBIAN_DIR)), "full Fashion-MNIST is not installed");
        double sgd = testAcc("--optimizer", "sgd", "--lr", "0.01"), muon = testAcc("--optimizer", "muon", "--lr", "0.01", "--weight-decay", "0.01");
        assertTrue(muon >= sgd, "Muon " + muon + " vs SGD " + sgd);
    }

    private static double testAcc(String... opts) {
        String[] fixed = {"train", "--model", "course-cnn", "--epochs", "1", "--json"};
        String[] args = new String[opts.length + fixed.length];
        System.arraycopy(fixed, 0, args, 0, fixed.length);
        System.arraycopy(opts, 0, args, fixed.length, opts.length);
        var r = CliTestSupport.run(args);
        assertEquals(0, r.exitCode(), r.err());
        return JsonParser.parseString(r.out()).getAsJsonObject().get("test_acc").getAsDouble();
    }

}
