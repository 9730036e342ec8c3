/**
 * The library's version ({@code Version}), the one thing that belongs to no layer. The library itself is in the
 * sub-packages; a typical program uses {@code convlab.data} (Fashion-MNIST, data loaders), {@code convlab.spec}
 * (build a network from the course's architecture notation), {@code convlab.optim} and {@code convlab.train}.
 */
package convlab;
