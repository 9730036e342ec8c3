package convlab.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A worked solution as a list of blocks (sentences, equations, matrices, tables, check verdicts): the one
 * result model of every calculator, shown by three renderers: aligned plain text, Markdown whose LaTeX
 * renders (display math only around complete environments, a blank line between blocks), and an HTML
 * fragment with MathML ({@link MathML}), which {@code convlab sheet} also turns into PDF.
 */
public final class Worksheet {
    private sealed interface Block permits Line, Matrix, Heading, Table, Verdict, Preformatted {}
    /** A line of prose or an equation: text for the terminal, latex (may be null = same as prose) for Markdown. */
    private record Line(String text, String latex) implements Block {}
    private record Matrix(String label, String latexLabel, ExactArray value) implements Block {}
    private record Heading(String text) implements Block {}
    private record Table(List<Cell> header, List<List<Cell>> rows, boolean[] rightAligned) implements Block {}
    private record Verdict(boolean correct, String text) implements Block {}
    private record Preformatted(String text) implements Block {}

    /** A table cell: plain text, and LaTeX (null = the text is shown as it is). */
    public record Cell(String text, String latex) {
        public static Cell of(String text) { return new Cell(text, null); }
        /** A number, product or shape written with × ("3×3×10 + 10"), in LaTeX with \times. */
        public static Cell product(String text) { return new Cell(text, text.isEmpty() ? null : latexProduct(text)); }
    }

    /** "3×3×1×10 + 10" as LaTeX "3 \times 3 \times 1 \times 10 + 10" (· becomes \cdot, − a minus). */
    public static String latexProduct(String text) {
        return text.replace("×", " \\times ").replace("·", " \\cdot ").replace("−", "-").replace("≫", " \\gg ").replace("  ", " ").strip();
    }

    private final List<Block> blocks = new ArrayList<>();

    public Worksheet heading(String text) { blocks.add(new Heading(text)); return this; }

    /** Prose, the same in both renderings. */
    public Worksheet text(String text) { blocks.add(new Line(text, null)); return this; }

    /** An equation: plain-text form and LaTeX form (shown as display math in Markdown). */
    public Worksheet equation(String text, String latex) { blocks.add(new Line(text, latex)); return this; }

    /**
     * A line "label: arithmetic" such as "parameters: 3×3×3×10 + 10 = 280": the same text for the terminal, and
     * the arithmetic typeset (×, ·, ⌊⌋) in Markdown and HTML. A line that is not of that form stays prose.
     */
    public Worksheet arithmetic(String line) {
        int colon = line.lastIndexOf(": ");
        String label = colon < 0 ? "" : line.substring(0, colon).strip(), expr = colon < 0 ? line : line.substring(colon + 2);
        boolean plainLabel = label.chars().noneMatch(c -> "{}\\$%&#_^~".indexOf(c) >= 0);
        if (!plainLabel || expr.isBlank() || !expr.matches("[0-9 ×·+−=()/⌊⌋,.-]+")) return text(line);
        String latex = latexProduct(expr).replace("⌊", "\\left\\lfloor ").replace("⌋", "\\right\\rfloor ");
        String indent = line.startsWith(" ") ? "\\quad " : "";
        return equation(line, indent + (label.isEmpty() ? "" : "\\text{" + label + ": } ") + latex);
    }

    public Worksheet matrix(String label, String latexLabel, ExactArray value) { blocks.add(new Matrix(label, latexLabel, value)); return this; }

    /** A table: header cells, rows (each as many cells as the header), which columns are numbers (right-aligned). */
    public Worksheet table(List<Cell> header, List<List<Cell>> rows, boolean... rightAligned) {
        for (List<Cell> r : rows)
            if (r.size() != header.size()) throw new IllegalArgumentException("table row of " + r.size() + " cells under " + header.size() + " columns");
        boolean[] right = new boolean[header.size()];
        for (int i = 0; i < Math.min(right.length, rightAligned.length); i++) right[i] = rightAligned[i];
        blocks.add(new Table(List.copyOf(header), rows.stream().map(List::copyOf).toList(), right));
        return this;
    }

    /** The verdict on a checked answer: one line, shown as text, and marked correct or not in Markdown and HTML. */
    public Worksheet verdict(boolean correct, String text) { blocks.add(new Verdict(correct, text)); return this; }

    /** Text kept exactly as it is, in a monospaced block (output of a command that has no worksheet). */
    public Worksheet preformatted(String text) { blocks.add(new Preformatted(text)); return this; }

    /** The verdicts on checked answers in this worksheet, in order: correct or not, and the line naming the mistake. */
    public List<Map.Entry<Boolean, String>> verdicts() {
        List<Map.Entry<Boolean, String>> out = new ArrayList<>();
        for (Block b : blocks) if (b instanceof Verdict v) out.add(Map.entry(v.correct(), v.text()));
        return out;
    }

    /** Adds the blocks of another worksheet after these. */
    public Worksheet append(Worksheet other) { blocks.addAll(other.blocks); return this; }

    public boolean isEmpty() { return blocks.isEmpty(); }

    public String toText() {
        StringBuilder sb = new StringBuilder();
        for (Block b : blocks) {
            switch (b) {
                case Heading h -> sb.append(sb.isEmpty() ? "" : "\n").append(h.text()).append('\n');
                case Line l -> sb.append(l.text()).append('\n');
                case Matrix m -> {
                    sb.append(m.label()).append(":\n");
                    for (String row : Render.text(m.value()).split("\n")) sb.append("  ").append(row).append('\n');
                }
                case Table t -> textTable(sb, t);
                case Verdict v -> sb.append(v.text()).append('\n');
                case Preformatted p -> sb.append(p.text()).append(p.text().endsWith("\n") ? "" : "\n");
            }
        }
        return sb.toString();
    }

    private static void textTable(StringBuilder sb, Table t) {
        int cols = t.header().size();
        int[] width = new int[cols];
        List<List<Cell>> all = new ArrayList<>();
        all.add(t.header());
        all.addAll(t.rows());
        for (List<Cell> r : all) for (int c = 0; c < cols; c++) width[c] = Math.max(width[c], r.get(c).text().length());
        for (List<Cell> r : all) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < cols; c++) {
                String cell = r.get(c).text();
                String fill = " ".repeat(width[c] - cell.length());
                line.append("  ").append(t.rightAligned()[c] ? fill + cell : cell + fill);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
    }

    public String toMarkdown() {
        StringBuilder sb = new StringBuilder();
        for (Block b : blocks) {
            switch (b) {
                case Heading h -> sb.append(sb.isEmpty() ? "" : "\n").append("### ").append(h.text()).append("\n\n");
                case Line l -> {
                    if (l.latex() == null) sb.append(escapeMarkdown(l.text())).append("\n\n");
                    else sb.append("$$").append(l.latex()).append("$$\n\n");
                }
                case Matrix m -> sb.append("$$").append(m.latexLabel()).append(" = ").append(Render.latex(m.value())).append("$$\n\n");
                case Table t -> {
                    sb.append('|');
                    for (Cell c : t.header()) sb.append(' ').append(markdownCell(c)).append(" |");
                    sb.append("\n|");
                    for (boolean r : t.rightAligned()) sb.append(r ? "--:|" : ":--|");
                    sb.append('\n');
                    for (List<Cell> row : t.rows()) {
                        sb.append('|');
                        for (Cell c : row) sb.append(' ').append(markdownCell(c)).append(" |");
                        sb.append('\n');
                    }
                    sb.append('\n');
                }
                case Verdict v -> sb.append(v.correct() ? "**✓ Correct.** " : "**✗ Not correct.** ").append(escapeMarkdown(v.text())).append("\n\n");
                case Preformatted p -> {
                    String fence = p.text().contains("```") ? "~~~~" : "```";
                    sb.append(fence).append("text\n").append(p.text()).append(p.text().endsWith("\n") ? "" : "\n").append(fence).append("\n\n");
                }
            }
        }
        return sb.toString();
    }

    private static String markdownCell(Cell c) {
        if (c.text().isEmpty()) return "";
        return c.latex() != null ? "$" + c.latex() + "$" : escapeMarkdown(c.text());
    }

    /**
     * An HTML fragment (well-formed XML, so the PDF renderer reads it too): prose in paragraphs, equations and
     * matrices as display MathML, tables as tables with MathML cells, verdicts marked.
     */
    public String toHtml() {
        StringBuilder sb = new StringBuilder();
        for (Block b : blocks) {
            switch (b) {
                case Heading h -> sb.append("<h4>").append(MathML.escape(h.text())).append("</h4>\n");
                case Line l -> {
                    if (l.latex() == null) sb.append("<p>").append(MathML.escape(l.text())).append("</p>\n");
                    else sb.append("<div class=\"math\">").append(MathML.of(l.latex(), true)).append("</div>\n");
                }
                case Matrix m -> sb.append("<div class=\"math\">").append(MathML.of(m.latexLabel() + " = " + Render.latex(m.value()), true)).append("</div>\n");
                case Table t -> {
                    sb.append("<div class=\"table\"><table>\n<thead><tr>");
                    for (int i = 0; i < t.header().size(); i++) sb.append(htmlCell("th", t.header().get(i), t.rightAligned()[i]));
                    sb.append("</tr></thead>\n<tbody>\n");
                    for (List<Cell> row : t.rows()) {
                        sb.append("<tr>");
                        for (int i = 0; i < row.size(); i++) sb.append(htmlCell("td", row.get(i), t.rightAligned()[i]));
                        sb.append("</tr>\n");
                    }
                    sb.append("</tbody></table></div>\n");
                }
                case Verdict v -> sb.append("<p class=\"").append(v.correct() ? "correct" : "wrong").append("\"><strong>")
                        .append(v.correct() ? "✓ Correct." : "✗ Not correct.").append("</strong> ").append(MathML.escape(v.text())).append("</p>\n");
                case Preformatted p -> sb.append("<pre>").append(MathML.escape(p.text())).append("</pre>\n");
            }
        }
        return sb.toString();
    }

    private static String htmlCell(String tag, Cell c, boolean right) {
        String body = c.latex() != null ? MathML.of(c.latex(), false) : MathML.escape(c.text());
        return "<" + tag + (right ? " class=\"num\"" : "") + ">" + body + "</" + tag + ">";
    }

    /** Characters that Markdown would otherwise read as emphasis or tables. */
    private static String escapeMarkdown(String s) {
        return s.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("|", "\\|");
    }
}
