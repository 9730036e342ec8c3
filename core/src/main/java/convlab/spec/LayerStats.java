package convlab.spec;

/**
 * What one layer does to one example, all exact integers: shapes, trainable parameters and buffers (each as
 * a number and as the product the course writes, e.g. "3×3×1×10 + 10"), multiply-adds, receptive field.
 * Expressions are empty when the count is 0. rfStep shows the receptive-field rule for this layer.
 * index counts from 1 in the order of {@link Spec#layers()}.
 */
public record LayerStats(int index, Layer layer, FeatureShape input, FeatureShape output,
                         long params, String paramsExpr, long buffers, String buffersExpr,
                         long macs, String macsExpr, ReceptiveField rf, String rfStep) {

    /** Kernel, stride, padding and mode of a convolution or pooling layer as resolved (defaults filled in); else "". */
    public String settings() {
        boolean oneD = input.spatial().size() == 1;
        return switch (layer) {
            case Layer.Conv c -> c.settings(oneD);
            case Layer.Pool p -> p.settings(oneD);
            case Layer.Merge m -> m.settings();
            default -> "";
        };
    }

    /** The layer as shown in tables: its source text, "*" marking an implied ReLU. */
    public String name() {
        return layer instanceof Layer.Relu r && r.implied() ? "RELU*" : layer.source();
    }
}
