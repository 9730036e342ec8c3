package convlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The GEMM micro-kernels of the dense GEMM ({@link SimdGemm}, {@link SimdGemmInPlace}) and the convolutions'
 * products ({@link OffsetGemm}): one MR×NR tile of C (6 rows × 2 vectors: 12 accumulators + 2 B vectors + 1
 * broadcast, within AVX2's 16 registers) from a packed or in-place A and a packed B sliver.
 *
 * <p><b>No branch depends on the call.</b> A tile is always written as C = sums + old, where old is C itself
 * (beta 1) or {@link #ZEROS} read with row stride 0 (beta 0), chosen by an array index ({@link #pick}), not by
 * an if. Adding +0 never changes a sum (a sum of products started from +0 is never -0, and NaN stays NaN), so
 * this is bitwise the beta 0 / beta 1 epilogue of {@link #epilogue}. Why: C2 compiles a kernel without the
 * branches its profile has never seen, and throws the compiled kernel away the first time one is taken
 * ("unstable_if"): the evaluation's first beta-0 tile after a training that had only accumulated there sent the
 * GEMM tile back to C1 code for seconds (the MLP's evaluation once ran at a third of its speed). Partial tiles and
 * transposed outputs go through a scratch tile with the same mask-and-add ({@link #loadOld}, {@link #storeTile}).
 * Other alpha and beta (not used by training or evaluation) take {@link #general}: raw sums and
 * {@link #epilogue}.
 *
 * <p><b>Never inlined into a caller.</b> The kernel bodies ({@code packed}, {@code unpacked}) are over 600
 * bytecodes, beyond C2's inlining limit for hot methods (FreqInlineSize, 325): each is compiled on its own, with its
 * own inlining budget for its 12 fma calls, so when a loop nest that calls it is deoptimized (its own loop bounds or
 * dispatch meeting a new shape) the compiled kernel stays in use. The convolutions had a smaller twin
 * (SimdGemmKernel, with an alpha/beta epilogue), which C2 inlined into OffsetGemm's loops; in about half the JVMs
 * the caller's inlining budget then ran out inside the tile, the last rows' fma calls stayed calls, and every one
 * of them boxed its vectors: the course CNN trained at 19-21k instead of 30-38k images/s with 400-570 MB resident
 * (JFR: 84% of all allocation in FloatVector.lanewiseTemplate called from the tile).
 *
 * <p><b>The epilogue is written out</b>, twelve lines of add-and-store, not calls of a helper: with a 19-byte helper
 * per vector C2 ran past its node budget for inlining (NodeCountInliningCutoff) at the twelfth call in some of its
 * compiles of both kernels (-XX:+PrintInlining, 2026-12-07), and that call then boxed its vector once per tile. The
 * Vector API's own methods are force-inlined, which C2 defers past the budget instead of refusing.
 *
 * <p>Measured alternative (AMD EPYC Zen 5, AVX-512, thread CPU time, the MLP's 784-deep in-place tile and the
 * 64-deep packed weight-gradient tile): a 6×4VL tile (24 accumulators of 32 registers) ran at 140-150 and
 * 95-108 GF/s against this tile's 185-200 and 180-210 (85% of the FMA peak): C2 does not keep 29 vectors in
 * registers. The time the dense GEMM loses is outside the tile (packing, edges), not in it.
 *
 * <p>Slivers are read at a[aIdx + p*MR + r] (packed A, interleaved: {@link #PACKED_A_BY_ROWS}) or a[ar + p] (row r of A in
 * place, or of a packed A stored by rows) and b[bIdx + p*NR + col].
 * The strides are compile-time constants on purpose: then C2 proves all indices in range once, before the loop,
 * and the loop is nothing but loads, broadcasts and FMAs (with strides passed as arguments it keeps a bounds check
 * per load and runs at under half the speed). For A read in place C2 does that only with loop strip mining, which
 * is on by default with G1 but not with ParallelGC/SerialGC (there the in-place tile ran at 40 instead of 97 GF/s;
 * the launcher turns it on).
 *
 * <p>Every element of C sees the same operations in the same order whether or not it lies in a full tile:
 * an fma chain over p from +0, then the epilogue. That is what makes results independent of how the caller splits
 * C among threads.
 */
final class SimdGemmTiles {
    private SimdGemmTiles() {}

    static final VectorSpecies<Float> S = Vectors.FLOAT;
    static final int VL = S.length();
    /** Tile rows. */
    static final int MR = 6;
    /** Tile columns: two vectors. */
    static final int NR = 2 * VL;
    /** The "old C" of a beta-0 tile: read with row stride 0, so NR zeros serve every row. Never written. */
    static final float[] ZEROS = new float[NR];

    /** Whether a product's epilogue is C = sums + old with old = C or 0: alpha 1, beta 0 or 1 (all of training). */
    static boolean direct(float alpha, float beta) { return alpha == 1f && (beta == 0f || beta == 1f); }

    /** For beta 0 or 1: 0 or 1, computed from the bits without a branch (1f is 0x3F800000, bit 23 set; ±0f has it clear). */
    static int pick(float beta) { return (Float.floatToRawIntBits(beta) >>> 23) & 1; }

    /**
     * Whether a packed A sliver stores its MR rows one after the other (A[r][p] at r·kc + p, read by the in-place kernel)
     * rather than interleaved by depth (at p·MR + r, read by {@code packed}). With AVX2's 16 vector registers C2 keeps
     * only some of the 12 accumulators, 2 B vectors and the broadcasts of {@code packed} in registers: it loads three
     * broadcasts ahead, spills one accumulator to the stack and reloads it every step, a dependency through memory that
     * halved the kernel (50 against 111 GFLOP/s at depth 64 and 784, 256-bit vectors on the Zen 5 with -XX:UseAVX=2,
     * the MLP's weight gradient 540-583 against 277-286 µs on one thread). The in-place kernel's six row streams compile without
     * a spill there (75-105 GFLOP/s). With AVX-512's 32 registers the interleaved sliver is the faster one (192-200
     * against 168-182 GFLOP/s with 512-bit vectors, 108-114 against 99-109 with 256-bit ones), so that is what a
     * machine whose preferred vectors are 512 bits wide packs. Bitwise the same sums either way.
     */
    static final boolean PACKED_A_BY_ROWS = FloatVector.SPECIES_PREFERRED.vectorBitSize() < 512;

    /** Where A[r][p] (row r of the sliver, depth p) goes in a packed A sliver of depth kc. */
    static int packedA(int kc, int p, int r) { return PACKED_A_BY_ROWS ? r * kc + p : p * MR + r; }

    /** C[MR×NR at cIdx, row stride ldc] = A·B + old[MR×NR at oIdx, row stride ldOld], A packed (an MR-tall sliver, {@link #packedA}). */
    static void tile(int kc, float[] a, int aIdx, float[] b, int bIdx, float[] old, int oIdx, int ldOld,
                     float[] c, int cIdx, int ldc) {
        if (PACKED_A_BY_ROWS)
            unpacked(kc, a, aIdx, aIdx + kc, aIdx + 2 * kc, aIdx + 3 * kc, aIdx + 4 * kc, aIdx + 5 * kc, b, bIdx, old, oIdx, ldOld, c, cIdx, ldc);
        else packed(kc, a, aIdx, b, bIdx, old, oIdx, ldOld, c, cIdx, ldc);
    }

    /**
     * The interleaved packed-A kernel (A[r][p] at a[aIdx + p·MR + r]) whatever {@link #PACKED_A_BY_ROWS} says, so its
     * test runs on every machine kind (on an AVX2 machine {@link #tile} never calls it).
     */
    static void tileInterleavedA(int kc, float[] a, int aIdx, float[] b, int bIdx, float[] old, int oIdx, int ldOld,
                                 float[] c, int cIdx, int ldc) {
        packed(kc, a, aIdx, b, bIdx, old, oIdx, ldOld, c, cIdx, ldc);
    }

    /** {@link #tile} with A's six rows read in place, row r at a[ar + p]. */
    static void tileUnpackedA(int kc, float[] a, int a0, int a1, int a2, int a3, int a4, int a5,
                              float[] b, int bIdx, float[] old, int oIdx, int ldOld, float[] c, int cIdx, int ldc) {
        unpacked(kc, a, a0, a1, a2, a3, a4, a5, b, bIdx, old, oIdx, ldOld, c, cIdx, ldc);
    }

    /**
     * Fills the scratch tile old (MR×NR) with the rows×cols block of C at cIdx times sel (0 or 1, {@link #pick}),
     * by masking the bits: no branch, and a NaN in C is dropped for beta 0 as BLAS wants. transposed: tile
     * element (q, j) is C[j][q]. Positions outside the block are never read back. The loop nests call it with rows·sel
     * rows, so beta 0 reads nothing, and give the tile {@link #ZEROS} as its old C instead.
     */
    static void loadOld(int sel, float[] c, int cIdx, int ldc, int rows, int cols, boolean transposed, float[] old) {
        int keep = -sel;
        for (int q = 0; q < rows; q++)
            for (int j = 0; j < cols; j++) {
                int ci = transposed ? cIdx + j * ldc + q : cIdx + q * ldc + j;
                old[q * NR + j] = Float.intBitsToFloat(Float.floatToRawIntBits(c[ci]) & keep);
            }
    }

    /** Copies the rows×cols block of the scratch tile (MR×NR) to C at cIdx (transposed: tile (q, j) to C[j][q]). */
    static void storeTile(float[] tile, float[] c, int cIdx, int ldc, int rows, int cols, boolean transposed) {
        for (int q = 0; q < rows; q++)
            for (int j = 0; j < cols; j++) c[transposed ? cIdx + j * ldc + q : cIdx + q * ldc + j] = tile[q * NR + j];
    }

    /** The scalar epilogue of a tile element: r = alpha·acc (+ beta·old); with alpha 1 and beta 0 or 1, acc (+ old) as the tiles compute it. */
    static float epilogue(float acc, float alpha, float beta, float old) {
        float r = alpha == 1f ? acc : alpha * acc;
        if (beta == 0f) return r;
        return r + (beta == 1f ? old : beta * old);
    }

    /** Any alpha and beta: the raw sums in the scratch tile get {@link #epilogue} element by element. */
    static void general(float[] tile, float alpha, float beta, float[] c, int cIdx, int ldc, int rows, int cols,
                        boolean transposed) {
        for (int q = 0; q < rows; q++)
            for (int j = 0; j < cols; j++) {
                int ci = transposed ? cIdx + j * ldc + q : cIdx + q * ldc + j;
                c[ci] = epilogue(tile[q * NR + j], alpha, beta, c[ci]);
            }
    }

    /** The 6×2VL tile, A packed (a[aIdx + p*MR + r]). */
    private static void packed(int kc, float[] a, int aIdx,
                            float[] b, int bIdx, float[] old, int oIdx, int ldOld, float[] c, int cIdx, int ldc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z;
        FloatVector c10 = z, c11 = z;
        FloatVector c20 = z, c21 = z;
        FloatVector c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z;
        FloatVector c50 = z, c51 = z;
        for (int p = 0; p < kc; p++) {
            int bi = bIdx + p * NR;
            int ai = aIdx + p * MR;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + VL);
            FloatVector av = FloatVector.broadcast(S, a[ai]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, a[ai + 1]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, a[ai + 2]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, a[ai + 3]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, a[ai + 4]);
            c40 = av.fma(b0, c40); c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, a[ai + 5]);
            c50 = av.fma(b0, c50); c51 = av.fma(b1, c51);
        }
        c00.add(FloatVector.fromArray(S, old, oIdx)).intoArray(c, cIdx);
        c01.add(FloatVector.fromArray(S, old, oIdx + VL)).intoArray(c, cIdx + VL);
        c10.add(FloatVector.fromArray(S, old, oIdx + ldOld)).intoArray(c, cIdx + ldc);
        c11.add(FloatVector.fromArray(S, old, oIdx + ldOld + VL)).intoArray(c, cIdx + ldc + VL);
        c20.add(FloatVector.fromArray(S, old, oIdx + 2 * ldOld)).intoArray(c, cIdx + 2 * ldc);
        c21.add(FloatVector.fromArray(S, old, oIdx + 2 * ldOld + VL)).intoArray(c, cIdx + 2 * ldc + VL);
        c30.add(FloatVector.fromArray(S, old, oIdx + 3 * ldOld)).intoArray(c, cIdx + 3 * ldc);
        c31.add(FloatVector.fromArray(S, old, oIdx + 3 * ldOld + VL)).intoArray(c, cIdx + 3 * ldc + VL);
        c40.add(FloatVector.fromArray(S, old, oIdx + 4 * ldOld)).intoArray(c, cIdx + 4 * ldc);
        c41.add(FloatVector.fromArray(S, old, oIdx + 4 * ldOld + VL)).intoArray(c, cIdx + 4 * ldc + VL);
        c50.add(FloatVector.fromArray(S, old, oIdx + 5 * ldOld)).intoArray(c, cIdx + 5 * ldc);
        c51.add(FloatVector.fromArray(S, old, oIdx + 5 * ldOld + VL)).intoArray(c, cIdx + 5 * ldc + VL);
    }

    /** The 6×2VL tile, A's rows read in place (row r at a[ar + p]). */
    private static void unpacked(int kc, float[] a, int a0, int a1, int a2, int a3, int a4, int a5,
                            float[] b, int bIdx, float[] old, int oIdx, int ldOld, float[] c, int cIdx, int ldc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z;
        FloatVector c10 = z, c11 = z;
        FloatVector c20 = z, c21 = z;
        FloatVector c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z;
        FloatVector c50 = z, c51 = z;
        for (int p = 0; p < kc; p++) {
            int bi = bIdx + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, b, bi);
            FloatVector b1 = FloatVector.fromArray(S, b, bi + VL);
            FloatVector av = FloatVector.broadcast(S, a[a0 + p]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, a[a1 + p]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, a[a2 + p]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, a[a3 + p]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, a[a4 + p]);
            c40 = av.fma(b0, c40); c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, a[a5 + p]);
            c50 = av.fma(b0, c50); c51 = av.fma(b1, c51);
        }
        c00.add(FloatVector.fromArray(S, old, oIdx)).intoArray(c, cIdx);
        c01.add(FloatVector.fromArray(S, old, oIdx + VL)).intoArray(c, cIdx + VL);
        c10.add(FloatVector.fromArray(S, old, oIdx + ldOld)).intoArray(c, cIdx + ldc);
        c11.add(FloatVector.fromArray(S, old, oIdx + ldOld + VL)).intoArray(c, cIdx + ldc + VL);
        c20.add(FloatVector.fromArray(S, old, oIdx + 2 * ldOld)).intoArray(c, cIdx + 2 * ldc);
        c21.add(FloatVector.fromArray(S, old, oIdx + 2 * ldOld + VL)).intoArray(c, cIdx + 2 * ldc + VL);
        c30.add(FloatVector.fromArray(S, old, oIdx + 3 * ldOld)).intoArray(c, cIdx + 3 * ldc);
        c31.add(FloatVector.fromArray(S, old, oIdx + 3 * ldOld + VL)).intoArray(c, cIdx + 3 * ldc + VL);
        c40.add(FloatVector.fromArray(S, old, oIdx + 4 * ldOld)).intoArray(c, cIdx + 4 * ldc);
        c41.add(FloatVector.fromArray(S, old, oIdx + 4 * ldOld + VL)).intoArray(c, cIdx + 4 * ldc + VL);
        c50.add(FloatVector.fromArray(S, old, oIdx + 5 * ldOld)).intoArray(c, cIdx + 5 * ldc);
        c51.add(FloatVector.fromArray(S, old, oIdx + 5 * ldOld + VL)).intoArray(c, cIdx + 5 * ldc + VL);
    }
}
