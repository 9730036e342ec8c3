package convlab.geometry;

/**
 * What lies outside the input when a convolution or pooling window reaches past its edge.
 * This is the single definition of the padding modes: the float kernels and the exact calculators
 * both ask {@link #source} which input position a padded position reads.
 * Semantics follow PyTorch's padding_mode ("zeros", "circular", "reflect", "replicate").
 */
public enum PaddingMode {
    /** Outside is 0. */
    ZEROS,
    /** The input wraps around: position −1 reads n−1 (the image on a torus). */
    CIRCULAR,
    /** Mirror without repeating the edge: −1 reads 1, n reads n−2 (needs padding &lt; n). */
    REFLECT,
    /** The edge value repeats: −1 reads 0, n reads n−1. */
    REPLICATE;

    /**
     * The input index read at (unpadded) position i of an axis of length n, or −1 when the value is
     * zero padding. Positions inside [0, n) map to themselves.
     */
    public int source(int i, int n) {
        if (i >= 0 && i < n) return i;
        return switch (this) {
            case ZEROS -> -1;
            case CIRCULAR -> Math.floorMod(i, n);
            case REPLICATE -> i < 0 ? 0 : n - 1;
            case REFLECT -> {
                if (n == 1) yield 0;
                int period = 2 * (n - 1);
                int m = Math.floorMod(i, period);
                yield m < n ? m : period - m;
            }
        };
    }

    /** Checks that padding p is allowed on an axis of length n in this mode (PyTorch's limits). */
    public void checkPadding(int p, int n, String axisName) {
        if (p < 0) throw new IllegalArgumentException("padding must be >= 0, got " + p);
        if (this == CIRCULAR && p > n)
            throw new IllegalArgumentException("circular padding " + p + " is larger than the " + axisName + " size " + n);
        if (this == REFLECT && p >= n)
            throw new IllegalArgumentException("reflect padding " + p + " must be smaller than the " + axisName + " size " + n);
    }

    /** PyTorch's spelling: zeros, circular, reflect, replicate. */
    public String torchName() { return name().toLowerCase(); }

    public static PaddingMode parse(String s) {
        for (PaddingMode m : values()) if (m.torchName().equalsIgnoreCase(s) || (m == ZEROS && s.equalsIgnoreCase("zero"))) return m;
        throw new IllegalArgumentException("unknown padding mode '" + s + "' (expected zeros, circular, reflect or replicate)");
    }
}
