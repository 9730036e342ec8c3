package convlab.explain.answer;

import convlab.explain.Rational;
import convlab.explain.answer.Formula.Node;
import convlab.explain.answer.Lexer.Tok;
import convlab.explain.answer.Lexer.Type;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Recursive descent over the tokens, with the usual precedence: sums of products of (signed) powers;
 * powers are right-associative ({@code 2^3^2} = 2^9), {@code -2^2} = −4, {@code 1/2/3} = 1/6, a product
 * may be written by juxtaposition ({@code 2c d_out}, {@code \frac{1}{2}[1, 1]}) except of two plain
 * numbers ({@code 1 2} is a list, read by the matrix parser).
 */
final class Parser {
    private final String text;
    private final List<Tok> toks;
    private final Set<String> names;
    private int k;
    private int depth;

    Parser(String text, List<Tok> toks, Set<String> names) {
        this.text = text;
        this.toks = toks;
        this.names = names;
    }

    Node top() {
        if (peek().type() == Type.EOF) throw new IllegalArgumentException("the answer is empty");
        Node n = expr();
        if (peek().type() != Type.EOF) throw fail(peek(), "unexpected " + describe(peek()));
        return n;
    }

    private Tok peek() {
        if (k >= toks.size()) throw pastTheEnd();
        return toks.get(k);
    }

    private Tok next() {
        if (k >= toks.size()) throw pastTheEnd();
        return toks.get(k++);
    }

    /** A rule read past the end token: the answer stops in the middle of something (a refusal, never a crash). */
    private IllegalArgumentException pastTheEnd() {
        return fail(toks.getLast(), "the answer ends in the middle of an expression");
    }

    private void enter() {
        if (++depth > Formula.MAX_DEPTH) throw fail(peek(), "nested more than " + Formula.MAX_DEPTH + " levels deep");
    }

    private Node expr() {
        enter();
        try {
            Node n = term();
            while (peek().op('+') || peek().op('-')) {
                Tok op = next();
                Tok after = peek();
                Tok before = toks.get(k - 2);
                if (op.spaceBefore() && !after.spaceBefore() && after.type() == Type.NUM && (before.type() == Type.NUM))
                    throw fail(op, "'" + before.text() + " " + op.text() + after.text() + "' reads as a list of numbers, not a difference");
                n = new Formula.Add(n, term(), op.op('-'));
            }
            return n;
        } finally { depth--; }
    }

    private Node term() {
        Node n = unary();
        while (true) {
            Tok t = peek();
            if (t.op('*')) { next(); n = new Formula.Mul(n, unary(), true); }
            else if (t.op('/')) { next(); n = new Formula.Div(n, unary()); }
            else if (startsImplicitFactor(t)) n = new Formula.Mul(n, power(), false);
            else return n;
        }
    }

    private static boolean startsImplicitFactor(Tok t) {
        return switch (t.type()) {
            case NAME, FRAC, SQRT, LFLOOR, LCEIL, BEGIN -> true;
            case OP -> t.op('(') || t.op('[') || t.op('{');
            default -> false;
        };
    }

    private Node unary() {
        Tok t = peek();
        if (t.op('-') || t.op('+')) {
            enter();
            try {
                next();
                Node a = unary();
                return t.op('-') ? new Formula.Neg(a) : a;
            } finally { depth--; }
        }
        return power();
    }

    private Node power() {
        Node base = atom();
        if (!peek().op('^')) return base;
        next();
        enter();
        try {
            if (peek().type() == Type.EOF) throw fail(peek(), "'^' without an exponent");
            return new Formula.Pow(base, exponent());
        } finally { depth--; }
    }

    private Node exponent() {
        Tok t = peek();
        if (t.op('-') || t.op('+')) {
            enter();
            try {
                next();
                Node a = exponent();
                return t.op('-') ? new Formula.Neg(a) : a;
            } finally { depth--; }
        }
        return power();
    }

    private Node atom() {
        Tok t = next();
        enter();
        try {
            return switch (t.type()) {
                case NUM -> {
                    Rational v;
                    if (t.text().length() > Rational.MAX_DIGITS)
                        throw fail(t, "a number of " + t.text().length() + " digits; at most " + Rational.MAX_DIGITS + " are read");
                    try { v = Rational.parse(t.text()); }
                    catch (IllegalArgumentException e) { throw fail(t, e.getMessage()); }
                    yield new Formula.Num(v, t.text().chars().allMatch(Character::isDigit));
                }
                case NAME -> name(t);
                case FRAC -> fraction(t);
                case SQRT -> {
                    if (peek().op('[')) {
                        next();
                        Tok idx = next();
                        if (idx.type() != Type.NUM || !idx.text().equals("2") || !next().op(']')) throw fail(idx, "only square roots are read");
                    }
                    yield new Formula.Sqrt(atom());
                }
                case LFLOOR, LCEIL -> {
                    Node a = expr();
                    Tok close = next();
                    Type want = t.type() == Type.LFLOOR ? Type.RFLOOR : Type.RCEIL;
                    if (close.type() != want) throw fail(close, "expected " + (want == Type.RFLOOR ? "\\rfloor" : "\\rceil") + ", found " + describe(close));
                    yield new Formula.Round(a, t.type() == Type.LCEIL);
                }
                case BEGIN -> matrix(t);
                case OP -> {
                    if (t.op('(')) yield group(t, ')', true);
                    if (t.op('{')) yield group(t, '}', false);
                    if (t.op('[')) yield list(t);
                    throw fail(t, "expected a number, a name or '(' but found " + describe(t));
                }
                case EOF -> throw fail(t, "the answer ends too early");
                default -> throw fail(t, "expected a number, a name or '(' but found " + describe(t));
            };
        } finally { depth--; }
    }

    /** "(a)", "{a}", or a tuple "(28, 28, 10)". */
    private Node group(Tok open, char close, boolean tuple) {
        Node n = expr();
        if (tuple && peek().op(',')) {
            List<Node> items = new ArrayList<>(List.of(n));
            while (peek().op(',')) { next(); items.add(expr()); }
            n = new Formula.Tensor(items, false);
        }
        Tok c = next();
        if (!c.op(close)) throw fail(c, "expected '" + close + "' to close the '" + open.text() + "' at position " + open.pos() + ", found " + describe(c));
        return n;
    }

    private Node list(Tok open) {
        List<Node> items = new ArrayList<>();
        if (peek().op(']')) throw fail(peek(), "an empty list");
        items.add(expr());
        while (peek().op(',')) { next(); items.add(expr()); }
        Tok c = next();
        if (!c.op(']')) throw fail(c, "expected ',' or ']' in the list opened at position " + open.pos() + ", found " + describe(c));
        return new Formula.Tensor(items, true);
    }

    private Node fraction(Tok t) {
        if (peek().type() == Type.NUM && peek().text().matches("\\d\\d")) {  // \frac12
            Tok d = next();
            return new Formula.Div(new Formula.Num(Rational.parse(d.text().substring(0, 1)), true), new Formula.Num(Rational.parse(d.text().substring(1)), true));
        }
        Node a = bracedArgument(t), b = bracedArgument(t);
        return new Formula.Div(a, b);
    }

    private Node bracedArgument(Tok cmd) {
        Tok open = next();
        if (!open.op('{')) throw fail(open, "expected '{' after \\" + cmd.text() + ", found " + describe(open));
        return group(open, '}', false);
    }

    private Node matrix(Tok begin) {
        List<Node> rows = new ArrayList<>();
        List<Node> row = new ArrayList<>();
        while (true) {
            if (peek().type() == Type.END) {
                Tok end = next();
                if (!end.text().equals(begin.text())) throw fail(end, "\\begin{" + begin.text() + "} closed by \\end{" + Lexer.shown(end.text()) + "}");
                if (!row.isEmpty()) rows.add(new Formula.Tensor(row, true));
                if (rows.isEmpty()) throw fail(end, "an empty matrix");
                return new Formula.Tensor(rows, true);
            }
            if (peek().type() == Type.ROWSEP) {
                Tok sep = next();
                if (row.isEmpty()) throw fail(sep, "an empty matrix row");
                rows.add(new Formula.Tensor(row, true));
                row = new ArrayList<>();
                continue;
            }
            row.add(expr());
            Tok t = peek();
            if (t.op('&')) next();
            else if (t.type() != Type.ROWSEP && t.type() != Type.END) throw fail(t, "expected '&', '\\\\' or \\end{" + begin.text() + "}, found " + describe(t));
        }
    }

    private Node name(Tok t) {
        String n = t.text();
        boolean call = peek().op('(');
        if (!names.contains(n) && call) {
            switch (n) {
                case "O", "Theta", "Omega" -> {
                    Tok open = next();
                    return new Formula.Order(n.equals("Theta") ? "Θ" : n.equals("Omega") ? "Ω" : "O", group(open, ')', false));
                }
                case "floor", "ceil" -> { Tok open = next(); return new Formula.Round(group(open, ')', false), n.equals("ceil")); }
                case "sqrt" -> { Tok open = next(); return new Formula.Sqrt(group(open, ')', false)); }
                default -> { }
            }
        }
        if (names.contains(n)) return new Formula.Var(n);
        if (!n.contains("_") && n.length() > 1 && n.chars().allMatch(c -> names.contains(String.valueOf((char) c)))) {
            Node prod = new Formula.Var(String.valueOf(n.charAt(0)));
            for (int i = 1; i < n.length(); i++) prod = new Formula.Mul(prod, new Formula.Var(String.valueOf(n.charAt(i))), false);
            return prod;
        }
        if (names.isEmpty()) throw fail(t, "'" + Lexer.shown(n) + "' is not a number (this answer takes numbers only)");
        throw fail(t, "'" + Lexer.shown(n) + "' is not a name this question knows (it knows " + String.join(", ", names) + ")");
    }

    private static String describe(Tok t) {
        return switch (t.type()) {
            case EOF -> "the end";
            case NUM, NAME -> "'" + Lexer.shown(t.text()) + "'";
            case ROWSEP -> "'\\\\'";
            case END -> "\\end{" + Lexer.shown(t.text()) + "}";
            case BEGIN -> "\\begin{" + Lexer.shown(t.text()) + "}";
            default -> "'" + Lexer.shown(t.text()) + "'";
        };
    }

    private IllegalArgumentException fail(Tok at, String why) { return Lexer.error(text, at.pos(), why); }
}
