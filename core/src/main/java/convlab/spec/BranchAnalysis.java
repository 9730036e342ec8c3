package convlab.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * Shapes and receptive fields at a merge (CONCAT, ADD; see {@link Branches}). CONCAT needs the same
 * spatial size on every path and adds up the channels; ADD needs identical shapes. Neither has parameters
 * or multiply-adds. The receptive field through a merge is the largest over the merged paths (an output
 * sees the union of what each path sees; when the paths are centred alike that union is the largest
 * field): size r = max over paths, and the jump and start of the path that attains it (the current path
 * on a tie). If any path is undefined (after a transposed convolution) so is the merge; otherwise, if any
 * path sees the whole input, so does the merge.
 */
final class BranchAnalysis {
    private BranchAnalysis() {}

    /** The stats of merge m, row index, whose current input is in/rf; before holds rows 1 … index−1. */
    static LayerStats merge(Spec spec, int index, Layer.Merge m, FeatureShape in, ReceptiveField rf, List<LayerStats> before) {
        List<FeatureShape> shapes = new ArrayList<>();
        List<ReceptiveField> fields = new ArrayList<>();
        for (int row : m.from()) {
            shapes.add(before.get(row - 1).output());
            fields.add(before.get(row - 1).rf());
        }
        FeatureShape out = shape(spec, index, m, in, shapes);
        return new LayerStats(index, m, in, out, 0, "", 0, "", 0, "", field(rf, fields), explain(m, rf, fields));
    }

    private static FeatureShape shape(Spec spec, int index, Layer.Merge m, FeatureShape in, List<FeatureShape> shapes) {
        long channels = in.channels();
        for (int k = 0; k < shapes.size(); k++) {
            FeatureShape s = shapes.get(k);
            String other = "@" + m.labels().get(k) + " (row " + m.from().get(k) + ") is " + s;
            if (m.concat() && !s.spatial().equals(in.spatial()))
                throw fail(spec, index, m, in, "CONCAT stacks channels, so every path needs the same "
                        + (in.isFlat() || s.isFlat() ? "kind of output (image, signal or flat vector)" : "spatial size")
                        + ", but " + other + "; resize one path (POOL, a strided CONV, TCONV)");
            if (!m.concat() && !s.equals(in))
                throw fail(spec, index, m, in, "ADD needs the same shape on every path, but " + other
                        + (s.spatial().equals(in.spatial()) ? "; match the channels (e.g. a CONV1-" + in.channels() + " on one path)" : ""));
            channels += s.channels();
        }
        if (!m.concat()) return in;
        if (channels > Integer.MAX_VALUE)
            throw fail(spec, index, m, in, "the output would have " + channels + " channels, too many");
        return new FeatureShape(in.spatial(), (int) channels);
    }

    private static IllegalArgumentException fail(Spec spec, int index, Layer.Merge m, FeatureShape in, String message) {
        return SpecError.at(spec.text(), m.pos(), m.length(), "layer " + index + " (" + m.source() + ") with input " + in + ": " + message);
    }

    /** The field after a merge of the current path (rf) with the labelled ones: the largest over the paths. */
    static ReceptiveField field(ReceptiveField rf, List<ReceptiveField> others) {
        List<ReceptiveField> all = new ArrayList<>();
        all.add(rf);
        all.addAll(others);
        if (all.stream().anyMatch(f -> f.kind() == ReceptiveField.Kind.UNDEFINED)) return ReceptiveField.UNDEFINED;
        if (all.stream().anyMatch(f -> f.kind() == ReceptiveField.Kind.GLOBAL)) return ReceptiveField.GLOBAL;
        ReceptiveField best = rf;
        for (ReceptiveField f : others) if (f.size() > best.size()) best = f;
        return best;
    }

    /** "max over paths: r = max(5 this path, 3 @a) = 5; j and start from this path". */
    static String explain(Layer.Merge m, ReceptiveField rf, List<ReceptiveField> others) {
        ReceptiveField out = field(rf, others);
        if (!out.isLocal()) return "max over paths: " + (out.kind() == ReceptiveField.Kind.GLOBAL
                ? "a path sees the whole input" : "undefined on a path (a transposed convolution)");
        StringBuilder sb = new StringBuilder("max over paths: r = max(").append(rf.size()).append(" this path");
        String from = "this path";
        for (int k = 0; k < others.size(); k++) {
            sb.append(", ").append(others.get(k).size()).append(" @").append(m.labels().get(k));
            if (out == others.get(k) && from.equals("this path") && others.get(k) != rf) from = "@" + m.labels().get(k);
        }
        return sb.append(") = ").append(out.size()).append(";  j = ").append(out.jump()).append(", start = ")
                .append(out.start()).append(" from ").append(from).toString();
    }
}
