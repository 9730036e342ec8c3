package convlab.explain.cost;

import convlab.OptionNames;
import convlab.explain.Rational;
import convlab.explain.answer.Question;
import convlab.explain.cost.ChainCost.Mul;
import convlab.explain.cost.ChainCost.Plan;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Which evaluation order of a matrix expression is cheapest: for all sizes, under an assumption, or for given sizes. */
public final class CostAnalysis {
    private CostAnalysis() {}

    /**
     * The plans whose cost is at most every other plan's for all positive sizes (a plan p qualifies when
     * every other cost minus p's has only non-negative coefficients). Empty when it depends on the sizes.
     */
    public static List<Plan> cheapestForAllSizes(List<Plan> plans) {
        List<Plan> out = new ArrayList<>();
        for (Plan p : plans) {
            boolean best = true;
            for (Plan q : plans) if (!q.cost().minus(p.cost()).nonNegativeCoefficients()) { best = false; break; }
            if (best) out.add(p);
        }
        return out;
    }

    /** The cheapest plans when each name in {@code order} is much larger than the ones after it. */
    public static List<Plan> cheapestUnder(List<Plan> plans, List<String> order) {
        List<Plan> best = new ArrayList<>();
        for (Plan p : plans) {
            if (best.isEmpty()) { best.add(p); continue; }
            int s = p.cost().minus(best.getFirst().cost()).asymptoticSign(order);
            if (s < 0) { best.clear(); best.add(p); }
            else if (s == 0) best.add(p);
        }
        return best;
    }

    public static List<Plan> cheapestFor(List<Plan> plans, Map<String, BigInteger> sizes) {
        List<Plan> best = new ArrayList<>();
        Rational min = null;
        for (Plan p : plans) {
            Rational v = p.cost().evaluate(sizes);
            int c = min == null ? -1 : v.compareTo(min);
            if (c < 0) { best.clear(); min = v; }
            if (c <= 0) best.add(p);
        }
        return best;
    }

    /**
     * Reads {@code "d_out >> d_in"} (also ≫, and chains {@code "a >> b >> c"}; several separated by ','; {@code "b << a"} too)
     * into an order, largest first. Names the assumption does not mention go last, in the order given by
     * {@code allNames}.
     */
    public static List<String> parseAssumption(String text, Set<String> allNames) {
        List<String[]> pairs = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.replace("≫", ">>").replace("≪", "<<").strip();
            if (p.isEmpty()) continue;
            boolean less = p.contains("<<");
            String[] names = p.split(less ? "<<" : ">>");
            if (names.length < 2) throw new IllegalArgumentException("expected an assumption like 'd_out >> d_in', got '" + part.strip() + "'");
            for (int i = 0; i + 1 < names.length; i++) {
                String a = MatrixExpr.normalizeName(names[i]), b = MatrixExpr.normalizeName(names[i + 1]);
                for (String n : new String[] {a, b})
                    if (!allNames.contains(n)) throw new IllegalArgumentException(OptionNames.of("assume", "the assumption") + " mentions '" + n + "', which is not a dimension of the expression " + allNames);
                pairs.add(less ? new String[] {b, a} : new String[] {a, b});
            }
        }
        // Topological order of the "larger than" pairs.
        List<String> order = new ArrayList<>();
        Set<String> left = new LinkedHashSet<>();
        for (String[] p : pairs) { left.add(p[0]); left.add(p[1]); }
        while (!left.isEmpty()) {
            String next = null;
            for (String n : left) if (pairs.stream().noneMatch(p -> p[1].equals(n) && left.contains(p[0]))) { next = n; break; }
            if (next == null) throw new IllegalArgumentException(OptionNames.of("assume", "the assumption") + " '" + text + "' contradicts itself (a cycle of >>)");
            order.add(next);
            left.remove(next);
        }
        for (String n : allNames) if (!order.contains(n)) order.add(n);
        return order;
    }

    /** "d_out=4096,d_in=256". */
    public static Map<String, BigInteger> parseSizes(String text) {
        Map<String, BigInteger> m = new LinkedHashMap<>();
        for (String part : text.split("[,;]")) {
            if (part.isBlank()) continue;
            String[] kv = part.split("=");
            try {
                if (kv.length == 2) {
                    BigInteger v = new BigInteger(kv[1].strip());
                    if (v.signum() <= 0) throw new IllegalArgumentException("the size " + kv[0].strip() + "=" + v + " in " + OptionNames.of("sizes") + " must be at least 1");
                    if (v.bitLength() > 64) throw new IllegalArgumentException("the size " + kv[0].strip() + " in " + OptionNames.of("sizes") + " is too large (at most 2^64)");
                    m.put(MatrixExpr.normalizeName(kv[0]), v);
                    continue;
                }
            } catch (NumberFormatException e) { /* reported below */ }
            throw new IllegalArgumentException("expected NAME=SIZE in " + OptionNames.of("sizes") + ", got '" + part.strip() + "'");
        }
        return m;
    }

    /** The products a plan performs, in the order they are computed: "W·Wᵀ: d_out×d_in times d_in×d_out, c·d_out·d_in·d_out". */
    public static List<String> steps(Plan p) {
        List<String> out = new ArrayList<>();
        collect(p, out);
        return out;
    }

    private static void collect(Plan p, List<String> out) {
        switch (p) {
            case ChainCost.Named n -> { }
            case Mul m -> {
                collect(m.left(), out);
                collect(m.right(), out);
                String[] a = m.left().dims(), b = m.right().dims();
                out.add(ChainCost.render(m) + ": " + a[0] + "×" + a[1] + " times " + b[0] + "×" + b[1] + " costs c·" + a[0] + "·" + a[1] + "·" + b[1]);
            }
            case ChainCost.Sum s -> { for (ChainCost.Scaled t : s.terms()) if (t.plan() != null) collect(t.plan(), out); }
        }
    }

    /**
     * The question "what does it cost?": a formula is compared by identity with the cost of {@code target}
     * (c, the unit of cost, read as 1; O(…)/Θ(…) by the leading term, under {@code order} when given), a
     * number with the cost for {@code sizes} (of {@code numberTarget}); other orders' costs and half the
     * right cost are named mistakes.
     */
    public static Question question(List<Plan> plans, Plan target, String what, Map<String, BigInteger> sizes, Plan numberTarget,
                                    List<String> order, List<String> nameOrder) {
        Rational number = sizes == null ? null : numberTarget.cost().evaluate(sizes);
        Question q = Question.of("cost", number);
        Set<String> names = new LinkedHashSet<>(nameOrder);
        for (Plan p : plans) names.addAll(p.cost().names());
        names.removeIf(n -> n.matches("\\d+"));
        for (String n : names) q.variable(n, sizes == null || !sizes.containsKey(n) ? null : Rational.of(sizes.get(n), BigInteger.ONE), 1, 300);
        if (!names.contains("c")) q.unit("c");
        q.formula(target.cost()).dominance(order == null ? List.of() : order);
        if (sizes == null) q.numberHint("give " + OptionNames.of("sizes") + " to check a number");
        for (int i = 0; i < plans.size(); i++) {
            Poly c = plans.get(i).cost();
            if (c.equals(target.cost())) continue;
            q.mistake("that is the cost of order " + (i + 1) + " (" + ChainCost.render(plans.get(i)) + "), not of " + what,
                    sizes == null ? null : c.evaluate(sizes), c);
        }
        Poly half = target.cost().times(Rational.of(1, 2));
        q.mistake("half the right cost: one of the products was not counted", number == null ? null : number.multiply(Rational.of(1, 2)), half);
        return q;
    }

    /**
     * Reads a cost answer such as "2c d_out^2 d_in", "c·d_out²·d_in + c·d_out·d_in²" or "4*c*n^3" into a
     * polynomial (the unit c is read as 1; a term without c is read the same way), in the answer language
     * of {@link convlab.explain.answer.Formula}.
     */
    public static Poly parseCost(String text) {
        Poly p = convlab.explain.answer.Formula.parseAnyNames(text.strip()).poly(Set.of("c"));
        if (p == null) throw new IllegalArgumentException("the cost '" + text.strip() + "' is not a polynomial in the sizes");
        return p;
    }
}
