/**
 * Layers as modules, in the manner of PyTorch's {@code torch.nn}: {@code Module} (parameters(), buffers,
 * train()/eval(), a state dict of dotted names), {@code Parameter}, {@code Sequential} and {@code GraphModel}
 * (branching networks), and the layers themselves: {@code Linear}, {@code Conv1d}/{@code Conv2d} and their transposes,
 * {@code BatchNorm1d}/{@code BatchNorm2d}, {@code GroupNorm}, {@code LayerNorm}, pooling, {@code Dropout}, {@code ReLU},
 * {@code Flatten}. {@code Init} holds the weight initialisations and {@code DefaultDType.float64()} builds a model in
 * float64 for exact checks. A layer of your own extends {@code Module} and calls the ops of
 * {@code convlab.nn.functional} (or records its own backward with {@code Node.record}).
 */
package convlab.nn;
