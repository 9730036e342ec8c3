package convlab.kernels;

import convlab.geometry.ConvGeometry;
import convlab.geometry.PaddingMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fast float32 convolution kernels against the float64 reference loops, over awkward geometries. */
class ConvKernelsTest {
    private final int threadsBefore = Parallel.threads();

    @AfterEach void restoreThreads() { Parallel.setThreads(threadsBefore); }

    /** n, inC, inH, inW, outC, groups, kH, kW, stride h/w, pad top/bottom/left/right, dil h/w, mode. */
    private static final Object[][] GEOMETRIES = {
            {3, 1, 7, 9, 5, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, PaddingMode.ZEROS},       // first layer, C_in = 1
            {2, 3, 5, 6, 4, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, PaddingMode.ZEROS},
            {2, 2, 9, 7, 3, 1, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, PaddingMode.ZEROS},
            {1, 2, 8, 7, 2, 1, 2, 2, 3, 3, 0, 0, 0, 0, 1, 1, PaddingMode.ZEROS},
            {2, 2, 7, 6, 3, 1, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2, PaddingMode.ZEROS},
            {2, 4, 5, 5, 6, 2, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, PaddingMode.ZEROS},
            {3, 3, 6, 5, 3, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, PaddingMode.ZEROS},    // depthwise
            {2, 3, 4, 3, 2, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, PaddingMode.ZEROS},    // 1x1: input is the column matrix
            {2, 3, 5, 4, 2, 1, 1, 1, 2, 2, 0, 0, 0, 0, 1, 1, PaddingMode.ZEROS},
            {2, 2, 6, 7, 3, 1, 2, 3, 2, 1, 1, 1, 2, 2, 1, 1, PaddingMode.ZEROS},
            {2, 2, 5, 6, 3, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, PaddingMode.CIRCULAR},
            {1, 2, 5, 7, 2, 1, 3, 3, 2, 2, 2, 2, 2, 2, 2, 2, PaddingMode.CIRCULAR},
            {2, 2, 5, 4, 3, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, PaddingMode.REFLECT},
            {1, 2, 6, 5, 2, 1, 3, 3, 2, 2, 2, 2, 2, 2, 1, 1, PaddingMode.REFLECT},
            {2, 2, 5, 6, 2, 1, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2, PaddingMode.REPLICATE},
            {2, 2, 5, 6, 2, 1, 4, 4, 1, 1, 1, 2, 1, 2, 1, 1, PaddingMode.REPLICATE},   // "same" with an even kernel
            {5, 3, 1, 17, 4, 1, 1, 5, 1, 2, 0, 0, 2, 2, 1, 1, PaddingMode.ZEROS},   // 1-d as height 1
            {2, 2, 1, 1, 2, 1, 4, 4, 1, 1, 1, 2, 1, 2, 1, 1, PaddingMode.ZEROS},   // padding wider than the input (same, even k, 1x1)
            {4, 16, 14, 14, 32, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, PaddingMode.ZEROS},
            // column matrices deeper than SmallKConv.MAX_K take the GEMM path
            {3, 4, 7, 5, 5, 1, 3, 3, 2, 1, 1, 1, 0, 0, 1, 1, PaddingMode.ZEROS},
            {2, 6, 5, 6, 4, 2, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, PaddingMode.CIRCULAR},
            {2, 5, 6, 6, 3, 1, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2, PaddingMode.REFLECT},
            {2, 28, 3, 5, 3, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, PaddingMode.ZEROS},   // 1x1, deep: GEMM on the input itself
            // several 16-wide output-channel blocks in the weight gradient; a partial block with K = 45 (not a multiple of 6)
            {2, 5, 6, 5, 17, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, PaddingMode.ZEROS},
            // row panels 6 + 4 + 4 (14 output channels) and 6 + 4 + 4 with one spare row (13 input channels)
            {2, 13, 5, 6, 14, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, PaddingMode.ZEROS},
            {1, 8, 4, 5, 7, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, PaddingMode.CIRCULAR},
            {2, 48, 6, 5, 32, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, PaddingMode.ZEROS},
            {2, 64, 5, 4, 64, 2, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, PaddingMode.CIRCULAR},
    };

    private static ConvGeometry geometry(Object[] r) {
        int[] v = new int[16];
        for (int i = 0; i < 16; i++) v[i] = (Integer) r[i];
        return ConvGeometry.conv(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15], (PaddingMode) r[16]);
    }

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextDouble() * 2 - 1);
        return a;
    }

    private static double[] wide(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }

    private static void close(double[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++)
            assertTrue(Math.abs(expected[i] - actual[i]) <= 1e-4 * (1 + Math.abs(expected[i])),
                    what + ": element " + i + " expected " + expected[i] + " but was " + actual[i]);
    }

    @Test
    void fastKernelsMatchReference() {
        Random rnd = new Random(42);
        for (int threads : new int[] {1, 2, 3}) {
            Parallel.setThreads(threads);
            for (Object[] row : GEOMETRIES) {
                ConvGeometry g = geometry(row);
                String what = g + " threads " + threads;
                float[] x = random(rnd, g.inputSize()), w = random(rnd, g.weightSize()), b = random(rnd, g.outC()), gy = random(rnd, g.outputSize());

                double[] yRef = new double[g.outputSize()];
                ConvReference.forward(wide(x), wide(w), wide(b), yRef, g);
                float[] y = random(rnd, g.outputSize());   // garbage in the output must be overwritten
                ConvKernels.forward(x, w, b, y, g, false);
                close(yRef, y, what + " forward");

                float[] yRelu = new float[g.outputSize()];
                ConvKernels.forward(x, w, b, yRelu, g, true);
                for (int i = 0; i < yRef.length; i++) yRef[i] = Math.max(yRef[i], 0);
                close(yRef, yRelu, what + " forward+relu");

                double[] gxRef = new double[g.inputSize()];
                ConvReference.backwardInput(wide(gy), wide(w), gxRef, g);
                float[] gx = random(rnd, g.inputSize());
                ConvKernels.backwardInput(gy, w, gx, g);
                close(gxRef, gx, what + " input gradient");

                double[] gwRef = new double[g.weightSize()];
                ConvReference.backwardWeight(wide(gy), wide(x), gwRef, g);
                float[] gw = random(rnd, g.weightSize());
                ConvKernels.backwardWeight(gy, x, gw, g);
                close(gwRef, gw, what + " weight gradient");

                // all gradients at once, through a fused ReLU's mask (y ≤ 0 blocks the gradient)
                float[] yMask = random(rnd, g.outputSize()), masked = new float[g.outputSize()];
                for (int i = 0; i < masked.length; i++) masked[i] = yMask[i] > 0 ? gy[i] : 0f;
                double[] gbRef = new double[g.outC()];
                ConvReference.backwardInput(wide(masked), wide(w), gxRef, g);
                ConvReference.backwardWeight(wide(masked), wide(x), gwRef, g);
                ConvReference.channelSums(wide(masked), gbRef, g.n(), g.outC(), g.outPlane());
                float[] gb = new float[g.outC()];
                ConvKernels.backward(gy, yMask, x, w, gx, gw, gb, g);
                close(gxRef, gx, what + " masked input gradient");
                close(gwRef, gw, what + " masked weight gradient");
                close(gbRef, gb, what + " masked bias gradient");
                ConvKernels.backwardWeight(gy, x, gw, g);

                float[] gw2 = new float[g.weightSize()];
                ConvKernels.backwardWeight(gy, x, gw2, g);
                assertArrayEquals(gw, gw2, what + ": same thread count must give bitwise identical weight gradients");
            }
        }
    }

    @Test
    void channelSumsMatchReference() {
        Random rnd = new Random(7);
        float[] gy = random(rnd, 3 * 5 * 11);
        float[] gb = new float[5];
        double[] ref = new double[5];
        ConvKernels.channelSums(gy, gb, 3, 5, 11);
        ConvReference.channelSums(wide(gy), ref, 3, 5, 11);
        close(ref, gb, "channel sums");
    }
}
