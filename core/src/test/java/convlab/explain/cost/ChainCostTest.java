package convlab.explain.cost;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** hw4 problem 1 (Newton–Schulz) worked by hand, and the rewrites on other expressions. */
class ChainCostTest {
    static final Map<String, String[]> W = MatrixExpr.parseDims("W: d_out x d_in");
    // By hand: W·Wᵀ costs d_out·d_in·d_out, (WWᵀ)·W costs d_out·d_out·d_in → 2·d_out²·d_in;
    // Wᵀ·W costs d_in·d_out·d_in, W·(WᵀW) costs d_out·d_in·d_in → 2·d_out·d_in².
    static final Poly OUT_SQ = Poly.product("2", "d_out", "d_out", "d_in");
    static final Poly IN_SQ = Poly.product("2", "d_out", "d_in", "d_in");

    static List<ChainCost.Plan> plans(String expr, Map<String, String[]> dims) {
        return ChainCost.plans(MatrixExpr.parse(expr, dims.keySet()), dims);
    }

    @Test void newtonSchulzAsWrittenCosts2DoutSquaredDin() {
        ChainCost.Plan p = ChainCost.asWritten(MatrixExpr.parse("1/2 (3I - W W^T) W", W.keySet()), W);
        assertEquals(OUT_SQ, p.cost());
        assertArrayEquals(new String[] {"d_out", "d_in"}, p.dims());
    }

    @Test void newtonSchulzRewriteIsFoundAndCheapestWhenDoutDominates() {
        List<ChainCost.Plan> all = plans("1/2 (3I - W W^T) W", W);
        assertTrue(all.stream().anyMatch(p -> p.cost().equals(IN_SQ)), "the W(WᵀW) order must be among " + all.stream().map(ChainCost::render).toList());
        assertTrue(all.stream().anyMatch(p -> ChainCost.render(p).equals("3/2·W - 1/2·(W·(Wᵀ·W))")), all.stream().map(ChainCost::render).toList().toString());
        List<String> order = CostAnalysis.parseAssumption("d_out >> d_in", Set.of("d_out", "d_in"));
        List<ChainCost.Plan> best = CostAnalysis.cheapestUnder(all, order);
        assertEquals(1, best.size());
        assertEquals(IN_SQ, best.getFirst().cost());
        // and the other way round when d_in dominates
        assertEquals(OUT_SQ, CostAnalysis.cheapestUnder(all, CostAnalysis.parseAssumption("d_in >> d_out", Set.of("d_out", "d_in"))).getFirst().cost());
        assertTrue(CostAnalysis.cheapestForAllSizes(all).isEmpty(), "depends on the sizes");
        var sizes = CostAnalysis.parseSizes("d_out=4096,d_in=256");
        assertEquals(new BigInteger("536870912"), CostAnalysis.cheapestFor(all, sizes).getFirst().cost().evaluate(sizes).numerator());
    }

    @Test void chainOrderIsTheClassicMatrixChainProblem() {
        // A 10×100, B 100×5, C 5×50: (AB)C = 5000 + 2500 = 7500, A(BC) = 25000 + 50000 = 75000.
        Map<String, String[]> d = MatrixExpr.parseDims("A: 10 x 100, B: 100 x 5, C: 5 x 50");
        List<ChainCost.Plan> all = plans("A B C", d);
        assertEquals(2, all.size());
        List<ChainCost.Plan> best = CostAnalysis.cheapestForAllSizes(all);
        assertEquals("(A·B)·C", ChainCost.render(best.getFirst()));
        assertEquals(Poly.product("7500"), best.getFirst().cost());
    }

    @Test void transposeOfAProductIsPushedDown() {
        // (A B)ᵀ C = Bᵀ Aᵀ C with A: n×k, B: k×m, C: n×p
        Map<String, String[]> d = MatrixExpr.parseDims("A: n x k; B: k x m; C: n x p");
        List<ChainCost.Plan> all = plans("(A B)^T C", d);
        assertEquals(2, all.size());
        assertArrayEquals(new String[] {"m", "p"}, all.getFirst().dims());
        assertTrue(all.stream().anyMatch(p -> ChainCost.render(p).equals("Bᵀ·(Aᵀ·C)")));
    }

    @Test void distributingOverASumIsFound() {
        // x (A + B) with x: 1×n, A, B: n×n: as written n² (the sum is free); distributed 2n².
        Map<String, String[]> d = MatrixExpr.parseDims("x: 1 x n, A: n x n, B: n x n");
        List<ChainCost.Plan> all = plans("x (A + B)", d);
        assertEquals(2, all.size());
        assertEquals(Poly.product("n", "n"), CostAnalysis.cheapestForAllSizes(all).getFirst().cost());
    }

    @Test void dimensionErrorsNameTheProduct() {
        var e = assertThrows(IllegalArgumentException.class, () -> plans("W W", W));
        assertTrue(e.getMessage().contains("inner dimensions d_in and d_out differ"), e.getMessage());
        var i = assertThrows(IllegalArgumentException.class, () -> plans("I + W", W));
        assertTrue(i.getMessage().contains("not square"), i.getMessage());
        var u = assertThrows(IllegalArgumentException.class, () -> plans("V W", W));
        assertTrue(u.getMessage().contains("no dimensions for V"), u.getMessage());
    }

    @Test void costAnswersAreRead() {
        assertEquals(OUT_SQ, CostAnalysis.parseCost("2c d_out^2 d_in"));
        assertEquals(IN_SQ, CostAnalysis.parseCost("c·d_out·d_in² + c·d_in²·d_out"));
        assertEquals(IN_SQ, CostAnalysis.parseCost("2 c d_{out} d_{in}^2"));
    }

    @Test void latexInputParses() {
        List<ChainCost.Plan> all = plans("\\frac{1}{2}\\left(3I_{d_{out}} - WW^\\top\\right)W", W);
        assertEquals(3, all.size());
    }

    @Test void powersAreRepeatedFactors() {
        // (W Wᵀ)² W = W Wᵀ W Wᵀ W, a chain of five (14 orders). By hand, when d_out ≫ d_in the best is
        // W·((WᵀW)·(WᵀW)): two Gram matrices 2·d_out·d_in², their product d_in³, then W· d_out·d_in².
        List<ChainCost.Plan> all = plans("(W W^T)^2 W", W);
        assertEquals(14, all.size());
        ChainCost.Plan best = CostAnalysis.cheapestUnder(all, List.of("d_out", "d_in")).getFirst();
        assertEquals(Poly.product("d_in", "d_in", "d_in").plus(Poly.product("3", "d_out", "d_in", "d_in")), best.cost());
        assertThrows(IllegalArgumentException.class, () -> plans("W^x", W));
    }
}
