package convlab.kernels;

import jdk.incubator.vector.FloatVector;

import static convlab.kernels.SimdGemmTiles.MR;
import static convlab.kernels.SimdGemmTiles.NR;
import static convlab.kernels.SimdGemmTiles.S;
import static convlab.kernels.SimdGemmTiles.VL;

/**
 * Fast row-major SGEMM, C = alpha * op(A) * op(B) + beta * C. {@link #onOneThread} picks the loop nest; the
 * packed one, {@link #blocked}, is in the GotoBLAS/BLIS style:
 * <pre>
 *   for jc (NC columns of B and C)          B block: KC×NC, packed into NR-wide slivers (shared by the tiles)
 *     for pc (KC deep)
 *       for ic (MC rows of A and C)         A block: MC×KC, packed into MR-tall slivers (fits L2)
 *         for jr, ir: MR×NR tile            {@link SimdGemmTiles#tile}, the tile in registers
 * </pre>
 * Packing copies each block once into the order the micro-kernel reads it, so the four transpose cases
 * cost the same afterwards (no transposed copy of a whole matrix is ever made) and partial tiles are
 * padded with zeros. Where an operand is already row-contiguous along the depth, {@link SimdGemmInPlace}
 * reads it in place instead, which measured faster; {@link SimdGemmFewRows} handles C with very few rows, and
 * {@link SimdGemmSparseA} an Aᵀ·B whose A is mostly zeros (a weight gradient through a ReLU), skipping them.
 * All give bitwise the same result.
 *
 * Reproducibility: the depth is cut into KC blocks that depend only on k, and each C element is summed
 * in the same order whichever tile or thread computes it. Threads split C into column (or row) strips,
 * never the depth, so the result is bitwise the same for 1 and 2 threads.
 *
 * Arguments are checked by {@link Gemm#sgemm}, the public entry point.
 */
final class SimdGemm {
    private SimdGemm() {}

    /*
     * Block sizes, measured on the 2-core AMD EPYC (Zen 3: 32 KiB L1d, 512 KiB L2 per core, AVX2) this was
     * tuned on, in thread CPU time for 1024³, 2048³ and the im2col shapes. Deep blocks win: C is read back
     * and rewritten once per depth block, and Java cannot prefetch the C tile, so every pass over a C larger
     * than L2 stalls on it. KC = 1024 beat 256 by 12-15% (1024³, 2048³) and by 15% on A·Bᵀ with few rows;
     * 512 and 768 were in between. The B sliver (KC×NR, 64 KiB) then streams from L2, which keeps up.
     */
    /** Depth of a block. */
    static final int KC = 1024;
    /** Rows of an A block: MC×KC floats (192 KiB) stay in L2 while the B block streams past. */
    static final int MC = 8 * MR;
    /** Columns of a B block: KC×NC floats (1 MiB with AVX2) live in L3; 256 and 1024 columns measured alike. */
    static final int NC = 16 * NR;
    /** Rows of B packed per sweep across the slivers: few enough pages for the TLB, a few KiB of reads. */
    static final int PACK_ROWS = 16;
    /** An operand of at most this many floats (4 MiB) is cheap for every thread to read whole: it stays in the shared L3. */
    static final long IN_L3 = 1L << 20;
    /** Below this many multiply-adds a second thread costs more than it saves. */
    static final long MIN_PARALLEL_WORK = 1L << 20;

    /** Per-thread packing buffers, grown on demand and reused, so a call allocates nothing after warm-up. */
    private static final class Workspace {
        float[] a = new float[0], b = new float[0];
        final float[] edge = new float[MR * NR], oldTile = new float[MR * NR];
        /** The old C of a direct tile by {@link SimdGemmTiles#pick}: zeros for beta 0, C (set per call) for beta 1. */
        final float[][] old = {SimdGemmTiles.ZEROS, null};
        /** The old C of an edge tile by {@link SimdGemmTiles#pick}: zeros for beta 0, {@link #oldTile} (loaded from C) for beta 1. */
        final float[][] oldOfScratch = {SimdGemmTiles.ZEROS, oldTile};
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    /** This thread's packed-B buffer of {@link #blocked} (for tests: which calls grow it). */
    static float[] packedBOfThisThread() { return WORKSPACE.get().b; }

    static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc, Gemm.Split split, Gemm.BlockDone done) {
        if (m == 0 || n == 0) return;
        if (k == 0) {
            scale(m, n, alpha, beta, c, cOff, ldc);
            done.finished(0, m, 0, n);
            return;
        }
        int threads = Parallel.threads();
        long work = (long) m * n * k;
        int parts = (int) Math.max(1, Math.min(threads, work / MIN_PARALLEL_WORK));
        // Split the larger of m and n: each part packs all of the other operand, so duplicate the smaller one.
        // Except where only one operand is packed and the other, read in place, fits in the shared L3: then
        // split the packed one in whole slivers, so each part packs only its share and reads all of the other,
        // which streams for free. The MLP's x·Wᵀ (64×256×784, A packed) packs 25k fewer floats per thread, its
        // evaluation x·Wᵀ (1000×256×784, B packed) 100k fewer, per batch.
        boolean packsA = packsOnlyA(transA, transB, m, n), packsB = !packsA && !transA && m >= MR;
        boolean splitN;
        // Columns asked for, but C has no more than one sliver of them (a classifier's 10 outputs): nothing to keep on
        // one core, and one thread would do all of it; decide from the shape (the evaluation's 1000×10 logits split rows).
        if (split == Gemm.Split.COLUMNS && n <= NR) split = Gemm.Split.AUTO;
        if (split != Gemm.Split.AUTO) splitN = split == Gemm.Split.COLUMNS;
        else if (packsA && (long) n * k <= IN_L3 && m >= 2 * NR) splitN = false;
        else if (packsB && (long) m * k <= IN_L3 && n >= 2 * NR) splitN = true;
        else splitN = n >= m;
        int unit = splitN || packsA ? NR : MR;
        int units = ceilDiv(splitN ? n : m, unit);
        parts = Math.min(parts, units);
        if (parts == 1) {
            onOneThread(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            done.finished(0, m, 0, n);
            return;
        }
        final int nParts = parts;
        Parallel.forEachPart(nParts, part -> {
            int from = Math.min(splitN ? n : m, (int) ((long) units * part / nParts) * unit);
            int to = Math.min(splitN ? n : m, (int) ((long) units * (part + 1) / nParts) * unit);
            if (from >= to) return;
            if (splitN) {
                int bo = bOff + (transB ? from * ldb : from);
                onOneThread(transA, transB, m, to - from, k, alpha, a, aOff, lda, b, bo, ldb, beta, c, cOff + from, ldc);
                done.finished(0, m, from, to);
            } else {
                int ao = aOff + (transA ? from : from * lda);
                onOneThread(transA, transB, to - from, n, k, alpha, a, ao, lda, b, bOff, ldb, beta, c, cOff + from * ldc, ldc);
                done.finished(from, to, 0, n);
            }
        });
    }

    /**
     * The work of one thread. Wherever an operand is row-contiguous along the depth, the kernel reads it in
     * place ({@link SimdGemmInPlace}): packing it costs more than the cache locality it buys (thread CPU
     * time, 2-core EPYC: 1024³ 89 vs 83 GF/s, 64x10x784 41 vs 17). So the packed path {@link #blocked} is
     * left with Aᵀ·B only, whose columns go to {@link SimdGemmSparseA} first when A is mostly zeros. C with fewer rows than a
     * tile takes {@link SimdGemmFewRows} (axpy rows for a plain B, dot products for A·Bᵀ). Every
     * path gives bitwise the result of {@link #blocked}, so which one a thread's share of C takes never
     * changes a bit.
     */
    static void onOneThread(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc) {
        if (m < MR && !transB)
            SimdGemmFewRows.sgemm(transA, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        else if (m < MR && !transA)
            SimdGemmFewRows.timesBt(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        else if (packsOnlyA(transA, transB, m, n))
            SimdGemmInPlace.fewRowsTimesBt(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        else if (!transA)
            SimdGemmInPlace.plainA(transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        else if (transB)
            SimdGemmInPlace.bothTransposed(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        else {
            // Aᵀ·B, the form of a weight gradient. Where A is mostly zeros (an output gradient through a ReLU) they are
            // skipped on the columns of whole chunks, and the dense kernel takes the rest (bitwise the same either way).
            int done = alpha == 1f && beta == 0f ? SimdGemmSparseA.transposedA(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc) : 0;
            if (done < n)
                blocked(true, false, m, n - done, k, alpha, a, aOff, lda, b, bOff + done, ldb, beta, c, cOff + done, ldc);
        }
    }

    /**
     * Whether A·Bᵀ takes {@link SimdGemmInPlace#fewRowsTimesBt}, which packs A and reads B in place, rather than
     * {@link SimdGemmInPlace#plainA}, which packs B: both operands are row-contiguous along the depth, and
     * packing (a transposing copy) costs per element, so the one with fewer rows is packed. The layer
     * h·W2ᵀ (64×10×256) packs 2.5k instead of 16k floats that way.
     */
    static boolean packsOnlyA(boolean transA, boolean transB, int m, int n) {
        return !transA && transB && m <= SimdGemmInPlace.MAX_SMALL && m <= n;
    }

    /** Number of depth blocks: a function of k alone, so every way of splitting C sums in the same order. */
    static int depthBlocks(int k) { return ceilDiv(k, KC); }

    /** Start of depth block kb of kBlocks near-equal blocks (288 -> 144+144, not 256+32); kb == kBlocks gives k. */
    static int depthBlockStart(int k, int kBlocks, int kb) { return (int) ((long) k * kb / kBlocks); }

    /** The blocked loop nest on the calling thread. */
    static void blocked(boolean transA, boolean transB, int m, int n, int k, float alpha,
                        float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                        float beta, float[] c, int cOff, int ldc) {
        Workspace ws = WORKSPACE.get();
        int kBlocks = depthBlocks(k);
        int maxKc = ceilDiv(k, kBlocks);
        boolean direct = SimdGemmTiles.direct(alpha, beta);
        // The buffers are sized here, not in the loop nest: a first call on a thread (or a larger shape) grows them,
        // a branch C2's profile of the loops may never have seen, and taking it there would throw the compiled loop
        // nest away ("unstable_if"; the training thread's first step did so after a warm-up on another thread).
        int bNeed = packedBFloats(k), aNeed = maxKc * MC;
        if (ws.b.length < bNeed) ws.b = new float[bNeed];
        if (ws.a.length < aNeed) ws.a = new float[aNeed];
        ws.old[1] = c;
        try {
            blockedLoops(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, ws, kBlocks, direct);
        } finally {
            ws.old[1] = null;   // the workspace outlives the call: do not keep the caller's C alive
        }
    }

    private static void blockedLoops(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                     float beta, float[] c, int cOff, int ldc, Workspace ws, int kBlocks,
                                     boolean direct) {
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int kb = 0; kb < kBlocks; kb++) {
                int pc = depthBlockStart(k, kBlocks, kb);
                int kc = depthBlockStart(k, kBlocks, kb + 1) - pc;
                float betaBlock = kb == 0 ? beta : 1f; // later depth blocks add onto the partial sums in C
                int sel = SimdGemmTiles.pick(betaBlock);   // direct only: the old C is ws.old[sel] (zeros or C)
                packB(transB, b, bOff, ldb, pc, kc, jc, nc, ws.b);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    packA(transA, a, aOff, lda, ic, mc, pc, kc, ws.a);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int bIdx = (jr / NR) * kc * NR;
                        int cols = Math.min(NR, nc - jr);
                        for (int ir = 0; ir < mc; ir += MR) {
                            int aIdx = (ir / MR) * kc * MR, cIdx = cOff + (ic + ir) * ldc + jc + jr;
                            int rows = Math.min(MR, mc - ir);
                            if (!direct) {
                                SimdGemmTiles.tile(kc, ws.a, aIdx, ws.b, bIdx, SimdGemmTiles.ZEROS, 0, 0, ws.edge, 0, NR);
                                SimdGemmTiles.general(ws.edge, alpha, betaBlock, c, cIdx, ldc, rows, cols, false);
                            } else if (rows == MR && cols == NR) {
                                SimdGemmTiles.tile(kc, ws.a, aIdx, ws.b, bIdx, ws.old[sel], cIdx * sel, ldc * sel, c, cIdx, ldc);
                            } else {   // an edge tile: beta 0 reads nothing of C, as in SimdGemmInPlace
                                SimdGemmTiles.loadOld(sel, c, cIdx, ldc, rows * sel, cols, false, ws.oldTile);
                                SimdGemmTiles.tile(kc, ws.a, aIdx, ws.b, bIdx, ws.oldOfScratch[sel], 0, NR * sel, ws.edge, 0, NR);
                                SimdGemmTiles.storeTile(ws.edge, c, cIdx, ldc, rows, cols, false);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Packs op(B)[pc:pc+kc, jc:jc+nc] as NR-wide slivers: sliver s holds columns jc+s*NR.., row-major
     * kc×NR, so the kernel reads it sequentially. Columns past n are zero.
     * The source is read along its stored rows: a plain B in bands of PACK_ROWS rows, a transposed B one
     * column of op(B) at a time. Walking a wide plain B down whole columns would touch a new page on every
     * row and spend the time in TLB misses.
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int jc, int nc, float[] dst) {
        int fullCols = nc / NR * NR;
        if (!transB) {
            // PACK_ROWS rows at a time, sliver by sliver: the slivers lie kc*NR floats apart (64 KiB, a multiple
            // of 4 KiB), so writing all of them for each row would send every store to the same L1 set.
            for (int p0 = 0; p0 < kc; p0 += PACK_ROWS) {
                int p1 = Math.min(kc, p0 + PACK_ROWS);
                for (int jr = 0; jr < fullCols; jr += NR) {
                    int d = (jr / NR) * kc * NR + p0 * NR;
                    int src = bOff + (pc + p0) * ldb + jc + jr;
                    for (int p = p0; p < p1; p++, src += ldb, d += NR) {
                        FloatVector.fromArray(S, b, src).intoArray(dst, d);
                        FloatVector.fromArray(S, b, src + VL).intoArray(dst, d + VL);
                    }
                }
                if (fullCols < nc) {
                    int cols = nc - fullCols;
                    int d = (fullCols / NR) * kc * NR + p0 * NR;
                    int src = bOff + (pc + p0) * ldb + jc + fullCols;
                    for (int p = p0; p < p1; p++, src += ldb, d += NR) {
                        System.arraycopy(b, src, dst, d, cols);
                        java.util.Arrays.fill(dst, d + cols, d + NR, 0f);
                    }
                }
            }
        } else {
            // op(B)[p][j] = b[j*ldb + p]: a transpose. Full slivers go through registers 8 × 8 at a time (Transpose8: the
            // MLP's x, 64×784, packed in 7 instead of 19-24 µs with 8 lanes, 6 instead of 15 with AVX-512's gathers);
            // the depths past the last multiple of 8, and partial slivers, column by column: each stored row read
            // contiguously, a column of the sliver written.
            for (int jr = 0; jr < nc; jr += NR) {
                int cols = Math.min(NR, nc - jr);
                int d = (jr / NR) * kc * NR, src0 = bOff + (jc + jr) * ldb + pc, from = 0;
                if (Transpose8.USED && cols == NR) {
                    Transpose8.columns(b, src0, ldb, kc, NR, dst, d, NR);
                    from = kc & ~7;
                }
                for (int j = 0; j < cols; j++)
                    for (int p = from, src = src0 + j * ldb; p < kc; p++) dst[d + p * NR + j] = b[src + p];
                for (int j = cols; j < NR; j++) for (int p = 0; p < kc; p++) dst[d + p * NR + j] = 0f;
            }
        }
    }

    /**
     * Packs op(A)[ic:ic+mc, pc:pc+kc] as MR-tall slivers of depth kc, in the layout {@link SimdGemmTiles#packedA} gives
     * (row by row with AVX2's 16 registers, interleaved by depth with AVX-512's 32): sliver s holds rows ic+s*MR...
     * Rows past m are zero. The source is read in MR (plain) or one (transposed) contiguous streams.
     */
    static void packA(boolean transA, float[] a, int aOff, int lda, int ic, int mc, int pc, int kc, float[] dst) {
        boolean byRows = SimdGemmTiles.PACKED_A_BY_ROWS;
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir);
            int d = (ir / MR) * kc * MR;
            if (rows < MR) java.util.Arrays.fill(dst, d, d + kc * MR, 0f);
            if (transA && rows == MR) {
                // op(A)[i][p] = a[p*lda + i]: MR consecutive values of a stored row, written out (a loop over
                // r < rows ran at 0.6 ns a value: the weight gradient gᵀ·x spent 6% of its time here).
                int src = aOff + pc * lda + ic + ir;
                if (byRows) {
                    for (int p = 0; p < kc; p++, src += lda) {
                        dst[d + p] = a[src]; dst[d + kc + p] = a[src + 1]; dst[d + 2 * kc + p] = a[src + 2];
                        dst[d + 3 * kc + p] = a[src + 3]; dst[d + 4 * kc + p] = a[src + 4]; dst[d + 5 * kc + p] = a[src + 5];
                    }
                } else {
                    for (int p = 0, o = d; p < kc; p++, src += lda, o += MR) {
                        dst[o] = a[src]; dst[o + 1] = a[src + 1]; dst[o + 2] = a[src + 2];
                        dst[o + 3] = a[src + 3]; dst[o + 4] = a[src + 4]; dst[o + 5] = a[src + 5];
                    }
                }
            } else if (transA) {
                int src = aOff + pc * lda + ic + ir;
                for (int p = 0; p < kc; p++, src += lda)
                    for (int r = 0; r < rows; r++) dst[d + SimdGemmTiles.packedA(kc, p, r)] = a[src + r];
            } else if (byRows) {   // each row a contiguous copy
                for (int r = 0; r < rows; r++) System.arraycopy(a, aOff + (ic + ir + r) * lda + pc, dst, d + r * kc, kc);
            } else if (rows == MR) { // written out for MR = 6, like the micro-kernel
                int r0 = aOff + (ic + ir) * lda + pc;
                int r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda, r4 = r3 + lda, r5 = r4 + lda;
                for (int p = 0, o = d; p < kc; p++, o += MR) {
                    dst[o] = a[r0 + p]; dst[o + 1] = a[r1 + p]; dst[o + 2] = a[r2 + p];
                    dst[o + 3] = a[r3 + p]; dst[o + 4] = a[r4 + p]; dst[o + 5] = a[r5 + p];
                }
            } else {
                for (int r = 0; r < rows; r++) {
                    int src = aOff + (ic + ir + r) * lda + pc;
                    for (int p = 0; p < kc; p++) dst[d + p * MR + r] = a[src + p];
                }
            }
        }
    }

    /** k == 0: the product is empty, C = alpha*0 + beta*C (the same epilogue as the kernel). */
    private static void scale(int m, int n, float alpha, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) c[cOff + i * ldc + j] = SimdGemmTiles.epilogue(0f, alpha, beta, c[cOff + i * ldc + j]);
    }

    static int ceilDiv(int x, int y) { return (x + y - 1) / y; }

    /**
     * Floats of a packed-B buffer for products of depth k ({@link #blocked}, {@link SimdGemmInPlace}): a whole block of
     * the depth by NC columns, whatever the product's width (and an A block likewise MC rows, whatever its height).
     * A weight gradient's narrow dense tail (the columns the sparse kernel leaves) and its whole width (where too few
     * of its zeros make it dense, as in the MLP's first epoch) then need the same buffer: sized by width, the wide call,
     * first seen in training, grew it and threw {@code blocked}'s compiled code away (-Xlog:deoptimization, AVX2 code,
     * 2026-12-07).
     */
    static int packedBFloats(int k) { return ceilDiv(k, depthBlocks(k)) * NC; }
}
