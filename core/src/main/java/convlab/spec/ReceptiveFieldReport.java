package convlab.spec;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import convlab.explain.Worksheet;

import java.util.ArrayList;
import java.util.List;

/**
 * The recursive receptive-field rule applied layer by layer, shown step by step ({@code convlab receptive-field}).
 * Without an input shape the steps need only the layers; with one, each row also shows the output shape
 * (and an impossible shape is reported).
 */
public final class ReceptiveFieldReport {
    private ReceptiveFieldReport() {}

    /** One row: the layer, its output shape (null without an input shape), the field after it and the arithmetic. */
    public record Row(int index, String name, FeatureShape output, ReceptiveField rf, String step) {}

    public static List<Row> rows(Spec spec, FeatureShape input) {
        List<Row> rows = new ArrayList<>();
        if (input != null) {
            for (LayerStats s : Analysis.of(spec, input).layers())
                rows.add(new Row(s.index(), s.name(), s.output(), s.rf(), s.rfStep()));
            return rows;
        }
        ReceptiveField rf = ReceptiveField.INPUT;
        int i = 0;
        for (Layer l : spec.layers()) {
            String name = l instanceof Layer.Relu r && r.implied() ? "RELU*" : l.source();
            ReceptiveField next;
            try {
                if (l instanceof Layer.Merge m) {
                    List<ReceptiveField> others = m.from().stream().map(row -> rows.get(row - 1).rf()).toList();
                    next = BranchAnalysis.field(rf, others);
                    rows.add(new Row(++i, name, null, next, BranchAnalysis.explain(m, rf, others)));
                } else {
                    next = rf.after(l);
                    rows.add(new Row(++i, name, null, next, rf.explainAfter(l)));
                }
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("layer " + (i + 1) + " (" + l.source()
                        + "): the receptive field passes 2^63 (9.2·10^18) input positions: too large to compute");
            }
            rf = next;
        }
        return rows;
    }

    static final String RULE = "r_out = r_in + (k_eff − 1)·j_in;   j_out = j_in·s;   start_out = start_in + ((k_eff − 1)/2 − p)·j_in";
    static final String RULE_NOTE = "k_eff = d·(k − 1) + 1, p = padding before the first position; start = centre of the first "
            + "output's field, input pixel i at coordinate i; the same on every spatial axis";

    public static String text(Spec spec, FeatureShape input) {
        List<Row> rows = rows(spec, input);
        StringBuilder sb = new StringBuilder();
        sb.append("receptive field of ").append(spec.text().strip()).append(input == null ? "" : "    input " + input).append('\n');
        sb.append("  ").append(RULE).append("\n  (").append(RULE_NOTE).append(")\n");
        if (spec.reluImplied()) sb.append("  ").append(spec.activationNote()).append('\n');
        sb.append('\n');
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"#", "layer", input == null ? "" : "output", "r", "j", "start", "step"});
        cells.add(new String[] {"0", "input", input == null ? "" : input.toString(), "1", "1", "0", "r = 1, j = 1, start = 0"});
        for (Row r : rows) {
            boolean local = r.rf().isLocal();
            cells.add(new String[] {Integer.toString(r.index()), r.name(), r.output() == null ? "" : r.output().toString(),
                    r.rf().sizeText(), local ? Long.toString(r.rf().jump()) : "",
                    local ? r.rf().start() : "", r.step()});
        }
        int[] width = new int[7];
        for (String[] c : cells) for (int k = 0; k < 7; k++) width[k] = Math.max(width[k], c[k].length());
        for (String[] c : cells) {
            StringBuilder line = new StringBuilder();
            for (int k = 0; k < 7; k++) {
                String fill = " ".repeat(width[k] - c[k].length());
                boolean right = k == 0 || k >= 3 && k <= 5;
                line.append("  ").append(right ? fill + c[k] : c[k] + fill);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        sb.append('\n').append(conclusion(rows)).append('\n');
        return sb.toString();
    }

    static final String RULE_LATEX = "r_{\\text{out}} = r_{\\text{in}} + (k_{\\text{eff}} - 1)\\, j_{\\text{in}},\\quad j_{\\text{out}} = j_{\\text{in}}\\, s,\\quad "
            + "\\text{start}_{\\text{out}} = \\text{start}_{\\text{in}} + \\left(\\frac{k_{\\text{eff}} - 1}{2} - p\\right) j_{\\text{in}}";

    /** The steps as a worksheet (the one model behind the Markdown and HTML renderings). */
    public static Worksheet worksheet(Spec spec, FeatureShape input) {
        List<Row> rows = rows(spec, input);
        Worksheet ws = new Worksheet().heading("Receptive field of " + spec.text().strip() + (input == null ? "" : ", input " + input));
        ws.equation(RULE, RULE_LATEX);
        ws.text(RULE_NOTE);
        if (spec.reluImplied()) ws.text(spec.activationNote());
        List<Worksheet.Cell> header = new ArrayList<>();
        for (String h : input == null ? new String[] {"#", "layer", "r", "j", "start", "step"} : new String[] {"#", "layer", "output", "r", "j", "start", "step"})
            header.add(Worksheet.Cell.of(h));
        List<List<Worksheet.Cell>> cells = new ArrayList<>();
        cells.add(row(0, "input", input == null ? null : input.toString(), "1", "1", "0", "r = 1, j = 1, start = 0"));
        for (Row r : rows) {
            boolean local = r.rf().isLocal();
            cells.add(row(r.index(), r.name(), r.output() == null ? null : r.output().toString(), r.rf().sizeText(),
                    local ? Long.toString(r.rf().jump()) : "", local ? r.rf().start() : "", r.step()));
        }
        ws.table(header, cells, input == null ? new boolean[] {true, false, true, true, true, false} : new boolean[] {true, false, false, true, true, true, false});
        ws.text(conclusion(rows));
        return ws;
    }

    private static List<Worksheet.Cell> row(int index, String layer, String output, String r, String j, String start, String step) {
        List<Worksheet.Cell> row = new ArrayList<>(List.of(Worksheet.Cell.of(Integer.toString(index)), Worksheet.Cell.of(layer)));
        if (output != null) row.add(Worksheet.Cell.product(output));
        row.addAll(List.of(Worksheet.Cell.of(r), Worksheet.Cell.of(j), Worksheet.Cell.of(start), Worksheet.Cell.of(step)));
        return row;
    }

    /** One sentence on the final field; when it became global, also the last local field before that. */
    static String conclusion(List<Row> rows) {
        ReceptiveField last = rows.isEmpty() ? ReceptiveField.INPUT : rows.getLast().rf();
        ReceptiveField lastLocal = ReceptiveField.INPUT;
        for (Row r : rows) if (r.rf().isLocal()) lastLocal = r.rf();
        String local = "each output sees " + lastLocal.size() + " input positions per axis (jump " + lastLocal.jump()
                + ", first centred at " + lastLocal.start() + ")";
        return switch (last.kind()) {
            case LOCAL -> "final: " + local;
            case GLOBAL -> "final: every output sees the whole input; before that, " + local;
            case UNDEFINED -> "final: not defined (a transposed convolution); before it, " + local;
        };
    }

    public static String json(Spec spec, FeatureShape input) {
        List<Row> rows = rows(spec, input);
        JsonObject root = new JsonObject();
        root.addProperty("spec", spec.text().strip());
        if (input != null) root.add("input", SummaryReport.shape(input));
        root.addProperty("rule", RULE);
        JsonArray steps = new JsonArray();
        for (Row r : rows) {
            JsonObject o = new JsonObject();
            o.addProperty("index", r.index());
            o.addProperty("layer", r.name());
            if (r.output() != null) o.add("output", SummaryReport.shape(r.output()));
            o.add("receptiveField", SummaryReport.receptiveField(r.rf()));
            o.addProperty("step", r.step());
            steps.add(o);
        }
        root.add("steps", steps);
        root.addProperty("conclusion", conclusion(rows));
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root) + "\n";
    }
}
