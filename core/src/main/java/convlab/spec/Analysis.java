package convlab.spec;

import java.util.List;

/** A spec analysed for one input shape: per-layer {@link LayerStats} and the totals. */
public record Analysis(Spec spec, FeatureShape input, List<LayerStats> layers) {
    public Analysis {
        layers = List.copyOf(layers);
    }

    /** Shape inference and counts for the given input (see {@link Analyzer}). */
    public static Analysis of(Spec spec, FeatureShape input) { return Analyzer.analyze(spec, input); }

    public FeatureShape output() { return layers.isEmpty() ? input : layers.getLast().output(); }

    public long totalParams() { return layers.stream().mapToLong(LayerStats::params).sum(); }

    public long totalBuffers() { return layers.stream().mapToLong(LayerStats::buffers).sum(); }

    public long totalMacs() { return layers.stream().mapToLong(LayerStats::macs).sum(); }

    /** The receptive field of the final output. */
    public ReceptiveField receptiveField() { return layers.isEmpty() ? ReceptiveField.INPUT : layers.getLast().rf(); }
}
