package convlab.tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reuse of a training step's large float32 buffers by the next step, for a loop whose steps allocate the same
 * tensors every time (activations, their gradients, masks).
 *
 * <p>Why: a convolutional network's step allocates tens of megabytes of tensors that die at the end of the step.
 * Left to the garbage collector, the ones alive at a collection (most of them, during backward) are copied and
 * promoted, and the old generation fills with them: on the wide batch-norm CNN that was a fifth of the training
 * time in young-generation pauses and a 2 GB resident set. With an arena, each step takes back the previous
 * step's arrays (of the same lengths), so the garbage collector sees almost nothing.
 *
 * <p>Use: {@link #begin} before a step's forward pass makes the arena current on the calling thread and frees
 * every array it handed out in the previous step; {@link #pause} after the backward pass stops handing out. While
 * current, {@link Tensor#zeros} takes float32 arrays of at least {@link #MIN_FLOATS} elements from here (zeroed,
 * as always). The contract is the caller's: no tensor created between begin and pause may be read after the
 * next begin. Gradients of leaves (parameters) are the exception the library keeps itself: they never live in
 * an arena ({@link #holds}, {@link #suspended}), since they are read and reused across steps.
 *
 * <p>Only the thread that called begin uses the arena. Arrays no step has taken for two steps are dropped, so a
 * smaller last batch does not keep a second set alive.
 */
public final class StepArena implements AutoCloseable {
    /** Smaller arrays are left to the allocator: young-generation garbage is cheap, only big arrays hurt. */
    public static final int MIN_FLOATS = 1 << 14;

    private static final ThreadLocal<StepArena> CURRENT = new ThreadLocal<>();

    /**
     * Free arrays by length, each list a stack (the last freed is taken first). Lists rather than ArrayDeques: an
     * ArrayDeque's removeIf branches on whether its ring has wrapped, which depends on how many arrays went through it,
     * so the training's arena took a branch the warm-up's never had and threw StepArena.begin's compiled code away at
     * the start of the second epoch (-Xlog:deoptimization, 2026-12-07).
     */
    private final Map<Integer, ArrayList<float[]>> free = new HashMap<>();
    private final List<float[]> handedOut = new ArrayList<>();
    /** Every array this arena owns, with the step that last took it. */
    private final Map<float[], Integer> lastTaken = new IdentityHashMap<>();
    private int step;
    private long floatsHandedOut;

    /**
     * Starts a step on this thread: the arrays handed out so far become free for it. Arrays no step has taken
     * for two steps are dropped (a smaller last batch, an odd-sized chunk), so only recurring shapes are kept.
     */
    public void begin() {
        step++;
        for (float[] a : handedOut) free.computeIfAbsent(a.length, k -> new ArrayList<>()).add(a);
        handedOut.clear();
        for (ArrayList<float[]> q : free.values())
            q.removeIf(a -> {
                boolean idle = lastTaken.get(a) < step - 2;
                if (idle) lastTaken.remove(a);
                return idle;
            });
        floatsHandedOut = 0;
        CURRENT.set(this);
    }

    /** Floats handed out since the last {@link #begin}: how much large-tensor memory a step takes. */
    public long floatsHandedOut() { return floatsHandedOut; }

    /** Stops handing out arrays on this thread (they stay valid until the next {@link #begin}). */
    public void pause() {
        if (CURRENT.get() == this) CURRENT.remove();
    }

    /** Pauses and forgets every array, so the garbage collector can have them. */
    @Override
    public void close() {
        pause();
        free.clear();
        handedOut.clear();
        lastTaken.clear();
    }

    /** A zeroed float array of length n: from the current arena when there is one and n is large, else new. */
    static float[] zeroedFloats(int n) {
        StepArena a = CURRENT.get();
        return a == null || n < MIN_FLOATS ? new float[n] : a.take(n, true);
    }

    /**
     * {@link #zeroedFloats} without the zeroing of a reused array (its contents are the previous step's): for an
     * op that overwrites every element ({@link Tensor#empty}).
     */
    static float[] anyFloats(int n) {
        StepArena a = CURRENT.get();
        return a == null || n < MIN_FLOATS ? new float[n] : a.take(n, false);
    }

    private float[] take(int n, boolean zeroed) {
        ArrayList<float[]> q = free.get(n);
        float[] a;
        if (q == null || q.isEmpty()) a = new float[n];
        else {
            a = q.removeLast();
            if (zeroed) java.util.Arrays.fill(a, 0f);
        }
        lastTaken.put(a, step);
        handedOut.add(a);
        floatsHandedOut += n;
        return a;
    }

    /** True when t's storage belongs to the arena current on this thread (and so may be overwritten next step). */
    public static boolean holds(Tensor t) {
        StepArena a = CURRENT.get();
        return a != null && t.storageF32() != null && a.lastTaken.containsKey(t.storageF32());
    }

    /**
     * No arena on this thread until the returned scope closes: for tensors that must outlive the step, such as
     * a parameter's gradient storage.
     */
    public static Suspension suspended() {
        StepArena a = CURRENT.get();
        if (a != null) CURRENT.remove();
        return new Suspension(a);
    }

    /** Restores the suspended arena on close. */
    public static final class Suspension implements AutoCloseable {
        private final StepArena arena;

        private Suspension(StepArena arena) { this.arena = arena; }

        @Override
        public void close() { if (arena != null) CURRENT.set(arena); }
    }
}
