package convlab.data;

import convlab.kernels.Parallel;
import convlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class DataLoaderTest {

    /** n examples of 1×2×3 whose pixels encode the example index, labels i % 3. */
    private static Dataset toy(int n) {
        float[] px = new float[n * 6];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 6; k++) px[i * 6 + k] = i + k / 10f;
            y[i] = i % 3;
        }
        return new Dataset(Tensor.of(px, n, 1, 2, 3), y, List.of("a", "b", "c"), "toy");
    }

    private static List<int[]> epoch(DataLoader l) {
        List<int[]> out = new ArrayList<>();
        while (l.hasNext()) out.add(l.next().indices().clone());
        return out;
    }

    @Test void everyIndexOncePerEpochAndBatchContents() {
        Dataset d = toy(23);
        DataLoader l = new DataLoader(d, 5, true, false, 42);
        assertEquals(5, l.batchesPerEpoch());
        for (int e = 0; e < 3; e++) {
            boolean[] seen = new boolean[23];
            int sizes = 0;
            while (l.hasNext()) {
                Batch b = l.next();
                assertArrayEquals(new int[] {b.size(), 1, 2, 3}, b.inputs().shape());
                for (int k = 0; k < b.size(); k++) {
                    int i = b.indices()[k];
                    assertFalse(seen[i], "index " + i + " twice in epoch " + e);
                    seen[i] = true;
                    assertEquals(i % 3, b.labels()[k]);
                    assertEquals(i + 0.5f, b.inputs().data()[k * 6 + 5]);
                }
                sizes += b.size();
            }
            assertEquals(23, sizes);
            for (boolean s : seen) assertTrue(s);
            l.nextEpoch();
        }
    }

    @Test void dropLastAndNoShuffle() {
        DataLoader l = new DataLoader(toy(23), 5, false, true, 1);
        List<int[]> batches = epoch(l);
        assertEquals(4, batches.size());
        assertArrayEquals(new int[] {15, 16, 17, 18, 19}, batches.get(3));
        assertThrows(java.util.NoSuchElementException.class, l::next);
        assertThrows(IllegalArgumentException.class, () -> new DataLoader(toy(3), 5, true, true, 1));
    }

    @Test void sameSeedSameOrderDifferentSeedDifferentOrder() {
        List<int[]> a = epoch(new DataLoader(toy(50), 7, true, false, 9));
        List<int[]> b = epoch(new DataLoader(toy(50), 7, true, false, 9));
        List<int[]> c = epoch(new DataLoader(toy(50), 7, true, false, 10));
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i), b.get(i));
        assertFalse(Arrays.equals(a.get(0), c.get(0)));
        // Epochs differ from each other.
        DataLoader l = new DataLoader(toy(50), 50, true, false, 9);
        int[] first = l.next().indices().clone();
        l.nextEpoch();
        assertFalse(Arrays.equals(first, l.next().indices()));
    }

    @Test void stateRestoresExactly() {
        DataLoader l = new DataLoader(toy(30), 4, true, false, 5);
        epoch(l);
        l.nextEpoch();
        l.next();
        l.next();
        DataLoader.State s = l.state();
        List<int[]> rest = epoch(l);
        l.nextEpoch();
        List<int[]> following = epoch(l);

        DataLoader r = new DataLoader(toy(30), 4, true, false, 12345);   // other seed: the state decides
        r.restore(s);
        assertEquals(1, r.epoch());
        List<int[]> rest2 = epoch(r);
        r.nextEpoch();
        List<int[]> following2 = epoch(r);
        assertEquals(rest.size(), rest2.size());
        for (int i = 0; i < rest.size(); i++) assertArrayEquals(rest.get(i), rest2.get(i));
        for (int i = 0; i < following.size(); i++) assertArrayEquals(following.get(i), following2.get(i));
        assertThrows(IllegalArgumentException.class, () -> r.restore(new DataLoader.State(0, 3, s.rngStateAtEpochStart())));
    }

    @Test void reusedBuffersAreSharedOnlyWhenAsked() {
        int threads = Parallel.threads();
        try {
            Parallel.setThreads(1);
            DataLoader reuse = new DataLoader(toy(10), 4, false, false, 1, true);
            Batch b1 = reuse.next(), b2 = reuse.next(), tail = reuse.next();
            assertSame(b1.inputs(), b2.inputs());
            assertEquals(2, tail.size());
            assertArrayEquals(new int[] {4, 5, 6, 7}, b1.indices());   // b1 now shows b2's contents
            // With a second thread the next batch is made ahead, into the other of two buffers.
            Parallel.setThreads(2);
            DataLoader ahead = new DataLoader(toy(12), 4, false, false, 1, true);
            Batch a1 = ahead.next(), a2 = ahead.next(), a3 = ahead.next();
            assertNotSame(a1.inputs(), a2.inputs());
            assertSame(a1.inputs(), a3.inputs());
            DataLoader fresh = new DataLoader(toy(10), 4, false, false, 1);
            assertNotSame(fresh.next().inputs(), fresh.next().inputs());
        } finally {
            Parallel.setThreads(threads);
        }
    }
}
