package convlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import static convlab.kernels.SimdGemmTiles.S;
import static convlab.kernels.SimdGemmTiles.VL;

/**
 * C = Aᵀ·B (alpha 1, beta 0) for an A with many exact zeros, skipping them: a linear layer's weight gradient
 * gᵀ·x, where g is the output gradient through a ReLU, zero wherever the unit was off (38-51% of the MLP's g in
 * its first three epochs). Each row i of C is a sum over the depth p of A[p][i]·B[p][·]; here every row gets the
 * list of its depths with a nonzero A[p][i], and C's row is summed over that list only, with B's rows read in
 * column chunks of {@link #CHUNK} vectors, {@link #PIECE} rows deep, that stay in L1 while every row of C passes over
 * them; a deeper product carries each row's sums in C from one piece of depth to the next.
 *
 * <p><b>Bitwise the dense product.</b> The dense tile sums each element as one fma chain over p from +0, then adds +0
 * (beta 0). A skipped term is a product with a zero factor, ±0 when the other factor is finite: adding ±0 to a
 * nonzero sum changes nothing, and adding it to a zero sum changes at most the sign of that zero, which the final
 * +0 erases (−0 + +0 = +0). So the sums agree bit for bit, provided the factors that meet the skipped zeros are finite
 * (0·∞ and 0·NaN are NaN): B is checked first and a B with any NaN or infinity takes the dense path. A NaN or an
 * infinity in A is not zero, so it is never skipped.
 *
 * <p>Columns past the last whole chunk (fewer than {@link #CHUNK} vectors: 2 of the MLP's 98 with 8 lanes, 1 of 49
 * with 16) are left to the dense kernel, which the caller runs on them.
 */
final class SimdGemmSparseA {
    private SimdGemmSparseA() {}

    /**
     * Vectors of a C row summed at once: 12 accumulators, within AVX2's 16 registers. With 16 lanes 8 accumulators
     * measured the same (0.67-1.34 against 0.68-1.40 of the dense time at 50-90% zeros, 2 threads), so one kernel serves.
     */
    static final int CHUNK = 12;
    /** B's chunk read by every row of C, at most this many bytes: within a Zen 3's 32 KiB L1 and a Zen 5's 48. */
    static final int L1_BYTES = 24 * 1024;
    /**
     * Depth of a piece: B's rows of a chunk in {@link #L1_BYTES} (64 with 8 lanes, 32 with 16). With the whole depth at
     * once, B's chunk streaming from L2, a batch of 128 took 0.96-1.07 and one of 256 1.31-1.47 times the dense tiles'
     * time at 40-50% zeros (8 lanes, 2 threads); in pieces 0.80-0.87 and 1.08-1.23.
     */
    static final int PIECE = Math.max(8, L1_BYTES / (CHUNK * VL * Float.BYTES));
    /** The deepest product taken, in pieces. */
    static final int MAX_PIECES = 2;
    /** The sums a row starts from in its first piece: +0, read with row stride 0. */
    private static final float[] NO_SUMS = new float[CHUNK * VL];
    /**
     * The fewest zeros (a fraction of A) for which skipping them beats the dense tiles. The sparse kernel reads one B
     * vector per fma where the dense tile reads one per six, so it gains only where most of the work goes: measured on
     * the MLP's weight gradient (256×784×64, one JVM, calls alternating, 1 and 2 threads, AMD EPYC Zen 5), the two
     * break even at 30-35% zeros with 8-lane vectors and AVX2 instructions (at 50%: 0.76-0.80 of the dense time) and at
     * 65-70% with 16-lane vectors, whose dense tile runs near the FMA peak (at 50%: 1.28-1.33 of it).
     */
    static final double MIN_ZEROS = VL >= 16 ? 0.75 : 0.35;

    /** Per-thread lists, grown on demand and reused. Row i's entries of piece q are at [start[q·m + i], start[(q+1)·m + i]). */
    private static final class Lists {
        int[] count = new int[0], start = new int[0], bRow = new int[0];
        float[] value = new float[0];
    }

    private static final ThreadLocal<Lists> LISTS = ThreadLocal.withInitial(Lists::new);

    /**
     * Columns [0, returned) of C = Aᵀ·B (A stored k×m at aOff with row stride lda, B k×n, C m×n), when A has at least
     * {@link #MIN_ZEROS} zeros, B is finite and the depth is at most {@link #MAX_PIECES} pieces; 0 when it did nothing.
     * The caller computes the remaining columns.
     */
    static int transposedA(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                           float[] c, int cOff, int ldc) {
        int chunkCols = CHUNK * VL, covered = n / chunkCols * chunkCols;
        // One depth block only: the dense product of a deeper A adds its blocks' sums, which rounds otherwise than one chain.
        if (covered == 0 || k == 0 || SimdGemm.depthBlocks(k) > 1) return 0;
        // At most two pieces deep: against a batch of 256 the dense tiles, at their best with a deep product, won at 40-50%
        // zeros (1.08-1.23 of their time with 8 lanes), where a batch of 64 or 128 took 0.78-0.87.
        if (k > MAX_PIECES * PIECE) return 0;
        if (zeros(m, k, a, aOff, lda) < MIN_ZEROS * m * k) return 0;
        for (int p = 0; p < k; p++) if (!FiniteCheck.allFiniteOnOneThread(b, bOff + p * ldb, covered)) return 0;
        Lists l = lists(m, k);
        build(m, k, a, aOff, lda, bOff, ldb, l);
        int pieces = SimdGemm.ceilDiv(k, PIECE);
        for (int j0 = 0; j0 < covered; j0 += chunkCols)
            for (int q = 0; q < pieces; q++) {
                // The first piece starts from +0, a later one from the sums the previous piece left in C.
                float[] old = q == 0 ? NO_SUMS : c;
                int oIdx = q == 0 ? 0 : cOff + j0, ldOld = q == 0 ? 0 : ldc;
                rows(m, q * m, l.start, l.bRow, l.value, b, j0, old, oIdx, ldOld, c, cOff + j0, ldc);
            }
        return covered;
    }

    private static Lists lists(int m, int k) {
        Lists l = LISTS.get();
        int need = Math.multiplyExact(m, k);
        if (l.count.length < m) l.count = new int[m];
        int starts = Math.multiplyExact(SimdGemm.ceilDiv(k, PIECE) + 1, m);
        if (l.start.length < starts) l.start = new int[starts];
        if (l.bRow.length < need) { l.bRow = new int[need]; l.value = new float[need]; }
        return l;
    }

    /** Zeros (±0) among A's k×m elements, a vector of them at a time. */
    static long zeros(int m, int k, float[] a, int aOff, int lda) {
        long zeros = 0;
        int upper = S.loopBound(m);
        for (int p = 0; p < k; p++) {
            int row = aOff + p * lda, i = 0;
            for (; i < upper; i += VL) zeros += FloatVector.fromArray(S, a, row + i).compare(VectorOperators.EQ, 0f).trueCount();
            for (; i < m; i++) if (a[row + i] == 0f) zeros++;
        }
        return zeros;
    }

    /**
     * For each row i of C: its nonzero A[p][i], in increasing p, their values and B's row offsets, from i·k, and where
     * each piece of depth starts among them. Reads A along its stored rows; no branch on the data (the slot is always
     * written, the count advances by 0 or 1). About 10 µs for the MLP's 128×64 per thread (AVX2 code, Zen 5); neither
     * eight rows at a time with the counts in locals nor one row at a time down A's columns (1 KiB apart: they share
     * L1 sets) was faster.
     */
    private static void build(int m, int k, float[] a, int aOff, int lda, int bOff, int ldb, Lists l) {
        int[] count = l.count, bRow = l.bRow;
        float[] value = l.value;
        int[] start = l.start;
        java.util.Arrays.fill(count, 0, m, 0);
        for (int p = 0; p < k; p++) {
            if (p % PIECE == 0)
                for (int i = 0, q = p / PIECE * m; i < m; i++) start[q + i] = i * k + count[i];
            int row = aOff + p * lda, bp = bOff + p * ldb;
            for (int i = 0, base = 0; i < m; i++, base += k) {
                float v = a[row + i];
                int at = base + count[i];
                bRow[at] = bp;
                value[at] = v;
                count[i] += nonzero(v);
            }
        }
        for (int i = 0, q = SimdGemm.ceilDiv(k, PIECE) * m; i < m; i++) start[q + i] = i * k + count[i];
    }

    /**
     * 1 unless v is ±0 (NaN counts as nonzero), in integer arithmetic: C2 compiled {@code v != 0f ? 1 : 0} as a branch,
     * which a gradient with half its elements zero mispredicts every other time (the kernel then ran slowest at 50% zeros).
     */
    private static int nonzero(float v) { return ((Float.floatToRawIntBits(v) & 0x7FFFFFFF) + 0x7FFFFFFF) >>> 31; }

    /**
     * C[i][j0 .. j0+{@link #CHUNK}·VL) for every row i, twelve accumulators, over piece q's entries of each row's list (q given as
     * q·m), starting from old (row stride ldOld: 0 with {@link #NO_SUMS}).
     */
    private static void rows(int m, int q, int[] start, int[] bRow, float[] value, float[] b, int j0,
                             float[] old, int oIdx, int ldOld, float[] c, int cIdx, int ldc) {
        FloatVector z = FloatVector.zero(S);
        for (int i = 0; i < m; i++, oIdx += ldOld, cIdx += ldc) {
            FloatVector s0 = FloatVector.fromArray(S, old, oIdx), s1 = FloatVector.fromArray(S, old, oIdx + 1 * VL), s2 = FloatVector.fromArray(S, old, oIdx + 2 * VL);
            FloatVector s3 = FloatVector.fromArray(S, old, oIdx + 3 * VL), s4 = FloatVector.fromArray(S, old, oIdx + 4 * VL), s5 = FloatVector.fromArray(S, old, oIdx + 5 * VL);
            FloatVector s6 = FloatVector.fromArray(S, old, oIdx + 6 * VL), s7 = FloatVector.fromArray(S, old, oIdx + 7 * VL), s8 = FloatVector.fromArray(S, old, oIdx + 8 * VL);
            FloatVector s9 = FloatVector.fromArray(S, old, oIdx + 9 * VL), s10 = FloatVector.fromArray(S, old, oIdx + 10 * VL), s11 = FloatVector.fromArray(S, old, oIdx + 11 * VL);
            for (int t = start[q + i], end = start[q + m + i]; t < end; t++) {
                FloatVector av = FloatVector.broadcast(S, value[t]);
                int o = bRow[t] + j0;
                s0 = av.fma(FloatVector.fromArray(S, b, o), s0);
                s1 = av.fma(FloatVector.fromArray(S, b, o + 1 * VL), s1);
                s2 = av.fma(FloatVector.fromArray(S, b, o + 2 * VL), s2);
                s3 = av.fma(FloatVector.fromArray(S, b, o + 3 * VL), s3);
                s4 = av.fma(FloatVector.fromArray(S, b, o + 4 * VL), s4);
                s5 = av.fma(FloatVector.fromArray(S, b, o + 5 * VL), s5);
                s6 = av.fma(FloatVector.fromArray(S, b, o + 6 * VL), s6);
                s7 = av.fma(FloatVector.fromArray(S, b, o + 7 * VL), s7);
                s8 = av.fma(FloatVector.fromArray(S, b, o + 8 * VL), s8);
                s9 = av.fma(FloatVector.fromArray(S, b, o + 9 * VL), s9);
                s10 = av.fma(FloatVector.fromArray(S, b, o + 10 * VL), s10);
                s11 = av.fma(FloatVector.fromArray(S, b, o + 11 * VL), s11);
            }
            // + (+0), as the dense tile's beta-0 epilogue: a zero sum comes out +0 whichever terms were skipped. Between
            // pieces too: the sign of a zero sum the next piece starts from changes no later sum but a zero one.
            s0.add(z).intoArray(c, cIdx);
            s1.add(z).intoArray(c, cIdx + 1 * VL);
            s2.add(z).intoArray(c, cIdx + 2 * VL);
            s3.add(z).intoArray(c, cIdx + 3 * VL);
            s4.add(z).intoArray(c, cIdx + 4 * VL);
            s5.add(z).intoArray(c, cIdx + 5 * VL);
            s6.add(z).intoArray(c, cIdx + 6 * VL);
            s7.add(z).intoArray(c, cIdx + 7 * VL);
            s8.add(z).intoArray(c, cIdx + 8 * VL);
            s9.add(z).intoArray(c, cIdx + 9 * VL);
            s10.add(z).intoArray(c, cIdx + 10 * VL);
            s11.add(z).intoArray(c, cIdx + 11 * VL);
        }
    }
}
