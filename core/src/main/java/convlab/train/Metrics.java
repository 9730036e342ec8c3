package convlab.train;

import convlab.tensor.Tensor;

/** Classification metrics computed from logits (N, C) and integer labels. */
public final class Metrics {
    private Metrics() {}

    /** Number of rows whose arg-max (first on ties) equals the label. */
    public static int correct(Tensor logits, int[] labels) {
        int[] pred = logits.argmax(1);
        int c = 0;
        for (int i = 0; i < labels.length; i++) if (pred[i] == labels[i]) c++;
        return c;
    }

    /** Confusion matrix counts[true][predicted]. */
    public static void addToConfusion(long[][] counts, Tensor logits, int[] labels) {
        int[] pred = logits.argmax(1);
        for (int i = 0; i < labels.length; i++) counts[labels[i]][pred[i]]++;
    }
}
