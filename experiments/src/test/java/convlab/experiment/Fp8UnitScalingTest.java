package convlab.experiment;

import convlab.report.Results;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

class Fp8UnitScalingTest {
    static final Path OUT = Path.of("target", "experiment-tests", "fp8-unit-scaling");

    @Test
    void unitScalingKeepsWeightsOutOfUnderflowAndTrains() {
        Results r = new Fp8UnitScaling().run(OUT, true, 1, ExperimentProgress.NONE);
        System.out.println("fp8 quick: " + r.asMap());
        double[] xz = r.array("xavier_zero_fraction"), uz = r.array("unit_zero_fraction");
        // Problem 2(a): Xavier weights of wide layers underflow in E4M3, N(0, 1) weights do not.
        assertTrue(xz[xz.length - 1] > 0.05, "Xavier at fan-in 16384 loses " + xz[xz.length - 1]);
        assertTrue(uz[uz.length - 1] < 0.002, "N(0,1) loses " + uz[uz.length - 1]);
        assertTrue(xz[xz.length - 1] > xz[0], "Xavier's underflow grows with fan-in");
        // Both parametrizations learn with fp8 weights.
        assertTrue(r.number("fp8_unit_final_val_acc") > 0.4, "unit-scaled fp8 " + r.number("fp8_unit_final_val_acc"));
        assertTrue(r.number("fp8_xavier_final_val_acc") > 0.4, "Xavier fp8 " + r.number("fp8_xavier_final_val_acc"));
        assertTrue(OUT.resolve("underflow.png").toFile().isFile());
    }
}
