package convlab.explain;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import convlab.spec.Analysis;
import convlab.spec.FeatureShape;
import convlab.spec.LayerStats;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What {@code convlab forward} prints: every row's output for each input, exact, and how the outputs of
 * different inputs relate at each row: equal, or one a circular shift of the other (the invariance and
 * equivariance a course asks about, e.g. homework 4 problem 4f: shifted inputs give shifted feature maps
 * and, after global average pooling, equal features).
 *
 * @param outputs per input, every row's output ({@link ExactForward#run})
 * @param shown   the rows to print (all when empty); relations and the final line are always computed
 */
public record ForwardReport(Analysis analysis, List<ExactArray> inputs, List<List<ExactArray>> outputs, Set<Integer> shown) {
    /** Largest activation searched for circular shifts (the search is quadratic in its size). */
    private static final int MAX_SHIFT_SEARCH = 4096;

    public static ForwardReport of(Analysis a, ExactWeights w, List<ExactArray> inputs, Set<Integer> shown) {
        ExactForward.checkSize(a, inputs.size());
        List<List<ExactArray>> outs = new ArrayList<>();
        for (ExactArray x : inputs) outs.add(ExactForward.run(a, w, x));
        return new ForwardReport(a, List.copyOf(inputs), List.copyOf(outs), Set.copyOf(shown));
    }

    /** How input j's value relates to an earlier input's: equal (shift null) or circularly shifted by shift. */
    public record Relation(int input, int sameAs, int[] shift) {
        @Override public String toString() {
            if (shift == null) return "x" + (input + 1) + " = x" + (sameAs + 1);
            return "x" + (input + 1) + " = x" + (sameAs + 1) + " shifted circularly by " + (shift.length == 1 ? shift[0] + " positions"
                    : "(" + shift[0] + ", " + shift[1] + ") (rows, columns)");
        }
    }

    /** The relations between inputs' values at one row (row 0 = the inputs themselves). */
    public List<Relation> relations(int row) {
        List<ExactArray> vs = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) vs.add(row == 0 ? inputs.get(i) : outputs.get(i).get(row - 1));
        List<Relation> out = new ArrayList<>();
        for (int j = 1; j < vs.size(); j++) {
            for (int i = 0; i < j; i++) {
                Relation r = relate(j, i, vs.get(j), vs.get(i));
                if (r != null) { out.add(r); break; }
            }
        }
        return out;
    }

    private static Relation relate(int j, int i, ExactArray b, ExactArray a) {
        if (a.equals(b)) return new Relation(j, i, null);
        if (a.rank() < 2 || a.size() > MAX_SHIFT_SEARCH) return null;
        int c = a.dim(0), h = a.rank() == 3 ? a.dim(1) : 1, w = a.dim(a.rank() - 1);
        for (int dr = 0; dr < h; dr++)
            for (int dc = 0; dc < w; dc++) {
                if (dr == 0 && dc == 0) continue;
                boolean same = true;
                for (int ch = 0; ch < c && same; ch++)
                    for (int r = 0; r < h && same; r++)
                        for (int q = 0; q < w && same; q++)
                            same = a.flat((ch * h + r) * w + q).equals(b.flat((ch * h + (r + dr) % h) * w + (q + dc) % w));
                if (same) return new Relation(j, i, a.rank() == 3 ? new int[] {dr, dc} : new int[] {dc});
            }
        return null;
    }

    private boolean show(int row) { return shown.isEmpty() || shown.contains(row); }

    private String name(int i) { return "x" + (i + 1); }

    public String text() {
        StringBuilder sb = new StringBuilder();
        Analysis a = analysis;
        sb.append("forward ").append(a.spec().text().strip()).append("    input ").append(a.input())
                .append(inputs.size() > 1 ? ", " + inputs.size() + " inputs" : "").append('\n');
        sb.append(a.spec().activationNote()).append("; exact arithmetic, eval mode\n");
        if (show(0)) block(sb, "input " + a.input(), 0);
        for (LayerStats s : a.layers()) {
            if (!show(s.index())) continue;
            String settings = s.settings().isEmpty() ? "" : "  " + s.settings();
            if (s.layer() instanceof convlab.spec.Layer.Label) {
                sb.append("\nlayer ").append(s.index()).append("  ").append(s.name()).append("  names the output of layer ")
                        .append(s.index() - 1).append(" (").append(s.output()).append(")\n");
                continue;
            }
            block(sb, "layer " + s.index() + "  " + s.name() + settings + "  → " + s.output(), s.index());
        }
        int last = a.layers().size();
        List<Relation> fin = relations(last);
        if (inputs.size() > 1)
            sb.append("\noutput (layer ").append(last).append("): ").append(fin.isEmpty() ? "no two inputs give equal or shifted outputs" : join(fin)).append('\n');
        return sb.toString();
    }

    private void block(StringBuilder sb, String header, int row) {
        sb.append('\n').append(header).append('\n');
        for (int i = 0; i < inputs.size(); i++) {
            ExactArray v = row == 0 ? inputs.get(i) : outputs.get(i).get(row - 1);
            String indent = inputs.size() > 1 ? "    " : "  ";
            if (inputs.size() > 1) sb.append("  ").append(name(i)).append(":\n");
            for (String line : Render.text(v).split("\n")) sb.append(indent).append(line).append('\n');
        }
        List<Relation> rel = relations(row);
        if (!rel.isEmpty()) sb.append("  ").append(join(rel)).append('\n');
    }

    private static String join(List<Relation> rel) {
        return String.join("; ", rel.stream().map(Relation::toString).toList());
    }

    public String json() {
        Analysis a = analysis;
        JsonObject root = new JsonObject();
        root.addProperty("spec", a.spec().text().strip());
        root.add("input", shape(a.input()));
        root.addProperty("activations", a.spec().activationNote());
        root.addProperty("mode", "eval");
        root.addProperty("order", "values are nested in PyTorch's order for one example: C×H×W, C×L or C");
        JsonArray xs = new JsonArray();
        for (ExactArray x : inputs) xs.add(Render.json(x));
        root.add("inputs", xs);
        root.add("inputRelations", relationsJson(relations(0)));
        JsonArray layers = new JsonArray();
        for (LayerStats s : a.layers()) {
            if (!show(s.index())) continue;
            JsonObject o = new JsonObject();
            o.addProperty("index", s.index());
            o.addProperty("layer", s.name());
            o.addProperty("settings", s.settings());
            o.add("output", shape(s.output()));
            JsonArray vs = new JsonArray();
            for (List<ExactArray> out : outputs) vs.add(Render.json(out.get(s.index() - 1)));
            o.add("values", vs);
            o.add("relations", relationsJson(relations(s.index())));
            layers.add(o);
        }
        root.add("layers", layers);
        JsonArray finals = new JsonArray();
        for (List<ExactArray> out : outputs) finals.add(Render.json(out.isEmpty() ? inputs.get(finals.size()) : out.getLast()));
        root.add("outputs", finals);
        root.add("outputRelations", relationsJson(relations(a.layers().size())));
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root) + "\n";
    }

    private static JsonObject shape(FeatureShape s) {
        JsonObject o = new JsonObject();
        o.addProperty("text", s.toString());
        o.add("dims", Render.json(ExactForward.layout(s)));
        return o;
    }

    private static JsonArray relationsJson(List<Relation> rel) {
        JsonArray arr = new JsonArray();
        for (Relation r : rel) {
            JsonObject o = new JsonObject();
            o.addProperty("input", r.input() + 1);
            o.addProperty("sameAs", r.sameAs() + 1);
            if (r.shift() != null) o.add("shift", Render.json(r.shift()));
            o.addProperty("text", r.toString());
            arr.add(o);
        }
        return arr;
    }
}
