package convlab.explain;

import convlab.autograd.Engine;
import convlab.geometry.PaddingMode;
import convlab.geometry.PoolGeometry;
import convlab.nn.functional.Conv;
import convlab.nn.functional.ConvOptions;
import convlab.nn.functional.Normalization;
import convlab.nn.functional.Pooling;
import convlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The exact gradient calculators against the training engine's float64 autograd (the same ops a model
 * trains with) on many random small cases. Conv and max-pool values are integers and halves, so float64
 * is exact and the two must agree to the last bit; average pooling divides by the window size and
 * normalization takes square roots, so those are compared to 1e-12 and 1e-9.
 */
class ExactGradVsFloatEngineTest {
    @Test void convGradientsAgreeOnRandomCases() {
        Random rnd = new Random(15);
        int direct = 0, transposed = 0, identities = 0;
        while (direct + transposed < 1500) {
            boolean oneD = rnd.nextInt(3) == 0, transpose = rnd.nextInt(3) == 0;
            int c = 1 + rnd.nextInt(2);
            int h = oneD ? 1 : 1 + rnd.nextInt(5), w = 1 + rnd.nextInt(6);
            int kh = oneD ? 1 : 1 + rnd.nextInt(3), kw = 1 + rnd.nextInt(3);
            int sh = oneD ? 1 : 1 + rnd.nextInt(3), sw = 1 + rnd.nextInt(3);
            int dh = oneD ? 1 : 1 + rnd.nextInt(2), dw = 1 + rnd.nextInt(2);
            PaddingMode mode = transpose ? PaddingMode.ZEROS : PaddingMode.values()[rnd.nextInt(4)];
            int ph = oneD ? 0 : padding(mode, h, rnd), pw = padding(mode, w, rnd);
            int oph = transpose && !oneD ? rnd.nextInt(Math.max(sh, dh)) : 0, opw = transpose ? rnd.nextInt(Math.max(sw, dw)) : 0;
            boolean flip = !transpose && rnd.nextInt(4) == 0;
            ConvSpec spec;
            try {
                spec = new ConvSpec(oneD, new int[] {sh, sw}, new int[] {ph, pw}, new int[] {dh, dw}, new int[] {oph, opw}, mode, flip, transpose, Rational.ONE);
                spec.outputSize(0, h, kh);
                spec.outputSize(1, w, kw);
                mode.checkPadding(ph, h, "height");
                mode.checkPadding(pw, w, "width");
            } catch (IllegalArgumentException doesNotFit) {
                continue;
            }
            ExactArray x = random(new int[] {c, h, w}, rnd), k = random(new int[] {c, kh, kw}, rnd);
            ExactArray out = ExactConv.apply(x, k, spec);
            ExactArray dy = random(new int[] {out.size()}, rnd).reshape(out.shape());
            ExactConvGrad.Result r = ExactConvGrad.compute(x, k, dy, spec);

            ConvOptions o = oneD ? ConvOptions.DEFAULT.stride(sw).dilation(dw).padding(pw).paddingMode(mode).flip(flip)
                    : ConvOptions.DEFAULT.stride(sh, sw).dilation(dh, dw).padding(ph, pw).paddingMode(mode).flip(flip);
            Tensor xt = (oneD ? Tensor.of(x.toDoubles(), 1, c, w) : Tensor.of(x.toDoubles(), 1, c, h, w)).requiresGrad(true);
            Tensor b = Tensor.of(new double[] {1}, 1).requiresGrad(true);
            Tensor wt, y;
            if (transpose) {
                o = oneD ? o.outputPadding(opw) : o.outputPadding(oph, opw);
                wt = (oneD ? Tensor.of(k.toDoubles(), c, 1, kw) : Tensor.of(k.toDoubles(), c, 1, kh, kw)).requiresGrad(true);
                y = oneD ? Conv.convTranspose1d(xt, wt, b, o) : Conv.convTranspose2d(xt, wt, b, o);
                transposed++;
            } else {
                wt = (oneD ? Tensor.of(k.toDoubles(), 1, c, kw) : Tensor.of(k.toDoubles(), 1, c, kh, kw)).requiresGrad(true);
                y = oneD ? Conv.conv1d(xt, wt, b, o) : Conv.conv2d(xt, wt, b, o);
                direct++;
            }
            Engine.backward(y, Tensor.of(dy.toDoubles(), y.shape()));
            String where = "case " + spec + " x " + x.shapeText() + " k " + k.shapeText();
            assertArrayEquals(xt.grad().toDoubleArray(), r.gradInput().toDoubles(), 0.0, where);
            assertArrayEquals(wt.grad().toDoubleArray(), r.gradKernel().toDoubles(), 0.0, where);
            assertEquals(b.grad().toDoubleArray()[0], r.gradBias().toDouble(), 0.0, where);
            if (r.identity() != null) {  // the textbook identity (full convolution, cropped) gives the same dX
                assertEquals(r.gradInput().asChannels(), ExactConvGrad.crop(r.identity().full(), spec.padding(), h, w), where);
                identities++;
            }
        }
        assertTrue(direct > 800 && transposed > 300 && identities > 200, direct + " direct, " + transposed + " transposed, " + identities + " identities");
    }

    @Test void poolGradientsAgreeOnRandomCases() {
        Random rnd = new Random(7);
        int cases = 0, ties = 0;
        while (cases < 1500) {
            boolean oneD = rnd.nextInt(3) == 0, max = rnd.nextBoolean();
            int c = 1 + rnd.nextInt(2), h = oneD ? 1 : 2 + rnd.nextInt(5), w = 1 + rnd.nextInt(7);  // C×1×W stacks are read as 1-D
            int k = 1 + rnd.nextInt(3), s = 1 + rnd.nextInt(3), p = rnd.nextInt(k / 2 + 1);
            PoolGeometry g;
            try {
                g = oneD ? PoolGeometry.oneD(k, s, p, 1, false) : PoolGeometry.square(k, s, p);
                g.outH(h);
                g.outW(w);
            } catch (IllegalArgumentException doesNotFit) {
                continue;
            }
            ExactArray x = randomSmall(new int[] {c, h, w}, rnd);  // few distinct values: many ties
            ExactArray in = oneD ? x.reshape(c, 1, w) : x;
            ExactArray given = c == 1 ? (oneD ? x.reshape(w) : x.reshape(h, w)) : in;
            int oh = g.outH(h), ow = g.outW(w);
            ExactArray dy = random(new int[] {c * oh * ow}, rnd);
            ExactPoolGrad.Result r = ExactPoolGrad.compute(max ? ExactPoolGrad.Kind.MAX : ExactPoolGrad.Kind.AVG, given, k, s, p,
                    dy.reshape(c == 1 ? (oneD ? new int[] {ow} : new int[] {oh, ow}) : new int[] {c, oh, ow}));
            Tensor xt = (oneD ? Tensor.of(x.toDoubles(), 1, c, w) : Tensor.of(x.toDoubles(), 1, c, h, w)).requiresGrad(true);
            Tensor y = max ? (oneD ? Pooling.maxPool1d(xt, k, s, p, false) : Pooling.maxPool2d(xt, g))
                    : (oneD ? Pooling.avgPool1d(xt, k, s, p, false, true) : Pooling.avgPool2d(xt, g, true));
            double tol = max ? 0.0 : 1e-12;  // averages divide by 3, 9, ...: float64 rounds them
            assertArrayEquals(y.toDoubleArray(), r.output().toDoubles(), tol);
            Engine.backward(y, Tensor.of(dy.toDoubles(), y.shape()));
            assertArrayEquals(xt.grad().toDoubleArray(), r.gradInput().toDoubles(), tol, (max ? "max" : "avg") + " k" + k + " s" + s + " p" + p + " x " + x);
            if (r.windows().stream().anyMatch(wd -> !wd.tiedLosers().isEmpty())) ties++;
            cases++;
        }
        assertTrue(ties > 200, "cases with tied maxima: " + ties);
    }

    @Test void normGradientsAgreeOnRandomCases() {
        Random rnd = new Random(5);
        for (int t = 0; t < 600; t++) {
            boolean batch = rnd.nextBoolean(), meanOnly = rnd.nextInt(4) == 0;
            if (!batch) meanOnly = false;  // the engine's layer norm has no mean-only variant
            int n = (batch && !meanOnly ? 2 : 1) + rnd.nextInt(4), d = 1 + rnd.nextInt(4);
            if (!batch && d == 1) d = 2;
            ExactArray x = random(new int[] {n, d}, rnd), dy = random(new int[] {n, d}, rnd);
            ExactArray gamma = random(new int[] {d}, rnd), beta = random(new int[] {d}, rnd);
            Rational eps = rnd.nextBoolean() ? Rational.of(1, 100000) : Rational.of(1, 4);
            ExactNormGrad.Result r = ExactNormGrad.compute(batch ? ExactNormGrad.Kind.BATCH : ExactNormGrad.Kind.LAYER, x, dy, gamma, beta, eps, meanOnly, false);
            Tensor xt = Tensor.of(x.toDoubles(), n, d).requiresGrad(true);
            Tensor gt = Tensor.of(gamma.toDoubles(), d).requiresGrad(true), bt = Tensor.of(beta.toDoubles(), d).requiresGrad(true);
            Tensor y = batch ? Normalization.batchNorm(xt, null, null, gt, bt, true, 0.1, eps.toDouble(), meanOnly)
                    : Normalization.layerNorm(xt, new int[] {d}, gt, bt, eps.toDouble());
            Engine.backward(y, Tensor.of(dy.toDoubles(), n, d));
            String where = (batch ? "batch" : "layer") + (meanOnly ? " mean-only" : "") + " x " + x + " dy " + dy;
            close(y.toDoubleArray(), r.output(), where);
            close(xt.grad().toDoubleArray(), r.gradInput(), where);
            close(gt.grad().toDoubleArray(), r.gradGamma(), where);
            close(bt.grad().toDoubleArray(), java.util.Arrays.stream(r.gradBeta()).map(Surd::of).toArray(Surd[]::new), where);
        }
    }

    @Test void meanOnlyWithOneExampleIsExactlyZero() {
        ExactNormGrad.Result r = ExactNormGrad.compute(ExactNormGrad.Kind.BATCH, ExactArray.matrix(new long[][] {{7, -3}}),
                ExactArray.matrix(new long[][] {{5, 2}}), null, null, Rational.ZERO, true, true);
        for (Surd s : r.gradInput()) assertEquals(Surd.ZERO, s);
        assertTrue(ExactNormGrad.worksheet(r, true).toText().contains("dx = γ·(dy − dy) = 0 exactly"));
    }

    private static void close(double[] want, Surd[] got, String where) {
        assertEquals(want.length, got.length, where);
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i].toDouble(), 1e-9 * Math.max(1, Math.abs(want[i])), where + " entry " + i);
    }

    private static int padding(PaddingMode mode, int n, Random rnd) {
        return switch (mode) {
            case ZEROS, REPLICATE -> rnd.nextInt(3);
            case CIRCULAR -> rnd.nextInt(Math.min(2, n) + 1);
            case REFLECT -> rnd.nextInt(Math.min(2, n - 1) + 1);
        };
    }

    private static ExactArray random(int[] shape, Random rnd) {
        int n = 1;
        for (int d : shape) n *= d;
        Rational[] v = new Rational[n];
        for (int i = 0; i < v.length; i++) v[i] = Rational.of(rnd.nextInt(13) - 6, 2);
        return new ExactArray(shape, v);
    }

    private static ExactArray randomSmall(int[] shape, Random rnd) {
        int n = 1;
        for (int d : shape) n *= d;
        Rational[] v = new Rational[n];
        for (int i = 0; i < v.length; i++) v[i] = Rational.of(rnd.nextInt(3));
        return new ExactArray(shape, v);
    }
}
