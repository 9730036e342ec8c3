package convlab.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TrainingReportTest {
    @Test void smoothingIsABiasCorrectedMovingAverage() {
        // A constant stays constant from the first value on (no pull toward zero at the start).
        assertArrayEquals(new double[] {2, 2, 2}, TrainingReport.smooth(new double[] {2, 2, 2}, 0.9), 1e-12);
        // Two values: (0.1·1·0.9 + 0.1·3) / (0.1·0.9 + 0.1) = 0.39 / 0.19.
        double[] s = TrainingReport.smooth(new double[] {1, 3}, 0.9);
        assertEquals(1, s[0], 1e-12);
        assertEquals(0.39 / 0.19, s[1], 1e-12);
        // Weight 0 is the raw series.
        assertArrayEquals(new double[] {5, -1, 4}, TrainingReport.smooth(new double[] {5, -1, 4}, 0), 1e-12);
    }
}
