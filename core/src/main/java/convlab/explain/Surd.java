package convlab.explain;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * An exact number a + Σₖ cₖ/√vₖ (a, cₖ, vₖ rational, vₖ > 0): what normalization produces when a variance is
 * not the square of a rational. A term whose vₖ is a perfect square (numerator and denominator both
 * squares) is folded into a, so a value with no terms left is rational. Immutable.
 */
public final class Surd {
    public static final Surd ZERO = new Surd(Rational.ZERO, Map.of());
    private static final MathContext MC = new MathContext(40);

    private final Rational rational;
    private final Map<Rational, Rational> terms;  // radicand v → coefficient c, meaning c/√v

    private Surd(Rational rational, Map<Rational, Rational> terms) {
        this.rational = rational;
        this.terms = terms;
    }

    public static Surd of(Rational r) { return new Surd(r, Map.of()); }

    /** c/√v, exact (a rational) when v is a perfect square. */
    public static Surd over(Rational c, Rational v) {
        if (v.signum() <= 0) throw new IllegalArgumentException("division by √" + v + " (must be positive)");
        Rational root = sqrtExact(v);
        if (root != null) return of(c.divide(root));
        if (c.isZero()) return ZERO;
        Map<Rational, Rational> t = new LinkedHashMap<>();
        t.put(v, c);
        return new Surd(Rational.ZERO, t);
    }

    /** The square root of v when it is rational, else null. */
    public static Rational sqrtExact(Rational v) {
        if (v.signum() < 0) return null;
        BigInteger n = v.numerator().sqrt(), d = v.denominator().sqrt();
        return n.multiply(n).equals(v.numerator()) && d.multiply(d).equals(v.denominator()) ? Rational.of(n, d) : null;
    }

    public boolean isRational() { return terms.isEmpty(); }

    /** The value when rational; throws otherwise. */
    public Rational rational() {
        if (!isRational()) throw new IllegalStateException(this + " is not rational");
        return rational;
    }

    public Surd add(Surd o) {
        Map<Rational, Rational> t = new LinkedHashMap<>(terms);
        o.terms.forEach((v, c) -> t.merge(v, c, Rational::add));
        t.values().removeIf(Rational::isZero);
        return new Surd(rational.add(o.rational), t);
    }

    public Surd add(Rational r) { return new Surd(rational.add(r), terms); }

    public Surd multiply(Rational r) {
        if (r.isZero()) return ZERO;
        Map<Rational, Rational> t = new LinkedHashMap<>();
        terms.forEach((v, c) -> t.put(v, c.multiply(r)));
        return new Surd(rational.multiply(r), t);
    }

    public BigDecimal decimal() {
        BigDecimal s = new BigDecimal(rational.numerator()).divide(new BigDecimal(rational.denominator()), MC);
        for (var e : terms.entrySet()) {
            BigDecimal v = new BigDecimal(e.getKey().numerator()).divide(new BigDecimal(e.getKey().denominator()), MC);
            BigDecimal c = new BigDecimal(e.getValue().numerator()).divide(new BigDecimal(e.getValue().denominator()), MC);
            s = s.add(c.divide(v.sqrt(MC), MC));
        }
        return s;
    }

    public double toDouble() { return isRational() ? rational.toDouble() : decimal().doubleValue(); }

    /** Ten significant digits, trailing zeros dropped ("1.224744871"). */
    public String decimalText() {
        BigDecimal d = decimal().round(new MathContext(10)).stripTrailingZeros();
        return d.compareTo(BigDecimal.ZERO) == 0 ? "0" : d.toPlainString();
    }

    /** "3/2", "2/√3", "1 − 1/√(2/3)"; with " ≈ decimal" when not rational. */
    public String text() { return isRational() ? rational.toString() : symbol() + " ≈ " + decimalText(); }

    /** The exact form without the decimal. */
    public String symbol() {
        if (isRational()) return rational.toString();
        StringJoiner j = new StringJoiner(" + ");
        if (!rational.isZero()) j.add(rational.toString());
        for (var e : terms.entrySet())
            j.add((e.getValue().isInteger() ? e.getValue().toString() : "(" + e.getValue() + ")") + "/" + root(e.getKey()));
        return j.toString().replace("+ -", "− ");
    }

    static String root(Rational v) { return v.isInteger() ? "√" + v : "√(" + v + ")"; }

    @Override public String toString() { return text(); }

    @Override public boolean equals(Object o) { return o instanceof Surd s && rational.equals(s.rational) && terms.equals(s.terms); }

    @Override public int hashCode() { return rational.hashCode() * 31 + terms.hashCode(); }
}
