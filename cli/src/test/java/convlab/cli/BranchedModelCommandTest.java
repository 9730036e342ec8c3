package convlab.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import convlab.io.ModelFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Specs with skip connections through the commands: summary, train (a graph model), save, eval. */
class BranchedModelCommandTest {
    static final String UNET = "CONV3-4 @a POOL2 CONV3-8 TCONV2-4(s2) CONCAT(a) @b CONV3-8 CONV1-8 ADD(b) POOL2 POOL2 FLATTEN FC-10";

    @Test void aBranchedModelTrainsSavesAndEvaluates() throws Exception {
        String data = CliTestSupport.sampleDir().toString();
        Path file = Files.createTempDirectory("branched").resolve("m.safetensors");
        var train = CliTestSupport.run("train", "--model", UNET, "--epochs", "1", "--batch", "200", "--optimizer", "adam", "--lr", "0.01",
                "--data", data, "--threads", "2", "--no-progress", "--save-model", file.toString());
        assertEquals(0, train.exitCode(), train.err());
        double trained = Double.parseDouble(train.out().replaceAll("(?s).*test accuracy ([0-9.]+).*", "$1"));
        assertTrue(trained > 0.4, "30 steps of the branched model should beat chance (0.1) clearly: " + train.out());
        assertEquals(UNET, ModelFile.readHeader(file).spec(), "the file names its spec");
        var eval = CliTestSupport.run("eval", "--model-file", file.toString(), "--data", data, "--json");
        assertEquals(0, eval.exitCode(), eval.err());
        assertEquals(trained, JsonParser.parseString(eval.out()).getAsJsonObject().get("test_acc").getAsDouble(), 1e-4);
    }

    @Test void summaryShowsTheMergeAndABadMergeIsAMarkedOneLineError() {
        var r = CliTestSupport.run("summary", "CONV3-16 @a POOL2 CONV3-32 TCONV2-8(s2) CONCAT(a)", "--input", "28x28x1", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonObject last = JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonArray("layers").asList().getLast().getAsJsonObject();
        assertEquals("28×28×24", last.getAsJsonObject("output").get("text").getAsString());
        assertEquals("cat with @a (#3)", last.get("settings").getAsString());
        var bad = CliTestSupport.run("summary", "CONV3-16 @a POOL2 CONV3-8 ADD(a)", "--input", "28x28x1");
        assertEquals(2, bad.exitCode());
        // one line, the offending merge marked in place (the library's three-line caret form is for terminals)
        assertTrue(bad.err().contains("ADD needs the same shape on every path") && bad.err().contains("▸ADD(a)◂")
                && bad.err().strip().lines().count() == 1, bad.err());
        var trainBad = CliTestSupport.run("train", "--model", "CONV3-4 CONCAT(z) FLATTEN FC-10", "--data", CliTestSupport.sampleDir().toString());
        assertEquals(2, trainBad.exitCode());
        assertTrue(trainBad.err().contains("unknown label 'z'"), trainBad.err());
    }
}
