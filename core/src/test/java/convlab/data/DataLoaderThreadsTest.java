package convlab.data;

import convlab.kernels.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A large batch's images are copied (and converted from bytes) by the kernel threads: the batches must not depend on it. */
class DataLoaderThreadsTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach void restoreThreads() { Parallel.setThreads(savedThreads); }

    private static List<float[]> epoch(int threads) {
        Parallel.setThreads(threads);
        int n = 1203, per = 28 * 28;   // a batch of 1,000 (split between threads) and a tail of 203 (not)
        byte[] px = new byte[n * per];
        for (int i = 0; i < px.length; i++) px[i] = (byte) (i * 31 + i / 7);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % 10;
        Dataset d = Dataset.ofUnsignedBytes(px, new int[] {n, 1, 28, 28}, labels,
                List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), "bytes");
        DataLoader l = new DataLoader(d, 1000, true, false, 7);
        List<float[]> out = new ArrayList<>();
        while (l.hasNext()) {
            Batch b = l.next();
            out.add(b.inputs().data().clone());
            float[] lab = new float[b.size()];
            for (int k = 0; k < b.size(); k++) {
                lab[k] = b.labels()[k];
                assertEquals(labels[b.indices()[k]], b.labels()[k]);
            }
            out.add(lab);
        }
        return out;
    }

    @Test void oneAndTwoThreadsGiveTheSameBatches() {
        List<float[]> one = epoch(1), two = epoch(2);
        assertEquals(one.size(), two.size());
        for (int i = 0; i < one.size(); i++) assertArrayEquals(one.get(i), two.get(i), "batch part " + i);
    }
}
