package convlab.data;

import convlab.kernels.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /** Every batch of three epochs (contents, labels, indices, copied out), the loader restored to a saved state mid-way. */
    private static List<float[]> batchesMadeAhead(int threads, boolean reuse) {
        Parallel.setThreads(threads);
        int n = 203, per = 28 * 28;   // batches of 64 and a tail of 11
        byte[] px = new byte[n * per];
        for (int i = 0; i < px.length; i++) px[i] = (byte) (i * 29 + i / 5);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = (i * 7) % 10;
        Dataset d = Dataset.ofUnsignedBytes(px, new int[] {n, 1, 28, 28}, labels,
                List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), "bytes");
        DataLoader l = new DataLoader(d, 64, true, false, 3, reuse);
        List<float[]> out = new ArrayList<>();
        DataLoader.State saved = null;
        for (int e = 0; e < 3; e++) {
            while (l.hasNext()) {
                Batch b = l.next();
                float[] before = b.inputs().data().clone();
                // A parallel job, as a training step's first product: a worker then writes the following batch. The
                // batch handed out must not change meanwhile. Every member takes part in both jobs, so the worker has
                // made the next batch (if it took that task) before the second job ends.
                everyThreadTakesPart();
                everyThreadTakesPart();
                assertArrayEquals(before, b.inputs().data(), "a batch changed while the next one was being made");
                out.add(before);
                float[] meta = new float[2 * b.size()];
                for (int k = 0; k < b.size(); k++) {
                    meta[k] = b.labels()[k];
                    meta[b.size() + k] = b.indices()[k];
                }
                out.add(meta);
                if (e == 1 && saved == null) saved = l.state();
            }
            l.nextEpoch();
        }
        l.restore(saved);   // back into epoch 2 after its first batch, with a batch made ahead for another epoch
        while (l.hasNext()) out.add(l.next().inputs().data().clone());
        l.nextEpoch();
        out.add(l.next().inputs().data().clone());
        l.nextEpoch();   // mid-epoch, with the next batch being made ahead
        out.add(l.next().inputs().data().clone());
        return out;
    }

    /** A parallel job that ends only once each thread of the team has run a part of it. */
    private static void everyThreadTakesPart() {
        int parts = Parallel.threads();
        CountDownLatch started = new CountDownLatch(parts);
        Parallel.forEachPart(parts, p -> {
            started.countDown();
            try {
                assertTrue(started.await(30, TimeUnit.SECONDS), "hang guard");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test void batchesMadeAheadOnAWorkerAreTheBatchesMadeInTurn() {
        List<float[]> plain = batchesMadeAhead(1, false);
        for (int threads : new int[] {1, 2, 3}) {
            List<float[]> reused = batchesMadeAhead(threads, true);
            assertEquals(plain.size(), reused.size());
            for (int i = 0; i < plain.size(); i++) assertArrayEquals(plain.get(i), reused.get(i), threads + " threads, part " + i);
        }
    }
}
