package convlab.kernels;

import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Reusable float buffers for the convolution kernels (column matrices, partial weight gradients), so a
 * training step does not allocate a fresh megabyte per layer per call. A buffer is taken for the duration
 * of one kernel part and given back; taking never blocks and is safe from any thread (and from nested
 * parallel work, unlike a thread-local buffer). Contents of a taken buffer are undefined.
 */
final class ConvScratch {
    private static final int KEEP = 16;   // at most this many idle buffers are kept (a backward part takes 4)
    private static final ConcurrentLinkedDeque<float[]> idle = new ConcurrentLinkedDeque<>();

    private ConvScratch() {}

    static float[] take(int size) {
        for (int tries = idle.size(); tries > 0; tries--) {
            float[] b = idle.pollFirst();
            if (b == null) break;
            if (b.length >= size) return b;
            idle.offerLast(b);   // too small for this call; keep it for a smaller layer
        }
        return new float[size];
    }

    static void give(float[] b) {
        idle.offerFirst(b);
        while (idle.size() > KEEP) idle.pollLast();   // forget the least recently used
    }
}
