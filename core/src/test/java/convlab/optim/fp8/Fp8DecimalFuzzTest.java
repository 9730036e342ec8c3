package convlab.optim.fp8;

import com.code_intelligence.jazzer.junit.FuzzTest;
import convlab.testing.Fuzzing;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz target for {@link Fp8Format#encodeDecimal} (the decimal reader of {@code convlab fp8 round}): any text is
 * rejected with one line, or gives a code in 0..255 that, for a finite value, agrees with rounding the double
 * nearest to the decimal wherever that double is not within one ulp of a tie (there the exact decimal decides).
 */
class Fp8DecimalFuzzTest {
    @FuzzTest(maxDuration = "1m")
    void encode(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        for (Fp8Format f : Fp8Format.values()) {
            Integer code = Fuzzing.parse(() -> f.encodeDecimal(text, false));
            if (code == null) continue;   // rejected with one line
            assertTrue(code >= 0 && code <= 255);
            BigDecimal exact;
            try {
                exact = new BigDecimal(text.strip());
            } catch (NumberFormatException | ArithmeticException e) {
                continue;
            }
            if (exact.abs().compareTo(BigDecimal.valueOf(1e6)) > 0 || (exact.signum() != 0 && exact.abs().compareTo(new BigDecimal("1e-30")) < 0)) continue;
            double d = exact.doubleValue(), up = Math.nextUp(d), down = Math.nextDown(d);
            if (f.encode(up, false) == f.encode(down, false) && text.strip().matches("[-+]?[0-9.]+([eE][-+]?[0-9]{1,3})?"))
                assertEquals(f.encode(d, false), code, f + " " + text);
        }
    }
}
