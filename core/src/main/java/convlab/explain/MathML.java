package convlab.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * LaTeX math (the subset convlab writes, and the usual homework notation: fractions, roots, scripts,
 * matrices, cases, \text, \mathbb, Greek letters, relations, \left( \right)) translated to presentation
 * MathML, which browsers typeset natively and the PDF renderer draws. Anything it does not know is an
 * IllegalArgumentException naming the construct, so a caller can show the source instead.
 * The output holds no namespace or any other URL: {@code <math>} in an HTML5 document needs none.
 */
public final class MathML {
    private MathML() {}

    /** Nesting deeper than this (braces, environments, scripts) is refused rather than recursed into. */
    static final int MAX_DEPTH = 64;
    /** Longer sources are refused (a sheet's formulas are short; a matrix of 1000 entries is ~10 KB). */
    static final int MAX_LENGTH = 200_000;

    /** {@code <math display="block|inline">…</math>} for a LaTeX formula. */
    public static String of(String latex, boolean display) {
        if (latex.length() > MAX_LENGTH) throw new IllegalArgumentException("formula longer than " + MAX_LENGTH + " characters");
        Parser p = new Parser(latex);
        String body = p.sequence(0, null);
        if (p.pos < latex.length()) throw new IllegalArgumentException("unmatched '" + shown(String.valueOf(latex.charAt(p.pos))) + "' in formula");
        return "<math display=\"" + (display ? "block" : "inline") + "\"><mrow>" + body + "</mrow></math>";
    }

    private static final Map<String, String> SYMBOLS = Map.ofEntries(
            Map.entry("alpha", "α"), Map.entry("beta", "β"), Map.entry("gamma", "γ"), Map.entry("delta", "δ"),
            Map.entry("epsilon", "ϵ"), Map.entry("varepsilon", "ε"), Map.entry("zeta", "ζ"), Map.entry("eta", "η"),
            Map.entry("theta", "θ"), Map.entry("vartheta", "ϑ"), Map.entry("iota", "ι"), Map.entry("kappa", "κ"),
            Map.entry("lambda", "λ"), Map.entry("mu", "μ"), Map.entry("nu", "ν"), Map.entry("xi", "ξ"), Map.entry("pi", "π"),
            Map.entry("rho", "ρ"), Map.entry("sigma", "σ"), Map.entry("tau", "τ"), Map.entry("upsilon", "υ"),
            Map.entry("phi", "ϕ"), Map.entry("varphi", "φ"), Map.entry("chi", "χ"), Map.entry("psi", "ψ"), Map.entry("omega", "ω"),
            Map.entry("Gamma", "Γ"), Map.entry("Delta", "Δ"), Map.entry("Theta", "Θ"), Map.entry("Lambda", "Λ"),
            Map.entry("Xi", "Ξ"), Map.entry("Pi", "Π"), Map.entry("Sigma", "Σ"), Map.entry("Phi", "Φ"), Map.entry("Psi", "Ψ"),
            Map.entry("Omega", "Ω"), Map.entry("ell", "ℓ"), Map.entry("infty", "∞"), Map.entry("partial", "∂"), Map.entry("nabla", "∇"),
            Map.entry("emptyset", "∅"), Map.entry("hbar", "ℏ"));
    private static final Map<String, String> OPERATORS = Map.ofEntries(
            Map.entry("cdot", "·"), Map.entry("times", "×"), Map.entry("div", "÷"), Map.entry("pm", "±"), Map.entry("mp", "∓"),
            Map.entry("ll", "≪"), Map.entry("gg", "≫"), Map.entry("le", "≤"), Map.entry("leq", "≤"), Map.entry("ge", "≥"),
            Map.entry("geq", "≥"), Map.entry("ne", "≠"), Map.entry("neq", "≠"), Map.entry("approx", "≈"), Map.entry("sim", "∼"),
            Map.entry("equiv", "≡"), Map.entry("propto", "∝"), Map.entry("to", "→"), Map.entry("rightarrow", "→"),
            Map.entry("leftarrow", "←"), Map.entry("Rightarrow", "⇒"), Map.entry("Leftrightarrow", "⇔"), Map.entry("mapsto", "↦"),
            Map.entry("implies", "⟹"), Map.entry("iff", "⟺"), Map.entry("in", "∈"), Map.entry("notin", "∉"),
            Map.entry("subset", "⊂"), Map.entry("subseteq", "⊆"), Map.entry("cup", "∪"), Map.entry("cap", "∩"),
            Map.entry("sum", "∑"), Map.entry("prod", "∏"), Map.entry("int", "∫"), Map.entry("circ", "∘"), Map.entry("star", "⋆"),
            Map.entry("ast", "∗"), Map.entry("otimes", "⊗"), Map.entry("oplus", "⊕"), Map.entry("odot", "⊙"), Map.entry("mid", "∣"),
            Map.entry("dots", "…"), Map.entry("ldots", "…"), Map.entry("cdots", "⋯"), Map.entry("vdots", "⋮"), Map.entry("ddots", "⋱"),
            Map.entry("lfloor", "⌊"), Map.entry("rfloor", "⌋"), Map.entry("lceil", "⌈"), Map.entry("rceil", "⌉"),
            Map.entry("langle", "⟨"), Map.entry("rangle", "⟩"), Map.entry("forall", "∀"), Map.entry("exists", "∃"),
            Map.entry("neg", "¬"), Map.entry("land", "∧"), Map.entry("lor", "∨"), Map.entry("prime", "′"),
            Map.entry("{", "{"), Map.entry("}", "}"), Map.entry("|", "‖"), Map.entry("Vert", "‖"), Map.entry("vert", "|"),
            Map.entry("lbrace", "{"), Map.entry("rbrace", "}"), Map.entry("setminus", "∖"), Map.entry("perp", "⊥"));
    private static final List<String> FUNCTIONS = List.of("log", "ln", "exp", "max", "min", "sin", "cos", "tan", "lim", "det",
            "dim", "sup", "inf", "arg", "argmax", "argmin", "tr", "rank", "sign", "diag", "Var", "softmax", "ReLU");
    private static final Map<String, String> SPACES = Map.of(",", "0.17em", ":", "0.22em", ";", "0.28em", "!", "0em",
            " ", "0.25em", "quad", "1em", "qquad", "2em");
    private static final Map<String, String> ACCENTS = Map.of("hat", "^", "widehat", "^", "bar", "¯", "overline", "¯",
            "tilde", "~", "widetilde", "~", "vec", "→", "dot", "˙", "ddot", "¨");

    private static final class Parser {
        final String s;
        int pos;

        Parser(String s) { this.s = s; }

        /** Atoms until end, '}' (if stop is "}"), or an environment/\right terminator; returns MathML. */
        String sequence(int depth, String stop) {
            if (depth > MAX_DEPTH) throw new IllegalArgumentException("formula nested deeper than " + MAX_DEPTH + " levels");
            StringBuilder out = new StringBuilder();
            while (true) {
                skipSpace();
                if (pos >= s.length()) {
                    if ("}".equals(stop)) throw new IllegalArgumentException("missing '}' in formula");
                    return out.toString();
                }
                char c = s.charAt(pos);
                if (c == '}') {
                    if ("}".equals(stop)) return out.toString();
                    throw new IllegalArgumentException("unmatched '}' in formula");
                }
                if (c == '&' || s.startsWith("\\\\", pos) || s.startsWith("\\end", pos) && !isLetterAt(pos + 4)
                        || s.startsWith("\\right", pos) && !isLetterAt(pos + 6)) {
                    if (stop != null && !"}".equals(stop)) return out.toString();
                    if (c == '&') throw new IllegalArgumentException("'&' outside a matrix or cases environment");
                    if (c == '\\' && s.charAt(pos + 1) == '\\') throw new IllegalArgumentException("'\\\\' outside a matrix or cases environment");
                    throw new IllegalArgumentException(s.startsWith("\\end", pos) ? "\\end without \\begin" : "\\right without \\left");
                }
                out.append(scripted(depth));
            }
        }

        /** An atom with optional ^ and _ scripts. */
        String scripted(int depth) {
            String base = atom(depth);
            String sub = null, sup = null;
            while (true) {
                skipSpace();
                if (pos >= s.length()) break;
                char c = s.charAt(pos);
                if (c == '^' && sup == null) { pos++; sup = argument(depth + 1); }
                else if (c == '_' && sub == null) { pos++; sub = argument(depth + 1); }
                else if (c == '\'' && sup == null) { pos++; sup = "<mo>′</mo>"; }
                else if (c == '^' || c == '_') throw new IllegalArgumentException("double " + (c == '^' ? "superscript" : "subscript") + " in formula");
                else break;
            }
            boolean bigOp = base.equals("<mo>∑</mo>") || base.equals("<mo>∏</mo>");
            if (sub != null && sup != null) return bigOp ? "<munderover>" + base + sub + sup + "</munderover>" : "<msubsup>" + base + sub + sup + "</msubsup>";
            if (sub != null) return bigOp ? "<munder>" + base + sub + "</munder>" : "<msub>" + base + sub + "</msub>";
            if (sup != null) return bigOp ? "<mover>" + base + sup + "</mover>" : "<msup>" + base + sup + "</msup>";
            return base;
        }

        /** The argument of a command or script: a {group} or a single atom. */
        String argument(int depth) {
            skipSpace();
            if (pos >= s.length()) throw new IllegalArgumentException("formula ends where an argument was expected");
            if (s.charAt(pos) == '{') {
                pos++;
                String inner = sequence(depth + 1, "}");
                pos++;
                return "<mrow>" + inner + "</mrow>";
            }
            return atom(depth + 1);
        }

        /** A {group}'s raw text (for \text, \begin names). */
        String rawGroup() {
            skipSpace();
            if (pos >= s.length() || s.charAt(pos) != '{') throw new IllegalArgumentException("'{' expected in formula");
            int level = 0, start = pos + 1;
            for (int i = pos; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\\') { i++; continue; }
                if (c == '{') level++;
                else if (c == '}' && --level == 0) { pos = i + 1; return s.substring(start, i); }
            }
            throw new IllegalArgumentException("missing '}' in formula");
        }

        String atom(int depth) {
            if (depth > MAX_DEPTH) throw new IllegalArgumentException("formula nested deeper than " + MAX_DEPTH + " levels");
            char c = s.charAt(pos);
            if (c == '{') {
                pos++;
                String inner = sequence(depth + 1, "}");
                pos++;
                return "<mrow>" + inner + "</mrow>";
            }
            if (c == '\\') return command(depth);
            if (c == '}' || c == '&') throw new IllegalArgumentException("'" + c + "' where an argument was expected in formula");
            if (c >= '0' && c <= '9' || c == '.' && pos + 1 < s.length() && Character.isDigit(s.charAt(pos + 1))) {
                int start = pos;
                while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '.' && pos + 1 < s.length() && Character.isDigit(s.charAt(pos + 1)))) pos++;
                return "<mn>" + s.substring(start, pos) + "</mn>";
            }
            int cp = s.codePointAt(pos);
            pos += Character.charCount(cp);
            String ch = escape(new String(Character.toChars(cp)));
            if (c == '^' || c == '_') throw new IllegalArgumentException("script '" + c + "' without a base in formula");
            if (c == '$' || c == '#' || c == '%') throw new IllegalArgumentException("'" + c + "' inside a formula");
            if (Character.isLetter(cp)) return "<mi>" + ch + "</mi>";
            if (c == '-') return "<mo>−</mo>";
            if (c == '*') return "<mo>∗</mo>";
            if (c == '(' || c == ')' || c == '[' || c == ']' || c == '|') return "<mo stretchy=\"false\">" + ch + "</mo>";
            return "<mo>" + ch + "</mo>";
        }

        String command(int depth) {
            pos++; // backslash
            if (pos >= s.length()) throw new IllegalArgumentException("formula ends with a backslash");
            String name;
            if (Character.isLetter(s.charAt(pos))) {
                int start = pos;
                while (pos < s.length() && Character.isLetter(s.charAt(pos))) pos++;
                name = s.substring(start, pos);
            } else {
                name = String.valueOf(s.charAt(pos++));
            }
            if (Character.isWhitespace(name.charAt(0))) name = " ";   // a backslash before a blank or line break: a space, as in TeX
            if (SPACES.containsKey(name)) return "<mspace width=\"" + SPACES.get(name) + "\"></mspace>";
            if (SYMBOLS.containsKey(name)) return "<mi>" + SYMBOLS.get(name) + "</mi>";
            if (OPERATORS.containsKey(name)) return "<mo>" + OPERATORS.get(name) + "</mo>";
            if (FUNCTIONS.contains(name)) return "<mi mathvariant=\"normal\">" + name + "</mi><mspace width=\"0.17em\"></mspace>";
            if (ACCENTS.containsKey(name)) return "<mover accent=\"true\">" + argument(depth + 1) + "<mo>" + ACCENTS.get(name) + "</mo></mover>";
            switch (name) {
                case "%", "$", "#", "&", "_" -> { return "<mo>" + escape(name) + "</mo>"; }
                case "frac", "dfrac", "tfrac" -> { return "<mfrac>" + argument(depth + 1) + argument(depth + 1) + "</mfrac>"; }
                case "sqrt" -> {
                    skipSpace();
                    if (pos < s.length() && s.charAt(pos) == '[') {
                        int close = s.indexOf(']', pos);
                        if (close < 0) throw new IllegalArgumentException("missing ']' after \\sqrt[ in formula");
                        String index = new Parser(s.substring(pos + 1, close)).sequenceAll(depth + 1);
                        pos = close + 1;
                        return "<mroot>" + argument(depth + 1) + "<mrow>" + index + "</mrow></mroot>";
                    }
                    return "<msqrt>" + argument(depth + 1) + "</msqrt>";
                }
                case "text", "textrm", "mbox", "textit", "textbf", "mathrm", "operatorname" -> {
                    String t = rawGroup().replace("\\_", "_").replace("\\%", "%").replace("\\&", "&").replace("\\{", "{").replace("\\}", "}");
                    if (name.equals("operatorname") || name.equals("mathrm")) return "<mi mathvariant=\"normal\">" + escape(t) + "</mi>";
                    // spaces at the ends of \text{…} are kept (as MathJax does), not trimmed by the renderer
                    t = t.replaceAll("^ +| +$", "\u00a0");
                    String variant = name.equals("textbf") ? " mathvariant=\"bold\"" : name.equals("textit") ? " mathvariant=\"italic\"" : "";
                    return "<mtext" + variant + ">" + escape(t) + "</mtext>";
                }
                case "mathbf", "boldsymbol", "bm" -> { return "<mstyle mathvariant=\"bold\">" + argument(depth + 1) + "</mstyle>"; }
                case "mathbb" -> { return doubleStruck(rawGroup()); }
                case "mathcal" -> { return "<mstyle mathvariant=\"script\">" + argument(depth + 1) + "</mstyle>"; }
                case "mathit" -> { return "<mstyle mathvariant=\"italic\">" + argument(depth + 1) + "</mstyle>"; }
                case "left" -> {
                    String open = delimiter();
                    String inner = sequence(depth + 1, "\\right");
                    if (!s.startsWith("\\right", pos)) throw new IllegalArgumentException("\\left without \\right in formula");
                    pos += 6;
                    String close = delimiter();
                    return "<mrow>" + open + inner + close + "</mrow>";
                }
                case "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr" -> { return delimiter(); }
                case "begin" -> { return environment(rawGroup().strip(), depth); }
                default -> throw new IllegalArgumentException("unknown LaTeX command \\" + shown(name));
            }
        }

        String sequenceAll(int depth) {
            String out = sequence(depth, null);
            if (pos < s.length()) throw new IllegalArgumentException("unmatched '" + shown(String.valueOf(s.charAt(pos))) + "' in formula");
            return out;
        }

        /** The delimiter after \left or \right ('.' = none). */
        String delimiter() {
            skipSpace();
            if (pos >= s.length()) throw new IllegalArgumentException("formula ends where a delimiter was expected");
            char c = s.charAt(pos);
            String d;
            if (c == '\\') {
                pos++;
                int start = pos;
                if (pos < s.length() && Character.isLetter(s.charAt(pos))) while (pos < s.length() && Character.isLetter(s.charAt(pos))) pos++;
                else pos++;
                String name = s.substring(start, Math.min(pos, s.length()));
                d = OPERATORS.get(name);
                if (d == null) throw new IllegalArgumentException("unknown delimiter \\" + shown(name) + " in formula");
            } else {
                pos++;
                if (c == '.') return "";
                if ("()[]|/".indexOf(c) < 0) throw new IllegalArgumentException("unknown delimiter '" + shown(String.valueOf(c)) + "' in formula");
                d = String.valueOf(c);
            }
            return "<mo stretchy=\"true\">" + escape(d) + "</mo>";
        }

        String environment(String env, int depth) {
            String open, close;
            switch (env) {
                case "bmatrix" -> { open = "["; close = "]"; }
                case "pmatrix" -> { open = "("; close = ")"; }
                case "vmatrix" -> { open = "|"; close = "|"; }
                case "Bmatrix" -> { open = "{"; close = "}"; }
                case "matrix", "aligned", "align", "align*", "array" -> { open = ""; close = ""; }
                case "cases" -> { open = "{"; close = ""; }
                default -> throw new IllegalArgumentException("unknown LaTeX environment " + shown(env));
            }
            if (env.equals("array")) rawGroup();  // column spec: all columns centred
            List<List<String>> rows = new ArrayList<>();
            List<String> row = new ArrayList<>();
            while (true) {
                row.add(sequence(depth + 1, "env"));
                if (pos >= s.length()) throw new IllegalArgumentException("missing \\end{" + env + "} in formula");
                if (s.charAt(pos) == '&') { pos++; continue; }
                if (s.startsWith("\\\\", pos)) { pos += 2; rows.add(row); row = new ArrayList<>(); continue; }
                if (s.startsWith("\\end", pos)) {
                    pos += 4;
                    String end = rawGroup().strip();
                    if (!end.equals(env)) throw new IllegalArgumentException("\\begin{" + shown(env) + "} ended by \\end{" + shown(end) + "}");
                    break;
                }
                throw new IllegalArgumentException("\\right inside \\begin{" + env + "} in formula");
            }
            if (!(row.size() == 1 && row.getFirst().isEmpty()) || rows.isEmpty()) rows.add(row);
            boolean left = env.equals("cases") || env.startsWith("align");
            // class "fenced-…": a stylesheet can draw the brackets itself where the browser has no math font to stretch them
            String fenced = switch (env) { case "bmatrix" -> "fenced-b"; case "pmatrix" -> "fenced-p"; case "vmatrix" -> "fenced-v"; case "Bmatrix", "cases" -> "fenced-c"; default -> null; };
            StringBuilder t = new StringBuilder("<mtable" + (left ? " columnalign=\"left\"" : "") + (fenced == null ? "" : " class=\"" + fenced + "\"") + ">");
            for (List<String> r : rows) {
                t.append("<mtr>");
                for (String cell : r) t.append("<mtd><mrow>").append(cell).append("</mrow></mtd>");
                t.append("</mtr>");
            }
            t.append("</mtable>");
            return "<mrow>" + (open.isEmpty() ? "" : "<mo class=\"fence\" stretchy=\"true\">" + escape(open) + "</mo>") + t
                    + (close.isEmpty() ? "" : "<mo class=\"fence\" stretchy=\"true\">" + escape(close) + "</mo>") + "</mrow>";
        }

        void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
        }

        boolean isLetterAt(int i) { return i < s.length() && Character.isLetter(s.charAt(i)); }
    }

    private static String doubleStruck(String letters) {
        StringBuilder sb = new StringBuilder();
        for (char c : letters.strip().toCharArray()) {
            String m = switch (c) {
                case 'R' -> "ℝ"; case 'N' -> "ℕ"; case 'Z' -> "ℤ"; case 'Q' -> "ℚ"; case 'C' -> "ℂ"; case 'E' -> "𝔼"; case 'P' -> "ℙ";
                default -> {
                    if (!Character.isLetter(c)) throw new IllegalArgumentException("\\mathbb takes letters");
                    yield String.valueOf(c);
                }
            };
            sb.append(m);
        }
        return "<mi mathvariant=\"double-struck\">" + escape(sb.toString()) + "</mi>";
    }

    /** Text from the formula as it may appear in a one-line message: control characters as U+XXXX, at most 40 characters. */
    static String shown(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().limit(40).forEach(cp -> {
            if (Character.isISOControl(cp) || Character.getType(cp) == Character.LINE_SEPARATOR || Character.getType(cp) == Character.PARAGRAPH_SEPARATOR)
                sb.append(String.format("U+%04X", cp));
            else sb.appendCodePoint(cp);
        });
        return s.codePointCount(0, s.length()) > 40 ? sb + "…" : sb.toString();
    }

    /** XML text escaping. */
    public static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                default -> {
                    // characters XML 1.0 forbids (controls, unpaired surrogates) are dropped
                    if (c < 0x20 && c != '\n' && c != '\t' && c != '\r' || c == 0xFFFE || c == 0xFFFF) continue;
                    if (Character.isSurrogate(c)) {
                        if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                            sb.append(c).append(s.charAt(++i));
                        }
                        continue;
                    }
                    sb.append(c);
                }
            }
        }
        return sb.toString();
    }
}
