package convlab.sweep;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GridTest {
    @Test
    void theIssuesGridHasThirtyTrialsFirstKeySlowest() {
        Grid g = Grid.parse("lr=0.01,0.05,0.1; optimizer=sgd,adam; seed=1..5");
        assertEquals(List.of("lr", "optimizer", "seed"), g.keys());
        assertEquals(30, g.size());
        assertEquals(Map.of("lr", "0.01", "optimizer", "sgd", "seed", "1"), g.trial(0));
        assertEquals(Map.of("lr", "0.01", "optimizer", "sgd", "seed", "2"), g.trial(1));
        assertEquals(Map.of("lr", "0.01", "optimizer", "adam", "seed", "1"), g.trial(5));
        assertEquals(Map.of("lr", "0.1", "optimizer", "adam", "seed", "5"), g.trial(29));
        Set<Map<String, String>> all = new HashSet<>();
        for (long i = 0; i < g.size(); i++) all.add(g.trial(i));
        assertEquals(30, all.size(), "every trial different");
    }

    @Test
    void specsKeepTheirCommasInsideParenthesesAndNumbersAreNormalised() {
        Grid g = Grid.parse(" model = CONV3-8(s2, p0) FLATTEN FC-10 , mlp ;lr=1e-2, 0.10 ; unit-scaled=true,false");
        assertEquals(List.of("CONV3-8(s2, p0) FLATTEN FC-10", "mlp"), g.values().get("model"));
        assertEquals(List.of("0.01", "0.1"), g.values().get("lr"));
        assertEquals(8, g.size());
    }

    @Test
    void badGridsAreRefusedWithOneLine() {
        for (String bad : List.of("", " ; ", "lr", "rate=0.1", "lr=", "lr=0.1,,0.2", "seed=5..1", "seed=1..x", "lr=0.1..0.5",
                "lr=-1", "lr=nan", "momentum=1", "batch=0", "epochs=1..3;epochs=4", "lr=0.1,0.10", "unit-scaled=yes",
                "seed=1..100000", "seed=1..9000;lr=" + "0.1,".repeat(0) + "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63,64,65,66,67,68,69,70,71,72,73,74,75,76,77,78,79,80,81,82,83,84,85,86,87,88,89,90,91,92,93,94,95,96,97,98,99,100,101,102,103,104,105,106,107,108,109,110,111,112")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Grid.parse(bad), bad);
            assertTrue(!e.getMessage().contains("\n") && e.getMessage().length() < 400, e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Grid.parse("rate=0.1")).getMessage().contains("unknown grid setting"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Grid.parse("seed=5..1")).getMessage().contains("is empty"));
    }

    @Test
    void randomDrawsAreDistinctSortedAndSeeded() {
        Grid g = Grid.parse("lr=0.01,0.05,0.1; seed=1..100");
        List<Long> a = g.indices(10, 7), b = g.indices(10, 7), c = g.indices(10, 8);
        assertEquals(a, b);
        assertNotEquals(a, c);
        assertEquals(10, new HashSet<>(a).size());
        assertEquals(a.stream().sorted().toList(), a);
        assertEquals(300, g.indices(0, 1).size());
        assertEquals(300, g.indices(1000, 1).size(), "more than the grid: all of it");
    }

    @Test
    void trialIdsDependOnEverySettingAndNothingElse() {
        Map<String, String> a = new java.util.LinkedHashMap<>(Map.of("lr", "0.1", "seed", "1")), b = new java.util.LinkedHashMap<>();
        b.put("seed", "1");
        b.put("lr", "0.1");
        assertEquals(Trials.id(a), Trials.id(b), "order does not matter");
        assertTrue(Trials.id(a).matches("[0-9a-f]{16}"));
        b.put("seed", "2");
        assertNotEquals(Trials.id(a), Trials.id(b));
    }
}
