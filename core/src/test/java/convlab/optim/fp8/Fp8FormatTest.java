package convlab.optim.fp8;

import convlab.optim.fp8.Fp8Format.Rounding;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.TreeSet;

import static convlab.optim.fp8.Fp8Format.E4M3;
import static convlab.optim.fp8.Fp8Format.E5M2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Against the OCP OFP8 spec's table of special values and hand-worked roundings. */
class Fp8FormatTest {

    @Test void e4m3SpecTable() {
        assertEquals(448, E4M3.decode(0b0_1111_110));          // max normal S.1111.110 = 1.75·2^8
        assertEquals(-448, E4M3.decode(0b1_1111_110));
        assertTrue(Double.isNaN(E4M3.decode(0b0_1111_111)));   // the only NaN per sign
        assertTrue(Double.isNaN(E4M3.decode(0b1_1111_111)));
        assertEquals(256, E4M3.decode(0b0_1111_000));           // exponent 1111 is still a normal binade
        assertEquals(Math.scalb(1.0, -6), E4M3.decode(0b0_0001_000));      // min normal
        assertEquals(0.875 * Math.scalb(1.0, -6), E4M3.decode(0b0_0000_111)); // max subnormal
        assertEquals(Math.scalb(1.0, -9), E4M3.decode(0b0_0000_001));      // min subnormal
        assertEquals(1.0, E4M3.decode(0x38));
        assertEquals(0.0, E4M3.decode(0x00));
        assertEquals(-0.0, E4M3.decode(0x80));
        assertEquals(448, E4M3.max());
        assertEquals("0.1111.110", E4M3.bits(0x7E));
    }

    @Test void e5m2SpecTable() {
        assertEquals(57344, E5M2.decode(0b0_11110_11));          // max normal 1.75·2^15
        assertEquals(Double.POSITIVE_INFINITY, E5M2.decode(0b0_11111_00));
        assertEquals(Double.NEGATIVE_INFINITY, E5M2.decode(0b1_11111_00));
        for (int m = 1; m < 4; m++) assertTrue(Double.isNaN(E5M2.decode(0b0_11111_00 | m)));
        assertEquals(Math.scalb(1.0, -14), E5M2.decode(0b0_00001_00));
        assertEquals(0.75 * Math.scalb(1.0, -14), E5M2.decode(0b0_00000_11));
        assertEquals(Math.scalb(1.0, -16), E5M2.decode(0b0_00000_01));
        assertEquals(1.0, E5M2.decode(0x3C));
    }

    @Test void everyCodeRoundTripsAndCountsMatch() {
        for (Fp8Format f : Fp8Format.values()) {
            TreeSet<Double> finite = new TreeSet<>();
            int nan = 0, inf = 0;
            for (int c = 0; c < 256; c++) {
                double v = f.decode(c);
                if (Double.isNaN(v)) { nan++; continue; }
                if (Double.isInfinite(v)) inf++;
                else finite.add(v);
                assertEquals(c, f.encode(v, false), f + " code " + c);
            }
            assertEquals(f == E4M3 ? 2 : 6, nan, f + " NaN codes");
            assertEquals(f == E4M3 ? 0 : 2, inf, f + " infinities");
            assertEquals(f == E4M3 ? 254 : 248, finite.size(), f + " finite codes, all distinct values (+0 and −0 differ)");
        }
    }

    @Test void roundToNearestEvenByHand() {
        assertEquals(0x38, E4M3.encode(1.0625, false));        // halfway 1 | 1.125 → 1 (mantissa 000 even)
        assertEquals(1.25, E4M3.round(1.1875, false));          // halfway 1.125 | 1.25 → 1.25 (010)
        assertEquals(1.125, E4M3.round(1.1, false));
        assertEquals(0.0, E4M3.round(Math.scalb(1.0, -10), false));               // half the min subnormal → 0
        assertEquals(Math.scalb(1.0, -8), E4M3.round(3 * Math.scalb(1.0, -10), false)); // 1.5 subnormal steps → 2
        assertEquals(0x80, E4M3.encode(-1e-9, false));          // underflow keeps the sign: −0
        assertEquals(448, E4M3.round(464, false));              // tie 448 | (480) → 448, even
        assertTrue(Double.isNaN(E4M3.round(464.01, false)));    // E4M3 overflow without saturation → NaN
        assertEquals(0xFF, E4M3.encode(-500, false));
        assertEquals(-448, E4M3.round(-1e30, true));            // saturating
        assertEquals(448, E4M3.round(Double.POSITIVE_INFINITY, true));
        assertEquals(57344, E5M2.round(61439, false));
        assertEquals(Double.POSITIVE_INFINITY, E5M2.round(61440, false));  // tie → 65536 (even) → ∞, as IEEE
        assertEquals(57344, E5M2.round(61440, true));
        assertEquals(Double.NEGATIVE_INFINITY, E5M2.round(Double.NEGATIVE_INFINITY, false));
        assertEquals(0.3125, E4M3.round(0.3, false));           // 0.3 = 1.2·2^-2, grid 2^-5: 9.6 → 10/32
        assertEquals(0.3125, E5M2.round(0.3, false));           // grid 2^-4: 4.8 → 5/16
    }

    @Test void stochasticRoundingIsUnbiasedAndUsesOnlyTheNeighbours() {
        Random r = new Random(1);
        double x = 0.3, sum = 0;
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            double v = E4M3.decode(E4M3.encode(x, Rounding.STOCHASTIC, true, r::nextDouble));
            assertTrue(v == 0.28125 || v == 0.3125, "neighbours of 0.3 are 9/32 and 10/32, got " + v);
            sum += v;
        }
        assertEquals(x, sum / n, 3e-4);
        assertEquals(0x38, E4M3.encode(1.0, Rounding.STOCHASTIC, false, r::nextDouble));
        assertThrows(IllegalArgumentException.class, () -> E4M3.encode(0.3, Rounding.STOCHASTIC, false, null));
        assertThrows(IllegalArgumentException.class, () -> Fp8Format.parse("e3m4"));
    }

    /** Course problem 2(a): unit-scale N(0,1) weights lose less to fp8 than Xavier-scaled ones. */
    @Test void unitScaleWeightsSurviveFp8BetterThanXavier() {
        Random r = new Random(2);
        int fanIn = 784, fanOut = 256, n = fanIn * fanOut;
        double xavierStd = Math.sqrt(2.0 / (fanIn + fanOut));
        double errUnit = 0, errXavier = 0, sqUnit = 0, sqXavier = 0;
        for (int i = 0; i < n; i++) {
            double g = r.nextGaussian();
            double u = g, x = g * xavierStd;
            errUnit += Math.pow(E4M3.round(u, true) - u, 2);
            errXavier += Math.pow(E4M3.round(x, true) - x, 2);
            sqUnit += u * u;
            sqXavier += x * x;
        }
        double relUnit = Math.sqrt(errUnit / sqUnit), relXavier = Math.sqrt(errXavier / sqXavier);
        assertTrue(relUnit < relXavier, "relative RMS error N(0,1) " + relUnit + " vs Xavier " + relXavier);
    }
    /** encodeDecimal decides on the exact decimal: on the decimal expansion of any double it agrees with encode. */
    @Test void decimalEncodingAgreesWithTheDoubleEncoderOnEveryDoubleAndIsExactAtTies() {
        Random r = new Random(14);
        for (Fp8Format f : Fp8Format.values()) {
            for (int i = 0; i < 20_000; i++) {
                double d = switch (i % 3) {
                    case 0 -> (r.nextDouble() - 0.5) * 2 * f.max() * 1.2;
                    case 1 -> Math.scalb(r.nextDouble(), r.nextInt(40) - 25) * (r.nextBoolean() ? 1 : -1);
                    default -> (f.decode(r.nextInt(256)) + f.decode(r.nextInt(256))) / 2;   // midpoints: the ties
                };
                if (!Double.isFinite(d)) continue;
                for (boolean sat : new boolean[] {false, true}) {
                    String text = new java.math.BigDecimal(d).toString();
                    assertEquals(f.encode(d, sat), f.encodeDecimal(text, sat), f + " " + text + " saturate " + sat);
                }
            }
            for (int code = 0; code < 256; code++) {
                double v = f.decode(code);
                if (Double.isFinite(v) && v != 0) assertEquals(code, f.encodeDecimal(new java.math.BigDecimal(v).toPlainString(), false));
            }
        }
        // The cases: a hair above a tie rounds up, which a double cannot see.
        assertEquals(0x38, E4M3.encodeDecimal("1.0625", false));
        assertEquals(0x39, E4M3.encodeDecimal("1.0625000000000000001", false));
        assertEquals(0x7E, E4M3.encodeDecimal("464", false));
        assertEquals(0x7F, E4M3.encodeDecimal("464.0000000000000001", false));
        assertEquals(0x7E, E4M3.encodeDecimal("464.0000000000000001", true));
        assertEquals(0x80, E4M3.encodeDecimal("-0", false));
        assertEquals(0xFC, E5M2.encodeDecimal("-1e999999999", false));
        assertEquals(0x00, E5M2.encodeDecimal("1e-999999999", false));
        assertEquals(0x7C, E5M2.encodeDecimal("inf", false));
        for (String bad : new String[] {"", "abc", "1..2", "0x10", "1e", "--1", "1e9999999999"})
            assertThrows(IllegalArgumentException.class, () -> E4M3.encodeDecimal(bad, false), bad);
    }
}
