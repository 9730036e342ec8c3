package convlab.data;

import convlab.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * A labelled image dataset held in memory: images as one float32 tensor of shape N×C×H×W and labels
 * as an int array with values in [0, classNames.size()).
 *
 * <p>Images read from IDX files are normalized as {@code pixel / 255f}, so values lie in [0, 1]
 * (0 = background, 1 = full intensity); no mean/std standardization is applied here.
 */
public final class Dataset {
    private final Tensor images;
    private final int[] labels;
    private final List<String> classNames;
    private final String source;

    /** images: float32, N×C×H×W, contiguous; labels: N values in [0, classNames.size()). */
    public Dataset(Tensor images, int[] labels, List<String> classNames, String source) {
        if (images.dim() != 4 || !images.isF32() || !images.isContiguous())
            throw new IllegalArgumentException("dataset images must be a contiguous float32 N×C×H×W tensor, got "
                    + images.dtype() + " of shape " + Arrays.toString(images.shape()));
        if (images.size(0) != labels.length)
            throw new IllegalArgumentException("dataset '" + source + "' has " + images.size(0) + " images but "
                    + labels.length + " labels");
        for (int i = 0; i < labels.length; i++)
            if (labels[i] < 0 || labels[i] >= classNames.size())
                throw new IllegalArgumentException("dataset '" + source + "': label " + labels[i] + " of example " + i
                        + " is outside [0, " + classNames.size() + ")");
        this.images = images;
        this.labels = labels;
        this.classNames = List.copyOf(classNames);
        this.source = source;
    }

    /** Builds a dataset from IDX arrays (images rank 3: N×H×W, labels rank 1: N), scaling pixels by 1/255. */
    public static Dataset fromIdx(Idx.Array images, Idx.Array labels, List<String> classNames, String source) {
        if (images.rank() != 3) throw new IllegalArgumentException(source + ": image file has rank " + images.rank() + ", expected 3");
        if (labels.rank() != 1) throw new IllegalArgumentException(source + ": label file has rank " + labels.rank() + ", expected 1");
        int n = images.dim(0), h = images.dim(1), w = images.dim(2);
        if (labels.dim(0) != n)
            throw new IllegalArgumentException(source + ": the image file holds " + n + " images but the label file holds "
                    + labels.dim(0) + " labels; they must match");
        float[] pixels = new float[images.data().length];
        byte[] raw = images.data();
        for (int i = 0; i < pixels.length; i++) pixels[i] = (raw[i] & 0xFF) / 255f;
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = labels.unsigned(i);
        return new Dataset(Tensor.of(pixels, n, 1, h, w), y, classNames, source);
    }

    public int size() { return labels.length; }
    public int channels() { return images.size(1); }
    public int height() { return images.size(2); }
    public int width() { return images.size(3); }
    public int numClasses() { return classNames.size(); }

    /** All images, N×C×H×W float32 (shared, do not modify). */
    public Tensor images() { return images; }

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

    /** A new dataset with copies of the chosen examples, in the given order. */
    public Dataset subset(int[] indices, String subsetSource) {
        int per = imageSize();
        float[] src = images.data(), dst = new float[indices.length * per];
        int[] y = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= size())
                throw new IllegalArgumentException("subset index " + i + " is outside [0, " + size() + ")");
            System.arraycopy(src, i * per, dst, k * per, per);
            y[k] = labels[i];
        }
        return new Dataset(Tensor.of(dst, indices.length, channels(), height(), width()), y, classNames, subsetSource);
    }

    @Override public String toString() {
        return "Dataset(" + size() + " images " + channels() + "×" + height() + "×" + width() + ", "
                + classNames.size() + " classes, " + source + ")";
    }
}
