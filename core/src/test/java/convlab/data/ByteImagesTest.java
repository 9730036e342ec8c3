package convlab.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Byte-stored images convert with vectors (and a scalar tail): every byte value must give exactly b / 255f. */
class ByteImagesTest {
    @Test void everyByteValueConvertsBitwiseAtEveryPosition() {
        // 256 images of 28×28 (a multiple of every vector width) and of 5×7 (a short tail), each byte value at
        // every position of some image.
        for (int[] hw : new int[][] {{28, 28}, {5, 7}, {1, 1}}) {
            int per = hw[0] * hw[1], n = 256;
            byte[] px = new byte[n * per];
            for (int i = 0; i < n; i++) for (int k = 0; k < per; k++) px[i * per + k] = (byte) (i + k);
            Dataset d = Dataset.ofUnsignedBytes(px, new int[] {n, 1, hw[0], hw[1]}, new int[n], List.of("only"), "bytes");
            float[] out = new float[per + 3];
            for (int i = 0; i < n; i++) {
                d.copyImage(i, out, 3);
                for (int k = 0; k < per; k++)
                    assertEquals(Float.floatToRawIntBits(((i + k) & 0xFF) / 255f), Float.floatToRawIntBits(out[3 + k]),
                            hw[0] + "x" + hw[1] + " image " + i + " pixel " + k);
            }
        }
    }
}
