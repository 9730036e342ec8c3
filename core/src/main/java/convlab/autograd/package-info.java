/**
 * Reverse-mode automatic differentiation: {@code Node.record} attaches an op's backward rule to its output,
 * {@code Engine} runs the backward pass from a scalar ({@code tensor.backward()}), {@code GradMode.noGrad()} turns
 * recording off (evaluation), and {@code GradCheck} compares a backward with float64 finite differences, the check
 * every differentiable op of convlab passes. One layer with {@code convlab.tensor}.
 */
package convlab.autograd;
