package convlab.explain.cost;

import convlab.OptionNames;
import convlab.explain.Rational;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A polynomial in dimension names with exact rational coefficients, e.g. 2·d_out²·d_in + d_in³.
 * Monomials are kept as sorted name→exponent maps so equal polynomials compare equal.
 */
public final class Poly {
    public static final Poly ZERO = new Poly(new TreeMap<>());

    /** Monomial key: names in sorted order with exponents, e.g. {d_in=1, d_out=2}. */
    private final TreeMap<TreeMap<String, Integer>, Rational> terms;

    private Poly(TreeMap<TreeMap<String, Integer>, Rational> terms) { this.terms = terms; }

    private static final java.util.Comparator<TreeMap<String, Integer>> MONO_ORDER = (a, b) -> a.toString().compareTo(b.toString());

    private static TreeMap<TreeMap<String, Integer>, Rational> empty() { return new TreeMap<>(MONO_ORDER); }

    public static Poly constant(Rational c) {
        TreeMap<TreeMap<String, Integer>, Rational> t = empty();
        if (!c.isZero()) t.put(new TreeMap<>(), c);
        return new Poly(t);
    }

    /** The product of the given factors; each is a dimension name or a whole number. */
    public static Poly product(String... factors) {
        TreeMap<String, Integer> mono = new TreeMap<>();
        Rational coef = Rational.ONE;
        for (String f : factors) {
            if (f.chars().allMatch(Character::isDigit)) coef = coef.multiply(Rational.parse(f));
            else mono.merge(f, 1, Integer::sum);
        }
        TreeMap<TreeMap<String, Integer>, Rational> t = empty();
        if (!coef.isZero()) t.put(mono, coef);
        return new Poly(t);
    }

    public Poly plus(Poly o) {
        TreeMap<TreeMap<String, Integer>, Rational> t = empty();
        t.putAll(terms);
        for (var e : o.terms.entrySet()) t.merge(e.getKey(), e.getValue(), Rational::add);
        t.values().removeIf(Rational::isZero);
        return new Poly(t);
    }

    public Poly minus(Poly o) { return plus(o.times(Rational.ONE.negate())); }

    public Poly times(Rational c) {
        TreeMap<TreeMap<String, Integer>, Rational> t = empty();
        if (!c.isZero()) for (var e : terms.entrySet()) t.put(e.getKey(), e.getValue().multiply(c));
        return new Poly(t);
    }

    public Poly times(Poly o) {
        Poly r = ZERO;
        for (var a : terms.entrySet())
            for (var b : o.terms.entrySet()) {
                TreeMap<String, Integer> m = new TreeMap<>(a.getKey());
                b.getKey().forEach((k, v) -> m.merge(k, v, Integer::sum));
                TreeMap<TreeMap<String, Integer>, Rational> t = empty();
                t.put(m, a.getValue().multiply(b.getValue()));
                r = r.plus(new Poly(t));
            }
        return r;
    }

    public boolean isZero() { return terms.isEmpty(); }

    /** True when every coefficient is ≥ 0 (then the polynomial is ≥ 0 for all positive sizes). */
    public boolean nonNegativeCoefficients() {
        return terms.values().stream().allMatch(r -> r.signum() >= 0);
    }

    public java.util.Set<String> names() {
        java.util.Set<String> s = new java.util.TreeSet<>();
        terms.keySet().forEach(m -> s.addAll(m.keySet()));
        return s;
    }

    /** The value for the given sizes (every name must have a size). */
    public Rational evaluate(Map<String, BigInteger> sizes) {
        Rational sum = Rational.ZERO;
        for (var e : terms.entrySet()) {
            BigInteger v = BigInteger.ONE;
            for (var f : e.getKey().entrySet()) {
                BigInteger s = sizes.get(f.getKey());
                if (s == null) throw new IllegalArgumentException("no size given for " + f.getKey() + " (add " + f.getKey() + "=... to " + OptionNames.of("sizes") + ")");
                v = v.multiply(s.pow(f.getValue()));
            }
            sum = sum.add(e.getValue().multiply(Rational.of(v, BigInteger.ONE)));
        }
        return sum;
    }

    /**
     * The sign of this polynomial when the names in {@code order} are each infinitely larger than the
     * ones after them (d_out ≫ d_in): the sign of the leading term in that lexicographic order.
     */
    public int asymptoticSign(List<String> order) {
        TreeMap<String, Integer> lead = null;
        for (var m : terms.keySet()) if (lead == null || compareLex(m, lead, order) > 0) lead = m;
        return lead == null ? 0 : terms.get(lead).signum();
    }

    /**
     * The leading terms with coefficient 1, as an order of growth compares them: with an {@code order} of
     * names (each much larger than the next) the one leading monomial in that order; without one, every
     * monomial no other monomial dominates (at least the same power of every name). Constants drop out
     * unless the polynomial is a constant.
     */
    public Poly dominantTerms(List<String> order) {
        TreeMap<TreeMap<String, Integer>, Rational> t = empty();
        List<TreeMap<String, Integer>> monos = new ArrayList<>(terms.keySet());
        if (!order.isEmpty()) {
            TreeMap<String, Integer> lead = null;
            for (var m : monos) if (lead == null || compareLex(m, lead, order) > 0) lead = m;
            if (lead != null) t.put(lead, Rational.ONE);
            return new Poly(t);
        }
        for (var m : monos) {
            boolean dominated = false;
            for (var o : monos)
                if (o != m && dominates(o, m)) { dominated = true; break; }
            if (!dominated) t.put(m, Rational.ONE);
        }
        return new Poly(t);
    }

    private static boolean dominates(TreeMap<String, Integer> big, TreeMap<String, Integer> small) {
        for (var e : small.entrySet()) if (big.getOrDefault(e.getKey(), 0) < e.getValue()) return false;
        return !big.equals(small);
    }

    /** The same polynomial with names replaced ({@code rename} maps an old name to its new one). */
    public Poly renamed(Map<String, String> rename) {
        Poly r = ZERO;
        for (var e : terms.entrySet()) {
            TreeMap<String, Integer> m = new TreeMap<>();
            e.getKey().forEach((k, v) -> m.merge(rename.getOrDefault(k, k), v, Integer::sum));
            TreeMap<TreeMap<String, Integer>, Rational> t = empty();
            t.put(m, e.getValue());
            r = r.plus(new Poly(t));
        }
        return r;
    }

    private static int compareLex(TreeMap<String, Integer> a, TreeMap<String, Integer> b, List<String> order) {
        for (String n : order) {
            int c = Integer.compare(a.getOrDefault(n, 0), b.getOrDefault(n, 0));
            if (c != 0) return c;
        }
        return 0;
    }

    /** "2·d_out²·d_in + d_in³" (with "c·" in front of each term when {@code unit} is "c"). */
    public String format(String unit) { return format(unit, List.of()); }

    /** As {@link #format(String)}, with names in the given order first (e.g. the order of --dims): "2c·d_out²·d_in". */
    public String format(String unit, List<String> nameOrder) { return format(unit, nameOrder, false); }

    /** As {@link #format(String, List)} in LaTeX: "2c\\, d_{\\text{out}}^{2}\\, d_{\\text{in}}", fractions as \\frac. */
    public String formatLatex(String unit, List<String> nameOrder) { return format(unit, nameOrder, true); }

    private String format(String unit, List<String> nameOrder, boolean latex) {
        if (terms.isEmpty()) return "0";
        StringBuilder out = new StringBuilder();
        List<TreeMap<String, Integer>> monos = new ArrayList<>(terms.keySet());
        monos.sort((a, b) -> Integer.compare(degree(b), degree(a)));
        for (var m : monos) {
            Rational c = terms.get(m);
            Rational abs = c.abs();
            List<String> fs = new ArrayList<>();
            String lead = !abs.equals(Rational.ONE) || (m.isEmpty() && unit.isEmpty()) ? (latex ? abs.toLatex() : abs.toString()) : "";
            if (!unit.isEmpty()) lead = lead + (latex || lead.isEmpty() || abs.isInteger() ? "" : "·") + unit;  // "2c", "1/2·c"
            if (!lead.isEmpty()) fs.add(lead);
            List<String> ns = new ArrayList<>(m.keySet());
            ns.sort(java.util.Comparator.comparingInt((String n) -> nameOrder.contains(n) ? nameOrder.indexOf(n) : nameOrder.size()).thenComparing(n -> n));
            for (String n : ns) fs.add(latex ? latexName(n) + (m.get(n) == 1 ? "" : "^{" + m.get(n) + "}") : n + superscript(m.get(n)));
            out.append(out.isEmpty() ? (c.signum() < 0 ? "-" : "") : (c.signum() < 0 ? " - " : " + ")).append(String.join(latex ? "\\, " : "·", fs));
        }
        return out.toString();
    }

    /** A size name in LaTeX: "d_out" becomes d_{\\text{out}}, "n" stays n. */
    public static String latexName(String n) {
        int u = n.indexOf('_');
        if (u > 0 && u < n.length() - 1) {
            String sub = n.substring(u + 1).replace("_", "\\_");
            return n.substring(0, u) + "_{" + (sub.length() == 1 ? sub : "\\text{" + sub + "}") + "}";
        }
        return n.replace("_", "\\_");
    }

    private static int degree(TreeMap<String, Integer> m) { return m.values().stream().mapToInt(Integer::intValue).sum(); }

    static String superscript(int e) {
        if (e == 1) return "";
        String digits = "⁰¹²³⁴⁵⁶⁷⁸⁹";
        StringBuilder sb = new StringBuilder();
        for (char ch : Integer.toString(e).toCharArray()) sb.append(digits.charAt(ch - '0'));
        return sb.toString();
    }

    @Override public boolean equals(Object o) { return o instanceof Poly p && terms.equals(p.terms); }
    @Override public int hashCode() { return terms.hashCode(); }
    @Override public String toString() { return format(""); }
}
