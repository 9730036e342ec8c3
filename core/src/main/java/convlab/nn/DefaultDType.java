package convlab.nn;

import convlab.tensor.DType;

/**
 * The dtype of the parameters and buffers modules create (PyTorch's torch.set_default_dtype, scoped to
 * a thread): float32 (as each module creates them) unless a {@link #float64()} scope is open. Tests use float64 modules to compare a
 * whole model with exact or finite-difference results; training never opens the scope.
 */
public final class DefaultDType {
    private static final ThreadLocal<DType> CURRENT = ThreadLocal.withInitial(() -> DType.F32);

    private DefaultDType() {}

    /** Modules built inside this scope hold float64 parameters and buffers. */
    public static AutoCloseableScope float64() {
        DType before = CURRENT.get();
        CURRENT.set(DType.F64);
        return () -> CURRENT.set(before);
    }

    static boolean isFloat64() { return CURRENT.get() == DType.F64; }

    /** A scope that closes without a checked exception. */
    public interface AutoCloseableScope extends AutoCloseable { @Override void close(); }
}
