package convlab.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** `convlab optimize` and `convlab step-size` through the command line: exit codes, JSON keys, one-line errors. */
class OptimizerCalculatorsCommandTest {
    private static CliTestSupport.Result run(String... args) { return CliTestSupport.run(args); }

    @Test void optimizeChecksAnAnswerAndShowsTheResidual() {
        var ok = run("optimize", "--features", "1 0.1 0.01", "--targets", "1", "--method", "sgd", "--preconditioner", "1 10 100",
                "--check", "[100/111, 100/111, 100/111]");
        assertEquals(0, ok.exitCode(), ok.out() + ok.err());
        var wrong = run("optimize", "--features", "1 0.1 0.01", "--targets", "1", "--method", "sgd", "--check", "[1, 1, 1]");
        assertEquals(1, wrong.exitCode(), wrong.err());
        assertTrue(wrong.out().contains("plugging it in gives x·θ = 111/100 ≈ 1.11, not 1"), wrong.out());
    }

    @Test void optimizeJsonHasIteratesAndLimit() {
        var r = run("optimize", "--features", "1 0.1 0.01", "--targets", "1", "--method", "adagrad", "--steps", "2", "--limit", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonObject j = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(3, j.getAsJsonArray("iterates").size());
        assertEquals("100/111", j.getAsJsonObject("limit").getAsJsonArray("theta").get(0).getAsString());
    }

    @Test void badInputIsOneLineWithExitCode2() {
        String[][] bad = {
                {"optimize", "--features", "1 2; 3 4", "--targets", "1", "--method", "sgd"},
                {"optimize", "--features", "1 1", "--targets", "1", "--method", "sgd", "--preconditioner", "0 0"},
                {"optimize", "--features", "1 1", "--targets", "1", "--method", "sgd", "--lr", "5"},
                {"optimize", "--features", "1 1", "--targets", "1", "--method", "lbfgs"},
                {"step-size", "--d-in", "0", "--d-out", "256", "--optimizer", "sgd"},
                {"step-size", "--d-in", "784", "--d-out", "256", "--optimizer", "adamw"},
        };
        for (String[] args : bad) {
            var r = run(args);
            assertEquals(2, r.exitCode(), String.join(" ", args) + " -> " + r.out() + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
    }

    @Test void stepSizeJsonKeysAndSpecRows() {
        var r = run("step-size", "--d-in", "784", "--d-out", "256", "--optimizer", "muon", "--unit-scaled", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonObject j = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(16, j.get("step_size").getAsDouble(), 1e-12);
        assertEquals(1, j.get("measured_rms_dy").getAsDouble(), 0.05);
        var s = run("step-size", "FC-256 FC-10", "--input", "784", "--optimizer", "signsgd", "--json");
        assertEquals(0, s.exitCode(), s.err());
        var layers = JsonParser.parseString(s.out()).getAsJsonObject().getAsJsonArray("layers");
        assertEquals(3, layers.get(1).getAsJsonObject().get("index").getAsInt());
        assertEquals(1.0 / 256, layers.get(1).getAsJsonObject().get("step_size").getAsDouble(), 1e-12);
    }
}
