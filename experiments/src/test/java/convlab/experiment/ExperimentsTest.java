package convlab.experiment;

import convlab.report.Results;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExperimentsTest {
    @Test
    void registryNamesAreUniqueAndFindable() {
        Set<String> names = new HashSet<>();
        for (Experiment e : Experiments.all()) {
            assertTrue(names.add(e.name()), "duplicate name " + e.name());
            assertTrue(e.name().matches("[a-z0-9-]+"), e.name());
            assertSame(e, Experiments.byName(" " + e.name().toUpperCase() + " "));
            assertTrue(!e.description().isBlank());
        }
        assertEquals(Experiments.all().size(), names.size());
        for (String n : new String[] {"unit-scaling-depth", "step-size-rules", "backprop-scale", "conv1d-shift", "dropout-batch-size", "dropout-cheating", "dropout-cnn"}) assertTrue(names.contains(n), n);
        var err = assertThrows(IllegalArgumentException.class, () -> Experiments.byName("nope"));
        assertTrue(err.getMessage().contains("dropout-regression"), err.getMessage());
    }

    @Test
    void sameSeedSameNumbersOtherSeedOtherNumbers() {
        Path base = Path.of("target", "experiment-tests", "determinism");
        Results a = new WeightGradientScale().run(base.resolve("a"), true, 5, ExperimentProgress.NONE);
        Results b = new WeightGradientScale().run(base.resolve("b"), true, 5, ExperimentProgress.NONE);
        Results c = new WeightGradientScale().run(base.resolve("c"), true, 6, ExperimentProgress.NONE);
        assertArrayEquals(a.array("measured_std"), b.array("measured_std"));
        assertNotEquals(a.array("measured_std")[2], c.array("measured_std")[2]);
    }
}
