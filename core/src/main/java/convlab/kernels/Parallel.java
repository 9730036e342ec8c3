package convlab.kernels;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The thread budget of all kernels. Work is split into a fixed number of parts that depends only on
 * the thread count and the problem size, never on timing, so results are bitwise reproducible for a
 * given thread count: which thread runs a part never changes what the part computes.
 *
 * <p>The parts run on a small team of persistent worker threads that spin for a short while after each job
 * before they park. A training step makes a few dozen parallel calls of 10–200 µs each (batch 64, 10
 * channels); handing each to a parked thread (a ForkJoinPool, before) cost a wake-up of tens of
 * microseconds per call, and the second core sat idle through it. The spin ({@link #SPIN_NANOS}) is a
 * latency bound, not a CPU-specific tuning: it only has to outlast the serial gap between two parallel
 * calls of one step, and an idle team parks after it.
 */
public final class Parallel {
    private static volatile int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    private static volatile Team team;

    private Parallel() {}

    public static int threads() { return threads; }

    /** Most threads a run may ask for (docs/RELIABILITY.md). */
    public static final int MAX_THREADS = 1024;

    /** How long an idle worker (or a caller waiting for its parts) spins before it parks. */
    static final long SPIN_NANOS = 100_000;

    /** Sets the number of threads kernels may use (1 = run on the caller's thread only). */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("thread count must be >= 1, got " + n);
        if (n > MAX_THREADS) throw new IllegalArgumentException("thread count must be at most " + MAX_THREADS + ", got " + n);
        if (n != threads && team != null) { team.stop(); team = null; }
        threads = n;
    }

    private static synchronized Team team() {
        if (team == null) team = new Team(threads - 1);
        return team;
    }

    /**
     * Runs body.accept(part) for part in [0, parts), in parallel when threads() > 1. The caller's thread
     * takes parts too, so a single part costs no hand-off. A call made while the team is busy (from inside a
     * part, or from a second thread of the application) runs its parts in order on its own thread.
     * The first exception of a part is rethrown after every part has run.
     */
    public static void forEachPart(int parts, IntConsumer body) {
        if (parts <= 0) return;
        if (parts == 1 || threads == 1 || Thread.currentThread() instanceof Worker) {   // a worker inside a deferred task
            for (int p = 0; p < parts; p++) body.accept(p);
            return;
        }
        Team t = team();
        if (!t.run(parts, body)) {
            for (int p = 0; p < parts; p++) body.accept(p);
        }
    }

    /** Splits [0, n) into at most threads() contiguous ranges of near-equal size: range(part) = [start, end). */
    public static void forRange(int n, int minPerPart, RangeBody body) {
        int parts = Math.max(1, Math.min(threads, n / Math.max(1, minPerPart)));
        forEachPart(parts, p -> body.run((int) ((long) n * p / parts), (int) ((long) n * (p + 1) / parts)));
    }

    @FunctionalInterface
    public interface RangeBody { void run(int start, int end); }

    /**
     * Hands a task to a worker, to run once the worker has done its part of the caller's next parallel job: a training
     * step's serial stretch (the small layers, the loss) usually follows its first large product, and the worker, idle
     * there, does the task meanwhile (the data loader converts the next batch). {@link Deferred#join} returns once the
     * task has run, and runs it on the calling thread if no worker has started it, so the task always runs exactly
     * once, before join returns, whatever the timing: with one thread, no job to follow, or a worker that is late.
     * Parallel calls inside the task run on the worker alone. One task waits in the team at a time: a second
     * {@code defer} before the first has started leaves the first to its own join.
     */
    public static Deferred defer(Runnable task) {
        if (threads == 1 || Thread.currentThread() instanceof Worker) return new Deferred(task, Long.MAX_VALUE);
        Team t = team();
        Deferred d = new Deferred(task, t.generation);
        t.deferred.set(d);
        return d;
    }

    /** A task of {@link #defer}: pending, then run by the first of a worker and {@link #join} to claim it. */
    public static final class Deferred {
        private static final int PENDING = 0, RUNNING = 1, DONE = 2;
        private final Runnable task;
        private final AtomicInteger state = new AtomicInteger(PENDING);
        private volatile Thread waiter;
        private Throwable failure;   // written before state turns DONE (a volatile write), read after seeing DONE
        /** The team's job number when the task was handed over: a worker takes it only after a later job. */
        private final long afterGeneration;

        private Deferred(Runnable task, long afterGeneration) {
            this.task = task;
            this.afterGeneration = afterGeneration;
        }

        /** Runs the task if nobody has claimed it yet; true if this thread ran it. */
        boolean runIfPending() {
            if (!state.compareAndSet(PENDING, RUNNING)) return false;
            try {
                task.run();
            } catch (Throwable e) {
                failure = e;
            } finally {
                state.set(DONE);
                Thread w = waiter;
                if (w != null) LockSupport.unpark(w);
            }
            return true;
        }

        /** Returns once the task has run (running it here if it has not started); rethrows what it threw. */
        public void join() {
            if (!runIfPending()) {
                waiter = Thread.currentThread();
                long spinUntil = System.nanoTime() + SPIN_NANOS;
                while (state.get() != DONE) {
                    if (System.nanoTime() < spinUntil) Thread.onSpinWait();
                    else LockSupport.parkNanos(this, 200_000);   // the worker unparks us; the timeout is a safety net
                }
            }
            rethrow(failure);
        }
    }

    /** Throws what a part or a deferred task threw, on the thread that waited for it (checked ones wrapped). */
    private static void rethrow(Throwable f) {
        if (f instanceof RuntimeException re) throw re;
        if (f instanceof Error err) throw err;
        if (f != null) throw new IllegalStateException(f);
    }

    /**
     * One job. Part p belongs to team member p (the caller is member 0, worker i member i): each runs its own part
     * first, then claims whatever parts are left from {@code next}, so a member that is late (parked, or its core
     * taken by another thread) has its part done by the others instead of stalling the job. Why own parts: a caller
     * that splits the same data the same way in successive calls (a linear layer's weight rows in its forward, weight
     * gradient and update) then finds each part in the cache of the core that last touched it. First come, first
     * served (before), the worker often took part 0 while the caller was still waking it, and on the 2-core EPYC a
     * part read from the other core's cache made the MLP's forward product 27 µs (25%) slower.
     */
    private static final class Job {
        final IntConsumer body;
        final int parts;
        final Thread caller = Thread.currentThread();
        final AtomicInteger next = new AtomicInteger();
        /** 1 once a part is taken: by its owner, or by the member {@code next} hands it to. */
        final AtomicIntegerArray taken;
        final AtomicInteger unfinished;
        volatile Throwable failure;

        Job(int parts, IntConsumer body) {
            this.parts = parts;
            this.body = body;
            this.taken = new AtomicIntegerArray(parts);
            this.unfinished = new AtomicInteger(parts);
        }

        /** Runs member's own part, if it is still free, then parts until none is left to claim. */
        void work(int member) {
            if (member < parts && taken.compareAndSet(member, 0, 1)) run(member);
            for (int p; (p = next.getAndIncrement()) < parts; )
                if (taken.compareAndSet(p, 0, 1)) run(p);
        }

        private void run(int p) {
            try {
                body.accept(p);
            } catch (Throwable e) {
                synchronized (this) { if (failure == null) failure = e; }
            } finally {
                if (unfinished.decrementAndGet() == 0 && Thread.currentThread() != caller) LockSupport.unpark(caller);
            }
        }
    }

    /** {@code size} daemon workers; one job at a time. */
    private static final class Team {
        private final Worker[] workers;
        private final AtomicBoolean inUse = new AtomicBoolean();
        private volatile Job job;
        /** Bumped for every job (and to stop): a worker runs a job when it sees a number it has not seen. */
        private volatile long generation;
        private volatile boolean stopped;
        /** The task of {@link Parallel#defer} for the next worker that finishes a part of a later job, or null. */
        final AtomicReference<Deferred> deferred = new AtomicReference<>();

        Team(int size) {
            workers = new Worker[size];
            for (int i = 0; i < size; i++) {
                workers[i] = new Worker(this, i + 1);
                workers[i].start();
            }
        }

        /** Runs the job on the team; false when the team is busy (the caller then runs the parts itself). */
        boolean run(int parts, IntConsumer body) {
            if (!inUse.compareAndSet(false, true)) return false;
            Job j = new Job(parts, body);
            try {
                job = j;
                generation++;   // only the thread holding inUse writes it
                for (Worker w : workers) if (w.parked) LockSupport.unpark(w);
                j.work(0);
                long spinUntil = System.nanoTime() + SPIN_NANOS;
                while (j.unfinished.get() > 0) {
                    if (System.nanoTime() < spinUntil) Thread.onSpinWait();
                    else LockSupport.parkNanos(this, 200_000);   // the last part's thread unparks us; the timeout is a safety net
                }
            } finally {
                job = null;
                inUse.set(false);
            }
            rethrow(j.failure);
            return true;
        }

        void stop() {
            stopped = true;
            generation++;
            for (Worker w : workers) LockSupport.unpark(w);
        }
    }

    private static final class Worker extends Thread {
        private final Team team;
        /** This worker's part of every job (the caller's is 0). */
        private final int member;
        volatile boolean parked;
        /**
         * The generation before the team's first job, read when the worker is made. A thread may start running after the
         * first jobs are published: reading the generation then took their number for one already seen, and the worker
         * sat those jobs out (the caller ran all their parts; a job whose parts wait for each other never finished).
         */
        private final long startGeneration;

        Worker(Team team, int member) {
            super("convlab-kernels-" + member);
            this.team = team;
            this.member = member;
            this.startGeneration = team.generation;
            setDaemon(true);
        }

        @Override
        public void run() {
            long seen = startGeneration;
            while (true) {
                long spinUntil = System.nanoTime() + SPIN_NANOS;
                long g;
                while ((g = team.generation) == seen && !team.stopped) {
                    if (System.nanoTime() < spinUntil) {
                        Thread.onSpinWait();
                    } else {
                        // Announce the park, then look once more: a job published in between is seen here, or
                        // its publisher sees `parked` and unparks us (both fields are volatile).
                        parked = true;
                        if (team.generation == seen && !team.stopped) LockSupport.park(this);
                        parked = false;
                        spinUntil = System.nanoTime() + SPIN_NANOS;
                    }
                }
                seen = g;
                if (team.stopped) return;
                Job j = team.job;
                if (j != null) j.work(member);
                // Also when the job was over before this worker got to it (the caller ran its part). Not a task handed
                // over while this job was ending: that one waits for the job after it.
                Deferred d = team.deferred.get();
                if (d != null && g > d.afterGeneration && team.deferred.compareAndSet(d, null)) d.runIfPending();
            }
        }
    }
}
