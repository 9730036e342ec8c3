package convlab.sheet;

import java.util.ArrayList;
import java.util.List;

/**
 * A worked-solution document ({@code convlab sheet FILE.md}) read into its parts: Markdown prose, other
 * fenced code (kept as it is), and {@code ```convlab} blocks, each holding one convlab command line as it
 * would be typed (a trailing \ continues it on the next line; blank lines and lines starting with # are
 * ignored). A block that is empty or holds two commands carries an error instead of a command; it is shown
 * in place, the rest of the document is unaffected.
 */
public final class SheetSource {
    private SheetSource() {}

    public sealed interface Part permits Prose, Code, Block {}
    /** Markdown text between fences (may contain $inline$ and $$display$$ math). */
    public record Prose(String markdown) implements Part {}
    /** A fenced block that is not a convlab block: its full text, fences included. */
    public record Code(String markdown, String info, String body) implements Part {}
    /**
     * A convlab block: the fence lines and body as written, the 1-based line of its opening fence, the command
     * words (the leading "convlab" dropped) or null, and the error when the block cannot be run.
     */
    public record Block(String markdown, int line, String command, List<String> words, String error) implements Part {}

    /** Documents larger than this are refused before reading (a problem set is a few hundred KB at most). */
    public static final int MAX_CHARS = 4_000_000;

    public static List<Part> parse(String text) {
        if (text.length() > MAX_CHARS) throw new IllegalArgumentException("the document is longer than " + MAX_CHARS + " characters");
        String[] lines = text.split("\n", -1);
        List<Part> parts = new ArrayList<>();
        StringBuilder prose = new StringBuilder();
        int i = 0;
        while (i < lines.length) {
            String line = lines[i];
            Fence open = Fence.open(line);
            if (open == null) {
                prose.append(line);
                if (i < lines.length - 1) prose.append('\n');
                i++;
                continue;
            }
            int start = i;
            StringBuilder body = new StringBuilder();
            int j = i + 1;
            boolean closed = false;
            for (; j < lines.length; j++) {
                if (open.closedBy(lines[j])) { closed = true; break; }
                body.append(lines[j]).append('\n');
            }
            int end = closed ? j : lines.length - 1;   // an unclosed fence runs to the end, as in CommonMark
            StringBuilder raw = new StringBuilder();
            for (int k = start; k <= end; k++) raw.append(lines[k]).append(k < lines.length - 1 ? "\n" : "");
            if (!prose.isEmpty()) { parts.add(new Prose(prose.toString())); prose.setLength(0); }
            if (open.info().equals("convlab")) parts.add(block(raw.toString(), start + 1, body.toString()));
            else parts.add(new Code(raw.toString(), open.info(), body.toString()));
            i = end + 1;
        }
        if (!prose.isEmpty()) parts.add(new Prose(prose.toString()));
        return parts;
    }

    /** The document's first heading (its title in the HTML), else the fallback. */
    public static String title(String text, String fallback) {
        for (String line : text.split("\n")) {
            String t = line.strip();
            if (t.startsWith("#")) {
                String h = t.replaceFirst("^#+\\s*", "").replaceAll("\\s#+$", "").strip();
                if (!h.isEmpty()) return h;
            }
        }
        return fallback;
    }

    private static Block block(String raw, int line, String body) {
        List<String> commands = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String l : body.split("\n", -1)) {
            String t = l.strip();
            if (current.isEmpty() && (t.isEmpty() || t.startsWith("#"))) continue;
            if (t.endsWith("\\") && !t.endsWith("\\\\")) {
                current.append(t, 0, t.length() - 1).append(' ');
                continue;
            }
            current.append(t);
            commands.add(current.toString().strip());
            current.setLength(0);
        }
        if (!current.isEmpty()) commands.add(current.toString().strip());
        if (commands.isEmpty()) return new Block(raw, line, null, null, "empty convlab block (line " + line + "): write one command, such as conv --input \"1 2 3\" --kernel \"1 1\"");
        if (commands.size() > 1)
            return new Block(raw, line, null, null, "a convlab block holds one command line; the block at line " + line + " has " + commands.size()
                    + " (end a line with \\ to continue it)");
        String command = commands.getFirst();
        try {
            List<String> words = new ArrayList<>(ShellWords.split(command));
            if (!words.isEmpty() && words.getFirst().equals("convlab")) words.removeFirst();
            if (words.isEmpty()) return new Block(raw, line, command, null, "the convlab block at line " + line + " names no command");
            return new Block(raw, line, command, List.copyOf(words), null);
        } catch (IllegalArgumentException e) {
            return new Block(raw, line, command, null, e.getMessage() + " (line " + line + ")");
        }
    }

    /** An opening code fence: up to 3 spaces, then 3+ backticks or tildes, then the info string. */
    private record Fence(char ch, int length, String info) {
        static Fence open(String line) {
            int indent = 0;
            while (indent < line.length() && indent < 4 && line.charAt(indent) == ' ') indent++;
            if (indent > 3 || indent >= line.length()) return null;
            char c = line.charAt(indent);
            if (c != '`' && c != '~') return null;
            int k = indent;
            while (k < line.length() && line.charAt(k) == c) k++;
            int length = k - indent;
            if (length < 3) return null;
            String info = line.substring(k).strip();
            if (c == '`' && info.indexOf('`') >= 0) return null;   // CommonMark: no backtick in a backtick fence's info
            int space = info.indexOf(' ');
            return new Fence(c, length, (space < 0 ? info : info.substring(0, space)).toLowerCase(java.util.Locale.ROOT));
        }

        boolean closedBy(String line) {
            int indent = 0;
            while (indent < line.length() && indent < 4 && line.charAt(indent) == ' ') indent++;
            if (indent > 3) return false;
            int k = indent;
            while (k < line.length() && line.charAt(k) == ch) k++;
            return k - indent >= length && line.substring(k).isBlank();
        }
    }
}
