package convlab.spec;

/** Builds the error for a bad spec: the message, then the spec with carets under the offending text. */
final class SpecError {
    private SpecError() {}

    /**
     * @param spec    the whole spec as written
     * @param pos     char offset of the offending text
     * @param length  how many chars to underline (at least one caret is drawn)
     */
    static IllegalArgumentException at(String spec, int pos, int length, String message) {
        String oneLine = Lexer.oneLine(spec);
        int p = Math.max(0, Math.min(pos, oneLine.length()));
        String carets = "^".repeat(Math.max(1, Math.min(length, oneLine.length() - p)));
        return new Located("bad spec: " + message + "\n    " + oneLine + "\n    " + " ".repeat(p) + carets,
                "bad spec: " + message + " (at character " + (p + 1) + ": " + marked(oneLine, p, carets.length()) + ")");
    }

    /** The three-line message (for a terminal that shows the carets) that also has a one-line form for the CLI. */
    static final class Located extends IllegalArgumentException implements convlab.io.UserMessages.OneLine {
        private final String oneLine;

        Located(String message, String oneLine) {
            super(message);
            this.oneLine = oneLine;
        }

        @Override public String oneLineMessage() { return oneLine; }
    }

    /** The spec with the offending text between ▸ and ◂, cut to 40 characters either side. */
    private static String marked(String spec, int p, int n) {
        n = Math.min(n, spec.length() - p);   // a caret after the end marks nothing: "▸◂" there
        int from = Math.max(0, p - 40), to = Math.min(spec.length(), p + n + 40);
        return (from > 0 ? "…" : "") + spec.substring(from, p) + "▸" + spec.substring(p, p + n) + "◂" + spec.substring(p + n, to)
                + (to < spec.length() ? "…" : "");
    }

    static IllegalArgumentException at(String spec, Token t, String message) {
        return at(spec, t.pos(), t.text().length(), message);
    }
}
