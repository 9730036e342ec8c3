package convlab.explain;

import convlab.geometry.PaddingMode;
import convlab.nn.functional.Conv;
import convlab.nn.functional.ConvOptions;
import convlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The exact calculator against the training engine's float64 convolution (nn.functional.Conv) on
 * thousands of random small cases: every padding mode, stride, dilation, flip, bias, channels, 1-D and
 * 2-D, transposed with output padding. Values are integers and halves, so float64 is exact and the two
 * must agree to the last bit.
 */
class ExactVsFloatEngineTest {
    @Test void agreesOnRandomCases() {
        Random rnd = new Random(2026);
        int direct = 0, transposed = 0;
        boolean[] modeSeen = new boolean[4];
        while (direct + transposed < 3000) {
            boolean oneD = rnd.nextInt(3) == 0;
            boolean transpose = rnd.nextInt(3) == 0;
            int c = 1 + rnd.nextInt(3);
            int h = oneD ? 1 : 1 + rnd.nextInt(6), w = 1 + rnd.nextInt(7);
            int kh = oneD ? 1 : 1 + rnd.nextInt(3), kw = 1 + rnd.nextInt(3);
            int sh = oneD ? 1 : 1 + rnd.nextInt(3), sw = 1 + rnd.nextInt(3);
            int dh = oneD ? 1 : 1 + rnd.nextInt(2), dw = 1 + rnd.nextInt(2);
            PaddingMode mode = transpose ? PaddingMode.ZEROS : PaddingMode.values()[rnd.nextInt(4)];
            int ph = oneD ? 0 : padding(mode, h, rnd), pw = padding(mode, w, rnd);
            int oph = 0, opw = 0;
            if (transpose) {
                oph = oneD ? 0 : rnd.nextInt(Math.max(sh, dh));
                opw = rnd.nextInt(Math.max(sw, dw));
            }
            boolean flip = !transpose && rnd.nextInt(4) == 0;
            Rational bias = rnd.nextBoolean() ? null : Rational.of(rnd.nextInt(7) - 3, 2);
            ConvSpec spec = new ConvSpec(oneD, new int[] {sh, sw}, new int[] {ph, pw}, new int[] {dh, dw}, new int[] {oph, opw}, mode, flip, transpose, bias);
            int oh, ow;
            try {
                oh = spec.outputSize(0, h, kh);
                ow = spec.outputSize(1, w, kw);
            } catch (IllegalArgumentException doesNotFit) {
                continue;
            }
            ExactArray x = random(new int[] {c, h, w}, rnd), k = random(new int[] {c, kh, kw}, rnd);
            ExactArray exact = ExactConv.apply(x, k, spec);

            ConvOptions o = ConvOptions.DEFAULT.stride(sh, sw).dilation(dh, dw).padding(ph, pw).paddingMode(mode).flip(flip);
            if (oneD) o = ConvOptions.DEFAULT.stride(sw).dilation(dw).padding(pw).paddingMode(mode).flip(flip);
            Tensor xt = oneD ? Tensor.of(x.toDoubles(), 1, c, w) : Tensor.of(x.toDoubles(), 1, c, h, w);
            Tensor b = bias == null ? null : Tensor.of(new double[] {bias.toDouble()}, 1);
            Tensor y;
            if (transpose) {
                o = oneD ? o.outputPadding(opw) : o.outputPadding(oph, opw);
                // PyTorch layout for transposed weights: (C_in, C_out, kH, kW); one output channel here.
                Tensor wt = oneD ? Tensor.of(k.toDoubles(), c, 1, kw) : Tensor.of(k.toDoubles(), c, 1, kh, kw);
                y = oneD ? Conv.convTranspose1d(xt, wt, b, o) : Conv.convTranspose2d(xt, wt, b, o);
                transposed++;
            } else {
                Tensor wt = oneD ? Tensor.of(k.toDoubles(), 1, c, kw) : Tensor.of(k.toDoubles(), 1, c, kh, kw);
                y = oneD ? Conv.conv1d(xt, wt, b, o) : Conv.conv2d(xt, wt, b, o);
                direct++;
                if (ph + pw > 0) modeSeen[mode.ordinal()] = true;
            }
            assertEquals(oh * ow, y.toDoubleArray().length);
            assertArrayEquals(exact.toDoubles(), y.toDoubleArray(), 0.0, () -> "case " + spec + " x " + x.shapeText() + " k " + k.shapeText());
        }
        assertTrue(transposed > 500 && direct > 1500, direct + " direct, " + transposed + " transposed");
        for (boolean seen : modeSeen) assertTrue(seen, "every padding mode with padding > 0");
    }

    private static int padding(PaddingMode mode, int n, Random rnd) {
        return switch (mode) {
            case ZEROS, REPLICATE -> rnd.nextInt(3);
            case CIRCULAR -> rnd.nextInt(Math.min(2, n) + 1);
            case REFLECT -> rnd.nextInt(Math.min(2, n - 1) + 1);
        };
    }

    private static ExactArray random(int[] shape, Random rnd) {
        Rational[] v = new Rational[shape[0] * shape[1] * shape[2]];
        for (int i = 0; i < v.length; i++) v[i] = Rational.of(rnd.nextInt(13) - 6, 2);
        return new ExactArray(shape, v);
    }
}
