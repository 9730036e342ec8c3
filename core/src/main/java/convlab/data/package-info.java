/**
 * Data sets and loaders: {@code Dataset} (images and labels in memory, subsets), {@code FashionMnist}
 * ({@code load} from a folder or the Debian package, {@code loadSample()} from the artifact convlab-data-sample),
 * {@code Idx} (the IDX file format, gzipped or not), {@code EdgeImages} (seeded synthetic images) and
 * {@code DataLoader} (batches in a seeded shuffled order, built with {@code DataLoader.builder}; its position can be
 * saved and restored).
 */
package convlab.data;
