package convlab.tensor;

/**
 * Seeded random number generator (xoshiro256**, seeded through SplitMix64) whose whole state can be
 * read and restored, so a checkpoint can resume a run bitwise identically. Not thread-safe by design:
 * each consumer (init, data shuffling, dropout) owns its own generator.
 */
public final class Rng {
    private long s0, s1, s2, s3;
    private double spareGaussian;
    private boolean hasSpare;

    public Rng(long seed) {
        long x = seed;
        s0 = splitMix(x += 0x9E3779B97F4A7C15L);
        s1 = splitMix(x += 0x9E3779B97F4A7C15L);
        s2 = splitMix(x += 0x9E3779B97F4A7C15L);
        s3 = splitMix(x + 0x9E3779B97F4A7C15L);
    }

    private static long splitMix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() { return (nextLong() >>> 11) * 0x1.0p-53; }

    /** Uniform in [0, 1) with 24 random bits. */
    public float nextFloat() { return (nextLong() >>> 40) * 0x1.0p-24f; }

    /** Uniform integer in [0, bound), unbiased (Lemire's method with rejection). */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive, got " + bound);
        long r = (nextLong() >>> 32) * bound;
        if ((r & 0xFFFFFFFFL) < bound) {
            long threshold = (0x1_0000_0000L - bound) % bound;
            while ((r & 0xFFFFFFFFL) < threshold) r = (nextLong() >>> 32) * bound;
        }
        return (int) (r >>> 32);
    }

    /** Standard normal sample (Box–Muller, pairs cached). */
    public double nextGaussian() {
        if (hasSpare) { hasSpare = false; return spareGaussian; }
        double u, v, s;
        do {
            u = 2 * nextDouble() - 1;
            v = 2 * nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double mul = Math.sqrt(-2 * Math.log(s) / s);
        spareGaussian = v * mul;
        hasSpare = true;
        return u * mul;
    }

    /** Fisher–Yates shuffle of indices in place. */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i]; a[i] = a[j]; a[j] = t;
        }
    }

    /** The complete state (for checkpoints). */
    public long[] state() {
        return new long[] {s0, s1, s2, s3, Double.doubleToRawLongBits(spareGaussian), hasSpare ? 1 : 0};
    }

    public void setState(long[] state) {
        if (state.length != 6) throw new IllegalArgumentException("Rng state has 6 words, got " + state.length);
        // xoshiro256's one forbidden state: all-zero stays zero forever (nextInt would loop without end).
        if ((state[0] | state[1] | state[2] | state[3]) == 0)
            throw new IllegalArgumentException("Rng state is all zero, which xoshiro256 never reaches (the saved state is damaged)");
        s0 = state[0]; s1 = state[1]; s2 = state[2]; s3 = state[3];
        spareGaussian = Double.longBitsToDouble(state[4]);
        hasSpare = state[5] != 0;
    }
}
