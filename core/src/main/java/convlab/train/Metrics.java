package convlab.train;

import convlab.tensor.Tensor;

/** Classification metrics computed from logits (N, C) and integer labels. */
public final class Metrics {
    private Metrics() {}

    /** Number of rows whose arg-max (first on ties) equals the label. */
    public static int correct(Tensor logits, int[] labels) { return correct(logits.argmax(1), labels); }

    /** Number of predicted classes equal to their labels. */
    public static int correct(int[] pred, int[] labels) {
        int c = 0;
        for (int i = 0; i < labels.length; i++) if (pred[i] == labels[i]) c++;
        return c;
    }

    /** Confusion matrix counts[true][predicted]. */
    public static void addToConfusion(long[][] counts, Tensor logits, int[] labels) { addToConfusion(counts, logits.argmax(1), labels); }

    /** Confusion matrix counts[true][predicted] from predicted classes. */
    public static void addToConfusion(long[][] counts, int[] pred, int[] labels) {
        for (int i = 0; i < labels.length; i++) counts[labels[i]][pred[i]]++;
    }
}
