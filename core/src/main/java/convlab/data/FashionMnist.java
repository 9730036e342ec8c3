package convlab.data;

import convlab.OptionNames;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Zalando Research, MIT License): 28×28 grey images of clothing in 10 classes.
 *
 * <p>{@link #load(Path)} looks in this order:
 * <ol>
 *   <li>the directory the user gives ({@code --data DIR}); it must hold the four IDX files;</li>
 *   <li>{@value #DEBIAN_DIR}, where Debian's {@code dataset-fashion-mnist} package installs the full set;</li>
 *   <li>the sample on the class path, from the artifact convlab-data-sample (6000 training images, 600 per class; 1000 test images, 100 per
 *       class), made by {@code tools/make_fashion_sample.py}.</li>
 * </ol>
 * Each file may be raw IDX or gzip-compressed (with or without the {@code .gz} suffix in its name).
 * Pixels are scaled to [0, 1] by {@code /255}; see {@link Dataset}.
 */
public record FashionMnist(Dataset train, Dataset test, String source) {

    public static final String DEBIAN_DIR = "/usr/share/datasets/fashion-mnist";
    static final String SAMPLE_RESOURCE_DIR = "/convlab/data/fashion-mnist-sample/";

    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    /** Loads from dir when given, else the Debian package when installed, else the embedded sample. */
    public static FashionMnist load(Path dirOrNull) throws IOException {
        if (dirOrNull != null) return loadDirectory(dirOrNull, OptionNames.of("data", "folder") + " " + dirOrNull);
        Path debian = Path.of(DEBIAN_DIR);
        if (Files.isRegularFile(debian.resolve(TRAIN_IMAGES + ".gz")) || Files.isRegularFile(debian.resolve(TRAIN_IMAGES)))
            return loadDirectory(debian, "Debian package dataset-fashion-mnist at " + debian);
        return loadSample();
    }

    /** Loads the four IDX files from a directory; where describes the origin for source(). */
    public static FashionMnist loadDirectory(Path dir, String where) throws IOException {
        if (!Files.isDirectory(dir))
            throw new IllegalArgumentException("Fashion-MNIST directory " + dir + " does not exist or is not a directory");
        Dataset train = Dataset.fromIdx(
                Idx.read(find(dir, TRAIN_IMAGES), 3), Idx.read(find(dir, TRAIN_LABELS), 1),
                CLASS_NAMES, "Fashion-MNIST train from " + where);
        Dataset test = Dataset.fromIdx(
                Idx.read(find(dir, TEST_IMAGES), 3), Idx.read(find(dir, TEST_LABELS), 1),
                CLASS_NAMES, "Fashion-MNIST test from " + where);
        requireUsable(train, test, dir);
        // "full" only when it is: a directory may hold a subset (e.g. the sample written out as files).
        boolean full = train.size() == 60_000 && test.size() == 10_000;
        return new FashionMnist(train, test, describe(full ? "full Fashion-MNIST" : "Fashion-MNIST", train, test, where));
    }

    /**
     * The sample of 6000 training and 1000 test images (3 MB), read from the class path: it ships in the artifact
     * {@code dev.convlab:convlab-data-sample} (module {@code convlab.data.sample}), which must be on the class
     * path or module path beside convlab-core.
     */
    public static FashionMnist loadSample() throws IOException {
        String where = "the sample embedded in convlab (classpath " + SAMPLE_RESOURCE_DIR + ")";
        Dataset train = Dataset.fromIdx(resource(TRAIN_IMAGES, 3), resource(TRAIN_LABELS, 1),
                CLASS_NAMES, "Fashion-MNIST sample train");
        Dataset test = Dataset.fromIdx(resource(TEST_IMAGES, 3), resource(TEST_LABELS, 1),
                CLASS_NAMES, "Fashion-MNIST sample test");
        return new FashionMnist(train, test, describe("Fashion-MNIST sample", train, test, where));
    }

    /** A training set and a test set that a run can use: both non-empty, images of one size. */
    static void requireUsable(Dataset train, Dataset test, Path dir) {
        if (train.size() == 0) throw new IllegalArgumentException("the training set in " + dir + " has 0 images; there is nothing to train on");
        if (test.size() == 0) throw new IllegalArgumentException("the test set in " + dir + " has 0 images; there is nothing to test on");
        if (train.height() < 1 || train.width() < 1)
            throw new IllegalArgumentException("the training images in " + dir + " are " + train.height() + "×" + train.width() + " pixels");
        if (test.height() != train.height() || test.width() != train.width() || test.channels() != train.channels())
            throw new IllegalArgumentException("the test images in " + dir + " are " + test.height() + "×" + test.width()
                    + " but the training images are " + train.height() + "×" + train.width() + "; both sets must have one size");
    }

    private static String describe(String what, Dataset train, Dataset test, String where) {
        return what + " (" + train.size() + " train / " + test.size() + " test images) from " + where;
    }

    private static Path find(Path dir, String base) {
        for (String name : new String[] {base + ".gz", base}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) return p;
        }
        throw new IllegalArgumentException("Fashion-MNIST directory " + dir + " has no " + base + ".gz or " + base
                + "; expected the four files train-images-idx3-ubyte, train-labels-idx1-ubyte, "
                + "t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (optionally .gz)");
    }

    private static Idx.Array resource(String base, int rank) throws IOException {
        String path = SAMPLE_RESOURCE_DIR + base + ".gz";
        // Through the class loader, not FashionMnist.class: on the module path a class's own lookup sees only its
        // module, and the sample lives in its own jar (convlab-data-sample), outside every package.
        ClassLoader loader = FashionMnist.class.getClassLoader();
        try (InputStream in = loader == null ? null : loader.getResourceAsStream(path.substring(1))) {
            if (in == null) throw new IllegalStateException("the Fashion-MNIST sample is not on the class path (" + path
                    + "): add the artifact dev.convlab:convlab-data-sample (module convlab.data.sample)");
            return Idx.read(in, "classpath:" + path, rank);
        }
    }
}
