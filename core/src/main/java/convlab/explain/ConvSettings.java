package convlab.explain;

import convlab.geometry.PaddingMode;

/**
 * A convolution's settings as a person writes them (the `conv` command's options, the workbench's controls),
 * turned into a {@link ConvSpec} once the kernel size is known. One home for reading them, shared by the CLI
 * and the web workbench.
 *
 * @param stride        "n" or "height,width"
 * @param padding       "n", "height,width", "valid", "same" or "full"
 * @param paddingMode   zeros, circular, reflect or replicate
 * @param dilation      "n" or "height,width"
 * @param outputPadding transposed convolution only: "n" or "height,width"
 * @param bias          a number added to every output entry, or null
 */
public record ConvSettings(String stride, String padding, String paddingMode, String dilation, String outputPadding,
                           boolean flip, boolean transpose, String bias) {

    /** The spec for a kernel of kh×kw; 1-D keeps the height axis at stride 1, padding 0. */
    public ConvSpec spec(boolean oneD, int kh, int kw) {
        int[] dil = axes(oneD, ConvSpec.parsePair(dilation, "dilation"), 1);
        return new ConvSpec(oneD, axes(oneD, ConvSpec.parsePair(stride, "stride"), 1),
                axes(oneD, ConvSpec.parsePadding(padding, kh, kw, dil), 0), dil,
                axes(oneD, ConvSpec.parsePair(outputPadding, "output padding"), 0),
                PaddingMode.parse(paddingMode), flip, transpose, bias == null ? null : Rational.parse(bias));
    }

    private static int[] axes(boolean oneD, int[] v, int neutral) {
        return oneD ? new int[] {neutral, v[1]} : v;
    }
}
