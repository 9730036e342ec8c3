package convlab.spec;

/** A token of a spec: its kind, its text as written, and where it starts (a char offset into the spec). */
record Token(Kind kind, String text, int pos) {
    enum Kind { WORD, SEPARATOR, OPEN_BRACKET, CLOSE_BRACKET, OPEN_PAREN, CLOSE_PAREN, END }

    int end() { return pos + text.length(); }

    /** How the token reads in an error message. */
    String describe() {
        return kind == Kind.END ? "the end of the spec" : "'" + text + "'";
    }
}
