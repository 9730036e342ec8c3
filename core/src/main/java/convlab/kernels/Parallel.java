package convlab.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The thread budget of all kernels. Work is split into a fixed number of parts that depends only on
 * the thread count and the problem size, never on timing, so results are bitwise reproducible for a
 * given thread count.
 */
public final class Parallel {
    private static volatile int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    private static volatile ForkJoinPool pool;

    private Parallel() {}

    public static int threads() { return threads; }

    /** Sets the number of threads kernels may use (1 = run on the caller's thread only). */
    /** Most threads a run may ask for (docs/RELIABILITY.md). */
    public static final int MAX_THREADS = 1024;

    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("thread count must be >= 1, got " + n);
        if (n > MAX_THREADS) throw new IllegalArgumentException("thread count must be at most " + MAX_THREADS + ", got " + n);
        if (n != threads && pool != null) { pool.shutdown(); pool = null; }
        threads = n;
    }

    private static synchronized ForkJoinPool pool() {
        if (pool == null) pool = new ForkJoinPool(threads);
        return pool;
    }

    /**
     * Runs body.accept(part) for part in [0, parts), in parallel when threads() > 1.
     * The caller's thread runs part 0, so a single part costs no hand-off.
     */
    public static void forEachPart(int parts, IntConsumer body) {
        if (parts <= 0) return;
        if (parts == 1 || threads == 1) {
            for (int p = 0; p < parts; p++) body.accept(p);
            return;
        }
        ForkJoinPool fj = pool();
        List<Future<?>> futures = new ArrayList<>(parts - 1);
        for (int p = 1; p < parts; p++) {
            final int part = p;
            futures.add(fj.submit(() -> body.accept(part)));
        }
        body.accept(0);
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) throw re;
                if (cause instanceof Error err) throw err;
                throw new IllegalStateException(cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /** Splits [0, n) into at most threads() contiguous ranges of near-equal size: range(part) = [start, end). */
    public static void forRange(int n, int minPerPart, RangeBody body) {
        int parts = Math.max(1, Math.min(threads, n / Math.max(1, minPerPart)));
        forEachPart(parts, p -> body.run((int) ((long) n * p / parts), (int) ((long) n * (p + 1) / parts)));
    }

    @FunctionalInterface
    public interface RangeBody { void run(int start, int end); }
}
