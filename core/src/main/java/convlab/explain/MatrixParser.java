package convlab.explain;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads sequences, matrices and channel stacks written the ways people write them:
 * <ul>
 *   <li>brackets: {@code [1, 2, 3]}, {@code [[1,2],[3,4]]}, {@code [[[..]],[[..]]]} (commas or spaces);</li>
 *   <li>rows: {@code 1 2; 3 4} (rows split by ';' or new lines, entries by spaces or commas);
 *       a single row without ';' is a sequence;</li>
 *   <li>LaTeX: {@code \begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}} (also pmatrix, vmatrix, matrix, array),
 *       with entries like {@code \frac{1}{2}} or {@code -\tfrac12}.</li>
 * </ul>
 * Several matrices separated by '|' form a C×H×W stack (channel c is the c-th matrix).
 * Entries are exact: integers, fractions (3/4) or decimals (0.1). A sequence ending in "..." (or
 * \dots, …) is marked as truncated: the calculators then say which results the truncation affects.
 * {@code @path} reads the text from a file.
 */
public final class MatrixParser {
    private MatrixParser() {}

    /** A parsed input and whether it was written as the start of a longer (infinite) sequence. */
    public record Input(ExactArray value, boolean truncated) {}

    static final String NUMBER = "[-+−]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?(?:/\\d+(?:\\.\\d*)?)?";
    private static final Pattern NUMBER_PATTERN = Pattern.compile(NUMBER);
    private static final Pattern ELLIPSIS = Pattern.compile("(?:\\.\\.\\.|…|\\\\l?dots|\\\\cdots)\\s*[\\]}]*\\s*$");
    private static final Pattern LATEX_ENV = Pattern.compile(
            "\\\\begin\\{(bmatrix|pmatrix|vmatrix|Bmatrix|matrix|array)\\}(\\{[^}]*\\})?(.*?)\\\\end\\{\\1\\}", Pattern.DOTALL);

    /** Reads a value given inline or as {@code @file}. */
    public static Input read(String text) {
        return parseInput(resolveFile(text));
    }

    public static ExactArray parse(String text) { return read(text).value(); }

    /** The text itself, or the contents of the file when the text is {@code @path}. */
    public static String resolveFile(String text) {
        String t = text.strip();
        if (!t.startsWith("@")) return text;
        Path p;
        try {
            p = Path.of(t.substring(1));
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException("cannot read " + quote(t) + ": not a valid file name", e);
        }
        return convlab.io.UserFiles.readText(p, t);   // regular files only, size-limited: never blocks on a FIFO or /dev/zero
    }

    static Input parseInput(String text) {
        String t = text.strip();
        if (t.isEmpty()) throw new IllegalArgumentException("expected a matrix or sequence, got empty input");
        boolean truncated = false;
        Matcher dots = ELLIPSIS.matcher(t);
        if (dots.find()) {
            truncated = true;
            String rest = t.substring(0, dots.start()).strip();
            t = rest.replaceAll("[,&]\\s*$", "") + t.substring(dots.start()).replaceAll("[^\\]}]", "");
        }
        List<String> parts = splitTopLevel(t, '|');
        if (parts.size() == 1) return new Input(parseSingle(t), truncated);
        List<ExactArray> channels = new ArrayList<>();
        for (String p : parts) channels.add(parseSingle(p.strip()));
        return new Input(stack(channels), truncated);
    }

    /** Stacks equal-shaped matrices into C×H×W (sequences become 1×n rows). */
    public static ExactArray stack(List<ExactArray> channels) {
        ExactArray first = channels.getFirst().rank() == 1 ? channels.getFirst().reshape(1, channels.getFirst().size()) : channels.getFirst();
        if (first.rank() != 2) throw new IllegalArgumentException("channels separated by '|' must each be a matrix");
        int h = first.dim(0), w = first.dim(1);
        Rational[] data = new Rational[channels.size() * h * w];
        for (int c = 0; c < channels.size(); c++) {
            ExactArray m = channels.get(c);
            if (m.size() != h * w || (m.rank() == 2 && (m.dim(0) != h || m.dim(1) != w)))
                throw new IllegalArgumentException("channel " + (c + 1) + " has shape " + m.shapeText() + " but channel 1 has " + h + "×" + w);
            for (int i = 0; i < h * w; i++) data[c * h * w + i] = m.flat(i);
        }
        return new ExactArray(new int[] {channels.size(), h, w}, data);
    }

    private static ExactArray parseSingle(String t) {
        Matcher env = LATEX_ENV.matcher(t);
        if (env.find()) return parseLatexBody(env.group(3));
        t = latexFractions(t);  // "\\tfrac12" also outside a LaTeX matrix
        if (t.startsWith("[")) return new BracketReader(t).readAll();
        return parseRows(t);
    }

    /** "1 2; 3 4", "1,2,3", or rows on separate lines. */
    static ExactArray parseRows(String t) {
        String[] lines = t.strip().split("\\s*(;|\\R)\\s*");
        List<List<Rational>> rows = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) continue;
            List<Rational> row = new ArrayList<>();
            for (String tok : line.strip().split("[\\s,]+")) if (!tok.isEmpty()) row.add(entry(tok, rows.size(), row.size()));
            rows.add(row);
        }
        if (rows.isEmpty()) throw new IllegalArgumentException("no numbers in " + quote(t));
        boolean sequence = rows.size() == 1 && !t.contains(";") && !t.contains("\n");
        return fromRows(rows, sequence, t);
    }

    static ExactArray parseLatexBody(String body) {
        String b = latexFractions(body).replaceAll("\\\\hline|\\\\[,;:!]|\\\\left|\\\\right|\\\\quad", " ");
        List<List<Rational>> rows = new ArrayList<>();
        for (String line : b.split("\\\\\\\\")) {
            if (line.isBlank()) continue;
            List<Rational> row = new ArrayList<>();
            for (String cell : line.split("&")) row.add(entry(cell.replaceAll("[{}\\s]", ""), rows.size(), row.size()));
            rows.add(row);
        }
        if (rows.isEmpty()) throw new IllegalArgumentException("empty LaTeX matrix");
        return fromRows(rows, false, body);
    }

    /** One entry, with its position in the message when it is not a number. */
    private static Rational entry(String token, int row, int col) {
        try {
            return Rational.parse(token);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("row " + (row + 1) + ", entry " + (col + 1) + ": " + e.getMessage());
        }
    }

    /** \frac{a}{b}, \tfrac12, \dfrac{-1}{2} become a/b so Rational can read them. */
    public static String latexFractions(String s) {
        return s.replaceAll("\\\\[dt]?frac\\s*\\{\\s*([^{}]*?)\\s*\\}\\s*\\{\\s*([^{}]*?)\\s*\\}", "$1/$2")
                .replaceAll("\\\\[dt]?frac\\s*(\\d)(\\d)", "$1/$2");
    }

    private static ExactArray fromRows(List<List<Rational>> rows, boolean sequence, String where) {
        int cols = rows.getFirst().size();
        for (int r = 0; r < rows.size(); r++)
            if (rows.get(r).size() != cols)
                throw new IllegalArgumentException("row " + (r + 1) + " has " + rows.get(r).size() + " entries but row 1 has " + cols + " (in " + quote(where.strip()) + ")");
        Rational[] data = rows.stream().flatMap(List::stream).toArray(Rational[]::new);
        return sequence ? new ExactArray(new int[] {cols}, data) : new ExactArray(new int[] {rows.size(), cols}, data);
    }

    /** Splits at sep characters that are not inside brackets or braces. */
    static List<String> splitTopLevel(String t, char sep) {
        List<String> parts = new ArrayList<>();
        int depth = 0, start = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '[' || c == '{') depth++;
            else if (c == ']' || c == '}') depth--;
            else if (c == sep && depth == 0) { parts.add(t.substring(start, i)); start = i + 1; }
        }
        parts.add(t.substring(start));
        return parts;
    }

    /** Nested bracket lists: each level a list of numbers or of lists, all of the same shape. */
    private static final class BracketReader {
        private final String s;
        private int pos;
        private int depth;

        /** Deepest nesting of brackets read (an array of more dimensions is no answer anyone writes). */
        static final int MAX_DEPTH = 32;

        BracketReader(String s) { this.s = s; }

        ExactArray readAll() {
            Object tree = readValue();
            skipSpace();
            if (pos != s.length()) throw error("unexpected '" + s.charAt(pos) + "'");
            List<Integer> shape = new ArrayList<>();
            Object t = tree;
            while (t instanceof List<?> l) {
                shape.add(l.size());
                if (l.isEmpty()) break;
                t = l.getFirst();
            }
            List<Rational> flat = new ArrayList<>();
            flatten(tree, 0, shape, flat);
            return new ExactArray(shape.stream().mapToInt(Integer::intValue).toArray(), flat.toArray(Rational[]::new));
        }

        private void flatten(Object t, int depth, List<Integer> shape, List<Rational> out) {
            if (depth == shape.size()) {
                if (!(t instanceof Rational r)) throw new IllegalArgumentException("ragged brackets: lists nested to different depths in " + quote(s));
                out.add(r);
                return;
            }
            if (!(t instanceof List<?> l) || l.size() != shape.get(depth))
                throw new IllegalArgumentException("ragged brackets: every list at depth " + (depth + 1) + " must have " + shape.get(depth) + " entries, in " + quote(s));
            for (Object o : l) flatten(o, depth + 1, shape, out);
        }

        private Object readValue() {
            skipSpace();
            if (pos < s.length() && s.charAt(pos) == '[') {
                if (++depth > MAX_DEPTH) throw error("brackets nested more than " + MAX_DEPTH + " deep");
                pos++;
                List<Object> items = new ArrayList<>();
                while (true) {
                    skipSpace();
                    if (pos >= s.length()) throw error("missing ']'");
                    if (s.charAt(pos) == ']') { pos++; depth--; return items; }
                    items.add(readValue());
                    skipSpace();
                    if (pos < s.length() && s.charAt(pos) == ',') pos++;
                }
            }
            Matcher m = NUMBER_PATTERN.matcher(s).region(pos, s.length());
            if (!m.lookingAt()) throw error("expected a number or '['");
            pos = m.end();
            return Rational.parse(m.group());
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " at character " + (pos + 1) + " of " + quote(s));
        }
    }

    /** The input quoted in an error, on one line: line breaks (rows may be split by them) shown as ⏎, long text cut. */
    static String quote(String text) {
        String shown = text.length() > 200 ? text.substring(0, 200) + "…" : text;
        return "'" + shown.replace("\r\n", "⏎").replace('\n', '⏎').replace('\r', '⏎') + "'";
    }
}
