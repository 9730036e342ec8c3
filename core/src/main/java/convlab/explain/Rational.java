package convlab.explain;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * An exact rational number p/q (q > 0, gcd(p, q) = 1), backed by BigInteger so hand calculations never
 * round or overflow. Decimals given as input ("0.1", "1e-2") are read exactly: 0.1 is 1/10, not the
 * nearest double.
 */
public final class Rational implements Comparable<Rational> {
    public static final Rational ZERO = new Rational(BigInteger.ZERO, BigInteger.ONE);
    public static final Rational ONE = new Rational(BigInteger.ONE, BigInteger.ONE);

    /** Largest decimal exponent read exactly; beyond it a number would not fit in memory as an integer. */
    public static final int MAX_DIGITS = 10_000;

    private final BigInteger num;
    private final BigInteger den;

    private Rational(BigInteger num, BigInteger den) {
        this.num = num;
        this.den = den;
    }

    public static Rational of(long n) { return new Rational(BigInteger.valueOf(n), BigInteger.ONE); }

    public static Rational of(long num, long den) { return of(BigInteger.valueOf(num), BigInteger.valueOf(den)); }

    public static Rational of(BigInteger num, BigInteger den) {
        if (den.signum() == 0) throw new IllegalArgumentException("division by zero in " + num + "/0");
        if (den.signum() < 0) { num = num.negate(); den = den.negate(); }
        BigInteger g = num.gcd(den);
        if (!g.equals(BigInteger.ONE) && g.signum() != 0) { num = num.divide(g); den = den.divide(g); }
        if (num.signum() == 0) den = BigInteger.ONE;
        return new Rational(num, den);
    }

    /** Parses "3", "-3/4", "0.1", "1e-2", "2.5E3", "+7", also the Unicode minus "−". */
    public static Rational parse(String text) {
        String s = text.strip().replace('−', '-');
        if (s.isEmpty()) throw new IllegalArgumentException("expected a number, got an empty string");
        if (s.length() > MAX_DIGITS + 40)  // reading a huge literal costs time quadratic in its length
            throw new IllegalArgumentException("a number of " + s.length() + " characters; at most " + MAX_DIGITS + " digits are read");
        try {
            int slash = s.indexOf('/');
            if (slash >= 0 && s.indexOf('/', slash + 1) >= 0)  // "1/2/3" is 1/6 in arithmetic, 3/2 if read right to left: refuse
                throw new IllegalArgumentException(quoted(text) + " has more than one '/'; write one fraction such as 1/6");
            if (slash >= 0) return parse(s.substring(0, slash)).divide(parse(s.substring(slash + 1)));
            BigDecimal d = new BigDecimal(s.startsWith("+") ? s.substring(1) : s);
            if (Math.abs((long) d.scale()) > MAX_DIGITS)  // 1e999999999 would need a billion-digit integer
                throw new IllegalArgumentException(quoted(text) + " has an exponent too large for exact arithmetic (at most " + MAX_DIGITS + " digits)");
            return d.scale() <= 0
                    ? of(d.toBigIntegerExact(), BigInteger.ONE)
                    : of(d.unscaledValue(), BigInteger.TEN.pow(d.scale()));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(quoted(text) + " is not a number (expected e.g. 3, -3/4, 0.1 or 1e-2)");
        }
    }

    /** An entry quoted in a message: one line, escaped, cut when long (the caller adds where it stands). */
    private static String quoted(String text) { return convlab.io.UserMessages.quote(text.strip()); }

    public BigInteger numerator() { return num; }
    public BigInteger denominator() { return den; }
    public boolean isInteger() { return den.equals(BigInteger.ONE); }
    public boolean isZero() { return num.signum() == 0; }
    public int signum() { return num.signum(); }

    public Rational add(Rational o) {
        if (den.equals(o.den)) return of(num.add(o.num), den);
        return of(num.multiply(o.den).add(o.num.multiply(den)), den.multiply(o.den));
    }

    public Rational subtract(Rational o) { return add(o.negate()); }

    public Rational multiply(Rational o) {
        if (isZero() || o.isZero()) return ZERO;
        return of(num.multiply(o.num), den.multiply(o.den));
    }

    public Rational divide(Rational o) {
        if (o.isZero()) throw new IllegalArgumentException("division by zero");
        return of(num.multiply(o.den), den.multiply(o.num));
    }

    public Rational negate() { return new Rational(num.negate(), den); }

    public Rational abs() { return num.signum() < 0 ? negate() : this; }

    public Rational pow(int e) {
        if (e < 0) return ONE.divide(pow(-e));
        return new Rational(num.pow(e), den.pow(e));
    }

    public double toDouble() {
        if (num.bitLength() < 53 && den.bitLength() < 53) return num.doubleValue() / den.doubleValue();
        return new BigDecimal(num).divide(new BigDecimal(den), java.math.MathContext.DECIMAL64).doubleValue();
    }

    /** "3", "-3/4". */
    @Override public String toString() { return isInteger() ? num.toString() : num + "/" + den; }

    /** "3", "-\frac{3}{4}". */
    public String toLatex() {
        if (isInteger()) return num.toString();
        return (num.signum() < 0 ? "-" : "") + "\\frac{" + num.abs() + "}{" + den + "}";
    }

    @Override public int compareTo(Rational o) { return num.multiply(o.den).compareTo(o.num.multiply(den)); }

    @Override public boolean equals(Object o) {
        return o instanceof Rational r && num.equals(r.num) && den.equals(r.den);
    }

    @Override public int hashCode() { return num.hashCode() * 31 + den.hashCode(); }
}
