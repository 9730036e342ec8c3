package convlab.spec;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Skip connections in the spec grammar (docs/SPEC.md, "Branches"): {@code @name} labels the output so far,
 * {@code CONCAT(name, ...)} and {@code ADD(name, ...)} merge the current output with labelled earlier ones.
 * The parser creates the records as it reads them; {@link #resolve} then ties each merge to the row of the
 * most recent label of that name before it (after repetitions are expanded and implied ReLUs placed), so
 * {@code [CONV3-16 @a CONV3-16 ADD(a)]x3} makes three residual blocks, each adding its own input.
 */
final class Branches {
    private static final String NAME = "[A-Za-z_][A-Za-z0-9_]{0,63}";

    private final String spec;
    /** The label tokens of each merge as written (the records of a repeated body are the same objects). */
    private final Map<Layer.Merge, List<Token>> labelTokens = new IdentityHashMap<>();

    Branches(String spec) { this.spec = spec; }

    static boolean isMerge(Token word) {
        String up = word.text().toUpperCase(Locale.ROOT);
        return up.equals("CONCAT") || up.equals("ADD");
    }

    /** {@code @name}. */
    LayerParser.Item label(Token t) {
        String name = t.text().substring(1);
        if (!name.matches(NAME))
            throw SpecError.at(spec, t, "a label is '@' and a name of letters, digits and '_' starting with a letter, as in @a or @enc1");
        return new LayerParser.Item(new Layer.Label(t.text(), name), LayerParser.Slot.NONE);
    }

    /** CONCAT/ADD with its label words; the last token is the closing ')'. */
    LayerParser.Item merge(Token word, List<Token> labelsAndClose) {
        List<Token> words = labelsAndClose.subList(0, labelsAndClose.size() - 1);
        Token close = labelsAndClose.getLast();
        List<String> names = new ArrayList<>();
        for (Token w : words) {
            String name = w.text().startsWith("@") ? w.text().substring(1) : w.text();
            if (!name.matches(NAME))
                throw SpecError.at(spec, w, "expected a label name (letters, digits, '_'; as in " + word.text() + "(a)), got " + w.describe());
            names.add(name);
        }
        boolean concat = word.text().equalsIgnoreCase("CONCAT");
        String source = Lexer.oneLine(spec.substring(word.pos(), close.end()));
        Layer.Merge m = new Layer.Merge(source, concat, names, List.of(), word.pos(), close.end() - word.pos());
        labelTokens.put(m, List.copyOf(words));
        return new LayerParser.Item(m, LayerParser.Slot.NONE);
    }

    /** The layers with every merge tied to the rows of its labels; an unknown or later label is an error. */
    List<Layer> resolve(List<Layer> layers) {
        if (labelTokens.isEmpty()) return layers;
        Map<String, Integer> latest = new LinkedHashMap<>();
        List<Layer> out = new ArrayList<>(layers.size());
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            if (l instanceof Layer.Label label) latest.put(label.name(), i + 1);
            if (l instanceof Layer.Merge m) {
                List<Integer> from = new ArrayList<>();
                for (int k = 0; k < m.labels().size(); k++) {
                    Integer row = latest.get(m.labels().get(k));
                    if (row == null) throw unknown(m, k, layers.subList(i, layers.size()), latest);
                    from.add(row);
                }
                l = new Layer.Merge(m.source(), m.concat(), m.labels(), from, m.pos(), m.length());
            }
            out.add(l);
        }
        return out;
    }

    private IllegalArgumentException unknown(Layer.Merge m, int k, List<Layer> after, Map<String, Integer> known) {
        String name = m.labels().get(k);
        Token t = labelTokens.get(m).get(k);
        boolean later = after.stream().anyMatch(l -> l instanceof Layer.Label lab && lab.name().equals(name));
        if (later)
            return SpecError.at(spec, t, "label @" + name + " is defined after this " + (m.concat() ? "CONCAT" : "ADD")
                    + "; a merge can only use an output from before it");
        String have = known.isEmpty() ? "no label is defined before it" : "labels before it: @" + String.join(", @", known.keySet());
        return SpecError.at(spec, t, "unknown label '" + name + "' (" + have + "); name an output with @" + name
                + " after a layer, as in CONV3-16 @" + name + " ... " + (m.concat() ? "CONCAT" : "ADD") + "(" + name + ")");
    }
}
