package convlab.spec;

import convlab.geometry.PaddingMode;

/**
 * One layer of a parsed architecture spec: plain data, independent of modules and of the input shape.
 * {@link #source()} is the text the layer came from (e.g. "CONV3-10(s2)"), used in tables and errors.
 * Sizes that depend on the input (a depthwise layer's channel count) are resolved by {@link Analyzer}.
 */
public sealed interface Layer {
    String source();

    /** What a convolution record stands for. */
    enum ConvKind {
        /** CONVk-F: a standard convolution (groups may be set). */
        STANDARD,
        /** DWCONVk[-F]: groups = input channels; F (default: input channels) must be a multiple of them. */
        DEPTHWISE,
        /** TCONVk-F: transposed convolution. */
        TRANSPOSED
    }

    /**
     * A convolution. filters = 0 means "as many as input channels" (depthwise without a multiplier);
     * groups = 0 means "input channels" (depthwise). padding is per side; when same is set, PyTorch's
     * padding="same" applies instead (total dilation·(k−1), the odd extra on the right/bottom).
     */
    record Conv(String source, ConvKind kind, int kernel, int filters, int stride, int padding, boolean same,
                PaddingMode mode, int dilation, int groups, boolean bias, boolean flip, int outputPadding)
            implements Layer {
        /** Kernel extent on the input: dilation·(k−1) + 1. */
        public int effectiveKernel() { return dilation * (kernel - 1) + 1; }
        /** Padding on the left/top side (for "same": half the total, rounded down, as PyTorch does). */
        public int leftPadding() { return same ? dilation * (kernel - 1) / 2 : padding; }
        /** Padding on the right/bottom side. */
        public int rightPadding() { return same ? dilation * (kernel - 1) - leftPadding() : padding; }

        /** The resolved settings in short, e.g. "3×3 s1 p1", "2×2 s1 p0+1 circular", "3 s2 p1 d2 g4" (1-d). */
        public String settings(boolean oneD) {
            StringBuilder sb = new StringBuilder(oneD ? "" + kernel : kernel + "×" + kernel).append(" s").append(stride)
                    .append(" p").append(leftPadding() == rightPadding() ? "" + padding : leftPadding() + "+" + rightPadding());
            if (outputPadding > 0) sb.append(" op").append(outputPadding);
            if (dilation > 1) sb.append(" d").append(dilation);
            if (groups > 1) sb.append(" g").append(groups);
            if (groups == 0) sb.append(" depthwise");
            if (mode != PaddingMode.ZEROS) sb.append(' ').append(mode.torchName());
            if (flip) sb.append(" flip");
            if (!bias) sb.append(" nobias");
            return sb.toString();
        }
    }

    /** Max or average pooling with kernel k, stride, padding (per side), ceil mode; average may exclude padding. */
    record Pool(String source, boolean max, int kernel, int stride, int padding, boolean ceil,
                boolean countIncludePad) implements Layer {
        /** e.g. "max 2×2 s2 p0", "avg 3 s1 p1 ceil nopadcount" (1-d). */
        public String settings(boolean oneD) {
            return (max ? "max " : "avg ") + (oneD ? "" + kernel : kernel + "×" + kernel) + " s" + stride + " p" + padding
                    + (ceil ? " ceil" : "") + (!max && !countIncludePad ? " nopadcount" : "");
        }
    }

    /** GAP: the per-channel mean over all positions; the output is a flat vector of channels. */
    record GlobalAvgPool(String source) implements Layer {}

    /** RELU. implied = inserted by the implied-activation rule, not written in the spec. */
    record Relu(String source, boolean implied) implements Layer {}

    /** BN: batch norm over channels (meanOnly: subtract the batch mean, no division by σ). */
    record BatchNorm(String source, double eps, double momentum, boolean affine, boolean meanOnly) implements Layer {}

    /** LN: layer norm over all feature dimensions of its input (C, H, W for images). */
    record LayerNorm(String source, double eps, boolean affine) implements Layer {}

    /** GNg: group norm with g groups of channels. */
    record GroupNorm(String source, int groups, double eps, boolean affine) implements Layer {}

    /** DROPOUTp (elements) or DROPOUT2Dp (whole channels); p is the probability of zeroing. */
    record Dropout(String source, double p, boolean spatial) implements Layer {}

    /** FLATTEN: image to vector (channel-major order, like PyTorch's flatten of N×C×H×W). */
    record Flatten(String source) implements Layer {}

    /** FC-K: fully connected with K outputs. */
    record Fc(String source, int outputs, boolean bias) implements Layer {}

    /**
     * {@code @name}: names the output of everything before it (a branch point for a later CONCAT or ADD).
     * Computes nothing; it is a row of its own in summaries, so a merge can point at it by number.
     */
    record Label(String source, String name) implements Layer {}

    /**
     * {@code CONCAT(a)} or {@code ADD(a)}: merges the current output with the outputs at earlier labels.
     * CONCAT stacks channels (the current path first, then the labels in the order written); ADD sums
     * tensors of the same shape. from holds, per label, the row number of the {@link Label} it refers
     * to (the most recent {@code @name} before the merge); pos and length locate the merge in the spec
     * text, for errors with a caret.
     */
    record Merge(String source, boolean concat, java.util.List<String> labels, java.util.List<Integer> from,
                 int pos, int length) implements Layer {
        public Merge {
            labels = java.util.List.copyOf(labels);
            from = java.util.List.copyOf(from);
        }

        /** The settings column: which rows are merged, e.g. "cat with @a (#3)". */
        public String settings() {
            StringBuilder sb = new StringBuilder(concat ? "cat with" : "add");
            for (int i = 0; i < labels.size(); i++)
                sb.append(i == 0 ? " " : ", ").append('@').append(labels.get(i)).append(" (#").append(from.get(i)).append(')');
            return sb.toString();
        }
    }
}
