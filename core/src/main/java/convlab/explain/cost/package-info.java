/**
 * The cost of evaluating matrix expressions: {@code MatrixExpr} parses one such as {@code 1/2 (3I - W W^T) W},
 * {@code ChainCost} lists every evaluation order with its cost as a polynomial in the dimension names
 * ({@code Poly}), and {@code CostAnalysis} says which order is cheapest, for all sizes, under an assumption or for
 * given sizes.
 */
package convlab.explain.cost;
