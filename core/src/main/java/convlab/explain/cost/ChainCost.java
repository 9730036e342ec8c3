package convlab.explain.cost;

import convlab.OptionNames;
import convlab.explain.Rational;
import convlab.explain.cost.MatrixExpr.Factor;
import convlab.explain.cost.MatrixExpr.Group;
import convlab.explain.cost.MatrixExpr.Leaf;
import convlab.explain.cost.MatrixExpr.Term;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every way to evaluate a matrix expression, with its cost as a polynomial in the dimension names.
 * Cost model (as in the course): multiplying n×m by m×p costs c·n·m·p; sums, scalar multiples and
 * products with I cost nothing. The evaluation orders come from two rewrites applied everywhere:
 * associativity (every parenthesisation of every product chain) and distributivity (a parenthesised
 * sum inside a product may be multiplied out: (3I − WWᵀ)W = 3W − WWᵀW). Nothing is specific to one
 * expression.
 */
public final class ChainCost {
    private ChainCost() {}

    /** Upper bound on the evaluation orders enumerated, to keep the answer fast. */
    static final int MAX_PLANS = 20_000;

    /** One way to compute a value: a named matrix, a product of two plans, or a sum of scaled plans. */
    public sealed interface Plan permits Named, Mul, Sum {
        String[] dims();
        Poly cost();
    }

    public record Named(Leaf leaf, String[] dims) implements Plan {
        @Override public Poly cost() { return Poly.ZERO; }
    }

    public record Mul(Plan left, Plan right, String[] dims, Poly cost) implements Plan {}

    /** A signed term of a sum; plan null means coef·I. */
    public record Scaled(Rational coef, Plan plan) {}

    public record Sum(List<Scaled> terms, String[] dims, Poly cost) implements Plan {}

    /** All evaluation orders of the expression (deduplicated), each with its cost. */
    public static List<Plan> plans(List<Term> expr, Map<String, String[]> dims) {
        Enumerator e = new Enumerator(dims);
        Map<String, Plan> unique = new LinkedHashMap<>();
        for (Plan p : e.sumPlans(expr)) unique.putIfAbsent(render(p), p);
        return List.copyOf(unique.values());
    }

    /** The order as written: parenthesised sums kept, each product chain from left to right. */
    public static Plan asWritten(List<Term> expr, Map<String, String[]> dims) {
        Enumerator e = new Enumerator(dims);
        List<Scaled> terms = new ArrayList<>();
        for (Term t : expr) {
            Plan chain = null;
            for (Factor f : t.factors()) {
                Plan operand = switch (f) {
                    case Leaf l -> new Named(l, e.leafDims(l));
                    case Group g -> asWritten(g.terms(), dims);
                };
                chain = chain == null ? operand : mul(chain, operand);
            }
            terms.add(new Scaled(t.coef(), chain));
        }
        return sum(terms);
    }

    private static final class Enumerator {
        final Map<String, String[]> dims;
        int made;

        Enumerator(Map<String, String[]> dims) { this.dims = dims; }

        List<Plan> sumPlans(List<Term> terms) {
            List<List<Scaled>> partial = List.of(List.of());
            for (Term t : terms) {
                List<List<Scaled>> next = new ArrayList<>();
                for (List<Scaled> done : partial)
                    for (List<Scaled> alt : termPlans(t, 0)) {
                        List<Scaled> c = new ArrayList<>(done);
                        c.addAll(alt);
                        next.add(c);
                        budget();
                    }
                partial = next;
            }
            List<Plan> out = new ArrayList<>();
            for (List<Scaled> s : partial) out.add(sum(s));
            return out;
        }

        /** Alternatives for one term; each alternative is a list of signed terms (several when distributed). */
        List<List<Scaled>> termPlans(Term t, int from) {
            int g = -1;
            for (int i = from; i < t.factors().size(); i++) if (t.factors().get(i) instanceof Group) { g = i; break; }
            if (g < 0) {
                List<List<Scaled>> out = new ArrayList<>();
                for (Plan p : chainPlans(t.factors())) out.add(List.of(new Scaled(t.coef(), p)));
                if (t.factors().isEmpty()) out.add(List.of(new Scaled(t.coef(), null)));
                return out;
            }
            List<List<Scaled>> out = new ArrayList<>(termPlans(t, g + 1));  // keep the group as one operand
            // ... or multiply it out: one term per term of the group
            Group group = (Group) t.factors().get(g);
            List<List<Scaled>> partial = List.of(List.of());
            for (Term u : group.terms()) {
                List<Factor> f = new ArrayList<>(t.factors().subList(0, g));
                f.addAll(u.factors());
                f.addAll(t.factors().subList(g + 1, t.factors().size()));
                Term expanded = new Term(t.coef().multiply(u.coef()), List.copyOf(f));
                List<List<Scaled>> next = new ArrayList<>();
                for (List<Scaled> done : partial)
                    for (List<Scaled> alt : termPlans(expanded, g)) {
                        List<Scaled> c = new ArrayList<>(done);
                        c.addAll(alt);
                        next.add(c);
                        budget();
                    }
                partial = next;
            }
            out.addAll(partial);
            return out;
        }

        /** Every parenthesisation of the chain, with every plan of each group operand. */
        List<Plan> chainPlans(List<Factor> factors) {
            if (factors.isEmpty()) return List.of();
            List<List<Plan>> operands = new ArrayList<>();
            for (Factor f : factors) {
                operands.add(switch (f) {
                    case Leaf l -> List.of(new Named(l, leafDims(l)));
                    case Group gr -> sumPlans(gr.terms());
                });
            }
            return parenthesise(operands, 0, operands.size());
        }

        List<Plan> parenthesise(List<List<Plan>> ops, int from, int to) {
            if (to - from == 1) return ops.get(from);
            List<Plan> out = new ArrayList<>();
            for (int split = from + 1; split < to; split++)
                for (Plan a : parenthesise(ops, from, split))
                    for (Plan b : parenthesise(ops, split, to)) { out.add(mul(a, b)); budget(); }
            return out;
        }

        String[] leafDims(Leaf l) {
            String[] d = dims.get(l.name());
            if (d == null) throw new IllegalArgumentException("no dimensions for " + l.name() + " (add e.g. " + OptionNames.of("dims") + " \"" + l.name() + ": n x m\")");
            return l.transposed() ? new String[] {d[1], d[0]} : d;
        }

        void budget() {
            if (++made > MAX_PLANS) throw new IllegalArgumentException("more than " + MAX_PLANS + " evaluation orders: the expression is too long to list them all");
        }
    }

    static Mul mul(Plan a, Plan b) {
        String[] x = a.dims(), y = b.dims();
        if (!x[1].equals(y[0]))
            throw new IllegalArgumentException("cannot multiply " + render(a) + " (" + x[0] + "×" + x[1] + ") by " + render(b) + " (" + y[0] + "×" + y[1]
                    + "): inner dimensions " + x[1] + " and " + y[0] + " differ");
        return new Mul(a, b, new String[] {x[0], y[1]}, a.cost().plus(b.cost()).plus(Poly.product(x[0], x[1], y[1])));
    }

    static Plan sum(List<Scaled> terms) {
        String[] d = null;
        Poly cost = Poly.ZERO;
        for (Scaled s : terms) {
            if (s.plan() == null) continue;
            cost = cost.plus(s.plan().cost());
            if (d == null) d = s.plan().dims();
            else if (!d[0].equals(s.plan().dims()[0]) || !d[1].equals(s.plan().dims()[1]))
                throw new IllegalArgumentException("cannot add " + render(s.plan()) + " (" + s.plan().dims()[0] + "×" + s.plan().dims()[1]
                        + ") to a " + d[0] + "×" + d[1] + " matrix");
        }
        if (d == null) throw new IllegalArgumentException("the expression has no matrices, only multiples of I");
        for (Scaled s : terms)
            if (s.plan() == null && !d[0].equals(d[1]))
                throw new IllegalArgumentException("I is added to a " + d[0] + "×" + d[1] + " matrix, which is not square");
        if (terms.size() == 1 && terms.getFirst().coef().equals(Rational.ONE)) return terms.getFirst().plan();
        return new Sum(List.copyOf(terms), d, cost);
    }

    /** "3/2·W - 1/2·(W·Wᵀ)·W" style text; parentheses show the order of the products. */
    public static String render(Plan p) { return render(p, false, false); }

    /** The evaluation order in LaTeX: "(W W^{T}) W", fractions as \\frac. */
    public static String renderLatex(Plan p) { return render(p, false, true); }

    private static String render(Plan p, boolean inProduct, boolean latex) {
        return switch (p) {
            case Named n -> latex ? Poly.latexName(n.leaf().name()) + (n.leaf().transposed() ? "^{T}" : "") : n.leaf().toString();
            case Mul m -> {
                String s = render(m.left(), true, latex) + (latex ? " \\, " : "·") + render(m.right(), true, latex);
                yield inProduct ? (latex ? "\\left(" + s + "\\right)" : "(" + s + ")") : s;
            }
            case Sum s -> {
                StringBuilder sb = new StringBuilder();
                for (Scaled t : s.terms()) {
                    Rational c = t.coef();
                    boolean first = sb.isEmpty();
                    sb.append(first ? (c.signum() < 0 ? "-" : "") : (c.signum() < 0 ? " - " : " + "));
                    Rational a = c.abs();
                    String body = t.plan() == null ? "I" : render(t.plan(), !a.equals(Rational.ONE), latex);
                    sb.append(a.equals(Rational.ONE) ? body : (latex ? a.toLatex() : a) + (t.plan() == null || latex ? "" : "·") + body);
                }
                yield inProduct ? (latex ? "\\left(" + sb + "\\right)" : "(" + sb + ")") : sb.toString();
            }
        };
    }
}
