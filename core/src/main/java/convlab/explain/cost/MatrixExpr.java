package convlab.explain.cost;

import convlab.OptionNames;
import convlab.explain.Rational;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * A matrix expression such as {@code 1/2 (3I - W W^T) W}, parsed and brought to a normal form: a sum of
 * terms, each a rational coefficient times a chain of factors, where a factor is a (possibly transposed)
 * named matrix or a parenthesised sum kept as a group. Transposes are pushed down to the names
 * ((AB)ᵀ = BᵀAᵀ), identities drop out of products (I·X = X), numbers become coefficients.
 * <p>Syntax: names (W, W_1, d_{out} style subscripts), I (identity, any size), numbers and fractions
 * (3, 1/2, 0.5), products by juxtaposition or * · ×, sums with + − -, parentheses, transposes
 * written ^T, ^{T}, ^\top, ' or ᵀ, whole powers ^2 or ^{3} (X^2 = X X).
 */
public final class MatrixExpr {
    private MatrixExpr() {}

    /** A factor of a product chain. */
    public sealed interface Factor permits Leaf, Group {}

    /** A named matrix, maybe transposed. */
    public record Leaf(String name, boolean transposed) implements Factor {
        @Override public String toString() { return name + (transposed ? "ᵀ" : ""); }
    }

    /** A parenthesised sum of two or more terms. */
    public record Group(List<Term> terms) implements Factor {}

    /** coef · factor₁ · factor₂ ⋯; no factors means coef · I. */
    public record Term(Rational coef, List<Factor> factors) {}

    /**
     * Parses an expression into its normal form (a sum of terms). {@code names} are the matrix names
     * (from --dims), used to read "WW" as W·W.
     */
    public static List<Term> parse(String text, java.util.Set<String> names) {
        String t = convlab.explain.MatrixParser.latexFractions(text).replace("\\left", "").replace("\\right", "")
                .replace("\\cdot", "·").replace("\\times", "×").replace("\\top", "T").replace("−", "-");
        Parser p = new Parser(t, names);
        List<Term> terms = p.sum(false);
        p.skipSpace();
        if (p.pos < t.length()) throw p.error("unexpected '" + t.charAt(p.pos) + "'");
        return terms;
    }

    /** Reads the dimensions "W: d_out x d_in, V: d_in x 4" (or ';' separated). */
    public static Map<String, String[]> parseDims(String text) {
        Map<String, String[]> dims = new java.util.LinkedHashMap<>();
        for (String part : text.split("[;,]")) {
            if (part.isBlank()) continue;
            String[] kv = part.split(":");
            if (kv.length != 2) throw new IllegalArgumentException("expected 'NAME: ROWS x COLS' in " + OptionNames.of("dims") + ", got '" + part.strip() + "'");
            String[] rc = kv[1].strip().split("\\s*(?:\\bx\\b|×|\\*)\\s*");
            if (rc.length != 2 || rc[0].isBlank() || rc[1].isBlank())
                throw new IllegalArgumentException("expected 'ROWS x COLS' for " + kv[0].strip() + " in " + OptionNames.of("dims") + ", got '" + kv[1].strip() + "'");
            String rows = dimension(rc[0], kv[0]), cols = dimension(rc[1], kv[0]);
            dims.put(normalizeName(kv[0].strip()), new String[] {rows, cols});
        }
        return dims;
    }

    /** One size of a matrix: a name (d_out) or a whole number of at least 1; zero, negative or other sizes are refused. */
    private static String dimension(String text, String matrix) {
        String d = normalizeName(text.strip());
        if (d.matches("[A-Za-z][A-Za-z0-9_]*")) return d;
        if (d.matches("\\d{1,9}") && Integer.parseInt(d) >= 1) return Integer.toString(Integer.parseInt(d));
        throw new IllegalArgumentException("the size '" + d + "' of " + matrix.strip() + " in " + OptionNames.of("dims") + " must be a name such as d_out or a whole number of at least 1");
    }

    /** "d_{out}" → "d_out", "\text{out}" stripped to "out". */
    static String normalizeName(String n) {
        return n.replaceAll("\\\\(?:text|mathrm)\\{([^}]*)}", "$1").replace("{", "").replace("}", "").strip();
    }

    private static final java.util.regex.Pattern POWER = java.util.regex.Pattern.compile("\\^(?:(\\d+)|\\{(\\d+)})");

    private static final class Parser {
        final String s;
        final java.util.Set<String> known;
        int pos;

        Parser(String s, java.util.Set<String> known) { this.s = s; this.known = known; }

        List<Term> sum(boolean transposed) {
            List<Term> terms = new ArrayList<>();
            skipSpace();
            Rational sign = Rational.ONE;
            if (peek('+')) pos++;
            else if (peek('-')) { pos++; sign = sign.negate(); }
            while (true) {
                int start = pos;
                for (Term t : product()) terms.add(new Term(t.coef().multiply(sign), t.factors()));
                if (terms.getLast().factors().isEmpty() && onlyNumber(start)) throw error("a number alone in a sum: write it times I (e.g. 3I)");
                skipSpace();
                if (peek('+')) { pos++; sign = Rational.ONE; }
                else if (peek('-')) { pos++; sign = Rational.ONE.negate(); }
                else return terms;
            }
        }

        private boolean onlyNumber(int start) {
            return s.substring(start, pos).strip().matches("[0-9./\\s]+");
        }

        /** A product of postfix factors; the result is a normal-form sum (usually one term). */
        List<Term> product() {
            List<List<Term>> factors = new ArrayList<>();
            factors.add(postfix());
            while (true) {
                skipSpace();
                if (pos < s.length() && "*·×".indexOf(s.charAt(pos)) >= 0) { pos++; factors.add(postfix()); continue; }
                if (pos < s.length() && startsPrimary(s.charAt(pos))) { factors.add(postfix()); continue; }
                return multiply(factors);
            }
        }

        List<Term> postfix() {
            List<Term> v = primary();
            while (true) {
                skipSpace();
                if (s.startsWith("^T", pos) || s.startsWith("^{T}", pos)) { pos += s.startsWith("^T", pos) ? 2 : 4; v = transpose(v); }
                else if (peek('\'') || peek('ᵀ')) { pos++; v = transpose(v); }
                else if (peek('^') && pos + 1 < s.length() && (Character.isDigit(s.charAt(pos + 1)) || s.startsWith("^{", pos))) {
                    // integer power: X^2 = X X (each factor stays a separate operand of the chain)
                    Matcher m = POWER.matcher(s).region(pos, s.length());
                    if (!m.lookingAt()) throw error("expected a power such as ^2 or ^{3}");
                    int e = Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2));
                    if (e < 1 || e > 8) throw error("powers from 1 to 8 only, got " + e);
                    pos = m.end();
                    List<List<Term>> copies = new ArrayList<>();
                    for (int i = 0; i < e; i++) copies.add(v);
                    v = multiply(copies);
                }
                else if (peek('^')) throw error("only ^T (transpose) and whole powers ^2, ^{3} are supported after '^'");
                else return v;
            }
        }

        List<Term> primary() {
            skipSpace();
            if (pos >= s.length()) throw error("expression ends too early");
            char c = s.charAt(pos);
            if (c == '(') {
                pos++;
                List<Term> inner = sum(false);
                skipSpace();
                if (!peek(')')) throw error("missing ')'");
                pos++;
                return inner;
            }
            if (Character.isDigit(c) || c == '.') {
                int start = pos;
                while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '.' || s.charAt(pos) == '/')) pos++;
                return List.of(new Term(Rational.parse(s.substring(start, pos)), List.of()));
            }
            if (Character.isLetter(c)) {
                int start = pos;
                while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                    if (s.charAt(pos) == '_' && pos + 1 < s.length() && s.charAt(pos + 1) == '{') pos = closingBrace(pos + 1) + 1;
                    else pos++;
                }
                // "WW" written without a space (as in LaTeX) is W·W when W is a known name and WW is not.
                String name = normalizeName(s.substring(start, pos));
                if (!known.contains(name) && !isIdentity(name)) {
                    for (int end = pos - 1; end > start; end--) {
                        String prefix = normalizeName(s.substring(start, end));
                        if (known.contains(prefix) || prefix.equals("I")) { pos = end; name = prefix; break; }
                    }
                }
                if (isIdentity(name)) return List.of(new Term(Rational.ONE, List.of()));
                return List.of(new Term(Rational.ONE, List.of(new Leaf(name, false))));
            }
            throw error("unexpected '" + c + "'");
        }

        private boolean isIdentity(String name) { return name.equals("I") || (name.startsWith("I_") && !known.contains(name)); }

        private int closingBrace(int open) {
            int depth = 0;
            for (int i = open; i < s.length(); i++) {
                if (s.charAt(i) == '{') depth++;
                else if (s.charAt(i) == '}' && --depth == 0) return i;
            }
            throw error("missing '}'");
        }

        boolean startsPrimary(char c) { return c == '(' || Character.isLetterOrDigit(c) || c == '.'; }

        boolean peek(char c) { return pos < s.length() && s.charAt(pos) == c; }

        void skipSpace() { while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++; }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " at character " + (pos + 1) + " of '" + s + "'");
        }
    }

    /** Multiplies normal forms: single terms are merged into one chain, sums become groups. */
    static List<Term> multiply(List<List<Term>> factors) {
        Rational coef = Rational.ONE;
        List<Factor> chain = new ArrayList<>();
        for (List<Term> f : factors) {
            List<Term> g = foldIdentities(f);
            if (g.size() == 1) {
                coef = coef.multiply(g.getFirst().coef());
                chain.addAll(g.getFirst().factors());
            } else {
                chain.add(new Group(g));
            }
        }
        return List.of(new Term(coef, List.copyOf(chain)));
    }

    /** A sum of multiples of I only (2I + 3I) is the scalar 5: one term. Zero terms are dropped. */
    private static List<Term> foldIdentities(List<Term> terms) {
        List<Term> nonZero = terms.stream().filter(t -> !t.coef().isZero()).toList();
        if (nonZero.isEmpty()) return List.of(new Term(Rational.ZERO, List.of()));
        if (nonZero.stream().allMatch(t -> t.factors().isEmpty()))
            return List.of(new Term(nonZero.stream().map(Term::coef).reduce(Rational.ZERO, Rational::add), List.of()));
        return nonZero;
    }

    static List<Term> transpose(List<Term> terms) {
        List<Term> out = new ArrayList<>();
        for (Term t : terms) {
            List<Factor> rev = new ArrayList<>();
            for (int i = t.factors().size() - 1; i >= 0; i--) {
                Factor f = t.factors().get(i);
                rev.add(switch (f) {
                    case Leaf l -> new Leaf(l.name(), !l.transposed());
                    case Group g -> new Group(transpose(g.terms()));
                });
            }
            out.add(new Term(t.coef(), List.copyOf(rev)));
        }
        return out;
    }
}
