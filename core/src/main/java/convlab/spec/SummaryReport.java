package convlab.spec;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import convlab.explain.Worksheet;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders an {@link Analysis} as the layer table of {@code convlab summary}: plain text (aligned columns),
 * Markdown, or JSON. Buffers (batch-norm running statistics) are listed apart from trained parameters.
 */
public final class SummaryReport {
    private SummaryReport() {}

    private static final String[] HEADER = {"#", "layer", "settings", "output", "params", "= expression", "MACs", "RF size", "jump", "start"};

    /** Table rows: the input, then one per layer. */
    private static List<String[]> rows(Analysis a, boolean markdown) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"0", "input", "", a.input().toString(), "0", "", "0", "1", "1", "0"});
        for (LayerStats s : a.layers()) {
            ReceptiveField rf = s.rf();
            String name = markdown ? s.name().replace("*", "\\*").replace("|", "\\|") : s.name();
            String expr = s.paramsExpr().isEmpty() ? "" : markdown ? s.paramsExpr() : "= " + s.paramsExpr();
            String[] rfCols = rf.isLocal() ? new String[] {Long.toString(rf.size()), Long.toString(rf.jump()), rf.start()}
                    : new String[] {rf.sizeText(), "", ""};
            rows.add(new String[] {Integer.toString(s.index()), name, s.settings(), s.output().toString(), Long.toString(s.params()), expr,
                    Long.toString(s.macs()), rfCols[0], rfCols[1], rfCols[2]});
        }
        return rows;
    }

    private static String inputLine(Analysis a) {
        String layout = a.input().isFlat() ? "features" : a.input().spatial().size() == 1 ? "L×C" : "H×W×C";
        return "input " + a.input() + " (" + layout + ")";
    }

    private static String totals(Analysis a) {
        return a.totalParams() + " trainable parameters, " + a.totalBuffers() + " buffer values, "
                + a.totalMacs() + " multiply-adds per example (convolutions and FC layers)";
    }

    private static List<String> bufferLines(Analysis a) {
        List<String> out = new ArrayList<>();
        for (LayerStats s : a.layers())
            if (s.buffers() > 0)
                out.add(s.index() + " " + s.name() + ": " + s.buffers() + " = " + s.buffersExpr() + " ("
                        + (s.buffersExpr().startsWith("2×") ? "running mean and running variance" : "running mean") + ")");
        return out;
    }

    public static String text(Analysis a) {
        StringBuilder sb = new StringBuilder();
        sb.append(a.spec().text().strip()).append("    ").append(inputLine(a)).append('\n');
        sb.append(a.spec().activationNote()).append("\n\n");
        List<String[]> rows = rows(a, false);
        rows.addFirst(HEADER);
        int cols = HEADER.length;
        int[] width = new int[cols];
        for (String[] r : rows) for (int c = 0; c < cols; c++) width[c] = Math.max(width[c], r[c].length());
        for (String[] r : rows) sb.append(line(r, width)).append('\n');
        sb.append("\ntotal: ").append(totals(a)).append('\n');
        List<String> buffers = bufferLines(a);
        sb.append("buffers (saved with the model, not trained):").append(buffers.isEmpty() ? " none" : "").append('\n');
        for (String b : buffers) sb.append("  ").append(b).append('\n');
        sb.append("receptive field per spatial axis: size r, jump j, start = centre of the first output's field (input pixel i at i); all = the whole input\n");
        return sb.toString();
    }

    /** One aligned row: numbers right-aligned, names and expressions left-aligned. */
    static String line(String[] cells, int[] width) {
        StringBuilder line = new StringBuilder(" ");
        for (int c = 0; c < cells.length; c++) {
            boolean left = c == 1 || c == 2 || c == 3 || c == 5;
            line.append("  ").append(pad(cells[c], width[c], !left));
        }
        return line.toString().stripTrailing();
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return right ? fill + s : s + fill;
    }

    /** The Markdown rendering of {@link #worksheet}: the table with shapes and parameter products as LaTeX. */
    public static String markdown(Analysis a) { return worksheet(a).toMarkdown(); }

    /** The layer table as a worksheet (the one model behind the Markdown and HTML renderings). */
    public static Worksheet worksheet(Analysis a) {
        Worksheet ws = new Worksheet().heading("Summary of " + a.spec().text().strip() + ", " + inputLine(a));
        ws.text(a.spec().activationNote());
        List<Worksheet.Cell> header = new ArrayList<>();
        for (String h : HEADER) header.add(Worksheet.Cell.of(h.equals("= expression") ? "expression" : h));
        List<List<Worksheet.Cell>> rows = new ArrayList<>();
        for (String[] r : rows(a, false)) {
            List<Worksheet.Cell> row = new ArrayList<>();
            for (int c = 0; c < r.length; c++) {
                String v = c == 5 && r[c].startsWith("= ") ? r[c].substring(2) : r[c];
                row.add(c == 3 || c == 5 ? Worksheet.Cell.product(v) : Worksheet.Cell.of(v));
            }
            rows.add(row);
        }
        ws.table(header, rows, true, false, false, false, true, false, true, true, true, true);
        ws.text("total: " + totals(a));
        List<String> buffers = bufferLines(a);
        ws.text("buffers (saved with the model, not trained):" + (buffers.isEmpty() ? " none" : ""));
        for (String b : buffers) ws.text(b);
        ws.text("receptive field per spatial axis: size r, jump j, start = centre of the first output's field (input pixel i at i); all = the whole input");
        return ws;
    }

    public static String json(Analysis a) {
        JsonObject root = new JsonObject();
        root.addProperty("spec", a.spec().text().strip());
        root.add("input", shape(a.input()));
        root.addProperty("reluImplied", a.spec().reluImplied());
        root.addProperty("activations", a.spec().activationNote());
        JsonArray layers = new JsonArray();
        for (LayerStats s : a.layers()) {
            JsonObject o = new JsonObject();
            o.addProperty("index", s.index());
            o.addProperty("layer", s.layer().source());
            o.addProperty("type", s.layer().getClass().getSimpleName());
            o.addProperty("implied", s.layer() instanceof Layer.Relu r && r.implied());
            o.addProperty("settings", s.settings());
            o.add("output", shape(s.output()));
            o.addProperty("params", s.params());
            o.addProperty("paramsExpression", s.paramsExpr());
            o.addProperty("buffers", s.buffers());
            o.addProperty("buffersExpression", s.buffersExpr());
            o.addProperty("macs", s.macs());
            o.addProperty("macsExpression", s.macsExpr());
            o.add("receptiveField", receptiveField(s.rf()));
            o.addProperty("receptiveFieldStep", s.rfStep());
            layers.add(o);
        }
        root.add("layers", layers);
        JsonObject totals = new JsonObject();
        totals.addProperty("params", a.totalParams());
        totals.addProperty("buffers", a.totalBuffers());
        totals.addProperty("macs", a.totalMacs());
        root.add("totals", totals);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root) + "\n";
    }

    static JsonObject shape(FeatureShape s) {
        JsonObject o = new JsonObject();
        o.addProperty("text", s.toString());
        JsonArray dims = new JsonArray();
        for (int d : s.spatial()) dims.add(d);
        dims.add(s.channels());
        o.add("dims", dims);
        o.addProperty("layout", s.isFlat() ? "C" : s.spatial().size() == 1 ? "LxC" : "HxWxC");
        return o;
    }

    static JsonObject receptiveField(ReceptiveField rf) {
        JsonObject o = new JsonObject();
        o.addProperty("kind", rf.kind().name().toLowerCase());
        if (rf.isLocal()) {
            o.addProperty("size", rf.size());
            o.addProperty("jump", rf.jump());
            o.addProperty("start", rf.twiceStart() / 2.0);
        }
        return o;
    }
}
