package convlab.explain.cost;

import convlab.explain.Rational;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every evaluation order must compute the same matrix (the rewrites are valid), and the cheapest order
 * for numeric sizes must cost what the textbook matrix-chain dynamic programme says.
 */
class ChainCostPropertyTest {
    @Test void everyOrderComputesTheSameMatrix() {
        Random rnd = new Random(6);
        String[] exprs = {"1/2 (3I - W W^T) W", "(A + B)(C - 2D) E", "A^T (B C + D)^T", "x (A + B) (I + A)", "(A B)^T C + 2 C"};
        String dims = "W: 5 x 3, A: 4 x 4, B: 4 x 4, C: 4 x 4, D: 4 x 4, E: 4 x 2, x: 1 x 4";
        Map<String, String[]> d = MatrixExpr.parseDims(dims);
        Map<String, Rational[][]> values = new HashMap<>();
        d.forEach((name, rc) -> values.put(name, random(Integer.parseInt(rc[0]), Integer.parseInt(rc[1]), rnd)));
        for (String e : exprs) {
            List<ChainCost.Plan> plans = ChainCost.plans(MatrixExpr.parse(e, d.keySet()), d);
            assertTrue(plans.size() > 1, e);
            Rational[][] first = evaluate(plans.getFirst(), values);
            for (ChainCost.Plan p : plans) assertArrayEquals(first, evaluate(p, values), e + " via " + ChainCost.render(p));
            assertArrayEquals(first, evaluate(ChainCost.asWritten(MatrixExpr.parse(e, d.keySet()), d), values), e);
        }
    }

    @Test void cheapestChainOrderMatchesTheDynamicProgramme() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int n = 2 + rnd.nextInt(5);
            int[] p = new int[n + 1];
            for (int i = 0; i <= n; i++) p[i] = 1 + rnd.nextInt(30);
            StringBuilder expr = new StringBuilder(), dims = new StringBuilder();
            for (int i = 0; i < n; i++) {
                expr.append("M").append(i).append(' ');
                dims.append("M").append(i).append(": ").append(p[i]).append(" x ").append(p[i + 1]).append(", ");
            }
            Map<String, String[]> d = MatrixExpr.parseDims(dims.toString());
            List<ChainCost.Plan> plans = ChainCost.plans(MatrixExpr.parse(expr.toString(), d.keySet()), d);
            assertEquals(catalan(n - 1), plans.size());
            ChainCost.Plan best = CostAnalysis.cheapestFor(plans, Map.of()).getFirst();
            assertEquals(Rational.of(dp(p)), best.cost().evaluate(Map.<String, BigInteger>of()), "dims " + java.util.Arrays.toString(p));
        }
    }

    /** The textbook O(n³) matrix-chain programme. */
    private static long dp(int[] p) {
        int n = p.length - 1;
        long[][] m = new long[n][n];
        for (int len = 2; len <= n; len++)
            for (int i = 0; i + len - 1 < n; i++) {
                int j = i + len - 1;
                m[i][j] = Long.MAX_VALUE;
                for (int k = i; k < j; k++) m[i][j] = Math.min(m[i][j], m[i][k] + m[k + 1][j] + (long) p[i] * p[k + 1] * p[j + 1]);
            }
        return m[0][n - 1];
    }

    private static long catalan(int n) {
        long c = 1;
        for (int i = 0; i < n; i++) c = c * 2 * (2 * i + 1) / (i + 2);
        return c;
    }

    private static Rational[][] random(int r, int c, Random rnd) {
        Rational[][] m = new Rational[r][c];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) m[i][j] = Rational.of(rnd.nextInt(7) - 3);
        return m;
    }

    private static Rational[][] evaluate(ChainCost.Plan p, Map<String, Rational[][]> v) {
        return switch (p) {
            case ChainCost.Named n -> n.leaf().transposed() ? transpose(v.get(n.leaf().name())) : v.get(n.leaf().name());
            case ChainCost.Mul m -> multiply(evaluate(m.left(), v), evaluate(m.right(), v));
            case ChainCost.Sum s -> {
                int r = Integer.parseInt(s.dims()[0]), c = Integer.parseInt(s.dims()[1]);
                Rational[][] out = new Rational[r][c];
                for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) out[i][j] = Rational.ZERO;
                for (ChainCost.Scaled t : s.terms()) {
                    Rational[][] x = t.plan() == null ? null : evaluate(t.plan(), v);
                    for (int i = 0; i < r; i++)
                        for (int j = 0; j < c; j++) {
                            Rational e = x == null ? (i == j ? Rational.ONE : Rational.ZERO) : x[i][j];
                            out[i][j] = out[i][j].add(t.coef().multiply(e));
                        }
                }
                yield out;
            }
        };
    }

    private static Rational[][] multiply(Rational[][] a, Rational[][] b) {
        Rational[][] out = new Rational[a.length][b[0].length];
        for (int i = 0; i < a.length; i++)
            for (int j = 0; j < b[0].length; j++) {
                Rational s = Rational.ZERO;
                for (int k = 0; k < b.length; k++) s = s.add(a[i][k].multiply(b[k][j]));
                out[i][j] = s;
            }
        return out;
    }

    private static Rational[][] transpose(Rational[][] a) {
        Rational[][] t = new Rational[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) for (int j = 0; j < a[0].length; j++) t[j][i] = a[i][j];
        return t;
    }
}
