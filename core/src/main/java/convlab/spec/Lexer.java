package convlab.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a spec into tokens. Separators between layers are whitespace (dropped), ',' and the arrows
 * '→' and '->' (kept as SEPARATOR tokens); '[' ']' group a repetition, '(' ')' hold a layer's options.
 * Every other run of characters is one WORD (e.g. "CONV3-10", "x2", "s2", "eps=1e-3"); '@' always starts a
 * new word, so "CONV3-16@a" is the layer and the label "@a".
 */
final class Lexer {
    private Lexer() {}

    static List<Token> tokenize(String spec) {
        List<Token> out = new ArrayList<>();
        int i = 0, n = spec.length();
        while (i < n) {
            char c = spec.charAt(i);
            if (Character.isWhitespace(c)) { i++; continue; }
            Token.Kind single = switch (c) {
                case ',', '→' -> Token.Kind.SEPARATOR;
                case '[' -> Token.Kind.OPEN_BRACKET;
                case ']' -> Token.Kind.CLOSE_BRACKET;
                case '(' -> Token.Kind.OPEN_PAREN;
                case ')' -> Token.Kind.CLOSE_PAREN;
                default -> null;
            };
            if (single != null) { out.add(new Token(single, String.valueOf(c), i)); i++; continue; }
            if (isArrow(spec, i)) { out.add(new Token(Token.Kind.SEPARATOR, "->", i)); i += 2; continue; }
            int start = i++;
            while (i < n && !endsWord(spec, i) && spec.charAt(i) != '@') i++;   // '@' starts a label word
            out.add(new Token(Token.Kind.WORD, spec.substring(start, i), start));
        }
        out.add(new Token(Token.Kind.END, "", n));
        return out;
    }

    /**
     * {@code text} with every whitespace character (newline, tab, vertical tab, U+2028, …) turned into one
     * space, char for char, so offsets still match: a layer's source as quoted in messages and reports, and
     * the spec line under which an error draws its carets, always stay on one line.
     */
    static String oneLine(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(Character.isWhitespace(c) ? ' ' : c);
        }
        return out.toString();
    }

    private static boolean isArrow(String s, int i) {
        return s.charAt(i) == '-' && i + 1 < s.length() && s.charAt(i + 1) == '>';
    }

    private static boolean endsWord(String s, int i) {
        char c = s.charAt(i);
        return Character.isWhitespace(c) || ",→[]()".indexOf(c) >= 0 || isArrow(s, i);
    }
}
