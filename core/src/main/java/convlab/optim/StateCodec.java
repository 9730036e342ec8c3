package convlab.optim;

/**
 * Stores integer counters (step counts) exactly in float arrays, so optimizer state is uniformly
 * "named float arrays": a count c is saved as {@code {c >>> 24, c & 0xFFFFFF}}, two floats that each hold at
 * most 24 bits and are therefore exact (a single float would silently round past 16.7 million steps).
 * Generator states are saved the same way, 16 bits per float.
 */
public final class StateCodec {
    private StateCodec() {}

    /** 64-bit words (e.g. a random generator's state) as four exact 16-bit floats each. */
    public static float[] encodeWords(long[] words) {
        float[] out = new float[words.length * 4];
        for (int i = 0; i < words.length; i++)
            for (int k = 0; k < 4; k++) out[4 * i + k] = (float) ((words[i] >>> (16 * k)) & 0xFFFF);
        return out;
    }

    public static long[] decodeWords(float[] v) {
        if (v.length % 4 != 0) throw new IllegalArgumentException("malformed words in optimizer state: " + v.length + " values, expected a multiple of 4");
        long[] out = new long[v.length / 4];
        for (int i = 0; i < v.length; i++) {
            if (v[i] != Math.rint(v[i]) || v[i] < 0 || v[i] > 0xFFFF)
                throw new IllegalArgumentException("malformed words in optimizer state (expected integers in 0..65535)");
            out[i / 4] |= ((long) v[i]) << (16 * (i % 4));
        }
        return out;
    }

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
