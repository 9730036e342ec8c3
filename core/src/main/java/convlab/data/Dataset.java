package convlab.data;

import convlab.kernels.Vectors;
import convlab.tensor.Tensor;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;
import java.util.List;

/**
 * A labelled image dataset held in memory: N images of C×H×W float32 values and an int label per image
 * with values in [0, classNames.size()).
 *
 * <p>Two storages, one view. Images read from IDX files stay as their unsigned bytes (one byte per pixel,
 * a quarter of float32: the Fashion-MNIST training set is 47 MB instead of 188 MB) and are converted as
 * {@code pixel / 255f} when read, so values lie in [0, 1] (0 = background, 1 = full intensity); no mean/std
 * standardization is applied. Computed images (e.g. {@link EdgeImages}) are stored as float32. Either way
 * {@link #copyImage} and {@link DataLoader} batches give the same float values, bitwise, as a float32
 * dataset of the converted pixels.
 */
public final class Dataset {
    /** {@code UNIT_BYTE[b] = b / 255f}: the float of each unsigned byte, computed once. */
    private static final float[] UNIT_BYTE = new float[256];
    static {
        for (int b = 0; b < 256; b++) UNIT_BYTE[b] = b / 255f;
    }

    private final Tensor floatImages;   // exactly one of floatImages and bytes is set
    private final float[] floats;       // floatImages' array
    private final byte[] bytes;
    private final int[] shape;      // N, C, H, W
    private final int[] labels;
    private final List<String> classNames;
    private final String source;

    /** images: float32, N×C×H×W, contiguous; labels: N values in [0, classNames.size()). */
    public Dataset(Tensor images, int[] labels, List<String> classNames, String source) {
        this(checkFloat(images), null, images.shape(), labels, classNames, source);
    }

    private Dataset(Tensor floatImages, byte[] bytes, int[] shape, int[] labels, List<String> classNames, String source) {
        if (shape[0] != labels.length)
            throw new IllegalArgumentException("dataset '" + source + "' has " + shape[0] + " images but "
                    + labels.length + " labels");
        for (int i = 0; i < labels.length; i++)
            if (labels[i] < 0 || labels[i] >= classNames.size())
                throw new IllegalArgumentException("dataset '" + source + "': label " + labels[i] + " of example " + i
                        + " is outside [0, " + classNames.size() + ")");
        this.floatImages = floatImages;
        this.floats = floatImages == null ? null : floatImages.data();
        this.bytes = bytes;
        this.shape = shape.clone();
        this.labels = labels;
        this.classNames = List.copyOf(classNames);
        this.source = source;
    }

    private static Tensor checkFloat(Tensor images) {
        if (images.dim() != 4 || !images.isF32() || !images.isContiguous())
            throw new IllegalArgumentException("dataset images must be a contiguous float32 N×C×H×W tensor, got "
                    + images.dtype() + " of shape " + Arrays.toString(images.shape()));
        return images;
    }

    /**
     * A dataset stored as unsigned bytes, pixel value {@code (b & 0xFF) / 255f}. pixels: N·C·H·W bytes in
     * N×C×H×W order, kept as given (not copied: do not modify it afterwards); labels: N values.
     */
    public static Dataset ofUnsignedBytes(byte[] pixels, int[] nchw, int[] labels, List<String> classNames, String source) {
        if (nchw.length != 4) throw new IllegalArgumentException("dataset shape must be N×C×H×W, got " + Arrays.toString(nchw));
        long count = 1;
        for (int d : nchw) {
            if (d < 0) throw new IllegalArgumentException("dataset shape " + Arrays.toString(nchw) + " has a negative dimension");
            count *= d;
        }
        if (count != pixels.length)
            throw new IllegalArgumentException("dataset '" + source + "': shape " + Arrays.toString(nchw) + " needs " + count
                    + " pixels, got " + pixels.length);
        return new Dataset(null, pixels, nchw, labels, classNames, source);
    }

    /**
     * Builds a dataset from IDX arrays (images rank 3: N×H×W, labels rank 1: N). The image bytes are kept as
     * they are (not copied), one channel, scaled by 1/255 when read.
     */
    public static Dataset fromIdx(Idx.Array images, Idx.Array labels, List<String> classNames, String source) {
        if (images.rank() != 3) throw new IllegalArgumentException(source + ": image file has rank " + images.rank() + ", expected 3");
        if (labels.rank() != 1) throw new IllegalArgumentException(source + ": label file has rank " + labels.rank() + ", expected 1");
        int n = images.dim(0), h = images.dim(1), w = images.dim(2);
        if (labels.dim(0) != n)
            throw new IllegalArgumentException(source + ": the image file holds " + n + " images but the label file holds "
                    + labels.dim(0) + " labels; they must match");
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = labels.unsigned(i);
        return ofUnsignedBytes(images.data(), new int[] {n, 1, h, w}, y, classNames, source);
    }

    public int size() { return labels.length; }
    public int channels() { return shape[1]; }
    public int height() { return shape[2]; }
    public int width() { return shape[3]; }
    public int numClasses() { return classNames.size(); }

    /** True when the pixels are stored as unsigned bytes (read from IDX), false for float32 storage. */
    public boolean storesBytes() { return bytes != null; }

    /**
     * Reads one value from each cache line of examples [from, to) of {@code order} and returns their sum (which keeps
     * the reads from being optimized away). A batch's images lie at random places in the training set, and copying
     * them one after the other waits for memory about 13 times per image, one line after the other; these reads are
     * independent of each other, so the core has many of them in flight at once, and the copy then finds the lines in
     * its cache. A shuffled epoch of batches of 64 (Fashion-MNIST, one thread, AMD EPYC Zen 5): 16.4-20.7 µs a batch
     * without, 11.7-14.3 with. In a training step the batch costs more (35-55 µs, bench/GEMM.md): there its buffer
     * was last read by both cores, and writing it waits for the other core to give up its copy.
     */
    int touch(int[] order, int from, int to) {
        int per = imageSize(), step = floats != null ? 16 : 64, sum = 0;
        if (per == 0) return 0;   // empty images: nothing to read (and no last value)
        for (int k = from; k < to; k++) {
            int src = order[k] * per, end = src + per - 1;
            if (floats != null) {
                for (int j = src; j < end; j += step) sum += Float.floatToRawIntBits(floats[j]);
                sum += Float.floatToRawIntBits(floats[end]);
            } else {
                for (int j = src; j < end; j += step) sum += bytes[j];
                sum += bytes[end];
            }
        }
        return sum;
    }

    /**
     * Writes the C·H·W float values of example i to dst from dstOffset on: the one way batches are made
     * (see {@link DataLoader}), converting stored bytes on the fly.
     */
    public void copyImage(int i, float[] dst, int dstOffset) {
        if (i < 0 || i >= size()) throw new IllegalArgumentException("example index " + i + " is outside [0, " + size() + ")");
        int per = imageSize();
        if (floats != null) {
            System.arraycopy(floats, i * per, dst, dstOffset, per);
            return;
        }
        int src = i * per, k = 0;
        // VL bytes at a time: zero-extended to ints, converted and divided by 255 (an IEEE division, so bitwise the
        // table's b / 255f). The table lookup, one element at a time, was 13% of the MLP's training time on 2 threads.
        for (int end = per - BYTES.length(); k <= end; k += BYTES.length())
            ((FloatVector) ByteVector.fromArray(BYTES, bytes, src + k).convertShape(VectorOperators.ZERO_EXTEND_B2I, INTS, 0)
                    .convert(VectorOperators.I2F, 0)).div(255f).intoArray(dst, dstOffset + k);
        for (; k < per; k++) dst[dstOffset + k] = UNIT_BYTE[bytes[src + k] & 0xFF];
    }

    private static final VectorSpecies<Float> FLOATS = Vectors.FLOAT;
    private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, FLOATS.vectorShape());
    /** As many byte lanes as FLOATS has float lanes. */
    private static final VectorSpecies<Byte> BYTES = VectorSpecies.of(byte.class,
            VectorShape.forBitSize(FLOATS.vectorBitSize() / 4));

    /** Example i as a new C×H×W float32 tensor. */
    public Tensor image(int i) {
        float[] px = new float[imageSize()];
        copyImage(i, px, 0);
        return Tensor.of(px, channels(), height(), width());
    }

    /**
     * All images as one N×C×H×W float32 tensor. For float32 storage this is the stored tensor (shared, do not
     * modify); for byte storage it is a new tensor of N·C·H·W·4 bytes on every call (188 MB for the
     * Fashion-MNIST training set): meant for small datasets and subsets; batches come from {@link DataLoader}.
     */
    public Tensor images() {
        if (floatImages != null) return floatImages;
        float[] px = new float[bytes.length];
        for (int k = 0; k < px.length; k++) px[k] = UNIT_BYTE[bytes[k] & 0xFF];
        return Tensor.of(px, shape);
    }

    /** All labels (shared, do not modify). */
    public int[] labels() { return labels; }
    public int label(int i) { return labels[i]; }
    public List<String> classNames() { return classNames; }

    /** Where the data came from, e.g. "Fashion-MNIST train, 60000 images, from /usr/share/datasets/fashion-mnist". */
    public String source() { return source; }

    /** Values per image (C·H·W). */
    public int imageSize() { return channels() * height() * width(); }

    /** Examples per class, indexed by label. */
    public int[] classCounts() {
        int[] counts = new int[classNames.size()];
        for (int y : labels) counts[y]++;
        return counts;
    }

    /** A new dataset with copies of the chosen examples, in the given order, stored as this one is. */
    public Dataset subset(int[] indices, String subsetSource) {
        int per = imageSize();
        Object src = floats != null ? floats : bytes;
        Object dst = floats != null ? new float[indices.length * per] : new byte[indices.length * per];
        int[] y = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= size())
                throw new IllegalArgumentException("subset index " + i + " is outside [0, " + size() + ")");
            System.arraycopy(src, i * per, dst, k * per, per);
            y[k] = labels[i];
        }
        int[] nchw = {indices.length, channels(), height(), width()};
        return new Dataset(floats != null ? Tensor.of((float[]) dst, nchw) : null, floats != null ? null : (byte[]) dst, nchw, y, classNames, subsetSource);
    }

    @Override public String toString() {
        return "Dataset(" + size() + " images " + channels() + "×" + height() + "×" + width() + ", "
                + classNames.size() + " classes, " + (storesBytes() ? "bytes" : "float32") + ", " + source + ")";
    }
}
