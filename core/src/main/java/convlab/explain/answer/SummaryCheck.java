package convlab.explain.answer;

import convlab.explain.MatrixParser;
import convlab.spec.Analysis;
import convlab.spec.FeatureShape;
import convlab.spec.Layer;
import convlab.spec.LayerStats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks a whole layer table, as the course's problem 4(e) asks: one row per layer (the layer's name, its
 * number of parameters, the dimension of its activations), cells separated by tabs, '|' (Markdown), '&amp;'
 * (LaTeX) or two or more spaces. A header row naming the columns ("Layer | Number of Parameters |
 * Dimension of Activations") sets their order; without one the order is layer, parameters, activations.
 * Rows are matched to the spec's layers by name, in order (implied ReLUs may be left out; "Input" is the
 * input; a table on one line may separate its rows with ';'). Each cell is one answer (a number, a product such as {@code 3 \times 3 \times 10 \times 10 + 10},
 * a shape such as {@code 14 \times 14 \times 10}); every wrong cell is listed. Blank cells are not checked.
 */
public final class SummaryCheck {
    private SummaryCheck() {}

    static final int MAX_ROWS = 10_000;

    public static Verdict check(Analysis a, String answer) {
        String text = MatrixParser.resolveFile(answer).strip();
        if (text.isEmpty()) throw new IllegalArgumentException("the table to check is empty");
        // Rows on lines; a one-line table may separate its rows with ';'.
        String[] lines = text.contains("\n") || text.contains("\r") ? text.split("\\R") : text.split(";");
        if (lines.length > MAX_ROWS) throw new IllegalArgumentException("the table has " + lines.length + " lines; at most " + MAX_ROWS + " are read");
        int nameCol = 0, paramsCol = 1, shapeCol = 2;
        int cursor = 0, checked = 0, blank = 0;
        List<String> wrong = new ArrayList<>(), notes = new ArrayList<>();
        boolean headerSeen = false;
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty() || line.matches("[|:\\-\\s+]+") || line.matches("\\\\(hline|toprule|midrule|bottomrule)\\s*") || line.startsWith("\\begin{tabular") || line.startsWith("\\end{tabular")) continue;
            List<String> cells = cells(line, n + 1);
            String first = String.join(" ", cells).toLowerCase(Locale.ROOT);
            if (!headerSeen && (first.contains("param") || first.contains("dimension") || first.contains("activation") || first.contains("shape"))
                    && !first.matches(".*\\d.*")) {
                headerSeen = true;
                for (int c = 0; c < cells.size(); c++) {
                    String h = cells.get(c).toLowerCase(Locale.ROOT);
                    if (h.contains("param")) paramsCol = c;
                    else if (h.contains("dim") || h.contains("shape") || h.contains("activ") || h.contains("output") || h.contains("size")) shapeCol = c;
                    else if (h.contains("layer")) nameCol = c;
                }
                continue;
            }
            String name = cell(cells, nameCol).replace("*", "").replaceAll("\\s+", "").replace("$", "");
            String where = "row " + (n + 1) + " " + name;
            int[] rightShape;
            long rightParams;
            String rightExpr;
            if (name.equalsIgnoreCase("input")) {
                rightShape = hwc(a.input());
                rightParams = 0;
                rightExpr = "";
            } else {
                int found = cursor;
                while (found < a.layers().size() && !matches(a.layers().get(found), name)
                        && a.layers().get(found).layer() instanceof Layer.Relu r && r.implied()) found++;
                if (found >= a.layers().size() || !matches(a.layers().get(found), name)) found = -1;
                if (found < 0) {
                    String expected = cursor < a.layers().size() ? a.layers().get(cursor).layer().source() : "no more layers";
                    throw new IllegalArgumentException("row " + (n + 1) + ": '" + Lexer.shown(cell(cells, nameCol)) + "' is not the next layer of the spec (expected "
                            + expected + "; rows follow the spec's layers in order, implied ReLUs may be left out)");
                }
                LayerStats s = a.layers().get(found);
                cursor = found + 1;
                rightShape = hwc(s.output());
                rightParams = s.params();
                rightExpr = s.paramsExpr();
            }
            String p = cell(cells, paramsCol).strip(), sh = cell(cells, shapeCol).strip();
            if (p.isEmpty()) blank++;
            else {
                checked++;
                Verdict v = withWhere(where, () -> Question.of("params", rightParams).note(rightExpr.isEmpty() ? null : rightExpr).check(p));
                if (!v.correct()) wrong.add(where + ": " + String.join("; ", v.lines()));
            }
            if (sh.isEmpty()) blank++;
            else {
                checked++;
                Verdict v = withWhere(where, () -> shape(sh, rightShape));
                if (!v.correct()) wrong.add(where + ": " + String.join("; ", v.lines()));
                else if (v.outcome() == Verdict.Outcome.OTHER_CONVENTION) notes.add(where + ": " + v.message());
            }
        }
        if (checked == 0) throw new IllegalArgumentException("found no filled cells to check in the table (rows: layer, parameters, activations)");
        List<String> out = new ArrayList<>();
        String tail = blank > 0 ? "; " + blank + " blank cell" + (blank == 1 ? "" : "s") + " not checked" : "";
        if (wrong.isEmpty()) out.add("summary: correct (all " + checked + " filled cells are right" + tail + ")");
        else out.add("summary: not correct: " + wrong.size() + " of " + checked + " filled cells are wrong" + tail);
        out.addAll(wrong);
        out.addAll(notes);
        return new Verdict(wrong.isEmpty() ? Verdict.Outcome.CORRECT : Verdict.Outcome.NOT_CORRECT, "summary", checked + " cells", "", null, null, out);
    }

    private interface Check { Verdict run(); }

    private static Verdict withWhere(String where, Check c) {
        try {
            return c.run();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    /** Activations as the course writes them: H×W×C (PyTorch's C×H×W accepted, named); flat features as one number. */
    private static Verdict shape(String cell, int[] hwc) {
        Map<String, int[]> conventions = new LinkedHashMap<>();
        if (hwc.length > 1) {
            int[] chw = new int[hwc.length];
            chw[0] = hwc[hwc.length - 1];
            System.arraycopy(hwc, 0, chw, 1, hwc.length - 1);
            if (!Arrays.equals(chw, hwc)) conventions.put("channels first, as PyTorch", chw);
        }
        return ShapeCheck.check("activations", cell, hwc, hwc.length > 1 ? "height × width × channels" : "features", conventions);
    }

    private static int[] hwc(FeatureShape s) {
        int[] out = new int[s.spatial().size() + 1];
        for (int i = 0; i < s.spatial().size(); i++) out[i] = s.spatial().get(i);
        out[out.length - 1] = s.channels();
        return out;
    }

    private static boolean matches(LayerStats s, String name) {
        return s.layer().source().replaceAll("\\s+", "").equalsIgnoreCase(name);
    }

    private static String cell(List<String> cells, int c) { return c < cells.size() ? cells.get(c) : ""; }

    private static List<String> cells(String line, int number) {
        String l = line;
        String[] parts;
        if (l.contains("|")) {
            l = l.replaceAll("^\\|", "").replaceAll("\\|$", "");
            parts = l.split("\\|", -1);
        } else if (l.contains("&")) {
            parts = l.replaceAll("\\\\\\\\\\s*(\\\\hline)?\\s*$", "").split("&", -1);
        } else if (l.contains("\t")) {
            parts = l.split("\t", -1);
        } else {
            parts = l.split("\\s{2,}", -1);
        }
        List<String> out = new ArrayList<>();
        for (String p : parts) out.add(p.strip());
        if (out.size() < 2)
            throw new IllegalArgumentException("row " + number + " '" + Lexer.shown(line) + "': cannot tell its cells apart; separate them with tabs, '|' or two spaces");
        return out;
    }
}
