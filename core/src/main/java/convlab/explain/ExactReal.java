package convlab.explain;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A real number kept exactly: a {@link Rational} while the arithmetic stays rational, otherwise a sum
 * r + Σ c_k·a_k of rational multiples of atoms, where an atom is a square root √k of a square-free integer
 * (√(1790321/250000) is kept as √1790321/500, and √2·√8 = 4) or, for what does not simplify so far
 * (a quotient by a sum, a root of a root), an exact expression written out. The value is carried to 50
 * significant digits throughout. Expressions longer than {@link #MAX_TEXT} characters are not written out
 * ({@link #text()} is then null; the 50-digit value is kept), so a long trajectory degrades to
 * high-precision decimals rather than failing.
 */
public final class ExactReal {
    static final MathContext MC = new MathContext(50, RoundingMode.HALF_EVEN);
    /** Longest expression written out in full. */
    public static final int MAX_TEXT = 200;

    /** An irrational atom: √radicand (radicand square-free, &gt; 1), or an opaque expression (radicand null). */
    private record Atom(BigInteger radicand, String expr, BigDecimal value, boolean bare) {
        String key() { return radicand != null ? "√" + radicand : expr; }
        String show() { return radicand != null ? "√" + radicand : bare ? expr : "(" + expr + ")"; }
    }

    private final Rational constant;
    private final Map<String, Atom> atoms;       // key → atom
    private final Map<String, Rational> coeffs;  // key → nonzero coefficient
    private final boolean tooLong;               // some part could not be written out
    private final BigDecimal value;

    private ExactReal(Rational constant, Map<String, Atom> atoms, Map<String, Rational> coeffs, boolean tooLong, BigDecimal value) {
        this.constant = constant;
        this.atoms = atoms;
        this.coeffs = coeffs;
        this.value = value;
        this.tooLong = tooLong || (!coeffs.isEmpty() && render().length() > MAX_TEXT);
    }

    public static ExactReal of(Rational r) {
        return new ExactReal(r, Map.of(), Map.of(), false, new BigDecimal(r.numerator()).divide(new BigDecimal(r.denominator()), MC));
    }

    public static ExactReal of(long n) { return of(Rational.of(n)); }

    public static final ExactReal ZERO = of(0), ONE = of(1);

    private static ExactReal atom(Rational coeff, Atom a) {
        Map<String, Atom> at = new LinkedHashMap<>();
        Map<String, Rational> c = new LinkedHashMap<>();
        at.put(a.key(), a);
        c.put(a.key(), coeff);
        return new ExactReal(Rational.ZERO, at, c, false, a.value.multiply(decimal(coeff), MC));
    }

    /** A number known only by its value (the exact form got too long). */
    private static ExactReal numeric(BigDecimal v) {
        return new ExactReal(Rational.ZERO, Map.of(), Map.of(), true, v);
    }

    private static BigDecimal decimal(Rational r) {
        return new BigDecimal(r.numerator()).divide(new BigDecimal(r.denominator()), MC);
    }

    /** The rational value, or null when the number is irrational (or its exact form was dropped). */
    public Rational rational() { return coeffs.isEmpty() && !tooLong ? constant : null; }

    public boolean isRational() { return rational() != null; }

    /** The exact expression, or null when it grew longer than {@link #MAX_TEXT} characters. */
    public String text() { return tooLong ? null : render(); }

    public BigDecimal value() { return value; }

    public double toDouble() { return value.doubleValue(); }

    /** Exact sign for rationals; otherwise the sign of the 50-digit value. */
    public int signum() { return isRational() ? constant.signum() : value.signum(); }

    /** The value to the given number of significant digits, e.g. "0.9009009009". */
    public String decimal(int digits) {
        if (value.signum() == 0) return "0";
        BigDecimal r = value.round(new MathContext(digits, RoundingMode.HALF_EVEN)).stripTrailingZeros();
        return r.scale() > 12 || r.precision() - r.scale() > 12 ? r.toString() : r.toPlainString();
    }

    /** The exact expression when there is one, else "≈ decimal". */
    public String show() { return tooLong ? "≈ " + decimal(12) : render(); }

    private String render() {
        StringBuilder sb = new StringBuilder();
        if (!constant.isZero() || coeffs.isEmpty()) sb.append(constant);
        for (var e : coeffs.entrySet()) {
            Rational c = e.getValue();
            String a = atoms.get(e.getKey()).show();
            boolean neg = c.signum() < 0;
            BigInteger num = c.numerator().abs(), den = c.denominator();
            String term = (num.equals(BigInteger.ONE) ? "" : num + "·") + a + (den.equals(BigInteger.ONE) ? "" : "/" + den);
            if (sb.isEmpty()) sb.append(neg ? "-" : "").append(term);
            else sb.append(neg ? " - " : " + ").append(term);
        }
        return sb.toString();
    }

    private String asFactor() {
        String t = render();
        boolean single = constant.isZero() && coeffs.size() == 1 && coeffs.values().iterator().next().equals(Rational.ONE);
        boolean bare = rational() != null ? constant.isInteger() && constant.signum() >= 0
                : single && (atoms.values().iterator().next().bare() || t.startsWith("(") && t.endsWith(")"));
        return bare || single && t.indexOf(' ') < 0 && !t.startsWith("-") ? t : "(" + t + ")";
    }

    public ExactReal add(ExactReal o) {
        if (tooLong || o.tooLong) return numeric(value.add(o.value, MC));
        if (o.isRational() && o.constant.isZero()) return this;
        if (isRational() && constant.isZero()) return o;
        Map<String, Atom> at = new LinkedHashMap<>(atoms);
        Map<String, Rational> c = new LinkedHashMap<>(coeffs);
        for (var e : o.coeffs.entrySet()) {
            at.putIfAbsent(e.getKey(), o.atoms.get(e.getKey()));
            Rational sum = c.getOrDefault(e.getKey(), Rational.ZERO).add(e.getValue());
            if (sum.isZero()) { c.remove(e.getKey()); at.remove(e.getKey()); } else c.put(e.getKey(), sum);
        }
        return new ExactReal(constant.add(o.constant), at, c, false, value.add(o.value, MC));
    }

    public ExactReal subtract(ExactReal o) { return add(o.negate()); }

    public ExactReal negate() { return scale(Rational.ONE.negate()); }

    private ExactReal scale(Rational r) {
        if (r.isZero()) return ZERO;
        if (tooLong) return numeric(value.multiply(decimal(r), MC));
        Map<String, Rational> c = new LinkedHashMap<>();
        for (var e : coeffs.entrySet()) c.put(e.getKey(), e.getValue().multiply(r));
        return new ExactReal(constant.multiply(r), atoms, c, false, value.multiply(decimal(r), MC));
    }

    private boolean onlyRoots() {
        if (tooLong) return false;
        for (Atom a : atoms.values()) if (a.radicand == null) return false;
        return true;
    }

    /** The single term c·√k when this is one (no constant, one square-root atom), else null. */
    private Map.Entry<Rational, BigInteger> singleRoot() {
        if (tooLong || !constant.isZero() || coeffs.size() != 1) return null;
        var e = coeffs.entrySet().iterator().next();
        Atom a = atoms.get(e.getKey());
        return a.radicand == null ? null : Map.entry(e.getValue(), a.radicand);
    }

    public ExactReal multiply(ExactReal o) {
        if (isRational()) return o.scale(constant);
        if (o.isRational()) return scale(o.constant);
        var a = singleRoot();
        var b = o.singleRoot();
        if (a != null && b != null) return rootProduct(a.getValue(), b.getValue()).scale(a.getKey().multiply(b.getKey()));
        if (tooLong || o.tooLong) return numeric(value.multiply(o.value, MC));
        if (onlyRoots() && o.onlyRoots()) {   // (a + Σ b_k√k)(c + Σ d_l√l), expanded term by term
            ExactReal out = o.scale(constant);
            for (var e : coeffs.entrySet()) {
                BigInteger k = atoms.get(e.getKey()).radicand;
                out = out.add(atom(e.getValue().multiply(o.constant), atoms.get(e.getKey())));
                for (var f : o.coeffs.entrySet())
                    out = out.add(rootProduct(k, o.atoms.get(f.getKey()).radicand).scale(e.getValue().multiply(f.getValue())));
            }
            return out;
        }
        BigDecimal v = value.multiply(o.value, MC);
        return atom(Rational.ONE, new Atom(null, asFactor() + "·" + o.asFactor(), v, false));
    }

    public ExactReal divide(ExactReal o) {
        if (o.signum() == 0) throw new IllegalArgumentException("division by zero");
        if (o.isRational()) return scale(Rational.ONE.divide(o.constant));
        var b = o.singleRoot();
        if (b != null)   // x/(c·√k) = x·√k/(c·k)
            return multiply(atom(Rational.ONE, rootAtom(b.getValue()))).scale(Rational.ONE.divide(b.getKey().multiply(Rational.of(b.getValue(), BigInteger.ONE))));
        if (tooLong || o.tooLong) return numeric(value.divide(o.value, MC));
        return atom(Rational.ONE, new Atom(null, asFactor() + "/" + o.asFactor(), value.divide(o.value, MC), false));
    }

    /** The square root: rationals become c·√k with k square-free (or stay rational), anything else √(…). */
    public ExactReal sqrt() {
        if (signum() < 0) throw new IllegalArgumentException("square root of a negative number");
        if (isRational()) return sqrtOf(constant);
        if (tooLong) return numeric(value.sqrt(MC));
        return atom(Rational.ONE, new Atom(null, "√" + asFactor(), value.sqrt(MC), true));
    }

    /** √a·√b for square-free a, b: with g = gcd(a, b), g·√((a/g)·(b/g)), whose radicand is square-free again. */
    private static ExactReal rootProduct(BigInteger a, BigInteger b) {
        BigInteger g = a.gcd(b), k = a.divide(g).multiply(b.divide(g));
        return k.equals(BigInteger.ONE) ? of(Rational.of(g, BigInteger.ONE)) : atom(Rational.of(g, BigInteger.ONE), rootAtom(k));
    }

    private static final int[] SMALL_PRIMES = java.util.stream.IntStream.range(2, 1000)
            .filter(p -> java.util.stream.IntStream.rangeClosed(2, (int) Math.sqrt(p)).noneMatch(q -> p % q == 0)).toArray();

    /**
     * √(p/q) = √(p·q)/q, with square factors of p·q taken out (trial division by the primes below 1000; a
     * larger square factor stays inside). Radicands of more than 2,000 bits are not kept exactly.
     */
    private static ExactReal sqrtOf(Rational r) {
        if (r.isZero()) return ZERO;
        BigInteger n = r.numerator().multiply(r.denominator());
        BigInteger root = n.sqrt();
        if (root.multiply(root).equals(n)) return of(Rational.of(root, r.denominator()));
        if (n.bitLength() > 2000) return numeric(of(r).value.sqrt(MC));
        BigInteger outside = BigInteger.ONE, inside = n;
        for (int p : SMALL_PRIMES) {
            BigInteger bp = BigInteger.valueOf(p), sq = bp.multiply(bp);
            while (inside.mod(sq).signum() == 0) { inside = inside.divide(sq); outside = outside.multiply(bp); }
        }
        return atom(Rational.of(outside, r.denominator()), rootAtom(inside));
    }

    private static Atom rootAtom(BigInteger k) {
        return new Atom(k, null, new BigDecimal(k).sqrt(MC), true);
    }

    @Override public String toString() { return show(); }
}
