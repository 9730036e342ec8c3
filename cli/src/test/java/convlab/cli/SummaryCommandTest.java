package convlab.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Expected numbers are the course's (hw4 problem 4e), worked by hand. */
class SummaryCommandTest {
    private static final String COURSE = "CONV3-10 POOL2 CONV3-10 POOL2 FLATTEN FC-3";

    /** The cells of the table row whose layer column is the given name (the first such row). */
    private static List<String> row(String text, String index) {
        for (String line : text.split("\n")) {
            List<String> cells = List.of(line.trim().split("\\s{2,}"));
            if (!cells.isEmpty() && cells.getFirst().equals(index)) return cells;
        }
        throw new AssertionError("no row " + index + " in\n" + text);
    }

    @Test void textTableShowsTheCourseTable() {
        var r = CliTestSupport.run("summary", COURSE, "--input", "28x28x1");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(List.of("1", "CONV3-10", "3×3 s1 p1", "28×28×10", "100", "= 3×3×1×10 + 10", "70560", "3", "1", "0"), row(r.out(), "1"));
        assertEquals(List.of("2", "RELU*", "28×28×10", "0", "0", "3", "1", "0"), row(r.out(), "2"));
        assertEquals(List.of("4", "CONV3-10", "3×3 s1 p1", "14×14×10", "910", "= 3×3×10×10 + 10", "176400", "8", "2", "0.5"), row(r.out(), "4"));
        assertEquals(List.of("6", "POOL2", "max 2×2 s2 p0", "7×7×10", "0", "0", "10", "4", "1.5"), row(r.out(), "6"));
        assertEquals(List.of("7", "FLATTEN", "490", "0", "0", "10", "4", "1.5"), row(r.out(), "7"));
        assertEquals(List.of("8", "FC-3", "3", "1473", "= 490×3 + 3", "1470", "all"), row(r.out(), "8"));
        assertTrue(r.out().contains("total: 2483 trainable parameters, 0 buffer values, 248430 multiply-adds"), r.out());
        assertTrue(r.out().contains("ReLU implied after each convolution"), r.out());
    }

    @Test void buffersAreListedApartFromParameters() {
        var r = CliTestSupport.run("summary", "CONV3-8 BN(meanonly) POOL2 BN FLATTEN FC-2", "--input", "4x4x1");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("total: 178 trainable parameters, 24 buffer values"), r.out());   // 80 + 16 + 16 + 66; 8 + 16
        assertTrue(r.out().contains("  2 BN(meanonly): 8 = 8 (running mean)"), r.out());
        assertTrue(r.out().contains("  5 BN: 16 = 2×8 (running mean and running variance)"), r.out());
    }

    @Test void jsonCarriesEveryColumn() {
        var r = CliTestSupport.run("summary", COURSE, "--input", "28x28x1", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonObject root = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(2483, root.getAsJsonObject("totals").get("params").getAsLong());
        JsonObject conv2 = root.getAsJsonArray("layers").get(3).getAsJsonObject();
        assertEquals("3×3×10×10 + 10", conv2.get("paramsExpression").getAsString());
        assertEquals("14×14×10", conv2.getAsJsonObject("output").get("text").getAsString());
        assertEquals(8, conv2.getAsJsonObject("receptiveField").get("size").getAsInt());
        assertEquals(0.5, conv2.getAsJsonObject("receptiveField").get("start").getAsDouble());
        assertTrue(root.getAsJsonArray("layers").get(1).getAsJsonObject().get("implied").getAsBoolean());
        assertEquals("3×3 s1 p1", conv2.get("settings").getAsString());
    }

    @Test void markdownIsATable() {
        var r = CliTestSupport.run("summary", COURSE, "--markdown");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("| 1 | CONV3-10 | 3×3 s1 p1 | $28 \\times 28 \\times 10$ | 100 | $3 \\times 3 \\times 1 \\times 10 + 10$ | 70560 | 3 | 1 | 0 |"), r.out());
        assertTrue(r.out().contains("| 2 | RELU\\* |"), "the implied marker is escaped: " + r.out());
        long pipesPerRow = r.out().lines().filter(l -> l.startsWith("|")).mapToLong(l -> l.chars().filter(c -> c == '|').count()).distinct().count();
        assertEquals(1, pipesPerRow, "every table row has the same number of cells");
    }

    @Test void badSpecIsOneMessageWithACaretAndExitTwo() {
        var r = CliTestSupport.run("summary", "CONV3-10 POOL2 CONV3 FC-3");
        assertEquals(2, r.exitCode());
        assertEquals("convlab summary: bad spec: expected '-' and a filter count after CONV3 (as in CONV3-10)"
                + " (at character 21: CONV3-10 POOL2 CONV3▸ ◂FC-3)\n", r.err());   // one line (issue 14)
        var shape = CliTestSupport.run("summary", "CONV3-10 FC-3", "--input", "8x8x1");
        assertEquals(2, shape.exitCode());
        assertTrue(shape.err().contains("layer 3 (FC-3) with input 8×8×10: FC needs a flat input"), shape.err());
        assertEquals(0, CliTestSupport.run("summary", COURSE, "--input", "28x28").exitCode(), "28x28 is a 1-d input (length 28, 28 channels)");
        assertEquals(2, CliTestSupport.run("summary", COURSE, "--input", "0x28x1").exitCode());
    }
}
