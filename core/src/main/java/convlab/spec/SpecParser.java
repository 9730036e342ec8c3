package convlab.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent parser of the spec grammar (docs/SPEC.md):
 * <pre>
 * spec       := item ( separator? item )*          separator: ','  '→'  '->'  (whitespace also separates)
 * item       := layer | '[' spec ']' repeat        repeat: x2, X2, ×2 or *2
 * layer      := WORD ( '(' option ( ','? option )* ')' )?
 * </pre>
 * A layer word is read by {@link LayerParser}; the implied-activation rule is applied at the end.
 */
final class SpecParser {
    private static final int MAX_REPEAT = 1000;
    /** Most layers a spec may expand to (repeats multiplied out), and deepest nesting of '[': stated in docs/RELIABILITY.md. */
    static final int MAX_LAYERS = 100_000, MAX_DEPTH = 50;
    private int depth;

    private final String spec;
    private final List<Token> tokens;
    private final LayerParser layers;
    private final Branches branches;
    private int i;

    private SpecParser(String spec) {
        this.spec = spec;
        this.tokens = Lexer.tokenize(spec);
        this.layers = new LayerParser(spec);
        this.branches = new Branches(spec);
    }

    static Spec parse(String text, boolean implyRelu) {
        if (text == null || text.isBlank())
            throw new IllegalArgumentException("bad spec: it is empty; expected layers such as \"CONV3-10 POOL2 FLATTEN FC-10\"");
        SpecParser p = new SpecParser(text);
        List<LayerParser.Item> items = p.sequence(null);
        boolean writesRelu = items.stream().anyMatch(it -> it.layer() instanceof Layer.Relu);
        boolean imply = implyRelu && !writesRelu;
        List<Layer> layers = imply ? withImpliedRelus(items) : items.stream().map(LayerParser.Item::layer).toList();
        return new Spec(text, p.branches.resolve(layers), imply);
    }

    private Token peek() { return tokens.get(i); }

    private Token next() { return tokens.get(i++); }

    private IllegalArgumentException error(Token t, String message) { return SpecError.at(spec, t, message); }

    /** Items up to the end of the spec (open == null) or up to the ']' closing the bracket open. */
    private List<LayerParser.Item> sequence(Token open) {
        List<LayerParser.Item> items = new ArrayList<>();
        Token lastSeparator = null;
        boolean any = false;
        while (true) {
            Token t = peek();
            switch (t.kind()) {
                case WORD -> {
                    if (t.text().startsWith("@")) items.add(branches.label(next()));
                    else items.addAll(layer());
                    any = true;
                    lastSeparator = null;
                }
                case OPEN_BRACKET -> { items.addAll(repetition()); any = true; lastSeparator = null; }
                case SEPARATOR -> {
                    if (!any || lastSeparator != null) throw error(t, "expected a layer before " + t.describe());
                    lastSeparator = next();
                }
                case OPEN_PAREN -> throw error(t, "options in '(' ')' must directly follow a layer, as in CONV3-10(s2)");
                case CLOSE_PAREN -> throw error(t, "')' without a matching '('");
                case CLOSE_BRACKET, END -> {
                    if (t.kind() == Token.Kind.CLOSE_BRACKET && open == null) throw error(t, "']' without a matching '['");
                    if (t.kind() == Token.Kind.END && open != null)
                        throw SpecError.at(spec, open.pos(), 1, "this '[' is never closed; expected ']' and a repeat count, as in [CONV3-32 BN]x2");
                    if (lastSeparator != null) throw error(lastSeparator, "expected a layer after " + lastSeparator.describe());
                    if (!any) throw error(t, "expected a layer (such as CONV3-10) before " + t.describe());
                    return items;
                }
            }
        }
    }

    /** '[' spec ']' xN: the body repeated N times. */
    private List<LayerParser.Item> repetition() {
        Token open = next();
        if (++depth > MAX_DEPTH) throw error(open, "brackets nested more than " + MAX_DEPTH + " deep");
        List<LayerParser.Item> body = sequence(open);
        depth--;
        Token close = next();   // sequence() returned at ']'
        Token count = peek();
        String c = count.kind() == Token.Kind.WORD ? count.text() : "";
        if (!c.matches("[xX×*]\\d{1,4}"))
            throw SpecError.at(spec, count.kind() == Token.Kind.END ? close.end() : count.pos(), Math.max(1, count.text().length()),
                    "expected a repeat count after ']', as in [CONV3-32 BN]x2");
        next();
        int n = Integer.parseInt(c.substring(1));
        if (n < 1 || n > MAX_REPEAT) throw error(count, "repeat count must be between 1 and " + MAX_REPEAT + ", got " + n);
        if ((long) body.size() * n > MAX_LAYERS)
            throw error(count, "the spec would have " + (long) body.size() * n + " layers here, more than " + MAX_LAYERS);
        List<LayerParser.Item> out = new ArrayList<>();
        for (int r = 0; r < n; r++) out.addAll(body);
        return out;
    }

    /** A layer word with its optional options in parentheses. */
    private List<LayerParser.Item> layer() {
        Token word = next();
        if (Branches.isMerge(word)) return List.of(branches.merge(word, mergeLabels(word)));
        if (peek().kind() != Token.Kind.OPEN_PAREN)
            return layers.parse(word, LayerOptions.none(spec, word), word.text());
        List<Token> words = parenthesized(word, "an option", "options");
        Token close = words.removeLast();
        String source = Lexer.oneLine(spec.substring(word.pos(), close.end()));
        return layers.parse(word, LayerOptions.parse(spec, word, words), source);
    }

    /** The label words in the parentheses after CONCAT/ADD, and the closing ')' as the last token. */
    private List<Token> mergeLabels(Token word) {
        if (peek().kind() != Token.Kind.OPEN_PAREN)
            throw error(word, word.text() + " needs the label of an earlier output in parentheses, as in " + word.text() + "(a) after CONV3-16 @a");
        List<Token> words = parenthesized(word, "a label", "labels");
        if (words.size() == 1) throw error(words.getFirst(), word.text() + " needs at least one label, as in " + word.text() + "(a)");
        return words;
    }

    /** The words from '(' (next) to its ')', separated by whitespace or ','; the ')' is the last token returned. */
    private List<Token> parenthesized(Token word, String item, String items) {
        Token open = next();
        List<Token> words = new ArrayList<>();
        while (peek().kind() != Token.Kind.CLOSE_PAREN) {
            Token t = next();
            switch (t.kind()) {
                case WORD -> words.add(t);
                case SEPARATOR -> { if (!t.text().equals(",")) throw error(t, "expected " + item + " or ')' inside the " + items + " of " + word.text()); }
                case END -> throw SpecError.at(spec, open.pos(), 1, "this '(' is never closed; expected ')' after the " + items + " of " + word.text());
                default -> throw error(t, "expected " + item + " or ')' inside the " + items + " of " + word.text());
            }
        }
        words.add(next());
        return words;
    }

    /** Adds a ReLU after each convolution and each FC but the last, after any normalization that directly follows. */
    private static List<Layer> withImpliedRelus(List<LayerParser.Item> items) {
        int lastFc = -1;
        for (int k = 0; k < items.size(); k++) if (items.get(k).slot() == LayerParser.Slot.AFTER_FC) lastFc = k;
        List<Layer> out = new ArrayList<>();
        boolean pending = false;
        for (int k = 0; k < items.size(); k++) {
            LayerParser.Item it = items.get(k);
            boolean norm = it.layer() instanceof Layer.BatchNorm || it.layer() instanceof Layer.LayerNorm
                    || it.layer() instanceof Layer.GroupNorm;
            if (pending && !norm) { out.add(new Layer.Relu("RELU", true)); pending = false; }
            out.add(it.layer());
            if (it.slot() == LayerParser.Slot.AFTER_CONV || (it.slot() == LayerParser.Slot.AFTER_FC && k != lastFc)) pending = true;
        }
        if (pending) out.add(new Layer.Relu("RELU", true));
        return out;
    }
}
