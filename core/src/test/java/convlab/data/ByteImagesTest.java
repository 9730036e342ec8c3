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

    @Test void touchingABatchReadsOneValuePerCacheLineAndEachImagesLastWithinBounds() {
        // Dataset.touch reads one value per cache line and each image's last one; its sum shows which were read. Images
        // of 1, 16, 17, 64, 65 and 784 values, touched in a shuffled order, up to the last image of the set.
        for (int per : new int[] {1, 16, 17, 64, 65, 784}) {
            int n = 5;
            byte[] px = new byte[n * per];
            for (int k = 0; k < px.length; k++) px[k] = (byte) (1 + k % 7);
            float[] fl = new float[n * per];
            for (int k = 0; k < fl.length; k++) fl[k] = 1 + k % 7;
            Dataset bytes = Dataset.ofUnsignedBytes(px, new int[] {n, 1, 1, per}, new int[n], List.of("only"), "bytes");
            Dataset floats = new Dataset(convlab.tensor.Tensor.of(fl, n, 1, 1, per), new int[n], List.of("only"), "floats");
            int[] order = {4, 0, 3, 1, 2};
            int wantBytes = 0, wantFloats = 0;
            for (int k = 1; k < 4; k++) {
                int src = order[k] * per, end = src + per - 1;
                for (int j = src; j < end; j += 64) wantBytes += px[j];
                wantBytes += px[end];
                for (int j = src; j < end; j += 16) wantFloats += Float.floatToRawIntBits(fl[j]);
                wantFloats += Float.floatToRawIntBits(fl[end]);
            }
            assertEquals(wantBytes, bytes.touch(order, 1, 4), per + " bytes an image");
            assertEquals(wantFloats, floats.touch(order, 1, 4), per + " floats an image");
            bytes.touch(order, 0, n);   // the set's last image, at the end of the array: within bounds
            floats.touch(order, 0, n);
        }
    }
}
