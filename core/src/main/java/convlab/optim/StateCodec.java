package convlab.optim;

/**
 * Stores integer counters (step counts) exactly in float arrays, so optimizer state is uniformly
 * "named float arrays": a count c is saved as {c >>> 24, c & 0xFFFFFF}, two floats that each hold at
 * most 24 bits and are therefore exact (a single float would silently round past 16.7 million steps).
 */
final class StateCodec {
    private StateCodec() {}

    static float[] encodeCount(long c) {
        if (c < 0 || c >= (1L << 48)) throw new IllegalArgumentException("step count out of range: " + c);
        return new float[] {(float) (c >>> 24), (float) (c & 0xFFFFFF)};
    }

    static long decodeCount(float[] v) {
        if (v.length != 2 || v[0] != Math.rint(v[0]) || v[1] != Math.rint(v[1]) || v[0] < 0 || v[1] < 0 || v[1] >= (1 << 24))
            throw new IllegalArgumentException("malformed step count in optimizer state (expected two integers < 2^24)");
        return ((long) v[0] << 24) | (long) v[1];
    }
}
