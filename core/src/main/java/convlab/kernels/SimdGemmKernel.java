package convlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SGEMM micro-kernel: one full MR×NR tile of C from a packed sliver of A (MR rows) and a packed sliver
 * of B (NR columns), kc steps deep, with the whole tile held in registers (12 vector accumulators for 6×16
 * on AVX2).
 *
 * Slivers are read at a[aIdx + p*MR + r] and b[bIdx + p*NR + col]. The strides are compile-time constants
 * on purpose: then C2 proves all indices in range once, before the loop, and the loop is nothing but
 * loads, broadcasts and FMAs. (With strides passed as arguments it keeps a bounds check per load and runs
 * at under half the speed.) The kernel has no edge cases either: {@link SimdGemm} computes a partial tile
 * into a scratch tile and finishes it with {@link #epilogue}. A kernel that sometimes spills its
 * accumulators can make C2 box the vectors, which costs a factor of a hundred.
 *
 * Every element of C sees the same operations in the same order whether or not it lies in a full tile:
 * accumulate with fma over p, then r = alpha*acc (+ beta*old). That is what makes results independent of
 * how the caller splits C among threads.
 */
final class SimdGemmKernel {
    private SimdGemmKernel() {}

    static final VectorSpecies<Float> S = Vectors.FLOAT;
    static final int VL = S.length();
    /** Tile rows: 6 rows × 2 vectors = 12 accumulators + 2 B vectors + 1 broadcast fit AVX2's 16 registers. */
    static final int MR = 6;
    /** Tile columns: two vectors. */
    static final int NR = 2 * VL;

    /** C[MR×NR tile at cIdx, row stride ldc] = alpha * A·B + beta * C (beta == 0: old C ignored). */
    static void tile(int kc, float[] a, int aIdx, float[] b, int bIdx,
                     float alpha, float beta, float[] c, int cIdx, int ldc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z;
        FloatVector c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
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
        update(c00, c01, alpha, beta, c, cIdx);
        update(c10, c11, alpha, beta, c, cIdx + ldc);
        update(c20, c21, alpha, beta, c, cIdx + 2 * ldc);
        update(c30, c31, alpha, beta, c, cIdx + 3 * ldc);
        update(c40, c41, alpha, beta, c, cIdx + 4 * ldc);
        update(c50, c51, alpha, beta, c, cIdx + 5 * ldc);
    }

    /**
     * {@link #tile} with A's six rows read in place, row r at a[ar + p], for an A that is already
     * row-contiguous along the depth ({@link SimdGemmInPlace}): no packing, and C2 still proves every index
     * in range before the loop. Each element is the same fma chain and epilogue as in {@link #tile}.
     * Caveat: C2 does that only with loop strip mining, which is on by default with G1 but not with
     * ParallelGC/SerialGC (there this kernel runs at 40 instead of 97 GF/s; the launcher turns it on).
     */
    static void tileUnpackedA(int kc, float[] a, int a0, int a1, int a2, int a3, int a4, int a5,
                              float[] b, int bIdx, float alpha, float beta, float[] c, int cIdx, int ldc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z;
        FloatVector c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
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
        update(c00, c01, alpha, beta, c, cIdx);
        update(c10, c11, alpha, beta, c, cIdx + ldc);
        update(c20, c21, alpha, beta, c, cIdx + 2 * ldc);
        update(c30, c31, alpha, beta, c, cIdx + 3 * ldc);
        update(c40, c41, alpha, beta, c, cIdx + 4 * ldc);
        update(c50, c51, alpha, beta, c, cIdx + 5 * ldc);
    }

    /** The scalar twin of {@link #update}: the same roundings in the same order. */
    static float epilogue(float acc, float alpha, float beta, float old) {
        float r = alpha == 1f ? acc : alpha * acc;
        if (beta == 0f) return r;
        return r + (beta == 1f ? old : beta * old);
    }

    private static void update(FloatVector acc0, FloatVector acc1, float alpha, float beta, float[] c, int ci) {
        if (alpha != 1f) { acc0 = acc0.mul(alpha); acc1 = acc1.mul(alpha); }
        if (beta != 0f) {
            FloatVector old0 = FloatVector.fromArray(S, c, ci);
            FloatVector old1 = FloatVector.fromArray(S, c, ci + VL);
            if (beta != 1f) { old0 = old0.mul(beta); old1 = old1.mul(beta); }
            acc0 = acc0.add(old0); acc1 = acc1.add(old1);
        }
        acc0.intoArray(c, ci);
        acc1.intoArray(c, ci + VL);
    }
}
