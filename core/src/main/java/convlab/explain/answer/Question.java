package convlab.explain.answer;

import convlab.explain.Answer;
import convlab.explain.MatrixParser;
import convlab.explain.Rational;
import convlab.explain.cost.Poly;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Predicate;

/**
 * A question with one numeric answer, optionally also a formula in the names it knows, and the answers
 * that are right under other conventions or come from known mistakes. {@link #check} reads an answer
 * (a number, an expression, a formula in the question's names, or O(…)/Θ(…)) and gives a {@link Verdict}:
 * <ul>
 *   <li>a number is compared exactly with the right number;</li>
 *   <li>a formula is compared by identity with the right formula: exactly as polynomials (normal form over
 *       the rationals) when both are polynomials, else by exact evaluation at many random whole-number
 *       points that satisfy the question's constraints (floor and ceiling evaluated exactly);</li>
 *   <li>O(…) and Θ(…) are compared by their leading terms.</li>
 * </ul>
 * Other conventions are data ({@link #convention}): an answer matching one is named and accepted (exit 0);
 * a known mistake ({@link #mistake}) is named as the diagnosis of a wrong answer.
 */
public final class Question {
    /** A name the question knows: its value in this question and the range random checks draw from. */
    public record Variable(String name, Rational value, long min, long max, List<String> aliases) {}

    /** An answer right under another convention, or the result of a mistake; a number or a formula. */
    public record Alternative(String name, boolean convention, Rational value, Formula formula, Poly poly) {}

    private static final int POINTS = 40;

    private final String what;
    private final Rational right;
    private String rightNote;
    private Formula rightFormula;
    private Poly rightPoly;
    private final Map<String, Variable> variables = new LinkedHashMap<>();
    private final Map<String, String> alias = new LinkedHashMap<>();
    private final Set<String> units = new LinkedHashSet<>();
    private Predicate<Map<String, Rational>> constraint = m -> true;
    private final List<Alternative> alternatives = new ArrayList<>();
    private List<String> dominance = List.of();
    private String numberHint;

    private Question(String what, Rational right) {
        this.what = what;
        this.right = right;
    }

    /** A question whose answer is the number {@code right} (null when only a formula is asked). */
    public static Question of(String what, Rational right) { return new Question(what, right); }

    public static Question of(String what, long right) { return new Question(what, Rational.of(right)); }

    /** How the right number is made up, shown beside it ("3×3×10×10 + 10"). */
    public Question note(String howMadeUp) { this.rightNote = howMadeUp; return this; }

    /** A name with its value here and the range of whole numbers identity checks draw from. */
    public Question variable(String name, Rational value, long min, long max, String... aliases) {
        variables.put(name, new Variable(name, value, min, max, List.of(aliases)));
        alias.put(name, name);
        for (String a : aliases) alias.put(a, name);
        return this;
    }

    public Question variable(String name, long value, long min, long max, String... aliases) {
        return variable(name, Rational.of(value), min, max, aliases);
    }

    /** A name read as 1 (the unit c of a cost). */
    public Question unit(String name) {
        units.add(name);
        alias.put(name, name);
        return this;
    }

    /** Only points satisfying this are drawn (e.g. W ≥ K). */
    public Question constraint(Predicate<Map<String, Rational>> valid) { this.constraint = valid; return this; }

    /** The right formula in the question's names. */
    public Question formula(String text) {
        this.rightFormula = Formula.parse(text, alias.keySet());
        return this;
    }

    /** The right formula as a polynomial (e.g. a cost computed symbolically). */
    public Question formula(Poly p) { this.rightPoly = p; return this; }

    /** Said when a number is given but the question has no number (e.g. "give --sizes to check a number"). */
    public Question numberHint(String hint) { this.numberHint = hint; return this; }

    /** For O(…): names in order of size, each much larger than the next (empty: compare all dominant terms). */
    public Question dominance(List<String> order) { this.dominance = List.copyOf(order); return this; }

    /** An answer right under another common convention (named, accepted). */
    public Question convention(String name, Rational value, String formula) {
        alternatives.add(new Alternative(name, true, value, formula == null ? null : Formula.parse(formula, alias.keySet()), null));
        return this;
    }

    /** The answer a known mistake gives (named as the diagnosis). */
    public Question mistake(String name, Rational value, String formula) {
        alternatives.add(new Alternative(name, false, value, formula == null ? null : Formula.parse(formula, alias.keySet()), null));
        return this;
    }

    /** The answer a known mistake gives, as a number and/or a polynomial (either may be null). */
    public Question mistake(String name, Rational value, Poly poly) {
        alternatives.add(new Alternative(name, false, value, null, poly));
        return this;
    }

    public Question mistakes(Map<Long, String> byValue) {
        byValue.forEach((v, why) -> mistake(why, Rational.of(v), (String) null));
        return this;
    }

    public List<Alternative> alternatives() { return List.copyOf(alternatives); }

    /** Reads and checks an answer (inline or {@code @file}); unreadable answers are an IllegalArgumentException. */
    public Verdict check(String answer) {
        String text = MatrixParser.resolveFile(answer).strip();
        if (text.isEmpty()) throw new IllegalArgumentException("the answer for " + what + " is empty");
        Formula f;
        try {
            f = Formula.parse(text, alias.keySet());
        } catch (IllegalArgumentException notOneFormula) {
            if (!text.contains("=")) throw notOneFormula;
            // A pasted working "… = 910": the part after the last '=' must read fully.
            String tail = text.substring(text.lastIndexOf('=') + 1).strip();
            if (tail.endsWith(".")) tail = tail.substring(0, tail.length() - 1);
            try {
                f = Formula.parse(tail, alias.keySet());
            } catch (IllegalArgumentException unreadableTail) {
                throw new IllegalArgumentException("after the last '=': " + unreadableTail.getMessage());
            }
        }
        if (f.isOrder()) return order(f);
        if (f.names().isEmpty()) return number(numberOf(f), f.source());
        return formula(f);
    }

    private Rational numberOf(Formula f) {
        Answer a = Answer.of(f, f.source());
        return switch (a.kind()) {
            case NUMBER, SHAPE -> a.number();
            case MATRIX -> throw new IllegalArgumentException("the answer for " + what + " must be a number or an expression, got a "
                    + a.matrix().shapeText() + " array '" + Lexer.shown(f.source()) + "'");
        };
    }

    /** Checks a number already read. */
    public Verdict number(Rational given, String source) {
        if (right == null) throw new IllegalArgumentException(what + " is asked as a formula in " + String.join(", ", variables.keySet()) + ", not as a number"
                + (numberHint == null ? "" : " (" + numberHint + ")"));
        String rightText = right + (rightNote == null || rightNote.equals(right.toString()) ? "" : " = " + rightNote);
        if (given.equals(right))
            return verdict(Verdict.Outcome.CORRECT, given.toString(), null, null, what + ": correct (" + right + ")");
        for (Alternative a : alternatives) {
            if (a.value() == null || !a.value().equals(given)) continue;
            if (a.convention())
                return verdict(Verdict.Outcome.OTHER_CONVENTION, given.toString(), a.name(), null,
                        what + ": correct under another convention: " + a.name() + " (convlab counts " + rightText + ")");
            return verdict(Verdict.Outcome.NOT_CORRECT, given.toString(), null, a.name(),
                    what + ": not correct: given " + big(given) + ", right " + rightText + " (difference " + big(given.subtract(right)) + ")", "diagnosis: " + a.name());
        }
        return verdict(Verdict.Outcome.NOT_CORRECT, given.toString(), null, null,
                what + ": not correct: given " + big(given) + ", right " + rightText + " (difference " + big(given.subtract(right)) + ")");
    }

    private Verdict formula(Formula f) {
        String shownF = Lexer.shown(f.source());
        if (rightFormula == null && rightPoly == null) {
            // No formula to compare with: the formula is worked out at this question's sizes.
            Rational v = f.number(here());
            Verdict n = number(v, f.source());
            List<String> lines = new ArrayList<>(n.lines());
            lines.add(1, "(the formula " + shownF + " evaluated at " + hereText(f.names()) + ")");
            return new Verdict(n.outcome(), what, shownF, n.right(), n.convention(), n.diagnosis(), lines);
        }
        String rightText = rightText();
        if (identical(f, rightFormula, rightPoly))
            return verdict(Verdict.Outcome.CORRECT, shownF, null, null,
                    what + ": correct: " + shownF + " is the same formula as " + rightText + valueHere(f));
        for (Alternative a : alternatives) {
            if ((a.formula() == null && a.poly() == null) || !identical(f, a.formula(), a.poly())) continue;
            if (a.convention())
                return verdict(Verdict.Outcome.OTHER_CONVENTION, shownF, a.name(), null,
                        what + ": correct under another convention: " + a.name() + " (convlab uses " + rightText + ")");
            return verdict(Verdict.Outcome.NOT_CORRECT, shownF, null, a.name(),
                    what + ": not correct: " + shownF + " is not " + rightText, "diagnosis: " + a.name());
        }
        List<String> extra = new ArrayList<>();
        String diagnosis = null;
        if (right != null && variables.values().stream().allMatch(v -> v.value() != null)) {
            Rational v = null;
            try { v = f.number(here()); } catch (IllegalArgumentException noValue) { /* shown with the counterexample */ }
            for (Alternative a : alternatives)
                if (v != null && !a.convention() && v.equals(a.value())) { diagnosis = a.name(); break; }
        }
        Map<String, Rational> at = counterexample(f);
        if (at != null) {
            extra.add("at " + text(at) + " it gives " + valueOrError(f, at) + ", the right formula " + rightValue(at));
        }
        if (diagnosis != null) extra.add("diagnosis: " + diagnosis);
        return verdict(Verdict.Outcome.NOT_CORRECT, shownF, null, diagnosis, what + ": not correct: " + shownF + " is not " + rightText, extra.toArray(String[]::new));
    }

    private Verdict order(Formula f) {
        Formula.Order o = (Formula.Order) f.root();
        Poly given = polyOf(new FormulaView(f, o.a()));
        Poly r = rightPoly != null ? rightPoly : rightFormula == null ? null : polyOf(new FormulaView(rightFormula, rightFormula.root()));
        if (r == null) throw new IllegalArgumentException(what + ": an order of growth " + o.symbol() + "(…) is compared only where the answer is a formula in sizes");
        if (given == null) throw new IllegalArgumentException(o.symbol() + "(…) is compared by its leading term only for a polynomial in "
                + String.join(", ", variables.keySet()));
        Poly lg = given.dominantTerms(dominance), lr = r.dominantTerms(dominance);
        String under = dominance.isEmpty() ? "" : " when " + String.join(" ≫ ", dominance);
        if (lg.equals(lr))
            return verdict(Verdict.Outcome.CORRECT, Lexer.shown(f.source()), null, null,
                    what + ": correct: the leading term of " + rightText() + under + " is " + lr.format("", order()) + " (" + o.symbol() + " compares leading terms)");
        return verdict(Verdict.Outcome.NOT_CORRECT, Lexer.shown(f.source()), null, null,
                what + ": not correct: the leading term of " + rightText() + under + " is " + lr.format("", order()) + ", not " + lg.format("", order()));
    }

    private record FormulaView(Formula formula, Formula.Node node) {}

    private Poly polyOf(FormulaView v) {
        Formula sub = v.node() == v.formula().root() ? v.formula() : Formula.ofNode(v.formula().source(), v.node());
        Poly p = sub.poly(units);
        return p == null ? null : p.renamed(alias);
    }

    private boolean identical(Formula f, Formula r, Poly rPoly) {
        Poly pf = polyOf(new FormulaView(f, f.root()));
        Poly pr = rPoly != null ? rPoly : polyOf(new FormulaView(r, r.root()));
        if (pf != null && pr != null) return pf.equals(pr);
        return counterexampleAgainst(f, r, rPoly) == null;
    }

    private Map<String, Rational> counterexample(Formula f) { return counterexampleAgainst(f, rightFormula, rightPoly); }

    /** A point where the two differ (the question's own point first, then random ones), or null. */
    private Map<String, Rational> counterexampleAgainst(Formula f, Formula r, Poly rPoly) {
        Random rnd = new Random(20261206L);
        List<Map<String, Rational>> points = new ArrayList<>();
        if (variables.values().stream().allMatch(v -> v.value() != null)) points.add(here());
        int tries = 0;
        while (points.size() < POINTS && tries++ < 50 * POINTS) {
            Map<String, Rational> p = new LinkedHashMap<>();
            for (Variable v : variables.values()) p.put(v.name(), Rational.of(v.min() + (long) (rnd.nextDouble() * (v.max() - v.min() + 1))));
            if (constraint.test(p)) points.add(p);
        }
        for (Map<String, Rational> p : points) {
            Rational want;
            try { want = rPoly != null ? rPoly.evaluate(integers(p)) : r.number(withAliases(p)); }
            catch (IllegalArgumentException undefined) { continue; }
            try {
                if (!f.number(withAliases(p)).equals(want)) return p;
            } catch (IllegalArgumentException e) {
                return p;
            }
        }
        return null;
    }

    private Map<String, BigInteger> integers(Map<String, Rational> p) {
        Map<String, BigInteger> m = new LinkedHashMap<>();
        p.forEach((k, v) -> m.put(k, v.numerator()));
        return m;
    }

    private Map<String, Rational> withAliases(Map<String, Rational> p) {
        Map<String, Rational> m = new LinkedHashMap<>();
        alias.forEach((a, canonical) -> {
            if (units.contains(a)) m.put(a, Rational.ONE);
            else if (p.containsKey(canonical)) m.put(a, p.get(canonical));
        });
        return m;
    }

    private Map<String, Rational> here() {
        Map<String, Rational> p = new LinkedHashMap<>();
        for (Variable v : variables.values()) if (v.value() != null) p.put(v.name(), v.value());
        return withAliases(p);
    }

    private String hereText(Set<String> used) {
        StringJoiner j = new StringJoiner(", ");
        Map<String, Rational> h = here();
        for (String n : used) if (h.containsKey(n) && !units.contains(n)) j.add(n + " = " + h.get(n));
        return j.toString();
    }

    private String text(Map<String, Rational> p) {
        StringJoiner j = new StringJoiner(", ");
        p.forEach((k, v) -> { if (variables.containsKey(k)) j.add(k + " = " + v); });
        return j.toString();
    }

    private String valueOrError(Formula f, Map<String, Rational> p) {
        try { return f.number(withAliases(p)).toString(); } catch (IllegalArgumentException e) { return "no value (" + e.getMessage() + ")"; }
    }

    private String rightValue(Map<String, Rational> p) {
        return rightPoly != null ? rightPoly.evaluate(integers(p)).toString() : rightFormula.number(withAliases(p)).toString();
    }

    private String rightText() {
        return rightPoly != null ? rightPoly.format("", order()) : Lexer.shown(rightFormula.source());
    }

    /** A number in a message: whole up to 100 characters, else its first digits and its length. */
    static String big(Rational r) {
        String t = r.toString();
        return t.length() <= 100 ? t : t.substring(0, 40) + "…(" + t.length() + " characters)";
    }

    private List<String> order() { return new ArrayList<>(variables.keySet()); }

    private String valueHere(Formula f) {
        if (right == null || !variables.values().stream().allMatch(v -> v.value() != null)) return "";
        return " (" + right + " here)";
    }

    private Verdict verdict(Verdict.Outcome o, String given, String convention, String diagnosis, String first, String... more) {
        List<String> lines = new ArrayList<>();
        lines.add(first);
        lines.addAll(List.of(more));
        String r = right != null ? right.toString() : rightText();
        return new Verdict(o, what, given, r, convention, diagnosis, lines);
    }
}
