/**
 * N-dimensional arrays and the operations on them: {@code Tensor} (float32 or float64, shape, strides,
 * views; {@code Tensor.zeros}, {@code Tensor.of}, {@code Tensor.randn}), {@code Ops} (elementwise arithmetic, reductions,
 * matrix products, each recording its backward when gradients are wanted), {@code Rng} (the seeded random generator
 * whose state can be saved), {@code Shape} (shape arithmetic and messages), {@code DType} and {@code StepArena} (reuse
 * of a training step's large arrays). With {@code convlab.autograd} this is one layer: the ops here record onto the
 * tape that package runs backward.
 */
package convlab.tensor;
