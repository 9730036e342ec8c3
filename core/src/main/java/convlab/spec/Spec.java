package convlab.spec;

import java.util.List;

/**
 * A parsed architecture spec such as {@code "CONV3-10 POOL2 CONV3-10 POOL2 FLATTEN FC-10"}: the layers in
 * order (repetitions expanded, SEPCONV split into its depthwise and pointwise parts) and whether ReLUs
 * were implied. The language is documented in docs/SPEC.md.
 *
 * <p>Implied activations: when the spec writes no RELU anywhere, a ReLU follows every convolution and
 * every FC except the last FC (the course's convention: "CONV3-10 POOL2 …" means ReLU after each conv),
 * placed after any BN/LN/GN directly following that layer. A spec that writes RELU anywhere gets exactly
 * the activations it writes.
 */
public record Spec(String text, List<Layer> layers, boolean reluImplied) {
    public Spec {
        layers = List.copyOf(layers);
    }

    /** Parses with the implied-activation rule. Bad specs throw IllegalArgumentException pointing at the token. */
    public static Spec parse(String text) { return SpecParser.parse(text, true); }

    /** Parses; with implyRelu false, no activation is ever added (the layers are exactly as written). */
    public static Spec parse(String text, boolean implyRelu) { return SpecParser.parse(text, implyRelu); }

    /** Whether the spec merges branches (CONCAT/ADD): its model is a graph, not a chain. */
    public boolean hasBranches() { return layers.stream().anyMatch(l -> l instanceof Layer.Merge); }

    /** One sentence for summaries: which activation rule applied. */
    public String activationNote() {
        return reluImplied
                ? "ReLU implied after each convolution and each hidden FC (the spec writes no RELU); implied ones are marked *"
                : "activations exactly as written (no ReLU is implied)";
    }
}
