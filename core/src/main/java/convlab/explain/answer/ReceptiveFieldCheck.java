package convlab.explain.answer;

import convlab.explain.Answer;
import convlab.explain.ExactArray;
import convlab.explain.MatrixParser;
import convlab.explain.Rational;
import convlab.spec.FeatureShape;
import convlab.spec.Layer;
import convlab.spec.ReceptiveFieldReport;
import convlab.spec.Spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks receptive-field sizes given as a list ("1, 3, 7, 15": the input's 1 first, then the field after
 * each convolution and pooling layer; the input's 1 and the layers that leave the field unchanged may be
 * left out or listed) or as a recursion ("r_0 = 1, r_n = 2 r_{n-1} + 1") or closed form ("r_n = 2^{n+1} - 1").
 */
public final class ReceptiveFieldCheck {
    private ReceptiveFieldCheck() {}

    /** Longest sequence a recursion is unrolled to. */
    static final int MAX_TERMS = 10_000;

    private record Entry(String label, Rational size, String step) {}

    private record Reading(String name, List<Entry> entries) {}

    public static Verdict check(Spec spec, FeatureShape input, String answer) {
        String text = MatrixParser.resolveFile(answer).strip();
        if (text.isEmpty()) throw new IllegalArgumentException("the receptive-field answer is empty");
        List<ReceptiveFieldReport.Row> rows = ReceptiveFieldReport.rows(spec, input);
        Entry in = new Entry("input", Rational.ONE, "r = 1");
        List<Entry> spatial = new ArrayList<>(List.of(in)), all = new ArrayList<>(List.of(in));
        for (int i = 0; i < rows.size(); i++) {
            ReceptiveFieldReport.Row r = rows.get(i);
            Rational size = r.rf().isLocal() ? Rational.of(r.rf().size()) : null;
            Entry e = new Entry("layer " + r.index() + " " + r.name(), size, r.step());
            all.add(e);
            Layer l = spec.layers().get(i);
            if (l instanceof Layer.Conv || l instanceof Layer.Pool || l instanceof Layer.GlobalAvgPool || l instanceof Layer.Fc) spatial.add(e);
        }
        List<Reading> readings = List.of(
                new Reading("the input, then each convolution and pooling layer", spatial),
                new Reading("each convolution and pooling layer", spatial.subList(1, spatial.size())),
                new Reading("the input, then every layer", all),
                new Reading("every layer", all.subList(1, all.size())));
        boolean recursion = text.contains("=");
        List<Rational> given = recursion ? unroll(text, all.size()) : list(text);
        if (recursion) {
            // r_0 is the input's field: compare with each reading that starts at the input, the first that fits wins.
            Verdict first = null;
            for (Reading r : List.of(readings.get(0), readings.get(2))) {
                Verdict v = compare(r, given.subList(0, Math.min(given.size(), r.entries().size())), text);
                if (v.correct()) return v;
                if (first == null) first = v;
            }
            return first;
        }
        for (Reading r : readings) if (given.size() == r.entries().size()) return compare(r, given, text);
        String right = sizes(spatial);
        return new Verdict(Verdict.Outcome.NOT_CORRECT, "receptive field", listText(given), right, null, null,
                List.of("receptive field: not correct: " + given.size() + " values given, but the network has " + (spatial.size() - 1)
                        + " convolution/pooling layers (" + (all.size() - 1) + " layers in all); the fields are " + right
                        + " (the input first, then after each convolution and pooling layer)"));
    }

    private static Verdict compare(Reading r, List<Rational> g, String text) {
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < g.size(); i++) {
            Entry e = r.entries().get(i);
            if (e.size() != null && e.size().equals(g.get(i))) continue;
            wrong.add(e.label() + ": given " + Question.big(g.get(i)) + ", right " + (e.size() == null ? "the whole input" : e.size()) + " (" + e.step() + ")");
        }
        String right = sizes(r.entries());
        List<String> lines = new ArrayList<>();
        if (wrong.isEmpty()) {
            lines.add("receptive field: correct (" + right + ": " + r.name() + ")");
            return new Verdict(Verdict.Outcome.CORRECT, "receptive field", listText(g), right, null, null, lines);
        }
        lines.add("receptive field: not correct: " + wrong.size() + " of " + g.size() + " values are wrong (read as " + r.name() + ")");
        lines.addAll(wrong);
        return new Verdict(Verdict.Outcome.NOT_CORRECT, "receptive field", listText(g), right, null, null, lines);
    }

    private static String sizes(List<Entry> es) {
        List<String> s = new ArrayList<>();
        for (Entry e : es) s.add(e.size() == null ? "all" : e.size().toString());
        return String.join(", ", s);
    }

    private static String listText(List<Rational> g) {
        List<String> s = new ArrayList<>();
        for (Rational r : g) s.add(Question.big(r));
        String t = String.join(", ", s);
        return t.length() > 200 ? t.substring(0, 200) + "…" : t;
    }

    private static List<Rational> list(String text) {
        Answer a = Answer.parse(text);
        return switch (a.kind()) {
            case NUMBER -> List.of(a.number());
            case SHAPE -> throw new IllegalArgumentException("'" + Lexer.shown(text) + "' reads as a product; give receptive fields as a list such as \"1, 3, 5, 7\"");
            case MATRIX -> {
                ExactArray m = a.matrix();
                if (m.rank() != 1 && m.size() != Math.max(m.dim(0), m.dim(m.rank() - 1)))
                    throw new IllegalArgumentException("receptive fields are one list of sizes, got a " + m.shapeText() + " array");
                List<Rational> out = new ArrayList<>();
                for (int i = 0; i < m.size(); i++) out.add(m.flat(i));
                yield out;
            }
        };
    }

    private static final Pattern PREVIOUS = Pattern.compile("r\\s*(?:_\\s*\\{\\s*([a-z])\\s*-\\s*1\\s*}|_\\s*([a-z])\\s*-\\s*1(?![0-9])|\\(\\s*([a-z])\\s*-\\s*1\\s*\\))");
    private static final Pattern INITIAL = Pattern.compile("r\\s*(?:_\\s*\\{\\s*(\\d+)\\s*}|_\\s*(\\d+)|\\(\\s*(\\d+)\\s*\\))");
    private static final Pattern GENERAL = Pattern.compile("r\\s*(?:_\\s*\\{\\s*([a-z])\\s*}|_\\s*([a-z])|\\(\\s*([a-z])\\s*\\))");

    /**
     * The sequence r_0, r_1, … (r_0 the input's field) a recursion or closed form defines, {@code terms} long:
     * "r_0 = 1, r_n = r_{n-1} + 2", "r_n = 2 r_{n-1} + 1; r_0 = 1", "r_l = 2l + 1".
     */
    static List<Rational> unroll(String text, int terms) {
        Map<Integer, Rational> initial = new LinkedHashMap<>();
        Formula rule = null;
        String index = null;
        for (String part : text.split("[,;\\n]|\\band\\b")) {
            if (part.isBlank()) continue;
            int eq = part.indexOf('=');
            if (eq < 0 || part.indexOf('=', eq + 1) >= 0)
                throw new IllegalArgumentException("cannot read '" + Lexer.shown(part.strip()) + "' as one equation such as r_0 = 1 or r_n = 2 r_{n-1} + 1");
            String lhs = part.substring(0, eq).strip().replace("$", ""), rhs = part.substring(eq + 1).strip();
            Matcher init = INITIAL.matcher(lhs), gen = GENERAL.matcher(lhs);
            if (init.matches()) {
                int k = Integer.parseInt(first(init));
                if (k > 1) throw new IllegalArgumentException("the recursion starts at r_" + k + "; start it at r_0 (the input's field, 1) or r_1");
                initial.put(k, Formula.parse(rhs, Set.of()).number(Map.of()));
            } else if (gen.matches()) {
                index = first(gen);
                Matcher prev = PREVIOUS.matcher(rhs);
                StringBuilder sb = new StringBuilder();
                while (prev.find()) {
                    if (!first(prev).equals(index)) throw new IllegalArgumentException("the recursion for r_" + index + " refers to r_" + first(prev) + "-1");
                    prev.appendReplacement(sb, " R ");
                }
                prev.appendTail(sb);
                rule = Formula.parse(sb.toString().replaceAll("(?<![A-Za-z_\\\\])" + index + "(?![A-Za-z_])", " N "), Set.of("R", "N"));
            } else {
                throw new IllegalArgumentException("cannot read '" + Lexer.shown(lhs) + "' as r_0, r_1 or r_n on the left of '='");
            }
        }
        if (rule == null && initial.isEmpty()) throw new IllegalArgumentException("no receptive field given");
        int start = initial.isEmpty() ? 0 : initial.keySet().stream().min(Integer::compare).orElseThrow();
        // r_1 = 1 as the first term means the input is numbered 1: shift so the input is term 0.
        int shift = start;
        List<Rational> out = new ArrayList<>();
        Rational prev = null;
        for (int n = start; out.size() < Math.min(terms, MAX_TERMS); n++) {
            Rational v = initial.get(n);
            if (v == null) {
                if (rule == null) break;
                if (prev == null && rule.names().contains("R")) throw new IllegalArgumentException("the recursion needs a first value such as r_0 = 1");
                Map<String, Rational> env = new LinkedHashMap<>();
                env.put("N", Rational.of(n));
                if (prev != null) env.put("R", prev);
                v = rule.number(env);
            }
            out.add(v);
            prev = v;
        }
        if (shift > 0 && out.isEmpty()) throw new IllegalArgumentException("no receptive field given");
        return out;
    }

    private static String first(Matcher m) {
        for (int g = 1; g <= m.groupCount(); g++) if (m.group(g) != null) return m.group(g);
        throw new IllegalStateException("pattern without a group");
    }
}
