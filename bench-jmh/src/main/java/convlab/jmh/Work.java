package convlab.jmh;

/**
 * The work of one benchmark operation: floating-point operations (a multiply-add counts 2) for
 * compute-bound kernels, or bytes moved for memory-bound ones (each input read once and each output written
 * once: the least traffic the operation needs).
 */
public record Work(double amount, Unit unit) {
    public enum Unit {
        FLOP("GFLOP/s"), BYTE("GB/s");

        public final String rateLabel;

        Unit(String rateLabel) { this.rateLabel = rateLabel; }
    }

    public static Work flops(double n) { return new Work(n, Unit.FLOP); }

    public static Work bytes(double n) { return new Work(n, Unit.BYTE); }

    /** Billions of units per second when one operation takes {@code ms} milliseconds. */
    public double ratePerSecond(double ms) { return amount / (ms * 1e6); }
}
