package convlab.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.*;

class IdxTest {
    @TempDir Path tmp;

    private static byte[] values(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 37 + 200);   // covers values above 127
        return b;
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(out)) { g.write(raw); }
        return out.toByteArray();
    }

    private IllegalArgumentException readFails(byte[] fileBytes, int rank) throws IOException {
        Path p = tmp.resolve("bad-file");
        Files.write(p, fileBytes);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Idx.read(p, rank));
        assertTrue(e.getMessage().contains(p.toString()), "message names the file: " + e.getMessage());
        return e;
    }

    @Test void roundTripRawAndGzip() throws IOException {
        int[] dims = {3, 4, 5};
        byte[] data = values(60);
        for (boolean gz : new boolean[] {false, true}) {
            Path p = tmp.resolve("x" + gz);
            Idx.write(p, dims, data, gz);
            byte[] head = Arrays.copyOf(Files.readAllBytes(p), 4);
            if (gz) assertEquals(0x1f, head[0] & 0xFF); else assertArrayEquals(new byte[] {0, 0, 8, 3}, head);
            Idx.Array a = Idx.read(p, 3);
            assertArrayEquals(dims, a.dims());
            assertArrayEquals(data, a.data());
            assertEquals(200, a.unsigned(0));
        }
        // Header layout: big-endian dims.
        byte[] enc = Idx.encode(new int[] {258}, values(258));
        assertArrayEquals(new byte[] {0, 0, 8, 1, 0, 0, 1, 2}, Arrays.copyOf(enc, 8));
    }

    @Test void badMagicAndType() throws IOException {
        String m = readFails(new byte[] {'P', 'K', 3, 4, 0, 0}, 1).getMessage();
        assertTrue(m.contains("not an IDX file") && m.contains("50 4b 03 04"), m);
        byte[] floats = Idx.encode(new int[] {2}, new byte[2]);
        floats[2] = 0x0D;
        m = readFails(floats, 1).getMessage();
        assertTrue(m.contains("data type 0x0d") && m.contains("unsigned bytes"), m);
    }

    @Test void wrongRank() throws IOException {
        String m = readFails(Idx.encode(new int[] {2, 2}, new byte[4]), 3).getMessage();
        assertTrue(m.contains("rank 2, expected 3"), m);
    }

    @Test void truncatedHeaderAndData() throws IOException {
        byte[] full = Idx.encode(new int[] {10, 28, 28}, values(10 * 784));
        assertTrue(readFails(Arrays.copyOf(full, 2), 3).getMessage().contains("truncated"));
        String m = readFails(Arrays.copyOf(full, 9), 3).getMessage();
        assertTrue(m.contains("truncated inside its header") && m.contains("need 12 bytes, found 5"), m);
        m = readFails(Arrays.copyOf(full, full.length - 100), 3).getMessage();
        assertTrue(m.contains("truncated") && m.contains("10x28x28 = 7840 values, but only 7740 follow"), m);
        // The same through gzip.
        m = readFails(gzip(Arrays.copyOf(full, full.length - 100)), 3).getMessage();
        assertTrue(m.contains("(gzip)") && m.contains("only 7740 follow"), m);
        // A gzip stream cut in the middle.
        byte[] gz = gzip(full);
        m = readFails(Arrays.copyOf(gz, gz.length / 2), 3).getMessage();
        assertTrue(m.contains("truncated or corrupt") && m.contains("gzip"), m);
    }

    @Test void extraBytesAreRejected() throws IOException {
        byte[] full = Idx.encode(new int[] {4}, values(4));
        String m = readFails(Arrays.copyOf(full, full.length + 3), 1).getMessage();
        assertTrue(m.contains("extra bytes"), m);
    }

    @Test void absurdHeaderFailsWithoutAllocating() throws IOException {
        // 0x7fffffff x 0x7fffffff x 0x7fffffff values would be ~10^28 bytes.
        byte[] huge = {0, 0, 8, 3, 0x7f, -1, -1, -1, 0x7f, -1, -1, -1, 0x7f, -1, -1, -1, 1, 2, 3};
        String m = readFails(huge, 3).getMessage();
        assertTrue(m.contains("more than") && m.contains("corrupt"), m);
        // A dimension with the top bit set is not a size.
        byte[] negative = {0, 0, 8, 1, (byte) 0x80, 0, 0, 0};
        assertTrue(readFails(negative, 1).getMessage().contains("not a valid size"));
        // Plausible but large claim (1.9 GB) with 3 bytes of data: "truncated", not OutOfMemoryError.
        byte[] big = {0, 0, 8, 1, 0x70, 0, 0, 0, 1, 2, 3};
        assertTrue(readFails(big, 1).getMessage().contains("only 3 follow"));
        assertTrue(readFails(gzip(big), 1).getMessage().contains("only 3 follow"));
    }

    @Test void imageLabelCountMismatch() {
        Idx.Array images = new Idx.Array(new int[] {3, 2, 2}, new byte[12]);
        Idx.Array labels = new Idx.Array(new int[] {4}, new byte[4]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.fromIdx(images, labels, List.of("a", "b"), "toy"));
        assertTrue(e.getMessage().contains("3 images but the label file holds 4 labels"), e.getMessage());
        Idx.Array badLabels = new Idx.Array(new int[] {3}, new byte[] {0, 1, 7});
        e = assertThrows(IllegalArgumentException.class, () -> Dataset.fromIdx(images, badLabels, List.of("a", "b"), "toy"));
        assertTrue(e.getMessage().contains("label 7 of example 2"), e.getMessage());
    }

    @Test void streamReaderNamesTheSource() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Idx.read(new ByteArrayInputStream(new byte[] {0}), "classpath:thing", 1));
        assertTrue(e.getMessage().startsWith("classpath:thing"), e.getMessage());
    }
}
