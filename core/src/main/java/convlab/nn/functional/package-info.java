/**
 * The differentiable operations behind the layers, each with its hand-written backward beside its forward:
 * {@code F} (linear, cross-entropy, ReLU), {@code Conv} (convolution and transposed convolution in one and two
 * dimensions, configured by {@code ConvOptions}), {@code Pooling}, {@code Normalization} (batch, group and layer
 * norm) and {@code Dropouts}. Float32 inputs take the fast kernels, float64 inputs a simple path used by the
 * gradient checks.
 */
package convlab.nn.functional;
