package convlab.kernels;

import convlab.geometry.PoolGeometry;
import convlab.geometry.OutputSize;

import convlab.tensor.Rng;
import org.junit.jupiter.api.Test;

import static convlab.testing.Checks.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The float32 pooling kernels against the scalar float64 reference, over awkward sizes and every option. */
class Pool2dKernelsTest {

    private static float[] random(Rng rng, int n, boolean smallIntegers) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = smallIntegers ? rng.nextInt(3) : (float) (2 * rng.nextDouble() - 1);
        return x;
    }

    private static double[] widen(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) d[i] = x[i];
        return d;
    }

    /** Every geometry worth trying on an h×w input: kernels 1–3, strides 1–3, legal padding, both roundings. */
    private interface GeometryCase { void run(int h, int w, PoolGeometry g); }

    private static void forEachGeometry(GeometryCase body) {
        int[][] sizes = {{1, 1}, {2, 2}, {3, 5}, {4, 4}, {7, 6}, {13, 9}};
        for (int[] hw : sizes)
            for (int k = 1; k <= 3; k++)
                for (int s = 1; s <= 3; s++)
                    for (int p = 0; p <= k / 2; p++)
                        for (boolean ceil : new boolean[] {false, true}) {
                            PoolGeometry g = new PoolGeometry(k, k, s, s, p, p, 1, 1, ceil);
                            try { g.outH(hw[0]); g.outW(hw[1]); } catch (IllegalArgumentException tooSmall) { continue; }
                            body.run(hw[0], hw[1], g);
                        }
        body.run(9, 8, new PoolGeometry(2, 3, 2, 1, 1, 0, 1, 1, true));     // non-square
        body.run(10, 11, new PoolGeometry(3, 2, 1, 3, 0, 1, 1, 1, false));
    }

    @Test void maxPoolingMatchesReferenceBitwiseIncludingTies() {
        Rng rng = new Rng(1);
        int planes = 3;
        forEachGeometry((h, w, g) -> {
            for (boolean ties : new boolean[] {false, true}) {
                float[] x = random(rng, planes * h * w, ties);
                int oh = g.outH(h), ow = g.outW(w);
                float[] out = new float[planes * oh * ow];
                int[] arg = new int[out.length];
                double[] refOut = new double[out.length];
                int[] refArg = new int[out.length];
                Pool2dKernels.maxForward(x, planes, h, w, g, out, arg);
                Pool2dReference.maxForward(widen(x), planes, h, w, g, refOut, refArg);
                String what = "max " + g + " on " + h + "x" + w;
                assertArrayEquals(refArg, arg, what + " argmax");
                assertClose(refOut, widen(out), 0, 0, what);

                float[] gy = random(rng, out.length, false);
                float[] gx = new float[x.length];
                double[] refGx = new double[x.length];
                Pool2dKernels.maxBackward(gy, arg, planes, h, w, oh, ow, gx);
                Pool2dReference.maxBackward(widen(gy), refArg, planes, h, w, oh, ow, refGx);
                assertClose(refGx, widen(gx), 1e-6, 1e-6, what + " backward");
            }
        });
    }

    @Test void dilatedMaxPoolingMatchesReference() {
        Rng rng = new Rng(2);
        PoolGeometry g = new PoolGeometry(3, 2, 2, 1, 1, 1, 2, 3, true);
        int h = 11, w = 9, planes = 2;
        float[] x = random(rng, planes * h * w, true);
        float[] out = new float[planes * g.outH(h) * g.outW(w)];
        int[] arg = new int[out.length];
        double[] refOut = new double[out.length];
        int[] refArg = new int[out.length];
        Pool2dKernels.maxForward(x, planes, h, w, g, out, arg);
        Pool2dReference.maxForward(widen(x), planes, h, w, g, refOut, refArg);
        assertArrayEquals(refArg, arg);
        assertClose(refOut, widen(out), 0, 0, "dilated max");
    }

    @Test void tieRuleIsFirstMaximumInRowMajorWindowOrder() {
        float[] x = {5, 5,
                     5, 5};
        float[] out = new float[1];
        int[] arg = new int[1];
        Pool2dKernels.maxForward(x, 1, 2, 2, PoolGeometry.square(2, 2, 0), out, arg);
        assertEquals(0, arg[0]);
        float[] y = {1, 7, 7, 2, 9, 9};       // 2x3, kernel 2x3: maximum 9 at (1,1) and (1,2)
        Pool2dKernels.maxForward(y, 1, 2, 3, new PoolGeometry(2, 3, 1, 1, 0, 0, 1, 1, false), out, arg);
        assertEquals(4, arg[0]);
    }

    @Test void specialValuesFollowTheReference() {
        // NaN wins (the last NaN of a window), -0 and +0 tie (the first wins), infinities order as numbers
        float[] specials = {Float.NaN, -0f, 0f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 1f, -1f,
                Float.intBitsToFloat(0xFFC00000) /* negative NaN, as x86 makes it */, Float.MIN_VALUE, -Float.MAX_VALUE};
        Rng rng = new Rng(9);
        int planes = 2, h = 9, w = 8;
        for (PoolGeometry g : new PoolGeometry[] {PoolGeometry.square(2, 2, 0), new PoolGeometry(3, 3, 2, 2, 1, 1, 1, 1, true)}) {
            for (int trial = 0; trial < 20; trial++) {
                float[] x = new float[planes * h * w];
                for (int i = 0; i < x.length; i++) x[i] = specials[rng.nextInt(specials.length)];
                int oh = g.outH(h), ow = g.outW(w);
                float[] out = new float[planes * oh * ow];
                int[] arg = new int[out.length];
                double[] refOut = new double[out.length];
                int[] refArg = new int[out.length];
                Pool2dKernels.maxForward(x, planes, h, w, g, out, arg);
                Pool2dReference.maxForward(widen(x), planes, h, w, g, refOut, refArg);
                assertArrayEquals(refArg, arg, g + " argmax");
                for (int i = 0; i < out.length; i++)
                    assertEquals(Float.floatToIntBits((float) refOut[i]), Float.floatToIntBits(out[i]), g + " value " + i);
                float[] valuesOnly = new float[out.length];
                Pool2dKernels.maxForward(x, planes, h, w, g, valuesOnly, null);
                for (int i = 0; i < out.length; i++)
                    assertEquals(Float.floatToIntBits(out[i]), Float.floatToIntBits(valuesOnly[i]), g + " value without argmax " + i);
            }
        }
    }

    /**
     * The SIMD 2x2 path ({@link MaxPool2x2}) over rows wide enough for one or more vector chunks plus a
     * scalar rest, odd sizes (an unused last row and column), ties, and chunks with specials (NaN, ±0, ±inf):
     * outputs and argmax bitwise equal to the reference.
     */
    @Test void vectorizedTwoByTwoMatchesReferenceBitwise() {
        float[] specials = {Float.NaN, -0f, 0f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 1f, -1f,
                Float.intBitsToFloat(0xFFC00000), Float.MIN_VALUE, -Float.MAX_VALUE};
        Rng rng = new Rng(11);
        PoolGeometry g = PoolGeometry.square(2, 2, 0);
        int[][] sizes = {{2, 16}, {4, 32}, {5, 33}, {28, 28}, {14, 14}, {3, 47}, {6, 66}, {9, 2}};
        for (int[] hw : sizes)
            for (int kind = 0; kind < 3; kind++) {   // random, ties (small integers), sparse specials
                int h = hw[0], w = hw[1], planes = 3, oh = g.outH(h), ow = g.outW(w);
                float[] x = random(rng, planes * h * w, kind == 1);
                if (kind == 2) for (int i = 0; i < x.length; i += 1 + rng.nextInt(13)) x[i] = specials[rng.nextInt(specials.length)];
                float[] out = new float[planes * oh * ow];
                int[] arg = new int[out.length];
                double[] refOut = new double[out.length];
                int[] refArg = new int[out.length];
                Pool2dKernels.maxForward(x, planes, h, w, g, out, arg);
                Pool2dReference.maxForward(widen(x), planes, h, w, g, refOut, refArg);
                String what = h + "x" + w + " kind " + kind;
                assertArrayEquals(refArg, arg, what + " argmax");
                for (int i = 0; i < out.length; i++)
                    assertEquals(Float.floatToIntBits((float) refOut[i]), Float.floatToIntBits(out[i]), what + " value " + i);
                float[] valuesOnly = random(rng, out.length, false);   // inference: no argmax, the same values
                Pool2dKernels.maxForward(x, planes, h, w, g, valuesOnly, null);
                for (int i = 0; i < out.length; i++)
                    assertEquals(Float.floatToIntBits(out[i]), Float.floatToIntBits(valuesOnly[i]), what + " value without argmax " + i);
            }
    }

    @Test void averagePoolingMatchesReference() {
        Rng rng = new Rng(3);
        int planes = 4;
        forEachGeometry((h, w, g) -> {
            for (boolean includePad : new boolean[] {false, true}) {
                float[] x = random(rng, planes * h * w, false);
                int oh = g.outH(h), ow = g.outW(w);
                float[] out = new float[planes * oh * ow];
                double[] refOut = new double[out.length];
                Pool2dKernels.avgForward(x, planes, h, w, g, includePad, out);
                Pool2dReference.avgForward(widen(x), planes, h, w, g, includePad, refOut);
                String what = "avg " + g + " includePad=" + includePad + " on " + h + "x" + w;
                assertClose(refOut, widen(out), 1e-6, 1e-6, what);

                float[] gy = random(rng, out.length, false);
                float[] gx = new float[x.length];
                double[] refGx = new double[x.length];
                Pool2dKernels.avgBackward(gy, planes, h, w, g, includePad, gx);
                Pool2dReference.avgBackward(widen(gy), planes, h, w, g, includePad, refGx);
                assertClose(refGx, widen(gx), 1e-6, 1e-6, what + " backward");
            }
        });
    }

    @Test void globalAveragePoolingMatchesReference() {
        Rng rng = new Rng(4);
        for (int hw : new int[] {1, 5, 16, 49, 700, 1601}) {
            int planes = 5;
            float[] x = random(rng, planes * hw, false);
            float[] out = new float[planes];
            double[] ref = new double[planes];
            Pool2dKernels.globalAvgForward(x, planes, hw, out);
            Pool2dReference.globalAvgForward(widen(x), planes, hw, ref);
            assertClose(ref, widen(out), 1e-6, 1e-6, "gap " + hw);
            float[] gy = random(rng, planes, false);
            float[] gx = new float[x.length];
            double[] refGx = new double[x.length];
            Pool2dKernels.globalAvgBackward(gy, planes, hw, gx);
            Pool2dReference.globalAvgBackward(widen(gy), planes, hw, refGx);
            assertClose(refGx, widen(gx), 1e-7, 1e-6, "gap backward " + hw);
        }
    }

    @Test void outputSizeFollowsPyTorchRule() {
        assertEquals(3, OutputSize.pool(7, 2, 2, 0, 1, false, "w"));
        assertEquals(4, OutputSize.pool(7, 2, 2, 0, 1, true, "w"));
        // ceil mode never starts a window in the right padding: in 5, k 2, s 2, p 1 gives 3, not 4
        assertEquals(3, OutputSize.pool(5, 2, 2, 1, 1, true, "w"));
        assertEquals(2, OutputSize.pool(4, 3, 2, 1, 1, false, "w"));
        assertThrows(IllegalArgumentException.class, () -> OutputSize.pool(1, 3, 1, 0, 1, false, "w"));
        assertThrows(IllegalArgumentException.class, () -> PoolGeometry.square(2, 2, 2));
    }
}
