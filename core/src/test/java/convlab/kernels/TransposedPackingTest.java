package convlab.kernels;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static convlab.kernels.SimdGemmTiles.NR;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The transposed packing of B ({@link SimdGemm#packB} with transB, through {@link Transpose8} where the kernels have 8
 * lanes or more) against its definition, bit for bit: sliver s, depth p, column j holds b[(jc + s·NR + j)·ldb + pc + p],
 * and zeros past the last column. Depths that are and are not multiples of 8, full and partial slivers, offsets, padded
 * rows, and NaNs with payloads (a copy must not touch them). Runs at 512 and at 256 bits (core's two test executions).
 */
class TransposedPackingTest {
    private static final int[] DEPTHS = {1, 7, 8, 9, 16, 63, 64, 65, 784};

    @Test void everyShapeIsBitwiseTheDefinition() {
        SplittableRandom rnd = new SplittableRandom(17);
        for (int kc : DEPTHS)
            for (int nc : new int[] {1, 5, NR - 1, NR, NR + 3, 2 * NR, 3 * NR + 5}) {
                int pc = rnd.nextInt(4), jc = rnd.nextInt(3), pad = rnd.nextInt(5), bOff = rnd.nextInt(9);
                int ldb = pc + kc + pad, rows = jc + nc;
                float[] b = new float[bOff + rows * ldb + 3];
                for (int i = 0; i < b.length; i++)   // any bits at all, NaN payloads and signed zeros included
                    b[i] = Float.intBitsToFloat(rnd.nextInt(8) == 0 ? 0x7FC00000 | rnd.nextInt(1 << 22) : rnd.nextInt());
                int slivers = (nc + NR - 1) / NR;
                float[] dst = new float[slivers * kc * NR];
                java.util.Arrays.fill(dst, Float.intBitsToFloat(0x7F800123));   // garbage that must all be overwritten
                SimdGemm.packB(true, b, bOff, ldb, pc, kc, jc, nc, dst);
                for (int s = 0; s < slivers; s++)
                    for (int p = 0; p < kc; p++)
                        for (int j = 0; j < NR; j++) {
                            int col = s * NR + j;
                            float want = col < nc ? b[bOff + (jc + col) * ldb + pc + p] : 0f;
                            int at = s * kc * NR + p * NR + j;
                            assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(dst[at]),
                                    "kc " + kc + ", nc " + nc + ", sliver " + s + ", depth " + p + ", column " + j);
                        }
            }
    }

    @Test void eightByEightBlocksLeaveTheRestAlone() {
        // Transpose8 writes depths below a multiple of 8 only, and only the columns asked for, at the given stride.
        if (!Transpose8.USED) return;   // 4-lane kernels never call it
        int depth = 21, width = 16, ldSrc = 30, ldDst = 20, s = 4, d = 3;
        float[] src = new float[s + width * ldSrc];
        for (int i = 0; i < src.length; i++) src[i] = i + 0.5f;
        float[] dst = new float[d + depth * ldDst + ldDst];
        java.util.Arrays.fill(dst, -1f);
        Transpose8.columns(src, s, ldSrc, depth, width, dst, d, ldDst);
        for (int i = 0; i < dst.length; i++) {
            int p = (i - d) / ldDst, c = (i - d) % ldDst;
            boolean written = i >= d && p < 16 && c < width;
            assertEquals(written ? src[s + c * ldSrc + p] : -1f, dst[i], "destination index " + i);
        }
    }
}
