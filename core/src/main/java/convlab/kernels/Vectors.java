package convlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float vector species every kernel uses: the machine's preferred one (512 bits with AVX-512, 256 with
 * AVX2), unless the system property {@value #PROPERTY} asks for a narrower one. Forcing 256 bits on an
 * AVX-512 machine runs the AVX2 code path (8 lanes: tiles of 6×16, 16-column slivers), so both paths can be
 * tested and benchmarked on one machine: {@code -Dconvlab.vector.bits=256}. Tile sizes, sliver widths and
 * loop bounds of the kernels all derive from {@link #FLOAT}'s length, never from a constant lane count.
 *
 * <p>Results for a given species are bitwise reproducible; between species, sums whose order follows the lanes
 * (per-lane partial sums, e.g. the bias gradient) may differ in the last bits.
 */
public final class Vectors {
    private Vectors() {}

    /** System property: vector width in bits (128, 256 or 512), at most the machine's preferred width. */
    public static final String PROPERTY = "convlab.vector.bits";

    public static final VectorSpecies<Float> FLOAT = choose(System.getProperty(PROPERTY));

    static VectorSpecies<Float> choose(String bits) {
        VectorSpecies<Float> preferred = FloatVector.SPECIES_PREFERRED;
        if (bits == null || bits.isBlank()) return preferred;
        int b;
        try {
            b = Integer.parseInt(bits.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + bits + ": expected 128, 256 or 512");
        }
        if (b != 128 && b != 256 && b != 512)
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + bits + ": expected 128, 256 or 512");
        if (b > preferred.vectorBitSize())
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + b + ": this machine's vectors have only "
                    + preferred.vectorBitSize() + " bits");
        return FloatVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(b)).check(float.class);
    }

    /** Lanes of {@link #FLOAT}. */
    public static int lanes() { return FLOAT.length(); }
}
