package convlab.spec;

import java.util.List;
import java.util.Locale;

/**
 * The shape of one example's activations as the course writes it: H×W×C for images, L×C for 1-d
 * signals, or a flat vector of C features (spatial empty). Modules see the same data as (N, C, H, W),
 * (N, C, L) or (N, C).
 */
public record FeatureShape(List<Integer> spatial, int channels) {
    public FeatureShape {
        spatial = List.copyOf(spatial);
    }

    public static FeatureShape image(int h, int w, int c) { return new FeatureShape(List.of(h, w), c); }

    public static FeatureShape flat(int features) { return new FeatureShape(List.of(), features); }

    /**
     * Reads "28x28x1" (H×W×C), "100x3" (L×C, a 1-d signal) or "784" (flat); 'x', 'X', '×' or ',' separate.
     */
    public static FeatureShape parse(String text) {
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split("\\s*[x×,]\\s*", -1);
        if (parts.length > 3 || text.isBlank())
            throw new IllegalArgumentException("bad input shape '" + text + "': expected H×W×C such as 28x28x1 (or L×C for 1-d, or a feature count)");
        int[] v = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            if (!parts[i].matches("\\d{1,7}") || Integer.parseInt(parts[i]) < 1)
                throw new IllegalArgumentException("bad input shape '" + text + "': '" + parts[i]
                        + "' is not a positive whole number; expected H×W×C such as 28x28x1");
            v[i] = Integer.parseInt(parts[i]);
        }
        return switch (v.length) {
            case 3 -> image(v[0], v[1], v[2]);
            case 2 -> new FeatureShape(List.of(v[0]), v[1]);
            default -> flat(v[0]);
        };
    }

    public boolean isFlat() { return spatial.isEmpty(); }

    public long numel() {
        long n = channels;
        for (int s : spatial) n *= s;
        return n;
    }

    /** The course's notation: "28×28×10", "100×3", "490". */
    @Override public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int s : spatial) sb.append(s).append('×');
        return sb.append(channels).toString();
    }

    /** The module-side shape with a batch dimension: (N, C, H, W), (N, C, L) or (N, C). */
    public int[] withBatch(int n) {
        int[] out = new int[2 + spatial.size()];
        out[0] = n;
        out[1] = channels;
        for (int i = 0; i < spatial.size(); i++) out[2 + i] = spatial.get(i);
        return out;
    }
}
