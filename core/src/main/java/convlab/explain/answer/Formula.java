package convlab.explain.answer;

import convlab.explain.ExactArray;
import convlab.explain.Rational;
import convlab.explain.cost.Poly;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One answer as people write it, read completely or refused: numbers, fractions and decimals (exact, never
 * through a double), arithmetic with the usual precedence ({@code 3 \times 3 \times 10 \times 10 + 10},
 * {@code 2^7 - 16}, {@code 1/2/3} = 1/6), LaTeX ({@code \frac{a}{b}}, {@code \cdot}, {@code ^{…}},
 * {@code \sqrt{…}}, {@code \left( \right)}, {@code \lfloor … \rfloor}, {@code \begin{bmatrix}…}), vectors and
 * matrices ({@code [1, 2]}, {@code [[1,2],[3,4]]}, a scalar times one: {@code 1/1.11 [1,1,1]}), names the
 * question knows ({@code K^2 C F + F}, {@code 2 c d_{out}^2 d_{in}}) and {@code O(…)} / {@code \Theta(…)}.
 *
 * <p>Hostile input cannot blow up: the text, the nesting depth and the size of every exact number are
 * limited and each limit is a one-line {@link IllegalArgumentException}, as is anything not read fully
 * ("cannot read '2^7 ?' after position 4: unexpected '?'").
 */
public final class Formula {
    /** Longest answer text read (a pasted 100×100 matrix fits). */
    public static final int MAX_LENGTH = 200_000;
    /** Deepest nesting of brackets, powers and signs. */
    public static final int MAX_DEPTH = 100;
    /** Largest exact number kept (numerator or denominator), in bits: about 30,000 decimal digits. */
    public static final long MAX_BITS = 100_000;
    /** Largest power expanded symbolically (a polynomial normal form). */
    static final int MAX_POLY_POWER = 64;

    /** The syntax tree. */
    public sealed interface Node permits Num, Var, Neg, Add, Mul, Div, Pow, Round, Sqrt, Order, Tensor {}
    /** A number; {@code integerLiteral} when written as plain digits (a shape's factor). */
    public record Num(Rational value, boolean integerLiteral) implements Node {}
    public record Var(String name) implements Node {}
    public record Neg(Node a) implements Node {}
    public record Add(Node a, Node b, boolean minus) implements Node {}
    /** {@code times}: written with ×, ·, * or x (not by juxtaposition). */
    public record Mul(Node a, Node b, boolean times) implements Node {}
    public record Div(Node a, Node b) implements Node {}
    public record Pow(Node base, Node exponent) implements Node {}
    /** ⌊a⌋ or, with {@code ceil}, ⌈a⌉. */
    public record Round(Node a, boolean ceil) implements Node {}
    public record Sqrt(Node a) implements Node {}
    /** O(a) or Θ(a): compared by leading term, has no value. */
    public record Order(String symbol, Node a) implements Node {}
    /** A vector or matrix (rows of nodes); {@code rows} is false for a flat list. */
    public record Tensor(List<Node> items, boolean bracketed) implements Node {}

    private final String source;
    private final Node root;

    private Formula(String source, Node root) { this.source = source; this.root = root; }

    public Node root() { return root; }

    /** A part of a read formula as a formula of its own (e.g. the argument of O(…)). */
    static Formula ofNode(String source, Node node) { return new Formula(source, node); }
    public String source() { return source; }

    /** Reads {@code text} whole; {@code names} are the variables the question knows (may be empty). */
    public static Formula parse(String text, Set<String> names) {
        if (text.length() > MAX_LENGTH)
            throw new IllegalArgumentException("the answer is " + text.length() + " characters long; at most " + MAX_LENGTH + " are read");
        List<Lexer.Tok> toks = new Lexer(text).run();
        Parser p = new Parser(text, toks, names);
        Node n = p.top();
        return new Formula(text, n);
    }

    /** Reads {@code text} whole, taking every name in it as a variable (e.g. a cost in whatever sizes it names). */
    public static Formula parseAnyNames(String text) {
        if (text.length() > MAX_LENGTH)
            throw new IllegalArgumentException("the answer is " + text.length() + " characters long; at most " + MAX_LENGTH + " are read");
        List<Lexer.Tok> toks = new Lexer(text).run();
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < toks.size(); i++) {
            Lexer.Tok t = toks.get(i);
            boolean call = i + 1 < toks.size() && toks.get(i + 1).op('(') && Set.of("O", "Theta", "Omega", "floor", "ceil", "sqrt").contains(t.text());
            if (t.type() == Lexer.Type.NAME && !call) names.add(t.text());
        }
        return new Formula(text, new Parser(text, toks, names).top());
    }

    /** The names used. */
    public Set<String> names() {
        Set<String> out = new LinkedHashSet<>();
        collectNames(root, out);
        return out;
    }

    /**
     * A chain of sums and products ("1 + 1 + … + 1", "2 × 2 × … × 2") is a left-deep tree as deep as it is
     * long: walked along its left spine without recursion, so only real nesting (bounded by the parser)
     * recurses. Returns the binary nodes from the top down; their leftmost operand is {@link #leftmost}.
     */
    private static List<Node> spine(Node n) {
        List<Node> ops = new ArrayList<>();
        Node cur = n;
        while (cur instanceof Add || cur instanceof Mul || cur instanceof Div) {
            ops.add(cur);
            cur = left(cur);
        }
        return ops;
    }

    private static Node left(Node n) {
        return switch (n) {
            case Add a -> a.a();
            case Mul m -> m.a();
            case Div d -> d.a();
            default -> n;
        };
    }

    private static Node right(Node n) {
        return switch (n) {
            case Add a -> a.b();
            case Mul m -> m.b();
            case Div d -> d.b();
            default -> throw new IllegalStateException("not a binary node");
        };
    }

    private static Node leftmost(List<Node> ops, Node n) { return ops.isEmpty() ? n : left(ops.getLast()); }

    private static void collectNames(Node n, Set<String> out) {
        List<Node> ops = spine(n);
        if (!ops.isEmpty()) {
            collectNames(leftmost(ops, n), out);
            for (Node op : ops) collectNames(right(op), out);
            return;
        }
        switch (n) {
            case Var v -> out.add(v.name());
            case Num x -> { }
            case Neg x -> collectNames(x.a(), out);
            case Add x -> { collectNames(x.a(), out); collectNames(x.b(), out); }
            case Mul x -> { collectNames(x.a(), out); collectNames(x.b(), out); }
            case Div x -> { collectNames(x.a(), out); collectNames(x.b(), out); }
            case Pow x -> { collectNames(x.base(), out); collectNames(x.exponent(), out); }
            case Round x -> collectNames(x.a(), out);
            case Sqrt x -> collectNames(x.a(), out);
            case Order x -> collectNames(x.a(), out);
            case Tensor t -> t.items().forEach(i -> collectNames(i, out));
        }
    }

    public boolean isOrder() { return root instanceof Order; }

    /** The factors of a plain product of whole numbers written with × ("28 × 28 × 10"), else null. */
    public int[] shapeFactors() {
        List<Integer> dims = new ArrayList<>();
        if (!(root instanceof Mul) || !factors(root, dims)) return null;
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    private static boolean factors(Node n, List<Integer> out) {
        List<Node> ops = spine(n);
        if (!ops.isEmpty()) {
            if (!factors(leftmost(ops, n), out)) return false;
            for (int i = ops.size() - 1; i >= 0; i--)
                if (!(ops.get(i) instanceof Mul m && m.times()) || !factors(m.b(), out)) return false;
            return true;
        }
        if (n instanceof Num x && x.integerLiteral() && x.value().signum() >= 0 && x.value().numerator().bitLength() < 31) {
            out.add(x.value().numerator().intValue());
            return true;
        }
        return false;
    }

    /** The value: a {@link Rational} or an {@link ExactArray}; every name must have a value in {@code env}. */
    public Object value(Map<String, Rational> env) { return eval(root, env, 0); }

    /** The value as a number (refused when it is a vector or matrix). */
    public Rational number(Map<String, Rational> env) {
        Object v = value(env);
        if (v instanceof Rational r) return r;
        throw new IllegalArgumentException("'" + Lexer.shown(source) + "' is a " + ((ExactArray) v).shapeText() + " array, not a number");
    }

    private static Object eval(Node n, Map<String, Rational> env, int depth) {
        if (depth > 4 * MAX_DEPTH) throw new IllegalArgumentException("the answer is nested too deeply");
        List<Node> ops = spine(n);
        if (ops.size() > 1) {
            Object acc = eval(leftmost(ops, n), env, depth + 1);
            for (int i = ops.size() - 1; i >= 0; i--) acc = apply(ops.get(i), acc, eval(right(ops.get(i)), env, depth + 1));
            return acc;
        }
        return switch (n) {
            case Num x -> x.value();
            case Var v -> {
                Rational r = env.get(v.name());
                if (r == null) throw new IllegalArgumentException("'" + Lexer.shown(v.name()) + "' has no value here");
                yield r;
            }
            case Neg x -> neg(eval(x.a(), env, depth + 1));
            case Add x -> apply(x, eval(x.a(), env, depth + 1), eval(x.b(), env, depth + 1));
            case Mul x -> apply(x, eval(x.a(), env, depth + 1), eval(x.b(), env, depth + 1));
            case Div x -> apply(x, eval(x.a(), env, depth + 1), eval(x.b(), env, depth + 1));
            case Pow x -> power(scalar(eval(x.base(), env, depth + 1), "the base of a power"), scalar(eval(x.exponent(), env, depth + 1), "an exponent"));
            case Round x -> {
                Rational a = scalar(eval(x.a(), env, depth + 1), "the argument of floor/ceil");
                BigInteger[] qr = a.numerator().divideAndRemainder(a.denominator());  // truncates toward zero
                BigInteger q = qr[0];
                if (qr[1].signum() < 0 && !x.ceil()) q = q.subtract(BigInteger.ONE);
                if (qr[1].signum() > 0 && x.ceil()) q = q.add(BigInteger.ONE);
                yield Rational.of(q, BigInteger.ONE);
            }
            case Sqrt x -> sqrt(scalar(eval(x.a(), env, depth + 1), "a square root's argument"));
            case Order o -> throw new IllegalArgumentException(o.symbol() + "(…) has no value; it is compared by its leading term");
            case Tensor t -> tensor(t, env, depth);
        };
    }

    /** One sum, product or quotient of values already computed. */
    private static Object apply(Node op, Object a, Object b) {
        return switch (op) {
            case Add x -> add(a, x.minus() ? neg(b) : b);
            case Mul x -> mul(a, b);
            case Div x -> {
                Rational d = scalar(b, "a divisor");
                if (d.isZero()) throw new IllegalArgumentException("division by zero");
                yield a instanceof Rational r ? checked(r.divide(d)) : ((ExactArray) a).map(v -> checked(v.divide(d)));
            }
            default -> throw new IllegalStateException("not a binary node");
        };
    }

    private static Object tensor(Tensor t, Map<String, Rational> env, int depth) {
        List<Object> items = new ArrayList<>();
        for (Node i : t.items()) items.add(eval(i, env, depth + 1));
        if (items.stream().allMatch(o -> o instanceof Rational)) {
            return new ExactArray(new int[] {items.size()}, items.toArray(Rational[]::new));
        }
        if (!items.stream().allMatch(o -> o instanceof ExactArray)) throw new IllegalArgumentException("a list mixes numbers and lists");
        ExactArray first = (ExactArray) items.getFirst();
        int[] inner = first.shape();
        long total = (long) items.size() * first.size();
        if (total > 10_000_000) throw new IllegalArgumentException("the answer's array is too large");
        Rational[] data = new Rational[(int) total];
        for (int i = 0; i < items.size(); i++) {
            ExactArray a = (ExactArray) items.get(i);
            if (!java.util.Arrays.equals(a.shape(), inner))
                throw new IllegalArgumentException("ragged brackets: entry " + (i + 1) + " has shape " + a.shapeText() + " but entry 1 has " + first.shapeText());
            for (int k = 0; k < a.size(); k++) data[i * first.size() + k] = a.flat(k);
        }
        int[] shape = new int[inner.length + 1];
        shape[0] = items.size();
        System.arraycopy(inner, 0, shape, 1, inner.length);
        return new ExactArray(shape, data);
    }

    private static Rational scalar(Object o, String what) {
        if (o instanceof Rational r) return r;
        throw new IllegalArgumentException(what + " must be a number, not a " + ((ExactArray) o).shapeText() + " array");
    }

    private static Object neg(Object a) { return a instanceof Rational r ? r.negate() : ((ExactArray) a).negate(); }

    private static Object add(Object a, Object b) {
        if (a instanceof Rational x && b instanceof Rational y) return checked(x.add(y));
        if (a instanceof ExactArray x && b instanceof ExactArray y) {
            if (!java.util.Arrays.equals(x.shape(), y.shape())) throw new IllegalArgumentException("cannot add a " + x.shapeText() + " and a " + y.shapeText() + " array");
            Rational[] d = new Rational[x.size()];
            for (int i = 0; i < d.length; i++) d[i] = checked(x.flat(i).add(y.flat(i)));
            return new ExactArray(x.shape(), d);
        }
        throw new IllegalArgumentException("cannot add a number and an array");
    }

    private static Object mul(Object a, Object b) {
        if (a instanceof Rational x && b instanceof Rational y) return checked(x.multiply(y));
        if (a instanceof Rational x) return ((ExactArray) b).map(v -> checked(v.multiply(x)));
        if (b instanceof Rational y) return ((ExactArray) a).map(v -> checked(v.multiply(y)));
        throw new IllegalArgumentException("a product of two arrays is not read (only a number times an array)");
    }

    private static Rational power(Rational base, Rational exp) {
        if (!exp.isInteger()) {
            if (exp.equals(Rational.of(1, 2))) return sqrt(base);
            throw new IllegalArgumentException("exponent " + abbreviate(exp.toString()) + " is not a whole number (only ^(1/2) is read, as a square root)");
        }
        if (exp.numerator().bitLength() > 31) throw new IllegalArgumentException("exponent " + abbreviate(exp.toString()) + " is too large for exact arithmetic");
        int e = exp.numerator().intValue();
        if (base.isZero() && e < 0) throw new IllegalArgumentException("division by zero (0 to a negative power)");
        long bits = Math.max(base.numerator().bitLength(), base.denominator().bitLength());
        if (bits > 1 && (long) Math.abs(e) * (bits - 1) > MAX_BITS)
            throw new IllegalArgumentException("the power " + abbreviate(base.toString()) + "^" + e + " has more than " + MAX_BITS + " bits; too large for exact arithmetic");
        if (e == 0) return Rational.ONE;
        if (base.isZero()) return Rational.ZERO;
        if (base.equals(Rational.ONE)) return base;
        if (base.equals(Rational.ONE.negate())) return e % 2 == 0 ? Rational.ONE : base;
        return checked(base.pow(e));
    }

    private static Rational sqrt(Rational a) {
        if (a.signum() < 0) throw new IllegalArgumentException("square root of the negative number " + abbreviate(a.toString()));
        BigInteger n = a.numerator().sqrt(), d = a.denominator().sqrt();
        if (!n.multiply(n).equals(a.numerator()) || !d.multiply(d).equals(a.denominator()))
            throw new IllegalArgumentException("√(" + abbreviate(a.toString()) + ") is not a rational number; convlab compares exact answers (write it without the root or as a decimal)");
        return Rational.of(n, d);
    }

    static Rational checked(Rational r) {
        if (r.numerator().bitLength() > MAX_BITS || r.denominator().bitLength() > MAX_BITS)
            throw new IllegalArgumentException("an intermediate number has more than " + MAX_BITS + " bits; too large for exact arithmetic");
        return r;
    }

    private static String abbreviate(String s) { return s.length() <= 40 ? s : s.substring(0, 20) + "…(" + s.length() + " digits)"; }

    /**
     * The polynomial normal form (names as variables, exact rational coefficients), or null when the formula
     * is not a polynomial (floor, a root, a name in a divisor, an array). {@code units} are names read as 1.
     */
    public Poly poly(Set<String> units) { return toPoly(root, units, 0); }

    private static Poly toPoly(Node n, Set<String> units, int depth) {
        if (depth > 4 * MAX_DEPTH) return null;
        List<Node> ops = spine(n);
        if (ops.size() > 1) {
            Poly acc = toPoly(leftmost(ops, n), units, depth + 1);
            for (int i = ops.size() - 1; i >= 0 && acc != null; i--) acc = polyApply(ops.get(i), acc, toPoly(right(ops.get(i)), units, depth + 1));
            return acc;
        }
        return switch (n) {
            case Num x -> Poly.constant(x.value());
            case Var v -> units.contains(v.name()) ? Poly.constant(Rational.ONE) : Poly.product(v.name());
            case Neg x -> { Poly a = toPoly(x.a(), units, depth + 1); yield a == null ? null : a.times(Rational.ONE.negate()); }
            case Add x -> polyApply(x, toPoly(x.a(), units, depth + 1), toPoly(x.b(), units, depth + 1));
            case Mul x -> polyApply(x, toPoly(x.a(), units, depth + 1), toPoly(x.b(), units, depth + 1));
            case Div x -> polyApply(x, toPoly(x.a(), units, depth + 1), toPoly(x.b(), units, depth + 1));
            case Pow x -> {
                Poly b = toPoly(x.base(), units, depth + 1), e = toPoly(x.exponent(), units, depth + 1);
                if (b == null || e == null || !e.names().isEmpty()) yield null;
                Rational ev = e.evaluate(Map.of());
                if (!ev.isInteger() || ev.signum() < 0) yield null;
                if (b.names().isEmpty()) {
                    try { yield Poly.constant(power(b.evaluate(Map.of()), ev)); } catch (IllegalArgumentException tooBig) { yield null; }
                }
                if (ev.numerator().compareTo(BigInteger.valueOf(MAX_POLY_POWER)) > 0) yield null;
                Poly r = Poly.constant(Rational.ONE);
                for (int i = 0; i < ev.numerator().intValue(); i++) r = r.times(b);
                yield r;
            }
            case Round x -> null;
            case Sqrt x -> null;
            case Order x -> null;
            case Tensor x -> null;
        };
    }

    private static Poly polyApply(Node op, Poly a, Poly b) {
        if (a == null || b == null) return null;
        return switch (op) {
            case Add x -> x.minus() ? a.minus(b) : a.plus(b);
            case Mul x -> a.times(b);
            case Div x -> !b.names().isEmpty() || b.isZero() ? null : a.times(Rational.ONE.divide(b.evaluate(Map.of())));
            default -> null;
        };
    }

    @Override public String toString() { return source; }
}
