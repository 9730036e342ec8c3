package convlab.explain;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;

/**
 * The three ways an exact value is shown: aligned plain text, LaTeX (valid bmatrix, for Markdown
 * documents), and JSON (integers as JSON numbers, fractions as strings "p/q" so nothing is rounded).
 */
public final class Render {
    private Render() {}

    /** A matrix as aligned rows "[ 1  -2 ]"; a sequence on one line; channels one after another. */
    public static String text(ExactArray a) {
        return switch (a.rank()) {
            case 1 -> textRows(a.reshape(1, a.size()), "");
            case 2 -> textRows(a, "");
            case 3 -> {
                StringBuilder sb = new StringBuilder();
                for (int c = 0; c < a.dim(0); c++) {
                    sb.append(c == 0 ? "" : "\n").append("channel ").append(c + 1).append(":\n");
                    sb.append(textRows(a.channel(c), "  "));
                }
                yield sb.toString();
            }
            default -> throw new IllegalArgumentException("cannot show an array of rank " + a.rank());
        };
    }

    private static String textRows(ExactArray m, String indent) {
        int rows = m.dim(0), cols = m.dim(1);
        int[] width = new int[cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) width[c] = Math.max(width[c], m.get(r, c).toString().length());
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < rows; r++) {
            sb.append(r == 0 ? "" : "\n").append(indent).append('[');
            for (int c = 0; c < cols; c++) sb.append(' ').append(pad(m.get(r, c).toString(), width[c]));
            sb.append(" ]");
        }
        return sb.toString();
    }

    static String pad(String s, int width) { return " ".repeat(Math.max(0, width - s.length())) + s; }

    /** {@code \begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}}; a stack of channels is written as a list of matrices. */
    public static String latex(ExactArray a) {
        return switch (a.rank()) {
            case 1 -> latexRows(a.reshape(1, a.size()));
            case 2 -> latexRows(a);
            case 3 -> {
                StringBuilder sb = new StringBuilder();
                for (int c = 0; c < a.dim(0); c++) sb.append(c == 0 ? "" : ",\\; ").append(latexRows(a.channel(c)));
                yield sb.toString();
            }
            default -> throw new IllegalArgumentException("cannot show an array of rank " + a.rank());
        };
    }

    private static String latexRows(ExactArray m) {
        StringBuilder sb = new StringBuilder("\\begin{bmatrix} ");
        for (int r = 0; r < m.dim(0); r++) {
            if (r > 0) sb.append(" \\\\ ");
            for (int c = 0; c < m.dim(1); c++) sb.append(c == 0 ? "" : " & ").append(m.get(r, c).toLatex());
        }
        return sb.append(" \\end{bmatrix}").toString();
    }

    public static JsonElement json(Rational r) {
        return r.isInteger() ? new JsonPrimitive(r.numerator()) : new JsonPrimitive(r.toString());
    }

    /** Nested JSON arrays with the array's shape. */
    public static JsonElement json(ExactArray a) {
        return jsonLevel(a, 0, 0);
    }

    private static JsonElement jsonLevel(ExactArray a, int axis, int offset) {
        if (axis == a.rank()) return json(a.flat(offset));
        JsonArray arr = new JsonArray();
        int stride = 1;
        for (int k = axis + 1; k < a.rank(); k++) stride *= a.dim(k);
        for (int i = 0; i < a.dim(axis); i++) arr.add(jsonLevel(a, axis + 1, offset + i * stride));
        return arr;
    }

    public static JsonArray json(int[] shape) {
        JsonArray arr = new JsonArray();
        for (int d : shape) arr.add(d);
        return arr;
    }

    /** A factor in a product: negative numbers and fractions get parentheses ("2·(-1)", "(1/2)·4"). */
    public static String factor(Rational r) {
        return r.signum() < 0 || !r.isInteger() ? "(" + r + ")" : r.toString();
    }

    public static String latexFactor(Rational r) {
        return r.signum() < 0 ? "(" + r.toLatex() + ")" : r.toLatex();
    }
}
