package convlab.experiment;

import convlab.kernels.NewtonSchulz;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The newton-schulz benchmark reports a warmed-up median with its spread. */
class NewtonSchulzTimingTest {
    @Test void warmsUpAndReportsMedianWithinItsSpread() {
        NewtonSchulzTiming.Row r = NewtonSchulzTiming.measure(64, 16, NewtonSchulz.Poly.CUBIC, 5);
        assertTrue(r.warmups() >= 3 && r.warmups() <= NewtonSchulzTiming.MAX_WARMUPS, "warm-up rounds " + r.warmups());
        assertTrue(r.directMin() <= r.directSec() && r.directSec() <= r.directMax());
        assertTrue(r.gramMin() <= r.gramSec() && r.gramSec() <= r.gramMax());
        assertTrue(r.speedupLow() <= r.speedupMedian() && r.speedupMedian() <= r.speedupHigh());
    }

    @Test void medianOfOddAndEvenCounts() {
        assertEquals(2, NewtonSchulzTiming.median(new double[] {3, 1, 2}));
        assertEquals(2.5, NewtonSchulzTiming.median(new double[] {4, 1, 2, 3}));
    }
}
