package convlab.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a given answer (read by {@link Answer#parse}, the entry point `conv --expect` uses) against an
 * exact array: which entries differ, the correct working of each, and which named mistake reproduces
 * the whole answer. Used by the gradient calculators; the verdict has {@link ConvCheck}'s form.
 */
public final class ArrayCheck {
    private ArrayCheck() {}

    /**
     * @param name     what is checked ("dX"), used in the text
     * @param correct  the right array
     * @param working  the correct working of each entry (flat order), or null
     * @param mistakes results of named mistakes (entries equal to the right answer are ignored)
     */
    public static ConvCheck.Verdict check(String name, ExactArray correct, List<String> working, Map<String, ExactArray> mistakes, Answer given) {
        ExactArray g;
        switch (given.kind()) {
            case SHAPE -> {
                boolean ok = ConvCheck.sameShape(given.shape(), correct.shape());
                return new ConvCheck.Verdict(ok, ok ? "the shape " + correct.shapeText() + " of " + name + " is right"
                        : name + " is " + correct.shapeText() + ", not " + shapeText(given.shape()) + " (a gradient has the shape of what it is taken with respect to)",
                        List.of(), List.of());
            }
            case NUMBER -> {
                if (correct.size() != 1)
                    return new ConvCheck.Verdict(false, name + " is a " + correct.shapeText() + " array, but a single number " + given.number() + " was given", List.of(), List.of());
                g = new ExactArray(correct.shape(), new Rational[] {given.number()});
            }
            default -> g = given.matrix();
        }
        List<String> whole = new ArrayList<>();
        for (var m : mistakes.entrySet())
            if (!ConvCheck.sameValues(m.getValue(), correct) && ConvCheck.sameValues(m.getValue(), g)) whole.add(m.getKey());
        if (!ConvCheck.sameShape(g.shape(), correct.shape()))
            return new ConvCheck.Verdict(false, "the given answer is " + g.shapeText() + " but " + name + " is " + correct.shapeText()
                    + " (a gradient has the shape of what it is taken with respect to)", whole, List.of());
        List<ConvCheck.Mismatch> wrong = new ArrayList<>();
        int[] shape = correct.shape();
        for (int i = 0; i < correct.size(); i++) {
            if (g.flat(i).equals(correct.flat(i))) continue;
            List<String> by = new ArrayList<>();
            if (whole.isEmpty())
                for (var m : mistakes.entrySet())
                    if (ConvCheck.sameShape(m.getValue().shape(), shape) && !ConvCheck.sameValues(m.getValue(), correct)
                            && m.getValue().flat(i).equals(g.flat(i))) by.add(m.getKey());
            wrong.add(new ConvCheck.Mismatch(unflatten(i, shape), g.flat(i), correct.flat(i), working == null ? "" : working.get(i), by));
        }
        if (wrong.isEmpty()) return new ConvCheck.Verdict(true, "all " + correct.size() + " entries of " + name + " are right", List.of(), List.of());
        return new ConvCheck.Verdict(false, wrong.size() + " of " + correct.size() + " entries of " + name + " are wrong", whole, wrong);
    }

    /** The verdict as text, entries named after what was checked ("dX[0,1]: given 3, correct 4"). */
    public static Worksheet worksheet(String name, ConvCheck.Verdict v) {
        Worksheet ws = new Worksheet().heading((v.correct() ? "Check of " + name + ": correct" : "Check of " + name + ": not correct"));
        ws.text(v.summary());
        for (String d : v.diagnoses()) ws.text("diagnosis: " + d);
        for (ConvCheck.Mismatch m : v.mismatches()) {
            ws.text(name + ConvExplain.index(m.index()) + ": given " + m.given() + ", correct " + m.correct()
                    + " (difference " + m.given().subtract(m.correct()) + ")"
                    + (m.explainedBy().isEmpty() ? "" : "; the given value is what you get with: " + String.join(", ", m.explainedBy())));
            if (!m.working().isEmpty()) ws.text("  correct working: " + m.working());
        }
        return ws;
    }

    static int[] unflatten(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int a = shape.length - 1; a >= 0; a--) { idx[a] = flat % shape[a]; flat /= shape[a]; }
        return idx;
    }

    private static String shapeText(int[] s) {
        return String.join("×", java.util.Arrays.stream(s).mapToObj(String::valueOf).toList());
    }
}
