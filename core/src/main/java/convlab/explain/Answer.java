package convlab.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A given answer to check: a matrix or sequence, a number, or a shape ("3×3", "28 x 28 x 10").
 * {@link #parse} accepts a bare value in any input format, an arithmetic product such as
 * "4×3×3×3 + 4", or a whole pasted answer text, from which the final matrix (the last LaTeX matrix,
 * bracket list or block of number rows) or the final number (the one after the last '=') is taken.
 */
public record Answer(Kind kind, ExactArray matrix, Rational number, int[] shape, String source) {
    public enum Kind { MATRIX, NUMBER, SHAPE }

    private static final Pattern SHAPE = Pattern.compile("^\\(?\\s*\\d+(?:\\s*[x×*,]\\s*\\d+)+\\s*\\)?$");
    private static final Pattern EXPR = Pattern.compile("^[-+−]?\\s*" + MatrixParser.NUMBER + "(?:\\s*[-+−×*x·]\\s*" + MatrixParser.NUMBER + ")*$");
    private static final Pattern LATEX_ENV = Pattern.compile(
            "\\\\begin\\{(bmatrix|pmatrix|vmatrix|Bmatrix|matrix|array)\\}.*?\\\\end\\{\\1\\}", Pattern.DOTALL);
    private static final Pattern NUMBER_LINE = Pattern.compile(
            "^[\\s\\[\\]|,&;(){}]*" + MatrixParser.NUMBER + "(?:[\\s\\[\\]|,&;(){}]+" + MatrixParser.NUMBER + ")*[\\s\\[\\]|,&;(){}.\\\\]*$");

    public static Answer parse(String given) {
        String text = MatrixParser.resolveFile(given).strip();
        if (text.isEmpty()) throw new IllegalArgumentException("--expect is empty");
        Answer direct = parseBare(text);
        if (direct != null) return direct;
        Answer extracted = extractFinal(text);
        if (extracted == null) throw new IllegalArgumentException("found no matrix or number in the given answer '" + abbreviate(text) + "'");
        return extracted;
    }

    /** The value as a shape, when it is one (a matrix answer has its own shape). */
    public int[] shapeOrNull() {
        return switch (kind) {
            case SHAPE -> shape;
            case MATRIX -> matrix.shape();
            case NUMBER -> null;
        };
    }

    private static Answer parseBare(String t) {
        if (SHAPE.matcher(t).matches() && !t.contains("*")) {
            String[] parts = t.replaceAll("[()\\s]", "").split("[x×,]");
            int[] dims = new int[parts.length];
            for (int i = 0; i < parts.length; i++) dims[i] = Integer.parseInt(parts[i]);
            return new Answer(Kind.SHAPE, null, null, dims, t);
        }
        // "3 -1" is a sequence (a sign right before a digit after a space); "3 - 1" and "3-1" are arithmetic.
        boolean signedEntries = Pattern.compile("\\s[-+−]\\d").matcher(t).find();
        if (!signedEntries && EXPR.matcher(t).matches()) return new Answer(Kind.NUMBER, null, evaluate(t), null, t);
        try {
            ExactArray m = MatrixParser.parseInput(t).value();
            return new Answer(Kind.MATRIX, m, null, null, t);
        } catch (IllegalArgumentException notAMatrix) {
            return null;
        }
    }

    /** Evaluates "4×3×3×3 + 4" or "3*3*10*10+10" exactly (× binds tighter than + and −). */
    static Rational evaluate(String expr) {
        String e = expr.replace('−', '-').replaceAll("\\s+", "");
        Rational total = Rational.ZERO;
        Matcher term = Pattern.compile("([-+]?)(" + MatrixParser.NUMBER.replace("[-+−]?", "") + "(?:[×*x·]" + MatrixParser.NUMBER.replace("[-+−]?", "") + ")*)").matcher(e);
        int pos = 0;
        while (pos < e.length() && term.find(pos) && term.start() == pos) {
            Rational product = Rational.ONE;
            for (String f : term.group(2).split("[×*x·]")) product = product.multiply(Rational.parse(f));
            total = term.group(1).equals("-") ? total.subtract(product) : total.add(product);
            pos = term.end();
        }
        if (pos != e.length()) throw new IllegalArgumentException("cannot read '" + expr + "' as a number or product");
        return total;
    }

    /** The final matrix or number of a pasted answer text, or null if there is none. */
    static Answer extractFinal(String text) {
        record Candidate(int end, Answer answer) {}
        List<Candidate> found = new ArrayList<>();
        Matcher env = LATEX_ENV.matcher(text);
        while (env.find()) {
            try {
                found.add(new Candidate(env.end(), new Answer(Kind.MATRIX, MatrixParser.parse(env.group()), null, null, env.group())));
            } catch (IllegalArgumentException ignored) { /* LaTeX with symbols, not numbers */ }
        }
        for (int[] span : bracketGroups(text)) {
            String g = text.substring(span[0], span[1]);
            try {
                ExactArray m = MatrixParser.parse(g);
                if (m.size() > 1) found.add(new Candidate(span[1], new Answer(Kind.MATRIX, m, null, null, g)));
            } catch (IllegalArgumentException ignored) { /* brackets around words */ }
        }
        addNumberLineBlocks(text, (end, a) -> found.add(new Candidate(end, a)));
        if (!found.isEmpty()) return found.stream().max((a, b) -> Integer.compare(a.end, b.end)).orElseThrow().answer;
        return finalNumber(text);
    }

    private interface Sink { void add(int end, Answer a); }

    /** Consecutive lines holding only numbers (and brackets/separators) form a matrix (2+ numbers). */
    private static void addNumberLineBlocks(String text, Sink sink) {
        String[] lines = text.split("\\R", -1);
        int offset = 0, blockStart = -1;
        StringBuilder block = new StringBuilder();
        for (int i = 0; i <= lines.length; i++) {
            boolean numeric = i < lines.length && !lines[i].isBlank() && NUMBER_LINE.matcher(lines[i]).matches();
            if (numeric) {
                if (blockStart < 0) blockStart = i;
                block.append(lines[i].replaceAll("[\\[\\]|&;(){}\\\\]", " ").replaceAll("\\.\\s*$", "")).append('\n');
            } else if (blockStart >= 0) {
                try {
                    ExactArray m = MatrixParser.parseRows(block.toString());
                    if (m.size() > 1) sink.add(offset - 1, new Answer(Kind.MATRIX, m, null, null, block.toString().strip()));
                } catch (IllegalArgumentException ignored) { /* ragged rows: not a matrix */ }
                blockStart = -1;
                block.setLength(0);
            }
            if (i < lines.length) offset += lines[i].length() + 1;
        }
    }

    private static List<int[]> bracketGroups(String text) {
        List<int[]> spans = new ArrayList<>();
        int depth = 0, start = -1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '[') { if (depth++ == 0) start = i; }
            else if (c == ']' && depth > 0 && --depth == 0) spans.add(new int[] {start, i + 1});
        }
        return spans;
    }

    private static Answer finalNumber(String text) {
        int eq = text.lastIndexOf('=');
        Pattern number = Pattern.compile(MatrixParser.NUMBER);
        String tail = eq >= 0 ? text.substring(eq + 1) : text;
        Matcher m = number.matcher(tail.replace(",", ""));
        String pick = null;
        while (m.find()) {
            pick = m.group();
            if (eq >= 0) break;  // after '=', the first number is the result
        }
        if (pick == null) return null;
        return new Answer(Kind.NUMBER, null, Rational.parse(pick.replaceAll("\\.$", "")), null, pick);
    }

    private static String abbreviate(String t) { return t.length() <= 60 ? t : t.substring(0, 57) + "..."; }
}
