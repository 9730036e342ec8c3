package convlab.spec;

import convlab.geometry.PaddingMode;
import java.util.List;
import java.util.Locale;

/**
 * Turns one layer word (e.g. "CONV3-10") and its options (e.g. "(s2, p0, circular)") into layer records.
 * The grammar and every default are documented in docs/SPEC.md; keep the two in step.
 */
final class LayerParser {
    /** Whether the implied-activation rule puts a ReLU after this layer. */
    enum Slot { NONE, AFTER_CONV, AFTER_FC }

    record Item(Layer layer, Slot slot) {}

    /** Keywords, longest first where one is a prefix of another (DROPOUT2D before DROPOUT, ...). */
    private static final List<String> KEYWORDS = List.of("DROPOUT2D", "DROPOUT", "SEPCONV", "DWCONV", "TCONV", "CONV",
            "MAXPOOL", "AVGPOOL", "POOL", "GAP", "FLATTEN", "FC", "RELU", "BN", "LN", "GN");

    private static final double DEFAULT_EPS = 1e-5, DEFAULT_MOMENTUM = 0.1;

    private final String spec;

    LayerParser(String spec) { this.spec = spec; }

    /**
     * @param word    the layer word
     * @param options the option words between '(' and ')' (empty when there are none)
     * @param source  the layer as written, options included
     */
    List<Item> parse(Token word, LayerOptions options, String source) {
        String up = word.text().toUpperCase(Locale.ROOT);
        // A keyword is never followed by a letter ("POOLL2" is a typo, not POOL with a bad size).
        String keyword = KEYWORDS.stream().filter(k -> up.startsWith(k)
                        && (up.length() == k.length() || !Character.isLetter(up.charAt(k.length())))).findFirst().orElseThrow(() ->
                SpecError.at(spec, word, "unknown layer " + word.describe() + "; expected one of CONV, DWCONV, SEPCONV, "
                        + "TCONV, POOL, MAXPOOL, AVGPOOL, GAP, RELU, BN, LN, GN, DROPOUT, DROPOUT2D, FLATTEN, FC, CONCAT, ADD (or a label @name)"));
        Tail t = new Tail(word, keyword.length());
        return switch (keyword) {
            case "CONV" -> conv(t, options, source);
            case "DWCONV" -> depthwise(t, options, source);
            case "SEPCONV" -> separable(t, options, source);
            case "TCONV" -> transposed(t, options, source);
            case "POOL", "MAXPOOL" -> one(pool(t, options, source, true));
            case "AVGPOOL" -> one(pool(t, options, source, false));
            case "GAP" -> simple(t, options, new Layer.GlobalAvgPool(source));
            case "FLATTEN" -> simple(t, options, new Layer.Flatten(source));
            case "RELU" -> simple(t, options, new Layer.Relu(source, false));
            case "BN" -> one(batchNorm(t, options, source));
            case "LN" -> one(layerNorm(t, options, source));
            case "GN" -> one(groupNorm(t, options, source));
            case "DROPOUT", "DROPOUT2D" -> one(dropout(t, options, source, keyword.equals("DROPOUT2D")));
            case "FC" -> List.of(new Item(fc(t, options, source), Slot.AFTER_FC));
            default -> throw new IllegalStateException(keyword);
        };
    }

    private static List<Item> one(Layer l) { return List.of(new Item(l, Slot.NONE)); }

    private static List<Item> simple(Tail t, LayerOptions options, Layer l) {
        t.end();
        options.allow();
        return one(l);
    }

    private static Layer batchNorm(Tail t, LayerOptions o, String source) {
        t.end();
        o.allow("meanonly", "noaffine", "eps", "momentum");
        return new Layer.BatchNorm(source, o.positiveDouble("eps", DEFAULT_EPS), o.fraction("momentum", DEFAULT_MOMENTUM),
                !o.flag("noaffine"), o.flag("meanonly"));
    }

    private static Layer layerNorm(Tail t, LayerOptions o, String source) {
        t.end();
        o.allow("noaffine", "eps");
        return new Layer.LayerNorm(source, o.positiveDouble("eps", DEFAULT_EPS), !o.flag("noaffine"));
    }

    private static Layer groupNorm(Tail t, LayerOptions o, String source) {
        int groups = t.number("a group count", "GN4");
        t.end();
        o.allow("noaffine", "eps");
        return new Layer.GroupNorm(source, groups, o.positiveDouble("eps", DEFAULT_EPS), !o.flag("noaffine"));
    }

    /** DROPOUT / DROPOUT2D with an optional probability (default 0.5, PyTorch's). */
    private static Layer dropout(Tail t, LayerOptions o, String source, boolean spatial) {
        double p = t.atEnd() ? 0.5 : t.probability();
        t.end();
        o.allow();
        return new Layer.Dropout(source, p, spatial);
    }

    private static Layer fc(Tail t, LayerOptions o, String source) {
        t.expect('-', "'-' and an output count", "FC-10");
        int k = t.number("an output count", "FC-10");
        t.end();
        o.allow("nobias");
        return new Layer.Fc(source, k, !o.flag("nobias"));
    }

    /** CONVk-F: k×k, F filters; default stride 1 and the padding that keeps the size (see {@link #convRecord}). */
    private List<Item> conv(Tail t, LayerOptions o, String source) {
        int k = t.number("a kernel size", "CONV3-10");
        t.expect('-', "'-' and a filter count", "CONV3-10");
        int f = t.number("a filter count", "CONV3-10");
        t.end();
        o.allow("s", "p", "same", "d", "g", "nobias", "flip", "mode");
        return List.of(new Item(convRecord(source, Layer.ConvKind.STANDARD, k, f, o, o.positiveInt("g", 1), true), Slot.AFTER_CONV));
    }

    /** DWCONVk[-F]: one k×k filter per input channel (groups = channels); F must be a multiple of the channels. */
    private List<Item> depthwise(Tail t, LayerOptions o, String source) {
        int k = t.number("a kernel size", "DWCONV3");
        int f = 0;
        if (!t.atEnd()) { t.expect('-', "'-' and a filter count or the end of the word", "DWCONV3-64"); f = t.number("a filter count", "DWCONV3-64"); }
        t.end();
        o.allow("s", "p", "same", "d", "nobias", "flip", "mode");
        return List.of(new Item(convRecord(source, Layer.ConvKind.DEPTHWISE, k, f, o, 0, true), Slot.AFTER_CONV));
    }

    /** SEPCONVk-F: depthwise k×k (taking the options) then pointwise 1×1 to F channels; ReLU implied after the pair. */
    private List<Item> separable(Tail t, LayerOptions o, String source) {
        int k = t.number("a kernel size", "SEPCONV3-64");
        t.expect('-', "'-' and a filter count", "SEPCONV3-64");
        int f = t.number("a filter count", "SEPCONV3-64");
        t.end();
        o.allow("s", "p", "same", "d", "nobias", "flip", "mode");
        Layer.Conv dw = convRecord(source + " depthwise", Layer.ConvKind.DEPTHWISE, k, 0, o, 0, true);
        Layer.Conv pw = new Layer.Conv(source + " pointwise", Layer.ConvKind.STANDARD, 1, f, 1, 0, false,
                PaddingMode.ZEROS, 1, 1, dw.bias(), false, 0);
        return List.of(new Item(dw, Slot.NONE), new Item(pw, Slot.AFTER_CONV));
    }

    /** TCONVk-F: transposed convolution; default stride 1, padding 0 (so TCONV2-F(s2) doubles the size). */
    private List<Item> transposed(Tail t, LayerOptions o, String source) {
        int k = t.number("a kernel size", "TCONV2-16");
        t.expect('-', "'-' and a filter count", "TCONV2-16");
        int f = t.number("a filter count", "TCONV2-16");
        t.end();
        o.allow("s", "p", "d", "g", "op", "nobias");
        Layer.Conv c = convRecord(source, Layer.ConvKind.TRANSPOSED, k, f, o, o.positiveInt("g", 1), false);
        if (c.outputPadding() >= Math.max(c.stride(), c.dilation()))
            throw o.error("op", "output padding " + c.outputPadding() + " must be smaller than the stride ("
                    + c.stride() + ") or the dilation (" + c.dilation() + ")");
        return List.of(new Item(c, Slot.AFTER_CONV));
    }

    /**
     * The convolution record with its options. padAround (CONV, DWCONV, SEPCONV): by default the padding
     * keeps the size at stride 1, like PyTorch's padding="same": ⌊(k_eff−1)/2⌋ on each side, and for an
     * even k_eff at stride 1 the odd extra row/column on the bottom/right (so the course's CONV2-3 keeps an
     * 8×8 image 8×8 and stays exactly shift-equivariant under circular padding). At stride > 1 the padding
     * is the symmetric ⌊(k_eff−1)/2⌋ (PyTorch cannot pad a strided convolution unevenly). TCONV pads 0.
     */
    private Layer.Conv convRecord(String source, Layer.ConvKind kind, int k, int f, LayerOptions o, int groups, boolean padAround) {
        boolean same = o.flag("same");
        if (same && o.has("p")) throw o.error("p", "give either a padding or 'same', not both");
        int stride = o.positiveInt("s", 1);
        if (same && stride != 1) throw o.error("same", "padding 'same' needs stride 1 (PyTorch's rule), but the stride is " + stride);
        PaddingMode mode = o.has("mode") ? PaddingMode.parse(o.text("mode")) : PaddingMode.ZEROS;
        int dilation = o.positiveInt("d", 1);
        long kEffExact = (long) dilation * (k - 1) + 1;
        if (kEffExact > 1_000_000)   // sizes stay far from int overflow: the whole kernel span is at most 10^6 inputs
            throw o.error("d", "the dilated kernel spans " + dilation + "×(" + k + "−1)+1 = " + kEffExact
                    + " inputs, more than 1000000");
        int kEff = (int) kEffExact;
        if (padAround && !o.has("p") && stride == 1 && kEff % 2 == 0) same = true;
        int defaultPad = padAround ? (kEff - 1) / 2 : 0;
        return new Layer.Conv(source, kind, k, f, stride, same ? 0 : o.nonNegativeInt("p", defaultPad), same, mode,
                dilation, groups, !o.flag("nobias"), o.flag("flip"), o.nonNegativeInt("op", 0));
    }

    /** POOLk / MAXPOOLk / AVGPOOLk: k×k window, default stride k, padding 0. */
    private Layer pool(Tail t, LayerOptions o, String source, boolean max) {
        int k = t.number("a window size", max ? "POOL2" : "AVGPOOL2");
        t.end();
        if (max) o.allow("s", "p", "ceil"); else o.allow("s", "p", "ceil", "nopadcount");
        int p = o.nonNegativeInt("p", 0);
        if (2 * p > k) throw o.error("p", "pooling padding " + p + " must be at most half the window size " + k + " (PyTorch's rule)");
        return new Layer.Pool(source, max, k, o.positiveInt("s", k), p, o.flag("ceil"), !o.flag("nopadcount"));
    }

    /** The part of a layer word after its keyword, read left to right; errors point into the word. */
    private final class Tail {
        private final Token word;
        private final String text;
        private int i;

        Tail(Token word, int start) { this.word = word; this.text = word.text(); this.i = start; }

        boolean atEnd() { return i >= text.length(); }

        private IllegalArgumentException error(String message) {
            int len = Math.max(1, text.length() - i);
            return SpecError.at(spec, word.pos() + i, len, message);
        }

        private String before() { return text.substring(0, i); }

        void expect(char c, String what, String example) {
            if (atEnd() || text.charAt(i) != c) throw error("expected " + what + " after " + before() + " (as in " + example + ")");
            i++;
        }

        /** A whole number ≥ 1. */
        int number(String what, String example) {
            int start = i;
            while (i < text.length() && Character.isDigit(text.charAt(i))) i++;
            if (i == start) throw error("expected " + what + " after " + before() + " (as in " + example + ")");
            String digits = text.substring(start, i);
            long v = digits.length() > 9 ? Long.MAX_VALUE : Long.parseLong(digits);
            if (v < 1 || v > 1_000_000) {
                i = start;
                throw SpecError.at(spec, word.pos() + start, digits.length(), what.replaceFirst("^an? ", "") + " must be between 1 and 1000000, got " + digits);
            }
            return (int) v;
        }

        /** A dropout probability in [0, 1), written as a decimal ("0.5", ".25", "0"). */
        double probability() {
            int start = i;
            while (i < text.length() && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) i++;
            String s = text.substring(start, i);
            double p;
            try { p = Double.parseDouble(s); } catch (NumberFormatException e) { p = Double.NaN; }
            if (s.isEmpty() || Double.isNaN(p)) { i = start; throw error("expected a drop probability after " + before() + " (as in DROPOUT0.5)"); }
            if (p >= 1) throw SpecError.at(spec, word.pos() + start, s.length(), "drop probability must be in [0, 1), got " + s);
            return p;
        }

        void end() {
            if (atEnd()) return;
            String rest = text.substring(i);
            String hint = "/:@;|_".indexOf(rest.charAt(0)) >= 0 ? "; options go in parentheses, as in " + before() + "(s2, p0)" : "";
            throw error("unexpected '" + rest + "' after " + before() + hint);
        }
    }
}
