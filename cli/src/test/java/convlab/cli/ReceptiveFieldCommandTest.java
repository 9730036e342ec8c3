package convlab.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ReceptiveFieldCommandTest {

    @Test void showsEachStepOfTheRecursiveRule() {
        var r = CliTestSupport.run("receptive-field", "CONV3-10 POOL2 CONV3-10 POOL2 FLATTEN FC-3");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("k=2 s=2 p=0:  r = 8 + (2−1)×2 = 10;  j = 2×2 = 4;  start = 0.5 + ((2−1)/2 − 0)×2 = 1.5"), r.out());
        assertTrue(r.out().contains("final: every output sees the whole input; before that, each output sees 10 input positions per axis"
                + " (jump 4, first centred at 1.5)"), r.out());
    }

    @Test void stackedConvolutionsGrowByKMinusOne() {
        // hw4 problem 4(c): L stride-1 convolutions of size K: L(K−1) + 1 = 4·(5−1) + 1 = 17.
        var r = CliTestSupport.run("receptive-field", "[CONV5-4]x4", "--no-implied-relu", "--input", "32x32x1", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonObject root = JsonParser.parseString(r.out()).getAsJsonObject();
        var steps = root.getAsJsonArray("steps");
        assertEquals(4, steps.size());
        for (int i = 0; i < 4; i++)
            assertEquals(4 * (i + 1) + 1, steps.get(i).getAsJsonObject().getAsJsonObject("receptiveField").get("size").getAsInt());
        assertEquals("32×32×4", steps.get(3).getAsJsonObject().getAsJsonObject("output").get("text").getAsString());
    }

    @Test void inputTooSmallIsReported() {
        var r = CliTestSupport.run("receptive-field", "[POOL2]x3", "--input", "4x4x1");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("layer 3 (POOL2) with input 1×1×1: the height would be 0"), r.err());
    }
}
