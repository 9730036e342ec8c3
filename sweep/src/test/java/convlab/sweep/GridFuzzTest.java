package convlab.sweep;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz target for {@link Grid#parse} (the {@code --grid} of {@code convlab sweep}), with the contract of core's fuzz
 * targets (convlab.testing.Fuzzing, core's test code): any text is either a grid or refused with an
 * IllegalArgumentException of one non-empty line of at most 600 characters. A grid has 1 to MAX_TRIALS trials,
 * each with a value for every key, and the first and last trials are drawn from the value lists.
 */
class GridFuzzTest {
    @FuzzTest(maxDuration = "1m")
    void parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        Grid g;
        try {
            g = Grid.parse(text);
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            assertTrue(m != null && !m.isBlank() && !m.contains("\n") && !m.contains("\r") && m.length() <= 600, String.valueOf(m));
            return;
        }
        assertTrue(g.size() >= 1 && g.size() <= Grid.MAX_TRIALS);
        for (long i : new long[] {0, g.size() - 1}) {
            Map<String, String> t = g.trial(i);
            assertEquals(g.keys(), java.util.List.copyOf(t.keySet()));
            t.forEach((k, v) -> assertTrue(g.values().get(k).contains(v)));
        }
    }
}
