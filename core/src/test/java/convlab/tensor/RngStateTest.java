package convlab.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RngStateTest {
    /** xoshiro256's all-zero state never changes: nextInt would loop forever. A damaged checkpoint says so instead. */
    @Test void anAllZeroStateIsRefused() {
        Rng r = new Rng(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.setState(new long[] {0, 0, 0, 0, 0, 0}));
        assertTrue(e.getMessage().contains("all zero"), e.getMessage());
        r.setState(new long[] {0, 0, 0, 1, 0, 0});
        r.nextInt(10);   // any other state works
    }
}
