package convlab.spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The options written in parentheses after a layer, e.g. "(s2, p0, circular)", by canonical name.
 * An option is a name, an optional '=', and a value ("s2", "stride=2"), or a bare flag ("nobias").
 * Errors put the caret under the option concerned.
 */
final class LayerOptions {
    /** Spelled-out names and their canonical short form. */
    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("s", "s"), Map.entry("stride", "s"),
            Map.entry("p", "p"), Map.entry("pad", "p"), Map.entry("padding", "p"),
            Map.entry("d", "d"), Map.entry("dilation", "d"),
            Map.entry("g", "g"), Map.entry("groups", "g"),
            Map.entry("op", "op"), Map.entry("outpad", "op"), Map.entry("output_padding", "op"),
            Map.entry("eps", "eps"), Map.entry("momentum", "momentum"));
    private static final List<String> FLAGS = List.of("same", "nobias", "flip", "ceil", "nopadcount", "meanonly", "noaffine");
    private static final List<String> MODES = List.of("zeros", "zero", "circular", "reflect", "replicate");

    private record Option(Token token, String value) {}

    private final String spec;
    private final Token layer;
    private final Map<String, Option> byName = new LinkedHashMap<>();

    private LayerOptions(String spec, Token layer) { this.spec = spec; this.layer = layer; }

    static LayerOptions none(String spec, Token layer) { return new LayerOptions(spec, layer); }

    static LayerOptions parse(String spec, Token layer, List<Token> words) {
        LayerOptions o = new LayerOptions(spec, layer);
        for (Token w : words) {
            String text = w.text().toLowerCase(Locale.ROOT);
            int n = 0;
            while (n < text.length() && (Character.isLetter(text.charAt(n)) || text.charAt(n) == '_')) n++;
            String name = text.substring(0, n);
            String value = text.substring(n).startsWith("=") ? text.substring(n + 1) : text.substring(n);
            String canonical;
            if (MODES.contains(text)) { canonical = "mode"; value = text; }
            else if (FLAGS.contains(text)) canonical = text;
            else if ((name.equals("p") || name.equals("pad") || name.equals("padding")) && value.equals("same")) { canonical = "same"; value = ""; }
            else if (ALIASES.containsKey(name)) {
                canonical = ALIASES.get(name);
                if (value.isEmpty()) throw SpecError.at(spec, w, "expected a value after option '" + name + "' (as in " + name + "2)");
            } else {
                throw SpecError.at(spec, w, "unknown option " + w.describe() + "; options are s/stride, p/pad, same, d/dilation, "
                        + "g/groups, op/outpad, zeros|circular|reflect|replicate, nobias, flip, ceil, nopadcount, meanonly, noaffine, eps, momentum");
            }
            if (o.byName.containsKey(canonical))
                throw SpecError.at(spec, w, "option " + w.describe() + " repeats " + o.byName.get(canonical).token().describe());
            o.byName.put(canonical, new Option(w, value));
        }
        return o;
    }

    /** Refuses options the layer does not take, naming those it does. */
    void allow(String... names) {
        List<String> allowed = List.of(names);
        for (var entry : byName.entrySet()) {
            Option opt = entry.getValue();
            if (!allowed.contains(entry.getKey())) {
                String takes = allowed.isEmpty() ? "takes no options"
                        : "takes " + String.join(", ", allowed.stream().map(a -> a.equals("mode") ? "zeros|circular|reflect|replicate" : a).toList());
                throw SpecError.at(spec, opt.token(), "option " + opt.token().describe() + " does not apply to "
                        + layer.text() + "; it " + takes);
            }
        }
    }

    boolean has(String name) { return byName.containsKey(name); }

    boolean flag(String name) { return byName.containsKey(name); }

    String text(String name) { return byName.get(name).value(); }

    IllegalArgumentException error(String name, String message) {
        Option o = byName.get(name);
        return o == null ? SpecError.at(spec, layer, message) : SpecError.at(spec, o.token(), message);
    }

    int positiveInt(String name, int dflt) { return integer(name, dflt, 1); }

    int nonNegativeInt(String name, int dflt) { return integer(name, dflt, 0); }

    private int integer(String name, int dflt, int min) {
        Option o = byName.get(name);
        if (o == null) return dflt;
        if (!o.value().matches("\\d{1,7}"))
            throw SpecError.at(spec, o.token(), "expected a whole number in " + o.token().describe());
        int v = Integer.parseInt(o.value());
        if (v < min) throw SpecError.at(spec, o.token(), "option " + o.token().describe() + " must be at least " + min);
        return v;
    }

    double positiveDouble(String name, double dflt) { return decimal(name, dflt, false); }

    /** A value in [0, 1] (batch-norm momentum). */
    double fraction(String name, double dflt) { return decimal(name, dflt, true); }

    private double decimal(String name, double dflt, boolean fraction) {
        Option o = byName.get(name);
        if (o == null) return dflt;
        double v;
        try { v = Double.parseDouble(o.value()); } catch (NumberFormatException e) { v = Double.NaN; }
        boolean ok = fraction ? v >= 0 && v <= 1 : v > 0 && Double.isFinite(v);
        if (!ok) throw SpecError.at(spec, o.token(), "expected " + (fraction ? "a number in [0, 1]" : "a positive number")
                + " in " + o.token().describe());
        return v;
    }
}
