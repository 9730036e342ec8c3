package convlab.io;

/**
 * One home for how text from users (and from files they give) appears in messages: every message convlab
 * prints about bad input is one line a terminal shows as it is. {@link #oneLine} turns line breaks into ⏎,
 * tabs into spaces, other control characters (terminal escapes included) into {@code \x1b}-style escapes,
 * and cuts very long text with a note saying how much was left out.
 */
public final class UserMessages {
    private UserMessages() {}

    /** Longest message printed whole; longer ones are cut with a note. */
    public static final int MAX_MESSAGE = 2_000;
    /** Longest piece of user input quoted inside a message. */
    public static final int MAX_QUOTE = 200;

    /** An exception whose message has several lines (e.g. a caret under a spec) and also a one-line form. */
    public interface OneLine {
        String oneLineMessage();
    }

    /** The one line to print for an exception: its one-line form when it has one, else its message, made safe. */
    public static String of(Throwable e) {
        return oneLine(e instanceof OneLine o ? o.oneLineMessage() : e.getMessage());
    }

    /** Why a file operation failed, in words: "permission denied", "no such file or folder", or the system's reason. */
    public static String reason(java.io.IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof java.nio.file.NoSuchFileException) return "no such file or folder";
        if (e instanceof java.nio.file.FileAlreadyExistsException) return "a file of that name is in the way";
        if (e instanceof java.nio.file.NotDirectoryException) return "part of the path is a file, not a folder";
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) return oneLine(f.getReason());
        return oneLine(e.getMessage());
    }

    /** A message made safe to print as one line (at most {@link #MAX_MESSAGE} characters plus a note). */
    public static String oneLine(String message) {
        if (message == null || message.isBlank()) return "(no details)";
        return clean(message, MAX_MESSAGE);
    }

    /** User input to quote in a message: one line, control characters escaped, at most MAX_QUOTE characters. */
    public static String quote(String text) {
        return "'" + clean(text == null ? "" : text, MAX_QUOTE) + "'";
    }

    private static String clean(String text, int max) {
        StringBuilder b = new StringBuilder(Math.min(text.length(), max) + 16);
        int n = text.length(), i = 0;
        while (i < n && b.length() < max) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\r' && i < n && text.charAt(i) == '\n') { i++; b.append('⏎'); }
            else if (cp == '\n' || cp == '\r' || cp == 0x2028 || cp == 0x2029 || cp == 0x85) b.append('⏎');
            else if (cp == '\t') b.append(' ');
            else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) b.append(String.format("\\x%02x", cp));
            else if (Character.getType(cp) == Character.FORMAT || Character.getType(cp) == Character.UNASSIGNED
                    || Character.getType(cp) == Character.SURROGATE) b.append(String.format("\\u{%x}", cp));
            else b.appendCodePoint(cp);
        }
        if (i < n) b.append("… (").append(n - i).append(" more characters not shown)");
        return b.toString();
    }
}
