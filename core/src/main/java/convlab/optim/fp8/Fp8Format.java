package convlab.optim.fp8;

import java.util.function.DoubleSupplier;

/**
 * The two OCP 8-bit floating-point formats (OCP "OFP8" spec 1.0), bit-exact: a code is
 * sign·exponent·mantissa, value = (−1)^s · 2^(e − bias) · (1 + m/2^M) for e &gt; 0 and
 * (−1)^s · 2^(1 − bias) · (m/2^M) for e = 0 (subnormals).
 * <ul>
 * <li>{@link #E4M3} (bias 7): no infinities; S.1111.111 is the only NaN of each sign, so S.1111.000–110
 *     are normal numbers and the largest is 1.75·2⁸ = 448. Smallest subnormal 2⁻⁹.</li>
 * <li>{@link #E5M2} (bias 15), IEEE-like: S.11111.00 is ±∞, S.11111.01–11 are NaN, the largest finite
 *     value is 1.75·2¹⁵ = 57344. Smallest subnormal 2⁻¹⁶.</li>
 * </ul>
 * Encoding rounds the exact input (a double, so any float is exact) to the grid; out-of-range results
 * either saturate to ±max (NVIDIA's "satfinite": ±∞ too, NaN stays NaN) or overflow: to NaN in E4M3,
 * to ±∞ in E5M2. Rounding to nearest treats the code above max as if it existed, so with ties-to-even
 * 464 → 448 in E4M3 (448 has the even mantissa) and 61440 → ∞ in E5M2, as IEEE does.
 */
public enum Fp8Format {
    E4M3(4, 3, 7, false),
    E5M2(5, 2, 15, true);

    public enum Rounding { NEAREST_EVEN, STOCHASTIC }

    public final int exponentBits, mantissaBits, bias;
    public final boolean hasInfinities;
    private final double[] decoded = new double[256];
    private final double max;

    Fp8Format(int exponentBits, int mantissaBits, int bias, boolean hasInfinities) {
        this.exponentBits = exponentBits;
        this.mantissaBits = mantissaBits;
        this.bias = bias;
        this.hasInfinities = hasInfinities;
        double mx = 0;
        for (int code = 0; code < 256; code++) {
            decoded[code] = decodeByFields(code);
            if (Double.isFinite(decoded[code])) mx = Math.max(mx, decoded[code]);
        }
        this.max = mx;
    }

    private double decodeByFields(int code) {
        int sign = code >>> 7, e = (code >>> mantissaBits) & ((1 << exponentBits) - 1), m = code & ((1 << mantissaBits) - 1);
        int eMax = (1 << exponentBits) - 1;
        double s = sign == 1 ? -1 : 1;
        if (hasInfinities && e == eMax) return m == 0 ? s * Double.POSITIVE_INFINITY : Double.NaN;
        if (!hasInfinities && e == eMax && m == (1 << mantissaBits) - 1) return Double.NaN;
        if (e == 0) return s * Math.scalb((double) m, 1 - bias - mantissaBits);
        return s * Math.scalb((double) ((1 << mantissaBits) + m), e - bias - mantissaBits);
    }

    /** The value of an 8-bit code (0..255). */
    public double decode(int code) {
        if (code < 0 || code > 255) throw new IllegalArgumentException(this + ": code must be in 0..255, got " + code);
        return decoded[code];
    }

    public double max() { return max; }
    public double minNormal() { return Math.scalb(1.0, 1 - bias); }
    public double minSubnormal() { return Math.scalb(1.0, 1 - bias - mantissaBits); }

    /** The code of NaN with the given sign (E5M2 has three per sign; this is the one with mantissa all ones). */
    public int nanCode(boolean negative) { return (negative ? 0x80 : 0) | 0x7F; }

    /** Rounds x to nearest, ties to even. */
    public int encode(double x, boolean saturate) { return encode(x, Rounding.NEAREST_EVEN, saturate, null); }

    /**
     * Encodes x. STOCHASTIC rounds up with probability (x − lo)/(hi − lo) between the two neighbouring grid
     * values, using uniform() in [0, 1) (pass a seeded source for reproducibility); exact values never move.
     */
    public int encode(double x, Rounding rounding, boolean saturate, DoubleSupplier uniform) {
        boolean neg = x < 0 || (x == 0 && 1 / x < 0);
        if (Double.isNaN(x)) return nanCode(false);
        double a = Math.abs(x);
        if (Double.isInfinite(a)) return saturate ? codeOf(neg, max) : overflow(neg);
        // Grid spacing at a's binade, never finer than the subnormal spacing.
        int exp = Math.max(Math.getExponent(a), 1 - bias);
        double quantum = Math.scalb(1.0, exp - mantissaBits);
        double n = a / quantum;                      // exact: division by a power of two
        double lo = Math.floor(n), frac = n - lo;
        boolean up;
        if (frac == 0) up = false;
        else if (rounding == Rounding.STOCHASTIC) {
            if (uniform == null) throw new IllegalArgumentException("stochastic rounding needs a source of uniform numbers");
            up = uniform.getAsDouble() < frac;
        } else up = frac > 0.5 || (frac == 0.5 && lo % 2 != 0);
        double r = (up ? lo + 1 : lo) * quantum;
        if (r > max) return saturate ? codeOf(neg, max) : overflow(neg);
        return codeOf(neg, r);
    }

    /**
     * Rounds a number written in decimal (as a person types it: "0.3", "-1.0625000000000000001", "4.5e2", "inf",
     * "nan") to nearest, ties to even, deciding on the exact decimal value: never through a double, whose own
     * rounding could move a value across a tie. Throws IllegalArgumentException for text that is not a number.
     */
    public int encodeDecimal(String text, boolean saturate) {
        String t = text.strip().replace('−', '-');
        String lower = t.toLowerCase(java.util.Locale.ROOT);
        boolean neg = lower.startsWith("-");
        String mag = lower.startsWith("-") || lower.startsWith("+") ? lower.substring(1) : lower;
        if (mag.equals("nan")) return nanCode(neg);
        if (mag.equals("inf") || mag.equals("infinity") || mag.equals("∞")) return saturate ? codeOf(neg, max) : overflow(neg);
        java.math.BigDecimal x;
        try {
            if (!mag.matches("(\\d+\\.?\\d*|\\.\\d+)(e[-+]?\\d{1,9})?")) throw new NumberFormatException();
            x = new java.math.BigDecimal(mag);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("not a number: " + convlab.io.UserMessages.quote(text)
                    + " (write a decimal such as 0.3, -1.5, 4.5e2, or inf / nan)");
        }
        if (x.signum() == 0) return neg ? 0x80 : 0;
        long magnitude = (long) x.precision() - x.scale();   // x < 10^magnitude, ≥ 10^(magnitude-1)
        if (magnitude > 12) return saturate ? codeOf(neg, max) : overflow(neg);   // > 10^11: far beyond every fp8 max
        if (magnitude < -40) return neg ? 0x80 : 0;                             // < 10^-41: below half the smallest subnormal
        // Binade: 2^exp ≤ x < 2^(exp+1), never finer than the subnormal spacing.
        int exp = 1 - bias;
        while (exp < 60 && x.compareTo(new java.math.BigDecimal(Math.scalb(1.0, exp + 1))) >= 0) exp++;
        java.math.BigDecimal n = x.multiply(new java.math.BigDecimal(Math.scalb(1.0, mantissaBits - exp)));   // exact
        java.math.BigDecimal lo = n.setScale(0, java.math.RoundingMode.FLOOR);
        int half = n.subtract(lo).compareTo(new java.math.BigDecimal("0.5"));
        boolean up = half > 0 || (half == 0 && lo.toBigInteger().testBit(0));
        double r = Math.scalb((up ? lo.add(java.math.BigDecimal.ONE) : lo).doubleValue(), exp - mantissaBits);   // small integer: exact
        if (r > max) return saturate ? codeOf(neg, max) : overflow(neg);
        return codeOf(neg, r);
    }

    private int overflow(boolean neg) {
        return hasInfinities ? (neg ? 0xFC : 0x7C) : nanCode(neg);
    }

    /** The code of a value known to be on the grid (magnitude r ≤ max). */
    private int codeOf(boolean neg, double r) {
        int lo = 0, hi = 0x7F;                   // positive codes are ordered by value up to max
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (decoded[mid] < r) lo = mid + 1; else hi = mid;
        }
        if (decoded[lo] != r) throw new IllegalStateException(this + ": " + r + " is not on the grid");
        return (neg ? 0x80 : 0) | lo;
    }

    /** x rounded to this format and back (NaN/±∞ as the format represents overflow). */
    public double round(double x, boolean saturate) { return decode(encode(x, saturate)); }

    /** Rounds every value in place, to nearest-even or stochastically. */
    public void roundInPlace(float[] v, Rounding rounding, boolean saturate, DoubleSupplier uniform) {
        for (int i = 0; i < v.length; i++) v[i] = (float) decode(encode(v[i], rounding, saturate, uniform));
    }

    /** "S.EEEE.MMM" bit pattern of a code. */
    public String bits(int code) {
        String b = String.format("%8s", Integer.toBinaryString(code & 0xFF)).replace(' ', '0');
        return b.charAt(0) + "." + b.substring(1, 1 + exponentBits) + "." + b.substring(1 + exponentBits);
    }

    /** zero, subnormal, normal, infinity or NaN. */
    public String kind(int code) {
        double v = decode(code);
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return "infinity";
        if (v == 0) return "zero";
        return ((code >>> mantissaBits) & ((1 << exponentBits) - 1)) == 0 ? "subnormal" : "normal";
    }

    /** Parses "e4m3" / "e5m2" (case-insensitive). */
    public static Fp8Format parse(String s) {
        for (Fp8Format f : values()) if (f.name().equalsIgnoreCase(s.trim())) return f;
        throw new IllegalArgumentException("unknown fp8 format '" + s + "', expected e4m3 or e5m2");
    }
}
