package convlab.data;

import convlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Byte storage and float32 storage of the same pixels must be indistinguishable to every reader. */
class DatasetTest {
    private static final List<String> CLASSES = List.of("a", "b", "c");

    /** n examples of 2×3×5 with every byte value 0..255 appearing, labels i % 3. */
    private static byte[] bytes(int n) {
        byte[] px = new byte[n * 30];
        for (int k = 0; k < px.length; k++) px[k] = (byte) (k * 7 + k / 256);
        return px;
    }

    private static int[] labels(int n) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = i % 3;
        return y;
    }

    private static Dataset asFloats(byte[] px, int n) {
        float[] f = new float[px.length];
        for (int k = 0; k < f.length; k++) f[k] = (px[k] & 0xFF) / 255f;
        return new Dataset(Tensor.of(f, n, 2, 3, 5), labels(n), CLASSES, "floats");
    }

    @Test void byteStorageReadsAsPixelOver255() {
        int n = 40;
        byte[] px = bytes(n);
        Dataset d = Dataset.ofUnsignedBytes(px, new int[] {n, 2, 3, 5}, labels(n), CLASSES, "bytes");
        assertTrue(d.storesBytes());
        assertFalse(asFloats(px, n).storesBytes());
        assertEquals(n, d.size());
        assertEquals(30, d.imageSize());
        float[] one = new float[32];
        d.copyImage(17, one, 2);
        for (int k = 0; k < 30; k++) assertEquals((px[17 * 30 + k] & 0xFF) / 255f, one[2 + k]);
        assertEquals(0f, one[0]);   // nothing written before the offset
        // images() and image(i) agree bitwise with a float32 dataset of the converted values.
        assertArrayEquals(asFloats(px, n).images().data(), d.images().data());
        assertArrayEquals(new int[] {2, 3, 5}, d.image(3).shape());
        assertArrayEquals(asFloats(px, n).image(3).data(), d.image(3).data());
        assertEquals(1f, Dataset.ofUnsignedBytes(new byte[] {(byte) 255}, new int[] {1, 1, 1, 1}, new int[] {0}, CLASSES, "max")
                .images().data()[0]);
    }

    @Test void loaderBatchesAreTheSameForBothStorages() {
        int n = 37;
        byte[] px = bytes(n);
        Dataset b = Dataset.ofUnsignedBytes(px, new int[] {n, 2, 3, 5}, labels(n), CLASSES, "bytes");
        Dataset f = asFloats(px, n);
        DataLoader lb = new DataLoader(b, 8, true, false, 3, true), lf = new DataLoader(f, 8, true, false, 3);
        for (int e = 0; e < 2; e++) {
            while (lb.hasNext()) {
                Batch x = lb.next(), y = lf.next();
                assertArrayEquals(y.indices(), x.indices());
                assertArrayEquals(y.labels(), x.labels());
                assertArrayEquals(y.inputs().data(), x.inputs().data());
            }
            assertFalse(lf.hasNext());
            lb.nextEpoch();
            lf.nextEpoch();
        }
    }

    @Test void subsetKeepsTheStorage() {
        int n = 12;
        byte[] px = bytes(n);
        Dataset d = Dataset.ofUnsignedBytes(px, new int[] {n, 2, 3, 5}, labels(n), CLASSES, "bytes");
        int[] pick = {11, 0, 5, 5};
        Dataset s = d.subset(pick, "pick"), sf = asFloats(px, n).subset(pick, "pick");
        assertTrue(s.storesBytes());
        assertFalse(sf.storesBytes());
        assertArrayEquals(new int[] {2, 0, 2, 2}, s.labels());
        assertArrayEquals(sf.images().data(), s.images().data());
        assertArrayEquals(d.image(5).data(), s.image(3).data());
        assertThrows(IllegalArgumentException.class, () -> d.subset(new int[] {12}, "out of range"));
    }

    @Test void badShapesAndIndicesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.ofUnsignedBytes(new byte[29], new int[] {1, 2, 3, 5}, new int[] {0}, CLASSES, "short"));
        assertTrue(e.getMessage().contains("needs 30 pixels, got 29"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.ofUnsignedBytes(new byte[30], new int[] {2, 3, 5}, new int[] {0}, CLASSES, "rank 3"));
        assertTrue(e.getMessage().contains("N×C×H×W"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.ofUnsignedBytes(new byte[60], new int[] {2, 2, 3, 5}, new int[] {0}, CLASSES, "labels"));
        assertTrue(e.getMessage().contains("2 images but 1 labels"), e.getMessage());
        Dataset d = Dataset.ofUnsignedBytes(new byte[30], new int[] {1, 2, 3, 5}, new int[] {0}, CLASSES, "one");
        e = assertThrows(IllegalArgumentException.class, () -> d.copyImage(1, new float[30], 0));
        assertTrue(e.getMessage().contains("outside [0, 1)"), e.getMessage());
    }

    @Test void fashionMnistIsStoredAsBytes() throws Exception {
        FashionMnist fm = FashionMnist.loadSample();
        assertTrue(fm.train().storesBytes());
        assertTrue(fm.test().storesBytes());
        assertArrayEquals(Arrays.copyOf(fm.train().images().data(), 784), fm.train().image(0).data());
    }
}
