package convlab.optim;

import convlab.optim.StepSize.Result;
import convlab.optim.StepSize.Update;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** step-size: the derived step against one measured step of the library optimizers. */
class StepSizeTest {
    @Test void derivedStepMovesTheOutputByRms1WithinFivePercentForEveryOptimizerAndShape() {
        int[][] shapes = {{1, 1}, {3, 7}, {10, 9}, {10, 90}, {256, 784}, {784, 256}, {100, 3}};
        for (int[] s : shapes)
            for (Update u : Update.values())
                for (boolean unit : new boolean[] {false, true}) {
                    Result r = StepSize.of(s[0], s[1], u, unit, 16);
                    String what = u + " " + s[0] + "x" + s[1] + (unit ? " unit-scaled" : " standard");
                    assertEquals(1, r.measuredRmsDy(), 0.05, what);
                    // the formula of the other convention misses by the factor c (or 1/c) here
                    double other = unit ? r.withoutCRmsDy() : r.withCRmsDy();
                    double expected = (unit ? r.withoutC() : r.withC()) / r.stepSize();
                    assertEquals(expected, other, 0.05 * expected, what + " other convention");
                }
    }

    @Test void homework4Problem2ValuesForA256x784Layer() {
        assertEquals(16, StepSize.of(256, 784, Update.MUON, true, 1).stepSize(), 1e-12);            // (e) √d_out with c
        assertEquals(Math.sqrt(256.0 / 784), StepSize.of(256, 784, Update.MUON, false, 1).stepSize(), 1e-12);
        assertEquals(1.0 / 28, StepSize.of(256, 784, Update.SIGNSGD, true, 1).stepSize(), 1e-12);   // (d) 1/(c·d_in)
        Result r = StepSize.of(256, 784, Update.SIGNSGD, true, 1);
        assertEquals(16, r.maxSpectral(), 1e-12);                                                    // (c) √d_out
        assertEquals(2.75, r.opNormExpected(), 1e-12);
        assertEquals(2.75, r.opNormMeasured(), 0.1);
        assertTrue(StepSize.of(256, 784, Update.MUON, true, 1).quinticRmsDy() < 0.9);               // PyTorch's quintic is not UVᵀ
    }

    @Test void aTableRowAndAReusedOperatorNormGiveTheFullMeasurementsNumbers() {
        for (Update u : Update.values())
            for (boolean unit : new boolean[] {false, true}) {
                Result full = StepSize.of(10, 90, u, unit, 16);
                Result reused = StepSize.of(10, 90, u, unit, 16, StepSize.of(10, 90, Update.SGD, unit, 16).opNormMeasured());
                Result row = StepSize.row(10, 90, u, unit, 16, Double.NaN);
                String what = u + (unit ? " unit-scaled" : " standard");
                assertEquals(full, reused, what);
                assertEquals(full.stepSize(), row.stepSize(), what);
                assertEquals(full.measuredRmsDy(), row.measuredRmsDy(), what);
                assertEquals(full.opNormMeasured(), row.opNormMeasured(), what);
                assertTrue(Double.isNaN(row.quinticRmsDy()) && Double.isNaN(unit ? row.withoutCRmsDy() : row.withCRmsDy()), what);
            }
    }

    @Test void specLayersAreNumberedAsTheSummaryRows() {
        List<StepSize.SpecLayer> l = StepSize.specLayers("CONV3-10 POOL2 CONV3-10 POOL2 FLATTEN FC-3", "28x28x1");
        assertEquals(List.of(1, 4, 8), l.stream().map(StepSize.SpecLayer::row).toList());
        assertEquals(90, l.get(1).dIn());
        assertEquals(490, l.get(2).dIn());
    }

    @Test void aZeroSizedLayerIsRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> StepSize.of(0, 784, Update.SGD, false, 1));
        assertTrue(e.getMessage().contains("zero-sized"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StepSize.of(100_000, 100_000, Update.SGD, false, 1));
    }
}
