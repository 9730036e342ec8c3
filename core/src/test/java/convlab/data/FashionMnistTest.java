package convlab.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class FashionMnistTest {
    @TempDir Path tmp;

    @Test void embeddedSampleLoads() throws IOException {
        FashionMnist fm = FashionMnist.loadSample();
        assertEquals(6000, fm.train().size());
        assertEquals(1000, fm.test().size());
        assertArrayEquals(new int[] {1, 1, 28, 28}, new int[] {1, fm.train().channels(), fm.train().height(), fm.train().width()});
        for (int c : fm.train().classCounts()) assertEquals(600, c);
        for (int c : fm.test().classCounts()) assertEquals(100, c);
        assertEquals("Ankle boot", fm.train().classNames().get(9));
        assertTrue(fm.source().contains("sample"), fm.source());
        // Pixels are byte/255: within [0, 1], both ends reached, and every value a multiple of 1/255.
        float[] px = fm.train().images().data();
        float min = 1, max = 0;
        for (float v : px) { min = Math.min(min, v); max = Math.max(max, v); }
        assertEquals(0f, min);
        assertEquals(1f, max);
        for (int i = 0; i < 5000; i++) assertEquals(Math.round(px[i] * 255) / 255f, px[i]);
        // The very first training image of Fashion-MNIST is an ankle boot (label 9).
        assertEquals(9, fm.train().label(0));
    }

    @Test void directoryGivenByUser() throws IOException {
        byte[] img = new byte[2 * 28 * 28];
        img[5] = (byte) 255;
        Idx.write(tmp.resolve("train-images-idx3-ubyte.gz"), new int[] {2, 28, 28}, img, true);
        Idx.write(tmp.resolve("train-labels-idx1-ubyte"), new int[] {2}, new byte[] {3, 4}, false);
        Idx.write(tmp.resolve("t10k-images-idx3-ubyte"), new int[] {1, 28, 28}, new byte[784], false);
        Idx.write(tmp.resolve("t10k-labels-idx1-ubyte.gz"), new int[] {1}, new byte[] {9}, true);
        FashionMnist fm = FashionMnist.load(tmp);
        assertEquals(2, fm.train().size());
        assertEquals(1f, fm.train().images().data()[5]);
        assertArrayEquals(new int[] {3, 4}, fm.train().labels());
        assertTrue(fm.source().contains("folder " + tmp), fm.source());   // a Java caller's words; the CLI's: "--data DIR"
        String cli = convlab.OptionNames.call(convlab.OptionNames.COMMAND_LINE, () -> FashionMnist.load(tmp)).source();
        assertTrue(cli.contains("--data " + tmp), cli);
    }

    @Test void missingFilesAreNamed() throws IOException {
        Files.createDirectories(tmp.resolve("empty"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FashionMnist.load(tmp.resolve("empty")));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FashionMnist.load(tmp.resolve("nope")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test void defaultPrefersDebianPackage() throws IOException {
        FashionMnist fm = FashionMnist.load(null);
        if (Files.isRegularFile(Path.of(FashionMnist.DEBIAN_DIR, "train-images-idx3-ubyte.gz"))) {
            assertEquals(60000, fm.train().size());
            assertEquals(10000, fm.test().size());
            assertTrue(fm.source().contains("Debian"), fm.source());
        } else {
            assertTrue(fm.source().contains("sample"), fm.source());
        }
    }
}
