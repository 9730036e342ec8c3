package convlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Transposing copies through registers, 8 × 8 floats at a time: eight rows of 8 are loaded, interleaved in three rounds
 * of two-vector zips (24 rearranges; after log2(8) perfect shuffles the rows are the columns) and stored as eight
 * columns. {@link SimdGemm#packB} packs a transposed operand this way: the MLP's batch (64 × 784, packed by each
 * thread for x·W1ᵀ in training) and its weight (packed per evaluation batch of 1,000).
 *
 * <p>Measured on the 2-core AMD EPYC Zen 5 (a harness in one JVM, 64 × 784 into 16- or 32-wide slivers, µs per pack):
 * 6.5-7.0 against 18-24 for the column-by-column loop with 8-lane kernels (7.0 against 18.8 with C2 held to AVX2,
 * -XX:UseAVX=2), and 5.6-5.8 against 15.2-15.8 for AVX-512's gathers with 16-lane kernels. The vectors are 256-bit
 * whatever the kernels' width: a 16 × 16 version with 512-bit vectors measured no faster (5.7 µs) and would be four
 * times the code. The whole product x·W1ᵀ (64×256×784, 2 threads, a new batch each call, tenth percentile of 400 calls,
 * 3 alternating pairs of JVMs): 186-196 against 199-212 µs with 8 lanes, 114-133 against 129-147 with 16.
 *
 * <p>A copy: every float keeps its bits (NaN payloads included), so a packed operand is bitwise the one the scalar loop
 * makes and no result changes.
 */
final class Transpose8 {
    private Transpose8() {}

    private static final VectorSpecies<Float> S8 = FloatVector.SPECIES_256;

    /**
     * Whether the kernels' vectors have 8 lanes or more: then 256-bit vectors are the machine's own, and a sliver's width
     * (two vectors) is a multiple of 8. With 4 lanes (-Dconvlab.vector.bits=128) packing stays column by column.
     */
    static final boolean USED = Vectors.FLOAT.length() >= 8;

    /** The zips: lane 2i takes lane i (LO) or 4 + i (HI) of the first vector, lane 2i + 1 the same lane of the second. */
    private static final VectorShuffle<Float> LO = zip(0), HI = zip(4);

    private static VectorShuffle<Float> zip(int from) {
        int[] lanes = new int[8];
        for (int i = 0; i < 4; i++) {
            lanes[2 * i] = from + i;
            lanes[2 * i + 1] = from + i - 8;   // an exceptional index: lane from + i of the second vector
        }
        return VectorShuffle.fromArray(S8, lanes, 0);
    }

    /**
     * dst[d + p·ldDst + c] = src[s + c·ldSrc + p] for c below width (a multiple of 8) and p below depth rounded down to
     * a multiple of 8; the caller copies the remaining depths.
     */
    static void columns(float[] src, int s, int ldSrc, int depth, int width, float[] dst, int d, int ldDst) {
        int full = depth & ~7;
        for (int c = 0; c < width; c += 8)
            for (int p = 0; p < full; p += 8) block(src, s + c * ldSrc + p, ldSrc, dst, d + p * ldDst + c, ldDst);
    }

    /** One 8 × 8 block: row r of the source (at s + r·ldSrc) becomes column r of the destination (at d + r). */
    private static void block(float[] src, int s, int ldSrc, float[] dst, int d, int ldDst) {
        FloatVector r0 = FloatVector.fromArray(S8, src, s), r1 = FloatVector.fromArray(S8, src, s + ldSrc);
        FloatVector r2 = FloatVector.fromArray(S8, src, s + 2 * ldSrc), r3 = FloatVector.fromArray(S8, src, s + 3 * ldSrc);
        FloatVector r4 = FloatVector.fromArray(S8, src, s + 4 * ldSrc), r5 = FloatVector.fromArray(S8, src, s + 5 * ldSrc);
        FloatVector r6 = FloatVector.fromArray(S8, src, s + 6 * ldSrc), r7 = FloatVector.fromArray(S8, src, s + 7 * ldSrc);
        // Each round zips row i with row i + 4 into rows 2i and 2i + 1.
        FloatVector a0 = r0.rearrange(LO, r4), a1 = r0.rearrange(HI, r4), a2 = r1.rearrange(LO, r5), a3 = r1.rearrange(HI, r5);
        FloatVector a4 = r2.rearrange(LO, r6), a5 = r2.rearrange(HI, r6), a6 = r3.rearrange(LO, r7), a7 = r3.rearrange(HI, r7);
        FloatVector b0 = a0.rearrange(LO, a4), b1 = a0.rearrange(HI, a4), b2 = a1.rearrange(LO, a5), b3 = a1.rearrange(HI, a5);
        FloatVector b4 = a2.rearrange(LO, a6), b5 = a2.rearrange(HI, a6), b6 = a3.rearrange(LO, a7), b7 = a3.rearrange(HI, a7);
        b0.rearrange(LO, b4).intoArray(dst, d);
        b0.rearrange(HI, b4).intoArray(dst, d + ldDst);
        b1.rearrange(LO, b5).intoArray(dst, d + 2 * ldDst);
        b1.rearrange(HI, b5).intoArray(dst, d + 3 * ldDst);
        b2.rearrange(LO, b6).intoArray(dst, d + 4 * ldDst);
        b2.rearrange(HI, b6).intoArray(dst, d + 5 * ldDst);
        b3.rearrange(LO, b7).intoArray(dst, d + 6 * ldDst);
        b3.rearrange(HI, b7).intoArray(dst, d + 7 * ldDst);
    }
}
