package convlab.kernels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/** The worker team behind every parallel kernel: each part runs exactly once, failures and nesting are safe. */
class ParallelTest {
    private final int before = Parallel.threads();

    @AfterEach
    void restore() { Parallel.setThreads(before); }

    @Test
    void everyPartRunsExactlyOnceOverManySmallJobs() {
        for (int threads : new int[] {2, 3, 8}) {
            Parallel.setThreads(threads);
            for (int round = 0; round < 2_000; round++) {
                int parts = 1 + round % 11;
                AtomicIntegerArray runs = new AtomicIntegerArray(parts);
                Parallel.forEachPart(parts, runs::incrementAndGet);
                for (int p = 0; p < parts; p++) assertEquals(1, runs.get(p), "threads " + threads + " round " + round + " part " + p);
            }
        }
    }

    @Test
    void eachMemberRunsItsOwnPart() {
        // Part 0 on the caller, part 1 on the first worker, every time: a caller that splits the same data the same way
        // in successive calls finds each part in the cache of the core that last touched it. Each part here waits until
        // the other has started, so neither thread can take both, whoever reaches the job first.
        Parallel.setThreads(2);
        for (int round = 0; round < 200; round++) {
            String[] ranOn = new String[2];
            java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(2);
            Parallel.forEachPart(2, p -> {
                ranOn[p] = Thread.currentThread().getName();
                started.countDown();
                await(started);
            });
            assertEquals(Thread.currentThread().getName(), ranOn[0], "round " + round + ": part 0");
            assertEquals("convlab-kernels-1", ranOn[1], "round " + round + ": part 1");
        }
    }

    @Test
    void aNewTeamsWorkerTakesPartInItsFirstJob() {
        // The first job of a new team is published right after its worker thread is started, often before that thread
        // runs. Each part waits until the other has started: the job finishes only if the worker takes part in it.
        for (int round = 0; round < 100; round++) {
            Parallel.setThreads(1);
            Parallel.setThreads(2);
            int r = round;
            java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(2);
            Parallel.forEachPart(2, p -> {
                started.countDown();
                try {
                    assertTrue(started.await(10, java.util.concurrent.TimeUnit.SECONDS), "round " + r + ": hang guard");
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    @Test
    void aFailingPartIsRethrownAfterTheOtherPartsRan() {
        Parallel.setThreads(2);
        AtomicIntegerArray runs = new AtomicIntegerArray(6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallel.forEachPart(6, p -> {
            runs.incrementAndGet(p);
            if (p == 3) throw new IllegalArgumentException("part 3");
        }));
        assertEquals("part 3", e.getMessage());
        for (int p = 0; p < 6; p++) assertEquals(1, runs.get(p));
        // the team still works afterwards
        AtomicIntegerArray again = new AtomicIntegerArray(4);
        Parallel.forEachPart(4, again::incrementAndGet);
        for (int p = 0; p < 4; p++) assertEquals(1, again.get(p));
    }

    @Test
    void aNestedCallRunsItsPartsInline() {
        Parallel.setThreads(2);
        AtomicIntegerArray inner = new AtomicIntegerArray(2 * 5);
        Parallel.forEachPart(2, outer -> Parallel.forEachPart(5, p -> inner.incrementAndGet(outer * 5 + p)));
        for (int i = 0; i < 10; i++) assertEquals(1, inner.get(i));
    }

    @Test
    void callersOnSeveralApplicationThreadsEachGetEveryPart() throws Exception {
        Parallel.setThreads(2);
        int callers = 4, rounds = 500, parts = 7;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(callers);
        for (int c = 0; c < callers; c++) {
            Thread t = new Thread(() -> {
                try {
                    for (int r = 0; r < rounds; r++) {
                        AtomicIntegerArray runs = new AtomicIntegerArray(parts);
                        Parallel.forEachPart(parts, runs::incrementAndGet);
                        for (int p = 0; p < parts; p++) if (runs.get(p) != 1) throw new AssertionError("part " + p + " ran " + runs.get(p) + " times");
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            });
            t.start();
        }
        done.await();
        assertNull(failure.get());
    }

    @Test
    void changingTheThreadCountBetweenJobsKeepsWorking() {
        for (int threads : new int[] {2, 1, 4, 2}) {
            Parallel.setThreads(threads);
            int[] sum = new int[1];
            AtomicIntegerArray runs = new AtomicIntegerArray(9);
            Parallel.forRange(9, 1, (s, e) -> { for (int i = s; i < e; i++) runs.incrementAndGet(i); });
            for (int i = 0; i < 9; i++) sum[0] += runs.get(i);
            assertEquals(9, sum[0]);
        }
    }

    @Test
    void aDeferredTaskRunsOnAWorkerAfterTheNextJobWhileTheCallerGoesOn() {
        // The worker takes the task after its part of the next job; the caller, back from the job, waits here until the
        // task has started on the worker, so a pass proves the two ran at the same time, not one after the other.
        Parallel.setThreads(2);
        for (int round = 0; round < 100; round++) {
            CountDownLatch started = new CountDownLatch(1);
            AtomicReference<String> ranOn = new AtomicReference<>();
            Parallel.Deferred d = Parallel.defer(() -> {
                ranOn.set(Thread.currentThread().getName());
                started.countDown();
            });
            Parallel.forEachPart(2, p -> {});
            try {
                assertTrue(started.await(30, java.util.concurrent.TimeUnit.SECONDS), "round " + round + ": the worker never took the task");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            d.join();
            assertEquals("convlab-kernels-1", ranOn.get(), "round " + round);
        }
    }

    @Test
    void aDeferredTaskWithoutAJobOrWorkerRunsInJoinExactlyOnce() {
        for (int threads : new int[] {1, 2}) {
            Parallel.setThreads(threads);
            java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
            AtomicReference<Thread> ranOn = new AtomicReference<>();
            Parallel.Deferred d = Parallel.defer(() -> { runs.incrementAndGet(); ranOn.set(Thread.currentThread()); });
            assertEquals(0, runs.get(), "threads " + threads + ": not before join or a job");
            d.join();
            d.join();
            assertEquals(1, runs.get(), "threads " + threads);
            assertSame(Thread.currentThread(), ranOn.get(), "threads " + threads + ": no job followed, so join ran it");
        }
    }

    @Test
    void everyDeferredTaskRunsExactlyOnceAmongManyJobs() {
        // Tasks handed over between jobs of every size, some replaced in the team's slot by the next before a worker
        // took them; each must run once, before its join returns, whoever ran it.
        for (int threads : new int[] {2, 3}) {
            Parallel.setThreads(threads);
            for (int round = 0; round < 2_000; round++) {
                java.util.concurrent.atomic.AtomicInteger a = new java.util.concurrent.atomic.AtomicInteger(), b = new java.util.concurrent.atomic.AtomicInteger();
                Parallel.Deferred first = Parallel.defer(a::incrementAndGet);
                if (round % 3 == 0) Parallel.forEachPart(1 + round % 5, p -> {});
                Parallel.Deferred second = Parallel.defer(b::incrementAndGet);
                Parallel.forEachPart(1 + round % 7, p -> {});
                second.join();
                first.join();
                assertEquals(1, a.get(), "threads " + threads + " round " + round);
                assertEquals(1, b.get(), "threads " + threads + " round " + round);
            }
        }
    }

    @Test
    void aDeferredTasksFailureIsRethrownByJoinAndItsParallelCallsRunOnItsThread() {
        Parallel.setThreads(2);
        AtomicReference<String> partsRanOn = new AtomicReference<>("");
        CountDownLatch taskStarted = new CountDownLatch(1);
        Parallel.Deferred d = Parallel.defer(() -> {
            taskStarted.countDown();
            Parallel.forEachPart(3, p -> partsRanOn.accumulateAndGet(Thread.currentThread().getName(), (x, y) -> x.isEmpty() || x.equals(y) ? y : "several"));
            throw new IllegalStateException("boom");
        });
        // Each part waits until the other has started: the worker takes part in the job, and then takes the task.
        CountDownLatch started = new CountDownLatch(2);
        Parallel.forEachPart(2, p -> {
            started.countDown();
            await(started);
        });
        // Join only once the worker has the task: a join before that runs it here (correctly, but then this test would
        // not see the worker run it; CI once saw "main" when the caller got to join first).
        await(taskStarted);
        IllegalStateException e = assertThrows(IllegalStateException.class, d::join);
        assertEquals("boom", e.getMessage());
        assertEquals("convlab-kernels-1", partsRanOn.get(), "a task's parallel call runs all its parts on the task's thread");
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(30, java.util.concurrent.TimeUnit.SECONDS), "hang guard");
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
