package convlab.explain.answer;

import convlab.explain.Answer;
import convlab.explain.Rational;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Random arithmetic written the ways people write it (plain text with the fewest parentheses precedence
 * allows, and LaTeX) is read and evaluated exactly: the value equals a reference computed on the tree with
 * BigInteger fractions, and division by zero is refused, never a wrong number.
 */
class FormulaPropertyTest {
    /** A reference fraction n/d on BigInteger, independent of Rational. */
    record Frac(BigInteger n, BigInteger d) {
        static Frac of(BigInteger n, BigInteger d) {
            if (d.signum() == 0) throw new ArithmeticException("division by zero");
            if (d.signum() < 0) { n = n.negate(); d = d.negate(); }
            BigInteger g = n.gcd(d);
            return g.signum() == 0 ? new Frac(BigInteger.ZERO, BigInteger.ONE) : new Frac(n.divide(g), d.divide(g));
        }
        Frac add(Frac o) { return of(n.multiply(o.d).add(o.n.multiply(d)), d.multiply(o.d)); }
        Frac sub(Frac o) { return add(new Frac(o.n.negate(), o.d)); }
        Frac mul(Frac o) { return of(n.multiply(o.n), d.multiply(o.d)); }
        Frac div(Frac o) { return of(n.multiply(o.d), d.multiply(o.n)); }
        Frac pow(int e) { return e >= 0 ? of(n.pow(e), d.pow(e)) : of(d.pow(-e), n.pow(-e)); }
    }

    sealed interface E permits Lit, Bin, Neg, Pow {}
    record Lit(String text, Frac value) implements E {}
    record Bin(char op, E a, E b) implements E {}
    record Neg(E a) implements E {}
    record Pow(E base, int exp) implements E {}

    static E random(Random r, int depth) {
        if (depth == 0 || r.nextInt(4) == 0) {
            return switch (r.nextInt(3)) {
                case 0 -> { int v = r.nextInt(21); yield new Lit(Integer.toString(v), Frac.of(BigInteger.valueOf(v), BigInteger.ONE)); }
                case 1 -> { int v = r.nextInt(1000); yield new Lit((v / 100) + "." + String.format("%02d", v % 100), Frac.of(BigInteger.valueOf(v), BigInteger.valueOf(100))); }
                default -> { long v = r.nextLong(1_000_000_000_000L); yield new Lit(Long.toString(v), Frac.of(BigInteger.valueOf(v), BigInteger.ONE)); }
            };
        }
        return switch (r.nextInt(7)) {
            case 0, 1 -> new Bin('+', random(r, depth - 1), random(r, depth - 1));
            case 2 -> new Bin('-', random(r, depth - 1), random(r, depth - 1));
            case 3 -> new Bin('*', random(r, depth - 1), random(r, depth - 1));
            case 4 -> new Bin('/', random(r, depth - 1), random(r, depth - 1));
            case 5 -> new Neg(random(r, depth - 1));
            default -> new Pow(random(r, depth - 1), r.nextInt(7) - 2);
        };
    }

    static Frac value(E e) {
        return switch (e) {
            case Lit l -> l.value();
            case Neg n -> new Frac(value(n.a()).n().negate(), value(n.a()).d());
            case Pow p -> value(p.base()).pow(p.exp());
            case Bin b -> switch (b.op()) {
                case '+' -> value(b.a()).add(value(b.b()));
                case '-' -> value(b.a()).sub(value(b.b()));
                case '*' -> value(b.a()).mul(value(b.b()));
                default -> value(b.a()).div(value(b.b()));
            };
        };
    }

    static int prec(E e) {
        return switch (e) {
            case Lit l -> 5;
            case Pow p -> 4;
            case Neg n -> 3;
            case Bin b -> b.op() == '+' || b.op() == '-' ? 1 : 2;
        };
    }

    /** Plain text with the fewest parentheses (latex: \times, \cdot, \frac, ^{…}, \left( \right)). */
    static String render(E e, boolean latex, Random r) {
        return switch (e) {
            case Lit l -> l.text();
            case Neg n -> "-" + wrap(n.a(), prec(n.a()) < 4 || n.a() instanceof Neg, latex, r);
            case Pow p -> wrap(p.base(), prec(p.base()) < 5, latex, r) + "^" + (latex ? "{" + p.exp() + "}" : p.exp() < 0 ? "(" + p.exp() + ")" : Integer.toString(p.exp()));
            case Bin b -> {
                int pb = prec(b);
                if (latex && b.op() == '/' && r.nextBoolean()) yield "\\frac{" + render(b.a(), true, r) + "}{" + render(b.b(), true, r) + "}";
                String op = switch (b.op()) {
                    case '*' -> latex ? (r.nextBoolean() ? " \\times " : " \\cdot ") : (r.nextBoolean() ? "*" : " × ");
                    case '/' -> latex && r.nextBoolean() ? " \\div " : "/";
                    default -> " " + b.op() + " ";
                };
                String left = wrap(b.a(), prec(b.a()) < pb || b.a() instanceof Neg && pb > 1, latex, r);
                String right = wrap(b.b(), prec(b.b()) <= pb || b.b() instanceof Neg, latex, r);
                yield left + op + right;
            }
        };
    }

    static String wrap(E e, boolean parens, boolean latex, Random r) {
        String s = render(e, latex, r);
        if (!parens) return s;
        return latex && r.nextBoolean() ? "\\left(" + s + "\\right)" : "(" + s + ")";
    }

    @Test void randomExpressionsEvaluateExactlyAsTheReferenceSays() {
        Random r = new Random(7);
        int divisionsByZero = 0;
        for (int i = 0; i < 1500; i++) {
            E e = random(r, 5);
            boolean latex = r.nextBoolean();
            String text = render(e, latex, r);
            Frac want;
            try {
                want = value(e);
            } catch (ArithmeticException byZero) {
                divisionsByZero++;
                IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Formula.parse(text, Set.of()).number(Map.of()), text);
                assertTrue(ex.getMessage().contains("division by zero"), text + ": " + ex.getMessage());
                continue;
            }
            if (Math.max(want.n().bitLength(), want.d().bitLength()) > Formula.MAX_BITS / 4) continue;
            Rational got = Formula.parse(text, Set.of()).number(Map.of());
            assertEquals(Rational.of(want.n(), want.d()), got, text);
            // The one entry point reads it too (a product of whole numbers reads as a shape whose number is the product).
            Answer a = Answer.parse(text);
            assertEquals(Rational.of(want.n(), want.d()), a.number(), text);
        }
        assertTrue(divisionsByZero > 10, "the generator should hit division by zero sometimes: " + divisionsByZero);
    }

    @Test void productsOfWholeNumbersAreShapesWhoseNumberIsTheProduct() {
        Random r = new Random(11);
        for (int i = 0; i < 500; i++) {
            int n = 1 + r.nextInt(5);
            int[] dims = new int[n];
            StringBuilder sb = new StringBuilder();
            BigInteger p = BigInteger.ONE;
            String[] times = {" \\times ", "x", " x ", "×", " · ", "*"};
            String sep = times[r.nextInt(times.length)];
            for (int k = 0; k < n; k++) {
                dims[k] = 1 + r.nextInt(1000);
                p = p.multiply(BigInteger.valueOf(dims[k]));
                sb.append(k == 0 ? "" : sep).append(dims[k]);
            }
            Answer a = Answer.parse(sb.toString());
            assertEquals(Rational.of(p, BigInteger.ONE), a.number(), sb.toString());
            if (n > 1) assertArrayEquals(dims, a.shape(), sb.toString());
        }
    }
}
