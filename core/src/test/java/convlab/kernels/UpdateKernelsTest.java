package convlab.kernels;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The vectorized optimizer updates give bitwise the scalar rule's result, for every range, flag and special value
 * (any NaN equals any NaN: a NaN's sign bit is whatever the instruction that made it chose, in either version).
 */
class UpdateKernelsTest {
    private static final float[] SPECIAL = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.MIN_VALUE, -Float.MIN_NORMAL, Float.MAX_VALUE, 1e-30f, -3.5f};

    private static void scalarSgdMomentum(float[] w, float[] g, float[] buf, int from, int to,
                                          float lr, float wd, float mom, float damp, boolean first, boolean nesterov) {
        for (int i = from; i < to; i++) {
            float di = g[i] + wd * w[i];
            float bi = first ? di : mom * buf[i] + damp * di;
            buf[i] = bi;
            w[i] -= lr * (nesterov ? di + mom * bi : bi);
        }
    }

    private static float[] values(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = r.nextInt(8) == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : (float) r.nextGaussian();
        return a;
    }

    @Test void sgdMatchesTheScalarRuleBitForBit() {
        Random r = new Random(19);
        int lanes = Vectors.lanes();
        for (int trial = 0; trial < 400; trial++) {
            int n = 1 + r.nextInt(5 * lanes + 3);
            int from = r.nextInt(n), to = from + r.nextInt(n - from + 1);
            float[] w = values(r, n), g = values(r, n);
            float lr = (float) r.nextDouble(), wd = r.nextBoolean() ? 0f : (float) r.nextDouble() * 1e-2f;
            float[] w2 = w.clone();
            UpdateKernels.sgd(w, g, from, to, lr, wd);
            for (int i = from; i < to; i++) w2[i] -= lr * (g[i] + wd * w2[i]);
            for (int i = 0; i < n; i++)
                assertEquals(Float.floatToIntBits(w2[i]), Float.floatToIntBits(w[i]), "trial " + trial + " element " + i + " of [" + from + ", " + to + ")");
        }
    }

    @Test void sgdMomentumMatchesTheScalarRuleBitForBit() {
        Random r = new Random(17);
        int lanes = Vectors.lanes();
        for (int trial = 0; trial < 400; trial++) {
            int n = 1 + r.nextInt(5 * lanes + 3);
            int from = r.nextInt(n), to = from + r.nextInt(n - from + 1);
            float[] w = values(r, n), g = values(r, n), buf = values(r, n);
            float lr = (float) r.nextDouble(), wd = r.nextBoolean() ? 0f : (float) r.nextDouble() * 1e-2f;
            float mom = (float) r.nextDouble(), damp = r.nextBoolean() ? 1f : (float) r.nextDouble();
            boolean first = r.nextInt(4) == 0, nesterov = r.nextBoolean();
            float[] w2 = w.clone(), buf2 = buf.clone();
            UpdateKernels.sgdMomentum(w, g, buf, from, to, lr, wd, mom, damp, first, nesterov);
            scalarSgdMomentum(w2, g, buf2, from, to, lr, wd, mom, damp, first, nesterov);
            for (int i = 0; i < n; i++) {
                String where = "trial " + trial + " element " + i + " of [" + from + ", " + to + ")";
                assertEquals(Float.floatToIntBits(w2[i]), Float.floatToIntBits(w[i]), where + " weight");
                assertEquals(Float.floatToIntBits(buf2[i]), Float.floatToIntBits(buf[i]), where + " buffer");
            }
        }
    }
}
