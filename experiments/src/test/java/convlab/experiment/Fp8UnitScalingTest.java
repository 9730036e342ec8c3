package convlab.experiment;

import convlab.report.Results;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

class Fp8UnitScalingTest {
    static final Path OUT = Path.of("target", "experiment-tests", "fp8-unit-scaling");

    @Test
    void unitScalingKeepsWeightsOutOfUnderflowAndTrains() {
        long t0 = System.nanoTime();
        Results r = new Fp8UnitScaling().run(OUT, true, 1, ExperimentProgress.NONE);
        System.out.println("fp8 quick: " + (System.nanoTime() - t0) / 1e9 + " s, " + r.asMap());
        double[] xz = r.array("xavier_zero_fraction"), uz = r.array("unit_zero_fraction");
        // Problem 2(a): Xavier weights of wide layers underflow in E4M3, N(0, 1) weights do not.
        assertTrue(xz[xz.length - 1] > 0.05, "Xavier at fan-in 16384 loses " + xz[xz.length - 1]);
        assertTrue(uz[uz.length - 1] < 0.002, "N(0,1) loses " + uz[uz.length - 1]);
        assertTrue(xz[xz.length - 1] > xz[0], "Xavier's underflow grows with fan-in");
        // Both parametrizations learn with fp8 weights.
        assertTrue(r.number("fp8_unit_final_val_acc") > 0.4, "unit-scaled fp8 " + r.number("fp8_unit_final_val_acc"));
        assertTrue(r.number("fp8_xavier_final_val_acc") > 0.4, "Xavier fp8 " + r.number("fp8_xavier_final_val_acc"));
        // The wide network (fan-in 1024): with round-to-nearest E4M3 storage Xavier's weights cannot move and it stays
        // near its initial accuracy, while the unit-scaled network learns.
        double xFinal = r.number("wide_xavier_nearest_final_val_acc"), xInit = r.number("wide_xavier_nearest_init_val_acc");
        double uFinal = r.number("wide_unit_nearest_final_val_acc");
        assertTrue(uFinal > xFinal + 0.2, "unit-scaled wide " + uFinal + " vs Xavier wide " + xFinal);
        assertTrue(xFinal < xInit + 0.1, "Xavier wide stays near its initial accuracy " + xInit + ", ends " + xFinal);
        assertTrue(OUT.resolve("wide.png").toFile().isFile());
        assertTrue(OUT.resolve("underflow.png").toFile().isFile());
    }
}
