package convlab.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code convlab forward}: homework 4 problem 4f through the command, JSON, and bad input as one line with exit 2. */
class ForwardCommandTest {
    static final String HW4F = "CONV2-3(circular) → ReLU → CONV2-3(circular) → ReLU → GAP → FC-3";
    static final Path EXAMPLE = Path.of("..", "docs", "examples", "hw4-4f");

    private static String in(String name) { return "@" + EXAMPLE.resolve(name); }

    @Test void hw4Problem4fShiftedEdgesGiveEqualFeatures() {
        var r = CliTestSupport.run("forward", HW4F, "--input", in("x1.txt"), "--input", in("x2.txt"), "--input", in("x3.txt"),
                "--input", in("x4.txt"), "--weights", EXAMPLE.resolve("weights.txt").toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonObject j = JsonParser.parseString(r.out()).getAsJsonObject();
        JsonObject gap = j.getAsJsonArray("layers").get(4).getAsJsonObject();
        assertEquals("GAP", gap.get("layer").getAsString());
        assertEquals("[\"4/5\",0,0]", gap.getAsJsonArray("values").get(0).toString(), "g1 = (0.8, 0, 0)");
        assertEquals("[0,\"4/5\",0]", gap.getAsJsonArray("values").get(2).toString(), "g3 = g2");
        assertEquals("x3 = x2", gap.getAsJsonArray("relations").get(0).getAsJsonObject().get("text").getAsString());
        assertEquals("x4 = x1", j.getAsJsonArray("outputRelations").get(1).getAsJsonObject().get("text").getAsString());
        JsonObject conv = j.getAsJsonArray("layers").get(0).getAsJsonObject();
        assertEquals("[4,0]", conv.getAsJsonArray("relations").get(1).getAsJsonObject().get("shift").toString(), "equivariance: x4 = x1 shifted 4 rows");
    }

    @Test void badInputIsOneLineWithExitCode2() throws Exception {
        Path w = Files.createTempFile("w", ".txt");
        Files.writeString(w, "1.weight = 1 2 3\n1.bias = 0\n");
        String[][] cases = {
                {"forward", "CONV3-1", "--input", "1 2 3 4", "--weights", "/nonexistent/w.txt"},
                {"forward", "CONV3-1", "--input", "1 2 x", "--weights", w.toString()},
                {"forward", "CONV2-1", "--input", "1 2 3 4", "--weights", w.toString()},
                {"forward", "CONV3-1 FC-2", "--input", "1 2 3 4", "--weights", w.toString()},
                {"forward", "CONV3-1", "--input", "1 2 3 4", "--input", "1 2; 3 4", "--weights", w.toString()},
                {"forward", "CONV3-1 BN", "--input", "1 2 3 4", "--weights", w.toString()},
                {"forward", "CONV3-1 ADD(q)", "--input", "1 2 3 4", "--weights", w.toString()},
                {"forward", "CONV3-1", "--input", "1 2 3 4", "--weights", w.toString(), "--layers", "9"},
                {"forward", "FC-100000 FC-100000", "--input", "1 2 3 4", "--weights", w.toString()},
        };
        for (String[] c : cases) {
            var r = CliTestSupport.run(c);
            assertEquals(2, r.exitCode(), String.join(" ", c) + " -> " + r.err());
            assertTrue(r.err().startsWith("convlab forward: "), r.err());
            assertFalse(r.err().contains("\tat "), r.err());
            if (!c[1].contains("ADD")) assertEquals(1, r.err().strip().split("\n").length, "one line: " + r.err());
        }
        var ok = CliTestSupport.run("forward", "CONV3-1", "--input", "1 2 3 4", "--weights", w.toString());
        assertEquals(0, ok.exitCode(), ok.err());
        assertTrue(ok.out().contains("[ 8 14 20 11 ]"), ok.out());
    }
}
