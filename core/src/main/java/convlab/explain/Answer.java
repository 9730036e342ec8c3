package convlab.explain;

import convlab.OptionNames;
import convlab.explain.answer.Formula;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A given answer to check: a matrix or sequence, a number, or a shape ("3×3", "28 x 28 x 10").
 * {@link #parse} is the one entry point every {@code --check}/{@code --expect} reads answers through: the
 * whole text is read as one answer in the language of {@link Formula} (numbers, exact fractions and
 * decimals, arithmetic such as "4×3×3×3 + 4" or "2^7 - 16", LaTeX, vectors and matrices), else as a matrix
 * or sequence ({@link MatrixParser}: "1 2; 3 4", "3 -1"), else, for a pasted answer text, the part after
 * its last '=' (which must then be read fully) or its final complete matrix. Anything else is refused
 * with the position where reading stopped; an answer is never reduced to the last number seen.
 * Answers with names (formulas) are read by {@link convlab.explain.answer.Question}.
 */
public record Answer(Kind kind, ExactArray matrix, Rational number, int[] shape, String source) {
    public enum Kind { MATRIX, NUMBER, SHAPE }

    private static final Pattern LATEX_ENV = Pattern.compile(
            "\\\\begin\\{(bmatrix|pmatrix|vmatrix|Bmatrix|matrix|array)\\}.*?\\\\end\\{\\1\\}", Pattern.DOTALL);
    private static final Pattern PROSE = Pattern.compile("(?<![\\\\A-Za-z])[A-Za-z]{3,}");
    private static final Pattern NUMBER_LINE = Pattern.compile(
            "^[\\s\\[\\]|,&;(){}]*" + MatrixParser.NUMBER + "(?:[\\s\\[\\]|,&;(){}]+" + MatrixParser.NUMBER + ")*[\\s\\[\\]|,&;(){}.\\\\]*$");

    /** Reads an answer given inline or as {@code @file}. */
    public static Answer parse(String given) {
        String text = MatrixParser.resolveFile(given).strip();
        if (text.isEmpty()) throw new IllegalArgumentException(OptionNames.of("expect", "the answer") + " is empty");
        return read(text);
    }

    /** The value as a shape, when it is one (a matrix answer has its own shape). */
    public int[] shapeOrNull() {
        return switch (kind) {
            case SHAPE -> shape;
            case MATRIX -> matrix.shape();
            case NUMBER -> null;
        };
    }

    /**
     * The answer read as the sizes of a shape: "28 × 28 × 10", "(28, 28, 10)" or "[28, 28, 10]" (a list of
     * whole numbers), a single whole number as a one-dimensional shape; null when it is none of these.
     */
    public int[] asShape() {
        return switch (kind) {
            case SHAPE -> shape;
            case NUMBER -> number.isInteger() && number.signum() >= 0 && number.numerator().bitLength() < 31 ? new int[] {number.numerator().intValue()} : null;
            case MATRIX -> {
                if (matrix.rank() != 1) yield null;
                int[] dims = new int[matrix.size()];
                for (int i = 0; i < dims.length; i++) {
                    Rational r = matrix.flat(i);
                    if (!r.isInteger() || r.signum() < 0 || r.numerator().bitLength() >= 31) yield null;
                    dims[i] = r.numerator().intValue();
                }
                yield dims;
            }
        };
    }

    static Answer read(String text) {
        Formula f;
        try {
            f = Formula.parse(text, Set.of());
        } catch (IllegalArgumentException notOneFormula) {
            try {
                // LaTeX matrices are read by Formula itself; the matrix parser reads the row forms ("1 2; 3 4", "3 -1").
                if (text.contains("\\begin")) throw notOneFormula;
                return new Answer(Kind.MATRIX, MatrixParser.parseInput(text).value(), null, null, text);
            } catch (IllegalArgumentException notAMatrix) {
                // A pasted working (prose or several lines) is judged by its final result; other text must read whole.
                Answer extracted = text.contains("\n") || text.contains("=") || PROSE.matcher(text).find() ? extractFinal(text) : null;
                if (extracted != null) return extracted;
                boolean matrixLike = text.contains(";") || text.contains("\n") || text.contains("|");
                throw matrixLike ? notAMatrix : notOneFormula;
            }
        }
        return of(f, text);
    }

    /** The answer a formula without names stands for (evaluated exactly). */
    public static Answer of(Formula f, String text) {
        if (f.isOrder()) throw new IllegalArgumentException(convlab.io.UserMessages.quote(text) + " is an order of growth; this question wants a value");
        Object v = f.value(Map.of());
        if (v instanceof ExactArray m) {
            if (f.root() instanceof Formula.Tensor t && !t.bracketed()) {
                Answer shape = new Answer(Kind.MATRIX, m, null, null, text);
                int[] dims = shape.asShape();
                if (dims != null) return new Answer(Kind.SHAPE, null, product(dims), dims, text);
            }
            return new Answer(Kind.MATRIX, m, null, null, text);
        }
        int[] dims = f.shapeFactors();
        if (dims != null) return new Answer(Kind.SHAPE, null, (Rational) v, dims, text);
        return new Answer(Kind.NUMBER, null, (Rational) v, null, text);
    }

    private static Rational product(int[] dims) {
        Rational p = Rational.ONE;
        for (int d : dims) p = p.multiply(Rational.of(d));
        return p;
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
        int eq = text.lastIndexOf('=');
        String tail = eq >= 0 ? text.substring(eq + 1).strip() : "";
        if (!tail.isEmpty()) {
            try {
                return read(tail.endsWith(".") ? tail.substring(0, tail.length() - 1) : tail);
            } catch (IllegalArgumentException unreadableTail) {
                if (found.isEmpty()) throw new IllegalArgumentException("after the last '=': " + unreadableTail.getMessage());
            }
        }
        if (!found.isEmpty()) return found.stream().max((a, b) -> Integer.compare(a.end, b.end)).orElseThrow().answer;
        return null;
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

}
