/**
 * What a sliding window does at the edge and how big its output is: {@code PaddingMode} (zeros, circular,
 * reflect, replicate, as PyTorch's padding_mode), {@code OutputSize} (the one home of the output-size rules of
 * convolution, transposed convolution and pooling), {@code ConvGeometry} (the sizes, strides, padding and dilation of
 * one convolution) and {@code PoolGeometry} (a pooling window, with the ceil-mode rule). Shared by the layers, the
 * exact calculators and the internal kernels, so it sits below all of them.
 */
package convlab.geometry;
