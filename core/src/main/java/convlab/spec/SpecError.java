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
        String oneLine = spec.replace('\n', ' ').replace('\t', ' ').replace('\r', ' ');
        int p = Math.max(0, Math.min(pos, oneLine.length()));
        String carets = "^".repeat(Math.max(1, Math.min(length, oneLine.length() - p)));
        return new IllegalArgumentException("bad spec: " + message + "\n    " + oneLine + "\n    " + " ".repeat(p) + carets);
    }

    static IllegalArgumentException at(String spec, Token t, String message) {
        return at(spec, t.pos(), t.text().length(), message);
    }
}
