package convlab.spec;

/**
 * Receptive field of one output position along one spatial axis, by the recursive rule
 * <pre>
 *   r_out = r_in + (k_eff − 1)·j_in      j_out = j_in·s      start_out = start_in + ((k_eff − 1)/2 − p)·j_in
 * </pre>
 * with k_eff = d·(k − 1) + 1 and p the padding before the first position. size r: how many input positions
 * one output sees; jump j: the input distance between neighbouring outputs; start: the input coordinate
 * of the centre of the first output's field (input pixel i has coordinate i, so start may be negative or
 * a half). The input itself is r = 1, j = 1, start = 0. After FLATTEN, GAP or FC every output sees the whole
 * input (GLOBAL); after a transposed convolution the rule does not apply (UNDEFINED).
 */
public record ReceptiveField(Kind kind, long size, long jump, long twiceStart) {
    public enum Kind { LOCAL, GLOBAL, UNDEFINED }

    public static final ReceptiveField INPUT = new ReceptiveField(Kind.LOCAL, 1, 1, 0);
    public static final ReceptiveField GLOBAL = new ReceptiveField(Kind.GLOBAL, 0, 0, 0);
    public static final ReceptiveField UNDEFINED = new ReceptiveField(Kind.UNDEFINED, 0, 0, 0);

    public boolean isLocal() { return kind == Kind.LOCAL; }

    /** The field after a window of effective size kEff, stride s and padding p (before the first position). */
    public ReceptiveField through(int kEff, int stride, int leftPad) {
        if (!isLocal()) return this;
        // Exact: an overflow throws ArithmeticException (callers name the layer), never a wrapped-around size.
        return new ReceptiveField(Kind.LOCAL, Math.addExact(size, Math.multiplyExact(kEff - 1L, jump)), Math.multiplyExact(jump, (long) stride),
                Math.addExact(twiceStart, Math.multiplyExact((long) (kEff - 1) - 2L * leftPad, jump)));
    }

    /** The arithmetic of {@link #through}, numbers filled in: "r = 1 + (3−1)×1 = 3; j = 1×1 = 1; start = 0 + ((3−1)/2 − 1)×1 = 0". */
    public String explainThrough(int kEff, int stride, int leftPad) {
        ReceptiveField o = through(kEff, stride, leftPad);
        return "r = " + size + " + (" + kEff + "−1)×" + jump + " = " + o.size
                + ";  j = " + jump + "×" + stride + " = " + o.jump
                + ";  start = " + start() + " + ((" + kEff + "−1)/2 − " + leftPad + ")×" + jump + " = " + o.start();
    }

    /** The field after a layer; the rule depends only on the layer, not on the input size. */
    public ReceptiveField after(Layer layer) {
        return switch (layer) {
            case Layer.Conv c when c.kind() == Layer.ConvKind.TRANSPOSED -> isLocal() ? UNDEFINED : this;
            case Layer.Conv c -> through(c.effectiveKernel(), c.stride(), c.leftPadding());
            case Layer.Pool p -> through(p.kernel(), p.stride(), p.padding());
            case Layer.GlobalAvgPool g -> GLOBAL;
            case Layer.Fc f -> GLOBAL;
            default -> this;
        };
    }

    /** How {@link #after} got its answer, numbers filled in. */
    public String explainAfter(Layer layer) {
        if (kind == Kind.UNDEFINED && !(layer instanceof Layer.GlobalAvgPool || layer instanceof Layer.Fc))
            return "still undefined (a transposed convolution came before)";
        if (kind == Kind.GLOBAL) return "every output already sees the whole input";
        return switch (layer) {
            case Layer.Conv c when c.kind() == Layer.ConvKind.TRANSPOSED -> "the recursive rule does not cover transposed convolution";
            case Layer.Conv c -> "k=" + c.kernel() + (c.dilation() > 1 ? " d=" + c.dilation() + " (k_eff=" + c.effectiveKernel() + ")" : "")
                    + " s=" + c.stride() + " p=" + c.leftPadding() + ":  " + explainThrough(c.effectiveKernel(), c.stride(), c.leftPadding());
            case Layer.Pool p -> "k=" + p.kernel() + " s=" + p.stride() + " p=" + p.padding() + ":  "
                    + explainThrough(p.kernel(), p.stride(), p.padding());
            case Layer.GlobalAvgPool g -> "every output sees the whole input";
            case Layer.Fc f -> "every output sees the whole input";
            case Layer.Flatten f -> "unchanged (a reshape)";
            case Layer.Label l -> "unchanged (a label)";
            case Layer.BatchNorm b -> "unchanged (normalization statistics ignored, as is conventional)";
            case Layer.LayerNorm b -> "unchanged (normalization statistics ignored, as is conventional)";
            case Layer.GroupNorm b -> "unchanged (normalization statistics ignored, as is conventional)";
            default -> "unchanged (elementwise)";
        };
    }

    /** start as text: an integer or a half ("0.5", "-1.5"). */
    public String start() {
        long whole = twiceStart / 2;
        if (twiceStart % 2 == 0) return Long.toString(whole);
        return (twiceStart < 0 ? "-" : "") + Math.abs(twiceStart / 2) + ".5";
    }

    /** The size column of a table: the size, "all" (whole input) or "n/a". */
    public String sizeText() {
        return switch (kind) {
            case LOCAL -> Long.toString(size);
            case GLOBAL -> "all";
            case UNDEFINED -> "n/a";
        };
    }

    @Override public String toString() {
        return switch (kind) {
            case LOCAL -> "r=" + size + " j=" + jump + " start=" + start();
            case GLOBAL -> "whole input";
            case UNDEFINED -> "n/a (after transposed conv)";
        };
    }
}
