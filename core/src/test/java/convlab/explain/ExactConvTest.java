package convlab.explain;

import convlab.geometry.PaddingMode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Exact convolution against hand-worked results (hw4 problem 3) and PaddingMode's semantics. */
class ExactConvTest {
    static final ExactArray X = MatrixParser.parse("1 2 3 4 5; 6 7 8 9 10; 11 12 13 14 15; 16 17 18 19 20; 21 22 23 24 25");
    static final ExactArray H = MatrixParser.parse("-1 -2 -1; 0 0 0; 1 2 1");
    static final ConvSpec TRUE_CONV = ConvSpec.plain(false).withFlip(true);

    @Test void hw4Problem3cTrueConvolutionNoPadding() {
        // Flipped h weights row i by (1,2,1) and row i+2 by −(1,2,1); rows of x differ by 5, so every
        // entry is 4·(−10) = −40 (worked by hand).
        assertEquals(MatrixParser.parse("-40 -40 -40; -40 -40 -40; -40 -40 -40"), ExactConv.apply(X, H, TRUE_CONV));
    }

    @Test void hw4Problem3dStride1Pad1() {
        // Top row: the zero padding row gets +(1,2,1), x row 2 (6..10) gets −(1,2,1): −(0+12+7) = −19, ...
        ExactArray expected = MatrixParser.parse(
                "-19 -28 -32 -36 -29; -30 -40 -40 -40 -30; -30 -40 -40 -40 -30; -30 -40 -40 -40 -30; 49 68 72 76 59");
        assertEquals(expected, ExactConv.apply(X, H, TRUE_CONV.withPadding(1, 1)));
    }

    @Test void hw4Problem3dStride2Pad1() {
        ExactArray expected = MatrixParser.parse("-19 -32 -29; -30 -40 -30; 49 72 59");
        assertEquals(expected, ExactConv.apply(X, H, TRUE_CONV.withPadding(1, 1).withStride(2, 2)));
    }

    @Test void hw4Problem3aRectTimesHalfPowers() {
        // y[n] = Σ_{i=0}^{min(n,6)} (1/2)^(n−i): 2 − (1/2)^n for n ≤ 6, (127/64)·(1/2)^(n−6) after.
        ExactArray rect = MatrixParser.parse("1 1 1 1 1 1 1");
        Rational[] h = new Rational[13];
        for (int n = 0; n < h.length; n++) h[n] = Rational.of(1, 1L << n);
        ExactArray kernel = new ExactArray(new int[] {13}, h);
        // Full 1-D convolution: pad k−1 zeros on both sides and flip.
        ExactArray y = ExactConv.apply(rect, kernel, ConvSpec.plain(true).withFlip(true).withPadding(0, 12));
        assertEquals(7 + 13 - 1, y.size());
        for (int n = 0; n <= 12; n++) {
            Rational expected = n <= 6 ? Rational.of(2).subtract(Rational.of(1, 1L << n))
                    : Rational.of(127, 64).multiply(Rational.of(1, 1L << (n - 6)));
            assertEquals(expected, y.get(n), "y[" + n + "]");
        }
    }

    @Test void crossCorrelationDoesNotFlip() {
        ExactArray x = MatrixParser.parse("1 2; 3 4");
        ExactArray k = MatrixParser.parse("1 0; 0 0");
        assertEquals(Rational.of(1), ExactConv.apply(x, k, ConvSpec.plain(false)).get(0, 0));
        assertEquals(Rational.of(4), ExactConv.apply(x, k, ConvSpec.plain(false).withFlip(true)).get(0, 0));
    }

    @Test void paddedInputFollowsPaddingModeForEveryMode() {
        ExactArray x = MatrixParser.parse("1 2 3; 4 5 6; 7 8 9");
        for (PaddingMode mode : PaddingMode.values()) {
            ExactArray p = ExactConv.padded(x.asChannels(), ConvSpec.plain(false).withPadding(1, 2).withMode(mode));
            assertArrayEquals(new int[] {1, 5, 7}, p.shape());
            for (int r = 0; r < 5; r++)
                for (int c = 0; c < 7; c++) {
                    int sr = mode.source(r - 1, 3), sc = mode.source(c - 2, 3);
                    Rational want = sr < 0 || sc < 0 ? Rational.ZERO : x.get(sr, sc);
                    assertEquals(want, p.get(0, r, c), mode + " at " + r + "," + c);
                }
        }
        // Spot values worked by hand: circular wraps, reflect mirrors without the edge, replicate repeats it.
        assertEquals(Rational.of(9), ExactConv.padded(x.asChannels(), ConvSpec.plain(false).withPadding(1, 1).withMode(PaddingMode.CIRCULAR)).get(0, 0, 0));
        assertEquals(Rational.of(5), ExactConv.padded(x.asChannels(), ConvSpec.plain(false).withPadding(1, 1).withMode(PaddingMode.REFLECT)).get(0, 0, 0));
        assertEquals(Rational.of(1), ExactConv.padded(x.asChannels(), ConvSpec.plain(false).withPadding(1, 1).withMode(PaddingMode.REPLICATE)).get(0, 0, 0));
    }

    @Test void circularSumKernelGivesNeighbourhoodSums() {
        // With circular padding every entry of a 3×3 all-ones kernel sums 9 entries: total = 9 × total of x.
        ExactArray x = MatrixParser.parse("1 2 3; 4 5 6; 7 8 9");
        ExactArray y = ExactConv.apply(x, MatrixParser.parse("1 1 1; 1 1 1; 1 1 1"), ConvSpec.plain(false).withPadding(1, 1).withMode(PaddingMode.CIRCULAR));
        Rational total = Rational.ZERO;
        for (int i = 0; i < y.size(); i++) total = total.add(y.flat(i));
        assertEquals(Rational.of(9 * 45), total);
        assertEquals(Rational.of(45), y.get(1, 1));
    }

    @Test void dilationAndMultiChannelAndBias() {
        ExactArray x = MatrixParser.parse("1 2 3 4 5");
        // dilation 2: y[j] = x[j]·1 + x[j+2]·10
        assertEquals(MatrixParser.parse("31 42 53"), ExactConv.apply(x, MatrixParser.parse("1 10"), ConvSpec.plain(true).withDilation(1, 2)));
        ExactArray two = MatrixParser.parse("1 2; 3 4 | 10 20; 30 40");
        ExactArray k = MatrixParser.parse("1 | 2");
        assertEquals(MatrixParser.parse("21 42; 63 84").map(v -> v.add(Rational.of(1, 2))),
                ExactConv.apply(two, k, ConvSpec.plain(false).withBias(Rational.of(1, 2))));
    }

    @Test void transposedScattersScaledKernels() {
        // 1-D, stride 2: x = (1, 2), k = (1, 1, 1) → copies at 0..2 and 2..4, overlap at 2: (1,1,3,2,2).
        ExactArray y = ExactConv.apply(MatrixParser.parse("1 2"), MatrixParser.parse("1 1 1"), ConvSpec.plain(true).withTranspose(true).withStride(1, 2));
        assertEquals(MatrixParser.parse("1 1 3 2 2"), y);
        // padding 1 crops one entry from each end, output padding 1 adds one at the end.
        ConvSpec cropped = ConvSpec.plain(true).withTranspose(true).withStride(1, 2).withPadding(0, 1).withOutputPadding(0, 1);
        assertEquals(MatrixParser.parse("1 3 2 2"), ExactConv.apply(MatrixParser.parse("1 2"), MatrixParser.parse("1 1 1"), cropped));
    }

    @Test void decimalsStayExact() {
        ExactArray y = ExactConv.apply(MatrixParser.parse("0.1 0.2"), MatrixParser.parse("0.1 0.2"), ConvSpec.plain(true));
        assertEquals(Rational.of(1, 20), y.get(0));  // 0.01 + 0.04, no binary rounding
    }

    @Test void badSizesAreExplained() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ExactConv.apply(MatrixParser.parse("1 2"), MatrixParser.parse("1 2 3"), ConvSpec.plain(true)));
        assertTrue(e.getMessage().contains("is smaller than the kernel length 3"), e.getMessage());
    }

    @Test void hw4Problem3bShiftingTheInputShiftsTheOutput() {
        // x2(n) = x(n − 5): the full convolution is y shifted right by 5 (time invariance).
        ExactArray rect = MatrixParser.parse("1 1 1 1 1 1 1");
        ExactArray shifted = MatrixParser.parse("0 0 0 0 0 1 1 1 1 1 1 1");
        ExactArray h = MatrixParser.parse("1 1/2 1/4 1/8");
        ConvSpec full = ConvSpec.plain(true).withFlip(true).withPadding(0, 3);
        ExactArray y = ExactConv.apply(rect, h, full), y2 = ExactConv.apply(shifted, h, full);
        assertEquals(y.size() + 5, y2.size());
        for (int n = 0; n < y2.size(); n++) assertEquals(n < 5 ? Rational.ZERO : y.get(n - 5), y2.get(n), "y2[" + n + "]");
    }
}
