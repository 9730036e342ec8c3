package convlab.autograd;

/**
 * Whether ops record into the autograd graph on the current thread.
 * <pre>try (var scope = GradMode.noGrad()) { ... evaluation ... }</pre>
 */
public final class GradMode {
    private static final ThreadLocal<int[]> DISABLED_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private GradMode() {}

    public static boolean isEnabled() { return DISABLED_DEPTH.get()[0] == 0; }

    /** Disables recording until the returned scope is closed (scopes nest). */
    public static Scope noGrad() {
        int[] depth = DISABLED_DEPTH.get();
        depth[0]++;
        return () -> depth[0]--;
    }

    /** A scope that re-enables grad mode when closed; close() throws nothing. */
    public interface Scope extends AutoCloseable {
        @Override void close();
    }
}
