package convlab.explain;

import java.util.ArrayList;
import java.util.List;

/**
 * A worked solution as a list of blocks (sentences, equations, matrices), shown either as aligned plain
 * text or as Markdown whose LaTeX renders (display math only around complete bmatrix environments).
 */
public final class Worksheet {
    private sealed interface Block permits Line, Matrix, Heading {}
    /** A line of prose or an equation: text for the terminal, latex (may be null = same as prose) for Markdown. */
    private record Line(String text, String latex) implements Block {}
    private record Matrix(String label, String latexLabel, ExactArray value) implements Block {}
    private record Heading(String text) implements Block {}

    private final List<Block> blocks = new ArrayList<>();

    public Worksheet heading(String text) { blocks.add(new Heading(text)); return this; }

    /** Prose, the same in both renderings. */
    public Worksheet text(String text) { blocks.add(new Line(text, null)); return this; }

    /** An equation: plain-text form and LaTeX form (shown as display math in Markdown). */
    public Worksheet equation(String text, String latex) { blocks.add(new Line(text, latex)); return this; }

    public Worksheet matrix(String label, String latexLabel, ExactArray value) { blocks.add(new Matrix(label, latexLabel, value)); return this; }

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
            }
        }
        return sb.toString();
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
            }
        }
        return sb.toString();
    }

    /** Characters that Markdown would otherwise read as emphasis or tables. */
    private static String escapeMarkdown(String s) {
        return s.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("|", "\\|");
    }
}
