package convlab.nn.functional;

import convlab.geometry.PaddingMode;
import convlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static convlab.testing.Checks.assertGradients;
import static convlab.testing.Checks.rand64;

/** Finite-difference checks (float64) of input, weight and bias gradients for every convolution option. */
class ConvGradTest {

    private static void conv2d(String what, int n, int c, int h, int w, int o, int kh, int kw, ConvOptions opts, boolean bias) {
        int g = opts.groups();
        Tensor x = rand64(1, n, c, h, w), wt = rand64(2, o, c / g, kh, kw);
        if (bias) assertGradients(what, t -> Conv.conv2d(t[0], t[1], t[2], opts), x, wt, rand64(3, o));
        else assertGradients(what, t -> Conv.conv2d(t[0], t[1], null, opts), x, wt);
    }

    @Test void conv2dPlain() { conv2d("conv2d 3x3", 2, 2, 5, 4, 3, 3, 3, ConvOptions.DEFAULT, true); }
    @Test void conv2dNoBias() { conv2d("conv2d no bias", 2, 2, 4, 4, 2, 2, 2, ConvOptions.DEFAULT, false); }
    @Test void conv2dStridePad() { conv2d("conv2d stride 2 pad 1", 2, 2, 7, 6, 3, 3, 3, ConvOptions.DEFAULT.stride(2).padding(1), true); }
    @Test void conv2dAxisOptions() { conv2d("conv2d per-axis", 1, 2, 6, 7, 2, 2, 3, ConvOptions.DEFAULT.stride(2, 1).padding(1, 2).dilation(1, 2), true); }
    @Test void conv2dDilation() { conv2d("conv2d dilation 2", 2, 2, 6, 6, 2, 3, 3, ConvOptions.DEFAULT.dilation(2).padding(1), true); }
    @Test void conv2dGroups() { conv2d("conv2d groups 2", 2, 4, 4, 5, 6, 3, 3, ConvOptions.DEFAULT.groups(2).padding(1), true); }
    @Test void conv2dDepthwise() { conv2d("conv2d depthwise", 2, 3, 5, 4, 3, 3, 3, ConvOptions.DEFAULT.groups(3).padding(1), true); }
    @Test void conv2dOneByOne() { conv2d("conv2d 1x1", 2, 3, 3, 4, 2, 1, 1, ConvOptions.DEFAULT, true); }
    @Test void conv2dSame() { conv2d("conv2d same, even kernel", 2, 2, 5, 4, 2, 4, 4, ConvOptions.DEFAULT.samePadding(), true); }
    @Test void conv2dFlip() { conv2d("conv2d flip", 2, 2, 5, 4, 2, 3, 2, ConvOptions.DEFAULT.flip(true).padding(1), true); }

    @Test void conv2dPaddingModes() {
        for (PaddingMode m : PaddingMode.values()) {
            conv2d("conv2d " + m + " pad 1", 2, 2, 4, 5, 2, 3, 3, ConvOptions.DEFAULT.paddingMode(m).padding(1), true);
            conv2d("conv2d " + m + " pad 2 stride 2 dilation 2", 1, 2, 5, 6, 2, 3, 3,
                    ConvOptions.DEFAULT.paddingMode(m).padding(2).stride(2).dilation(2), false);
            conv2d("conv2d " + m + " same", 1, 2, 4, 5, 2, 2, 3, ConvOptions.DEFAULT.paddingMode(m).samePadding(), true);
        }
    }

    @Test void conv2dFusedRelu() {
        ConvOptions o = ConvOptions.DEFAULT.padding(1);
        assertGradients("conv2d+relu", t -> Conv.conv2dRelu(t[0], t[1], t[2], o), rand64(4, 2, 2, 4, 5), rand64(5, 3, 2, 3, 3), rand64(6, 3));
    }

    @Test void conv1dOptions() {
        ConvOptions[] all = {ConvOptions.DEFAULT, ConvOptions.DEFAULT.stride(2).padding(1).dilation(2), ConvOptions.DEFAULT.groups(2),
                ConvOptions.DEFAULT.samePadding(), ConvOptions.DEFAULT.flip(true).padding(2),
                ConvOptions.DEFAULT.padding(2).paddingMode(PaddingMode.CIRCULAR), ConvOptions.DEFAULT.padding(2).paddingMode(PaddingMode.REFLECT),
                ConvOptions.DEFAULT.padding(3).paddingMode(PaddingMode.REPLICATE)};
        for (ConvOptions o : all) {
            assertGradients("conv1d " + o, t -> Conv.conv1d(t[0], t[1], t[2], o), rand64(7, 2, 4, 7), rand64(8, 2, 4 / o.groups(), 3), rand64(9, 2));
            assertGradients("conv1d+relu " + o, t -> Conv.conv1dRelu(t[0], t[1], null, o), rand64(7, 2, 4, 7), rand64(8, 2, 4 / o.groups(), 3));
        }
    }

    @Test void convTranspose2dOptions() {
        ConvOptions[] all = {ConvOptions.DEFAULT, ConvOptions.DEFAULT.stride(2).padding(1).outputPadding(1),
                ConvOptions.DEFAULT.groups(2).dilation(2), ConvOptions.DEFAULT.dilation(2).outputPadding(1),
                ConvOptions.DEFAULT.stride(3, 2).padding(0, 1).outputPadding(2, 1), ConvOptions.DEFAULT.flip(true).stride(2)};
        for (ConvOptions o : all) {
            int g = o.groups();
            assertGradients("conv_transpose2d " + o, t -> Conv.convTranspose2d(t[0], t[1], t[2], o),
                    rand64(10, 2, 4, 3, 4), rand64(11, 4, 4 / g, 3, 2), rand64(12, 4));
        }
    }

    @Test void convTranspose1dOptions() {
        ConvOptions[] all = {ConvOptions.DEFAULT, ConvOptions.DEFAULT.stride(3).padding(1).outputPadding(2), ConvOptions.DEFAULT.groups(2).dilation(2)};
        for (ConvOptions o : all) {
            int g = o.groups();
            assertGradients("conv_transpose1d " + o, t -> Conv.convTranspose1d(t[0], t[1], t[2], o),
                    rand64(13, 2, 4, 5), rand64(14, 4, 6 / g, 3), rand64(15, 6));
        }
    }
}
