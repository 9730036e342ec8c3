package convlab.explain.answer;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Splits an answer into tokens, reading LaTeX and Unicode notation into one small set of symbols. */
final class Lexer {
    enum Type { NUM, NAME, OP, FRAC, SQRT, LFLOOR, RFLOOR, LCEIL, RCEIL, BEGIN, END, ROWSEP, EOF }

    /** One token: its text, where it starts in the answer, and whether space came before it. */
    record Tok(Type type, String text, int pos, boolean spaceBefore) {
        boolean op(char c) { return type == Type.OP && text.length() == 1 && text.charAt(0) == c; }
    }

    private static final Set<String> SKIPPED = Set.of("left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr",
            "biggl", "biggr", "displaystyle", "textstyle", "quad", "qquad", "limits", "nolimits");
    private static final Set<String> WRAPPERS = Set.of("text", "mathrm", "mathit", "mathcal", "operatorname", "mathbf", "textrm", "mathsf", "textit", "boldsymbol", "mathbb");
    private static final Set<String> GREEK = Set.of("alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "eta", "theta", "Theta", "lambda",
            "mu", "nu", "rho", "sigma", "tau", "phi", "omega", "Omega", "kappa", "xi", "zeta", "psi", "chi", "pi");
    static final Set<String> MATRIX_ENVS = Set.of("bmatrix", "pmatrix", "vmatrix", "Bmatrix", "Vmatrix", "matrix", "array", "smallmatrix");
    private static final String SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹";

    private final String s;
    private int i;
    private boolean space;
    private final List<Tok> out = new ArrayList<>();

    Lexer(String s) { this.s = s; }

    List<Tok> run() {
        while (i < s.length()) {
            char c = s.charAt(i);
            int start = i;
            if (Character.isWhitespace(c) || c == '$' || c == '\u00a0') { i++; space = true; continue; }
            if (c == '\\') { command(); continue; }
            if (isDigit(c) || (c == '.' && i + 1 < s.length() && isDigit(s.charAt(i + 1)))) { number(); continue; }
            if (c < 128 && Character.isLetter(c)) { name(); continue; }
            int sup = SUPERSCRIPTS.indexOf(c);
            if (sup >= 0 || c == '⁻') { superscript(); continue; }
            i++;
            switch (c) {
                case '−', '–' -> add(Type.OP, "-", start);
                case '×', '·', '⋅', '∗', '•', '∙' -> add(Type.OP, "*", start);
                case '÷' -> add(Type.OP, "/", start);
                case '√' -> add(Type.SQRT, "√", start);
                case '⌊' -> add(Type.LFLOOR, "⌊", start);
                case '⌋' -> add(Type.RFLOOR, "⌋", start);
                case '⌈' -> add(Type.LCEIL, "⌈", start);
                case '⌉' -> add(Type.RCEIL, "⌉", start);
                case 'Θ' -> add(Type.NAME, "Theta", start);
                case '+', '-', '*', '/', '^', '(', ')', '[', ']', '{', '}', ',', ';', '=', '&', '|' -> add(Type.OP, String.valueOf(c), start);
                default -> throw error(start, "unexpected '" + shownChar(c) + "'");
            }
        }
        out.add(new Tok(Type.EOF, "", s.length(), space));
        return out;
    }

    private void add(Type t, String text, int pos) {
        out.add(new Tok(t, text, pos, space));
        space = false;
    }

    private static boolean isDigit(char c) { return c >= '0' && c <= '9'; }

    private void number() {
        int start = i;
        while (i < s.length() && isDigit(s.charAt(i))) i++;
        if (i + 1 < s.length() && s.charAt(i) == '.' && isDigit(s.charAt(i + 1))) {
            i++;
            while (i < s.length() && isDigit(s.charAt(i))) i++;
        } else if (i < s.length() && s.charAt(i) == '.' && (i + 1 == s.length() || !Character.isLetterOrDigit(s.charAt(i + 1))) && start < i
                && (i + 1 == s.length())) {
            i++;  // "910." at the very end: the full stop of a sentence
        }
        if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < s.length() && (s.charAt(j) == '+' || s.charAt(j) == '-')) j++;
            if (j < s.length() && isDigit(s.charAt(j))) {
                i = j;
                while (i < s.length() && isDigit(s.charAt(i))) i++;
            }
        }
        String text = s.substring(start, i);
        add(Type.NUM, text.endsWith(".") ? text.substring(0, text.length() - 1) : text, start);
    }

    private void name() {
        int start = i;
        while (i < s.length() && s.charAt(i) < 128 && Character.isLetter(s.charAt(i))) i++;
        String letters = s.substring(start, i);
        if ((letters.equals("x") || letters.equals("X")) && !out.isEmpty() && nextNonSpaceIsDigitOrParen()) {
            Tok prev = out.getLast();
            if (prev.type() == Type.NUM || prev.op(')')) { add(Type.OP, "*", start); return; }
        }
        add(Type.NAME, letters + subscript(), start);
    }

    private boolean nextNonSpaceIsDigitOrParen() {
        int j = i;
        while (j < s.length() && s.charAt(j) == ' ') j++;
        return j < s.length() && (isDigit(s.charAt(j)) || s.charAt(j) == '(');
    }

    /** "_out", "_{out}", "_{\text{out}}", "_1" → "_out"…; "" without a subscript. */
    private String subscript() {
        if (i >= s.length() || s.charAt(i) != '_') return "";
        int at = i++;
        String sub;
        if (i < s.length() && s.charAt(i) == '{') {
            int depth = 0, j = i;
            for (; j < s.length(); j++) {
                if (s.charAt(j) == '{') depth++;
                else if (s.charAt(j) == '}' && --depth == 0) break;
            }
            if (j >= s.length()) throw error(at, "a subscript '_{' without its '}'");
            sub = s.substring(i + 1, j);
            i = j + 1;
        } else {
            int j = i;
            while (j < s.length() && s.charAt(j) < 128 && Character.isLetterOrDigit(s.charAt(j))) j++;
            sub = s.substring(i, j);
            i = j;
        }
        sub = sub.replaceAll("\\\\[A-Za-z]+\\s*\\{([^{}]*)}", "$1").replaceAll("[{}\\s]", "");
        if (!sub.matches("[A-Za-z0-9]+")) throw error(at, "cannot read the subscript '_" + shown(sub) + "'");
        return "_" + sub;
    }

    private void superscript() {
        int start = i;
        StringBuilder digits = new StringBuilder();
        boolean minus = false;
        if (s.charAt(i) == '⁻') { minus = true; i++; }
        while (i < s.length() && SUPERSCRIPTS.indexOf(s.charAt(i)) >= 0) digits.append(SUPERSCRIPTS.indexOf(s.charAt(i++)));
        if (digits.isEmpty()) throw error(start, "a superscript minus without digits");
        add(Type.OP, "^", start);
        if (minus) add(Type.OP, "-", start);
        add(Type.NUM, digits.toString(), start);
    }

    private void command() {
        int start = i;
        if (i + 1 >= s.length()) throw error(start, "a lone '\\' at the end");
        char n = s.charAt(i + 1);
        if (n == '\\') { i += 2; add(Type.ROWSEP, "\\\\", start); return; }
        if (",;:! ".indexOf(n) >= 0) { i += 2; space = true; return; }
        if (n == '{') { i += 2; add(Type.OP, "(", start); return; }
        if (n == '}') { i += 2; add(Type.OP, ")", start); return; }
        int j = i + 1;
        while (j < s.length() && s.charAt(j) < 128 && Character.isLetter(s.charAt(j))) j++;
        String w = s.substring(i + 1, j);
        if (w.isEmpty()) throw error(start, "unexpected '\\" + shownChar(n) + "'");
        i = j;
        if (SKIPPED.contains(w)) { space = true; return; }
        switch (w) {
            case "times", "cdot", "ast" -> add(Type.OP, "*", start);
            case "div" -> add(Type.OP, "/", start);
            case "frac", "dfrac", "tfrac", "cfrac" -> add(Type.FRAC, w, start);
            case "sqrt" -> add(Type.SQRT, w, start);
            case "lfloor" -> add(Type.LFLOOR, w, start);
            case "rfloor" -> add(Type.RFLOOR, w, start);
            case "lceil" -> add(Type.LCEIL, w, start);
            case "rceil" -> add(Type.RCEIL, w, start);
            case "begin" -> {
                String env = braced(start);
                if (!MATRIX_ENVS.contains(env)) throw error(start, "\\begin{" + shown(env) + "} is not a matrix");
                if (env.equals("array") && i < s.length() && s.charAt(i) == '{') braced(start);  // column spec
                add(Type.BEGIN, env, start);
            }
            case "end" -> add(Type.END, braced(start), start);
            default -> {
                if (WRAPPERS.contains(w)) {
                    String inner = braced(start).strip();
                    if (!inner.matches("[A-Za-z]+")) throw error(start, "cannot read '\\" + w + "{" + shown(inner) + "}'");
                    add(Type.NAME, inner + subscript(), start);
                } else if (GREEK.contains(w)) {
                    add(Type.NAME, w + subscript(), start);
                } else {
                    throw error(start, "the LaTeX command '\\" + w + "' is not read here");
                }
            }
        }
    }

    /** The text of "{...}" right after a command (no nesting). */
    private String braced(int cmdStart) {
        while (i < s.length() && s.charAt(i) == ' ') i++;
        if (i >= s.length() || s.charAt(i) != '{') throw error(cmdStart, "expected '{' after '" + shown(s.substring(cmdStart, i)) + "'");
        int close = s.indexOf('}', i);
        if (close < 0) throw error(cmdStart, "'{' without its '}'");
        String inner = s.substring(i + 1, close);
        i = close + 1;
        return inner;
    }

    IllegalArgumentException error(int pos, String why) { return Lexer.error(s, pos, why); }

    /** "cannot read '…' after position N: why" (N characters were read). */
    static IllegalArgumentException error(String text, int pos, String why) {
        // why may quote a token of the input; whatever it quotes, the message stays one readable line
        String reason = why.length() > 300 ? why.substring(0, 280) + "…(" + why.length() + " characters)" : why;
        return new IllegalArgumentException("cannot read '" + shown(text) + "' after position " + pos + ": " + reason);
    }

    private static String shownChar(char c) { return shown(String.valueOf(c)); }

    /** Text quoted in one line of a message: control characters escaped, long text cut. */
    static String shown(String text) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < text.length() && sb.length() <= 80; k++) {   // cut after escaping: "\u0000" is six characters
            char c = text.charAt(k);
            if (c == '\n' || c == '\r') sb.append('⏎');
            else if (Character.isISOControl(c) || (c >= 0x2028 && c <= 0x2029) || Character.getType(c) == Character.FORMAT) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.length() > 80 ? sb.substring(0, 60) + "…(" + text.length() + " characters)" : sb.toString();
    }
}
