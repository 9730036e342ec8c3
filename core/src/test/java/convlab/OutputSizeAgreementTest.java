package convlab;

import convlab.explain.ConvSpec;
import convlab.geometry.PoolGeometry;
import convlab.nn.functional.Conv;
import convlab.nn.functional.ConvOptions;
import convlab.nn.functional.Pooling;
import convlab.spec.Analysis;
import convlab.spec.FeatureShape;
import convlab.spec.Spec;
import convlab.geometry.OutputSize;
import convlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Output sizes have one home ({@link OutputSize}); every caller must agree with it on many random geometries:
 * the spec Analyzer (summary), the exact calculator's ConvSpec, and the float engine (the shape of the tensor
 * Conv / Pooling actually compute). Where the rule says the layer does not fit, every one of them refuses.
 */
class OutputSizeAgreementTest {
    private static final int CASES = 400;

    /** The size, or -1 when the caller refuses with an IllegalArgumentException. */
    private static long sizeOr(Supplier<Integer> f) {
        try {
            return f.get();
        } catch (IllegalArgumentException e) {
            assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "a refusal says why");
            return -1;
        }
    }

    private static long orRefused(long exact) { return exact >= 1 ? exact : -1; }

    @Test
    void convolutionAgreesEverywhere() {
        Random r = new Random(20);
        int fits = 0;
        for (int i = 0; i < CASES; i++) {
            int h = 1 + r.nextInt(12), w = 1 + r.nextInt(12), k = 1 + r.nextInt(5), s = 1 + r.nextInt(3), p = r.nextInt(4), d = 1 + r.nextInt(3);
            String what = "h " + h + " w " + w + " k " + k + " s " + s + " p " + p + " d " + d;
            long eh = orRefused(OutputSize.convExact(h, k, s, 2L * p, d)), ew = orRefused(OutputSize.convExact(w, k, s, 2L * p, d));
            boolean ok = eh > 0 && ew > 0;
            if (ok) fits++;
            Analysis a = null;
            try {
                a = Analysis.of(Spec.parse("CONV" + k + "-2(s" + s + ",p" + p + ",d" + d + ")", false), FeatureShape.image(h, w, 3));
            } catch (IllegalArgumentException e) { /* refused */ }
            assertEquals(ok, a != null, "Analyzer, " + what);
            if (ok) assertEquals(List.of((int) eh, (int) ew), a.output().spatial(), "Analyzer, " + what);
            ConvSpec spec = ConvSpec.plain(false).withStride(s, s).withPadding(p, p).withDilation(d, d);
            assertEquals(eh, sizeOr(() -> spec.outputSize(0, h, k)), "ConvSpec height, " + what);
            assertEquals(ew, sizeOr(() -> spec.outputSize(1, w, k)), "ConvSpec width, " + what);
            ConvOptions o = ConvOptions.DEFAULT.stride(s).padding(p).dilation(d);
            Tensor y = null;
            try {
                y = Conv.conv2d(Tensor.zeros(1, 3, h, w), Tensor.zeros(2, 3, k, k), null, o);
            } catch (IllegalArgumentException e) { /* refused */ }
            assertEquals(ok, y != null, "Conv.conv2d, " + what);
            if (ok) assertArrayEquals(new int[] {1, 2, (int) eh, (int) ew}, y.shape(), "Conv.conv2d, " + what);
        }
        assertTrue(fits > CASES / 2 && fits < CASES, "both fitting and refused cases are drawn: " + fits);
    }

    @Test
    void transposedConvolutionAgreesEverywhere() {
        Random r = new Random(21);
        int fits = 0;
        for (int i = 0; i < CASES; i++) {
            int h = 1 + r.nextInt(8), w = 1 + r.nextInt(8), k = 1 + r.nextInt(5), s = 1 + r.nextInt(3), p = r.nextInt(4), d = 1 + r.nextInt(3);
            int op = r.nextInt(Math.max(s, d));
            String what = "h " + h + " w " + w + " k " + k + " s " + s + " p " + p + " d " + d + " op " + op;
            long eh = orRefused(OutputSize.transposedExact(h, k, s, p, d, op)), ew = orRefused(OutputSize.transposedExact(w, k, s, p, d, op));
            boolean ok = eh > 0 && ew > 0;
            if (ok) fits++;
            Analysis a = null;
            try {
                a = Analysis.of(Spec.parse("TCONV" + k + "-2(s" + s + ",p" + p + ",d" + d + ",op" + op + ")", false), FeatureShape.image(h, w, 3));
            } catch (IllegalArgumentException e) { /* refused */ }
            assertEquals(ok, a != null, "Analyzer, " + what);
            if (ok) assertEquals(List.of((int) eh, (int) ew), a.output().spatial(), "Analyzer, " + what);
            ConvSpec spec = ConvSpec.plain(false).withTranspose(true).withStride(s, s).withPadding(p, p).withDilation(d, d).withOutputPadding(op, op);
            assertEquals(eh, sizeOr(() -> spec.outputSize(0, h, k)), "ConvSpec height, " + what);
            assertEquals(ew, sizeOr(() -> spec.outputSize(1, w, k)), "ConvSpec width, " + what);
            ConvOptions o = ConvOptions.DEFAULT.stride(s).padding(p).dilation(d).outputPadding(op);
            Tensor y = null;
            try {
                y = Conv.convTranspose2d(Tensor.zeros(1, 3, h, w), Tensor.zeros(3, 2, k, k), null, o);
            } catch (IllegalArgumentException e) { /* refused */ }
            assertEquals(ok, y != null, "Conv.convTranspose2d, " + what);
            if (ok) assertArrayEquals(new int[] {1, 2, (int) eh, (int) ew}, y.shape(), "Conv.convTranspose2d, " + what);
        }
        assertTrue(fits > CASES / 2 && fits < CASES, "both fitting and refused cases are drawn: " + fits);
    }

    @Test
    void poolingAgreesEverywhereWithCeilMode() {
        Random r = new Random(22);
        int fits = 0, ceilDropped = 0;
        for (int i = 0; i < CASES; i++) {
            int h = 1 + r.nextInt(12), w = 1 + r.nextInt(12), k = 1 + r.nextInt(4), s = 1 + r.nextInt(3), p = r.nextInt(k / 2 + 1);
            boolean ceil = r.nextBoolean(), max = r.nextBoolean();
            String what = "h " + h + " w " + w + " k " + k + " s " + s + " p " + p + (ceil ? " ceil" : "") + (max ? " max" : " avg");
            long eh = orRefused(OutputSize.poolExact(h, k, s, p, 1, ceil)), ew = orRefused(OutputSize.poolExact(w, k, s, p, 1, ceil));
            boolean ok = eh > 0 && ew > 0;
            if (ok) fits++;
            if (ceil && OutputSize.poolExact(w, k, s, p, 1, true) == OutputSize.poolExact(w, k, s, p, 1, false)
                    && Math.floorMod(w + 2L * p - k, s) != 0) ceilDropped++;
            Analysis a = null;
            try {
                a = Analysis.of(Spec.parse((max ? "MAXPOOL" : "AVGPOOL") + k + "(s" + s + ",p" + p + (ceil ? ",ceil" : "") + ")", false),
                        FeatureShape.image(h, w, 3));
            } catch (IllegalArgumentException e) { /* refused */ }
            assertEquals(ok, a != null, "Analyzer, " + what);
            if (ok) assertEquals(List.of((int) eh, (int) ew), a.output().spatial(), "Analyzer, " + what);
            PoolGeometry g = new PoolGeometry(k, k, s, s, p, p, 1, 1, ceil);
            Tensor y = null;
            try {
                Tensor x = Tensor.zeros(1, 3, h, w);
                y = max ? Pooling.maxPool2d(x, g) : Pooling.avgPool2d(x, g, true);
            } catch (IllegalArgumentException e) { /* refused */ }
            assertEquals(ok, y != null, "Pooling, " + what);
            if (ok) assertArrayEquals(new int[] {1, 3, (int) eh, (int) ew}, y.shape(), "Pooling, " + what);
        }
        assertTrue(fits > CASES / 2, "most cases fit: " + fits);
        assertTrue(ceilDropped > 0, "the ceil-mode correction (a last window starting in the padding is dropped) is exercised");
    }

    @Test
    void exactArithmeticNeverWrapsAround() {
        int big = Integer.MAX_VALUE;
        assertEquals((big - 1L) * 3 + 1, OutputSize.transposedExact(big, 1, 3, 0, 1, 0));
        var e = assertThrows(IllegalArgumentException.class, () -> OutputSize.transposed(big, 1, 3, 0, 1, 0, "height"));
        assertTrue(e.getMessage().contains("too large"), e.getMessage());
        assertEquals(big, OutputSize.convExact(big, 1, 1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> OutputSize.conv(big, 1, 1, 0, 1, "width"));
        assertEquals(1, OutputSize.conv(big, big, 1, 0, 1, "width"));
        var fit = assertThrows(IllegalArgumentException.class, () -> OutputSize.conv(3, 3, 1, 0, 2, "width"));
        assertEquals("input width 3 (padded to 3) is smaller than the dilated kernel width 5", fit.getMessage());
        var crop = assertThrows(IllegalArgumentException.class, () -> OutputSize.transposed(1, 1, 1, 1, 1, 0, "height"));
        assertEquals("the transposed output height would be -1 ((1−1)·1 − 2·1 + 1·(1−1) + 0 + 1 = -1): padding 1 crops away everything; "
                + "reduce the padding", crop.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OutputSize.pool(1, 3, 1, 0, 1, false, "width"));
        assertThrows(IllegalArgumentException.class, () -> OutputSize.convExact(5, 3, 0, 0, 1), "stride 0 is refused");
    }
}
