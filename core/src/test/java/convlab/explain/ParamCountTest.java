package convlab.explain;

import org.junit.jupiter.api.Test;

import static convlab.explain.ParamCount.Kind.*;
import static org.junit.jupiter.api.Assertions.*;

/** Counts worked by hand, including hw4 problem 4(e)'s table. */
class ParamCountTest {
    @Test void hw4Problem4eTable() {
        // CONV3-10 on 28×28×1: 3·3·1·10 + 10 = 100; CONV3-10 on 14×14×10: 3·3·10·10 + 10 = 910; FC-3 on 490: 490·3 + 3 = 1473
        assertEquals(100, ParamCount.count(STANDARD, 1, 10, 3, 3, 1, true, null).params());
        assertEquals(910, ParamCount.count(STANDARD, 10, 10, 3, 3, 1, true, null).params());
        assertEquals(1473, ParamCount.count(LINEAR, 490, 3, 1, 1, 1, true, null).params());
        assertEquals("3×3×10×10 + 10 = 910", ParamCount.count(STANDARD, 10, 10, 3, 3, 1, true, null).paramExpression());
    }

    @Test void hw4Problem4aSymbolicShapeWithNumbers() {
        // K×K×C×F weights and F biases: K=5, C=3, F=8 → 600 + 8
        ParamCount.Result r = ParamCount.count(STANDARD, 3, 8, 5, 5, 1, true, null);
        assertEquals(600, r.weightCount());
        assertEquals(608, r.params());
    }

    @Test void briefExample() {
        ParamCount.Result r = ParamCount.count(STANDARD, 3, 4, 3, 3, 1, false, new int[] {28, 28});
        assertEquals("weights (kh × kw × in/groups × out): 3×3×3×4 = 108", r.weights().getFirst().toString());
        assertEquals(108, r.params());
        assertEquals(28 * 28 * 108, r.macCount());
    }

    @Test void groupedDepthwiseSeparable() {
        assertEquals(8 * 2 * 9 + 8, ParamCount.count(GROUPED, 4, 8, 3, 3, 2, true, null).params());
        assertEquals(8 * 9 + 8, ParamCount.count(DEPTHWISE, 4, 8, 3, 3, 1, true, null).params());
        ParamCount.Result sep = ParamCount.count(SEPARABLE, 10, 20, 3, 3, 1, true, new int[] {14, 14});
        assertEquals(90 + 10 + 200 + 20, sep.params());
        assertEquals(14 * 14 * (90 + 200), sep.macCount());
        assertThrows(IllegalArgumentException.class, () -> ParamCount.count(GROUPED, 4, 6, 3, 3, 4, true, null));
        assertThrows(IllegalArgumentException.class, () -> ParamCount.count(DEPTHWISE, 4, 6, 3, 3, 1, true, null));
    }

    @Test void mistakesAreNamed() {
        ParamCount.Result r = ParamCount.count(STANDARD, 10, 10, 3, 3, 1, true, null);
        var m = ParamCount.mistakes(r, 10, 10, 3, 3, 1, true);
        assertEquals("biases forgotten", m.get(900L));
        assertEquals("one bias for the whole layer instead of one per output channel", m.get(901L));
        assertTrue(m.get(91L).startsWith("counted one filter only"));
        ParamCount.Result g = ParamCount.count(GROUPED, 4, 8, 3, 3, 2, true, null);
        assertTrue(ParamCount.mistakes(g, 4, 8, 3, 3, 2, true).get(8L * 4 * 9 + 8).startsWith("groups ignored"));
        ParamCount.Result withSize = ParamCount.count(STANDARD, 3, 4, 3, 3, 1, false, new int[] {26, 26});
        var macs = ParamCount.macMistakes(withSize, new int[] {28, 28});
        assertTrue(macs.get(28L * 28 * 108).startsWith("used the input size"));
        assertTrue(macs.get(108L).startsWith("counted one output position"));
    }
}
