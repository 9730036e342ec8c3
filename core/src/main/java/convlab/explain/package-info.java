/**
 * Exact answers to a deep-learning course's computations, shown with their working: exact numbers
 * ({@code Rational}, {@code Surd}, {@code ExactReal}, {@code ExactArray}), calculators ({@code ExactConv} and
 * {@code ConvExplain}, {@code ExactConvGrad}, {@code ExactPoolGrad}, {@code ExactNormGrad}, {@code ExactForward},
 * {@code SolveFilter}, {@code LeastSquaresOptimize}, {@code ParamCount}), answer checking ({@code Answer.parse},
 * {@code ConvCheck}, {@code ArrayCheck}) and {@code Worksheet}, the one result model every calculator returns, shown
 * as plain text, Markdown or HTML with MathML ({@code Render}, {@code MathML}).
 */
package convlab.explain;
