package convlab.sheet;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the math in Markdown prose, as common viewers do: $$…$$ is display math, $…$ inline math (the
 * opening $ not followed by a blank, the closing one not preceded by a blank nor followed by a digit, so
 * "$5 and $6" stays text); \$ is a dollar sign; nothing inside `code spans` or indented code lines counts.
 */
public final class ProseMath {
    private ProseMath() {}

    public sealed interface Piece permits Text, Math {}
    public record Text(String markdown) implements Piece {}
    public record Math(String latex, boolean display) implements Piece {}

    public static List<Piece> split(String md) {
        List<Piece> out = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int i = 0, n = md.length();
        while (i < n) {
            char c = md.charAt(i);
            if (c == '\\' && i + 1 < n) {
                text.append(c).append(md.charAt(i + 1));
                i += 2;
                continue;
            }
            if (c == '`') {
                int run = i;
                while (run < n && md.charAt(run) == '`') run++;
                String ticks = md.substring(i, run);
                int close = md.indexOf(ticks, run);
                while (close >= 0 && close + ticks.length() < n && md.charAt(close + ticks.length()) == '`') close = md.indexOf(ticks, close + ticks.length() + 1);
                int end = close < 0 ? run : close + ticks.length();
                text.append(md, i, end);
                i = end;
                continue;
            }
            if (c == '\n' && i + 1 < n && (md.startsWith("    ", i + 1) || md.charAt(i + 1) == '\t') && i > 0 && md.charAt(i - 1) == '\n') {
                int lineEnd = md.indexOf('\n', i + 1);   // an indented code line after a blank line: kept as it is
                int end = lineEnd < 0 ? n : lineEnd;
                text.append(md, i, end);
                i = end;
                continue;
            }
            if (c == '$' && i + 1 < n && md.charAt(i + 1) == '$') {
                int close = md.indexOf("$$", i + 2);
                if (close > i + 2) {
                    flush(out, text);
                    out.add(new Math(md.substring(i + 2, close).strip(), true));
                    i = close + 2;
                    continue;
                }
                text.append("$$");
                i += 2;
                continue;
            }
            if (c == '$' && i + 1 < n && !Character.isWhitespace(md.charAt(i + 1))) {
                int close = closingDollar(md, i + 1);
                if (close > 0) {
                    flush(out, text);
                    out.add(new Math(md.substring(i + 1, close), false));
                    i = close + 1;
                    continue;
                }
            }
            text.append(c);
            i++;
        }
        flush(out, text);
        return out;
    }

    /** The closing $ of inline math started before {@code from}, within the same paragraph; -1 if none. */
    private static int closingDollar(String md, int from) {
        for (int k = from; k < md.length(); k++) {
            char c = md.charAt(k);
            if (c == '\\') { k++; continue; }
            if (c == '\n' && k + 1 < md.length() && md.charAt(k + 1) == '\n') return -1;
            if (c == '`') return -1;   // a code span begins first: it wins
            if (c == '$') {
                if (Character.isWhitespace(md.charAt(k - 1))) return -1;
                if (k + 1 < md.length() && Character.isDigit(md.charAt(k + 1))) return -1;
                return k;
            }
        }
        return -1;
    }

    private static void flush(List<Piece> out, StringBuilder text) {
        if (!text.isEmpty()) { out.add(new Text(text.toString())); text.setLength(0); }
    }
}
