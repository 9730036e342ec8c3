package convlab.sheet;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one command line into words as a POSIX shell would, without running anything: blanks separate
 * words; '…' is literal; "…" keeps everything but lets \ escape " \ $ ` and a newline; an unquoted \
 * escapes the next character; \ before a line break joins the lines. No variables, globs or pipes: $, *, |
 * and ; are ordinary characters.
 */
public final class ShellWords {
    private ShellWords() {}

    /** More words than this on one line is refused (no calculator takes that many). */
    static final int MAX_WORDS = 10_000;

    public static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0, n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c == '\'') {
                int close = line.indexOf('\'', i + 1);
                if (close < 0) throw new IllegalArgumentException("unterminated ' quote in the command line");
                word.append(line, i + 1, close);
                inWord = true;
                i = close + 1;
            } else if (c == '"') {
                i++;
                while (true) {
                    if (i >= n) throw new IllegalArgumentException("unterminated \" quote in the command line");
                    char d = line.charAt(i);
                    if (d == '"') { i++; break; }
                    if (d == '\\' && i + 1 < n && "\"\\$`\n".indexOf(line.charAt(i + 1)) >= 0) {
                        if (line.charAt(i + 1) != '\n') word.append(line.charAt(i + 1));
                        i += 2;
                    } else {
                        word.append(d);
                        i++;
                    }
                }
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 < n) {
                    char d = line.charAt(i + 1);
                    if (d != '\n') { word.append(d); inWord = true; }
                    i += 2;
                } else {
                    word.append(c);   // a lone backslash at the very end stays itself
                    inWord = true;
                    i++;
                }
            } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                if (inWord) add(words, word);
                inWord = false;
                i++;
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) add(words, word);
        return words;
    }

    private static void add(List<String> words, StringBuilder word) {
        if (words.size() >= MAX_WORDS) throw new IllegalArgumentException("more than " + MAX_WORDS + " words in the command line");
        words.add(word.toString());
        word.setLength(0);
    }
}
