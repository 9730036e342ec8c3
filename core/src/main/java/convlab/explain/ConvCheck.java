package convlab.explain;

import convlab.geometry.PaddingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Checks a given answer to a convolution against the exact result: which entries differ, the correct
 * working for them, and which common mistake (if any) reproduces the given answer exactly: kernel not
 * flipped / flipped, bias forgotten, padding ignored or of the wrong mode, stride/dilation/output
 * padding ignored, rows and columns swapped, every sign wrong, or an output size off by one.
 */
public final class ConvCheck {
    private ConvCheck() {}

    /** One wrong entry. */
    public record Mismatch(int[] index, Rational given, Rational correct, String working, List<String> explainedBy) {}

    /**
     * @param mismatches wrong entries (empty when the shapes differ)
     * @param diagnoses  mistakes that reproduce the whole given answer
     */
    public record Verdict(boolean correct, String summary, List<String> diagnoses, List<Mismatch> mismatches) {
        public Worksheet worksheet() {
            Worksheet ws = new Worksheet().heading(correct ? "Check: correct" : "Check: not correct");
            ws.verdict(correct, summary);
            for (String d : diagnoses) ws.text("diagnosis: " + d);
            for (Mismatch m : mismatches) {
                ws.text("y" + ConvExplain.index(m.index()) + ": given " + m.given() + ", correct " + m.correct()
                        + " (difference " + m.given().subtract(m.correct()) + ")"
                        + (m.explainedBy().isEmpty() ? "" : "; the given value is what you get with: " + String.join(", ", m.explainedBy())));
                ws.text("  correct working: " + m.working());
            }
            return ws;
        }
    }

    public static Verdict check(ExactArray input, ExactArray kernel, ConvSpec spec, Answer given) {
        ExactConv.Result right = ExactConv.compute(input, kernel, spec);
        ExactArray out = right.output();
        Map<String, ExactArray> mistakes = mistakes(input, kernel, spec, out);
        switch (given.kind()) {
            case SHAPE -> {
                int[] g = given.shape();
                boolean ok = sameShape(g, out.shape());
                return new Verdict(ok, ok ? "the output shape " + out.shapeText() + " is right"
                        : "the output shape is " + out.shapeText() + ", not " + shapeText(g), ok ? List.of() : sizeDiagnoses(g, out, spec, right, mistakes), List.of());
            }
            case NUMBER -> {
                if (out.size() != 1)
                    return new Verdict(false, "the output is a " + out.shapeText() + " array, but a single number " + given.number() + " was given", List.of(), List.of());
                given = new Answer(Answer.Kind.MATRIX, new ExactArray(out.shape(), new Rational[] {given.number()}), null, null, given.source());
            }
            case MATRIX -> { }
        }
        ExactArray g = given.matrix();
        if (!sameShape(g.shape(), out.shape()))
            return new Verdict(false, "the given answer is " + g.shapeText() + " but the output is " + out.shapeText(),
                    sizeDiagnoses(g.shape(), out, spec, right, mistakes, g), List.of());
        List<String> wholeAnswer = new ArrayList<>();
        for (var m : mistakes.entrySet()) if (sameValues(m.getValue(), g)) wholeAnswer.add(m.getKey());
        List<Mismatch> wrong = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            if (g.flat(i).equals(out.flat(i))) continue;
            ExactConv.Entry e = right.entries().get(i);
            List<String> explainedBy = new ArrayList<>();
            for (var m : mistakes.entrySet())
                if (wholeAnswer.isEmpty() && m.getValue().size() == out.size() && sameShape(m.getValue().shape(), out.shape()) && m.getValue().flat(i).equals(g.flat(i)))
                    explainedBy.add(m.getKey());
            wrong.add(new Mismatch(e.index(), g.flat(i), out.flat(i), ConvExplain.entryText(e), explainedBy));
        }
        if (wrong.isEmpty()) return new Verdict(true, "all " + out.size() + " entries are right", List.of(), List.of());
        return new Verdict(false, wrong.size() + " of " + out.size() + " entries are wrong", wholeAnswer, wrong);
    }

    /** The results of the common mistakes, by name (only those that differ from the right answer). */
    static Map<String, ExactArray> mistakes(ExactArray input, ExactArray kernel, ConvSpec spec, ExactArray right) {
        Map<String, UnaryOperator<ConvSpec>> single = new LinkedHashMap<>();
        if (!spec.transpose()) {
            single.put(spec.flip() ? "kernel not flipped (computed cross-correlation instead of convolution)"
                    : "kernel flipped (computed true convolution, but this is cross-correlation)", s -> s.withFlip(!s.flip()));
        }
        if (spec.bias() != null && !spec.bias().isZero()) single.put("bias forgotten", s -> s.withBias(null));
        boolean padded = spec.padding()[0] + spec.padding()[1] > 0;
        if (padded) single.put("padding ignored", s -> s.withPadding(0, 0).withMode(PaddingMode.ZEROS));
        if (padded && !spec.transpose())
            for (PaddingMode m : PaddingMode.values())
                if (m != spec.mode()) single.put(m.torchName() + " padding used instead of " + spec.mode().torchName(), s -> s.withMode(m));
        if (spec.stride()[0] * spec.stride()[1] > 1) single.put("stride ignored (used stride 1)", s -> s.withStride(1, 1).withOutputPadding(0, 0));
        if (spec.dilation()[0] * spec.dilation()[1] > 1) single.put("dilation ignored", s -> s.withDilation(1, 1));
        if (spec.transpose() && spec.outputPadding()[0] + spec.outputPadding()[1] > 0) single.put("output padding ignored", s -> s.withOutputPadding(0, 0));

        Map<String, ExactArray> results = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(single.keySet());
        for (String name : names) tryAdd(results, name, input, kernel, single.get(name).apply(spec), right);
        for (int i = 0; i < names.size(); i++)
            for (int j = i + 1; j < names.size(); j++)  // two mistakes at once (e.g. not flipped and no padding)
                tryAdd(results, names.get(i) + " and " + names.get(j), input, kernel, single.get(names.get(j)).apply(single.get(names.get(i)).apply(spec)), right);
        if (right.rank() == 2 && right.dim(0) > 1 && right.dim(1) > 1 && !results.containsValue(right.transpose()))
            results.putIfAbsent("rows and columns swapped (the output transposed)", right.transpose());
        if (!results.containsValue(right.negate())) results.putIfAbsent("sign error (every entry has the wrong sign)", right.negate());
        results.values().removeIf(v -> v.equals(right));
        return results;
    }

    private static void tryAdd(Map<String, ExactArray> into, String name, ExactArray input, ExactArray kernel, ConvSpec spec, ExactArray right) {
        try {
            ExactArray result = ExactConv.apply(input, kernel, spec);
            // The same numbers from a simpler mistake already listed: keep the simpler explanation.
            if (!result.equals(right) && !into.containsValue(result)) into.putIfAbsent(name, result);
        } catch (IllegalArgumentException impossible) { /* this mistake gives no output for these sizes */ }
    }

    private static List<String> sizeDiagnoses(int[] given, ExactArray out, ConvSpec spec, ExactConv.Result right, Map<String, ExactArray> mistakes) {
        return sizeDiagnoses(given, out, spec, right, mistakes, null);
    }

    private static List<String> sizeDiagnoses(int[] given, ExactArray out, ConvSpec spec, ExactConv.Result right,
                                              Map<String, ExactArray> mistakes, ExactArray givenValues) {
        List<String> d = new ArrayList<>();
        for (var m : mistakes.entrySet()) {
            boolean match = givenValues != null ? sameValues(m.getValue(), givenValues) : sameShape(m.getValue().shape(), given);
            if (match && !sameShape(m.getValue().shape(), out.shape())) d.add(m.getKey() + (givenValues == null ? " (gives that shape)" : ""));
        }
        int[] o = out.shape();
        int[] g = squeezeOnes(given);
        int[] os = squeezeOnes(o);
        if (g.length == os.length) {
            int[] axes = spec.oneD() ? new int[] {1} : new int[] {0, 1};
            for (int k = 0; k < g.length; k++) {
                if (Math.abs(g[k] - os[k]) != 1) continue;
                int a = axes[Math.min(k, axes.length - 1)];
                d.add("off by one in the " + spec.axisName(a) + ": " + spec.sizeFormula(a, right.input().dim(a + 1), right.kernel().dim(a + 1)) + ", not " + g[k]);
            }
        }
        return d;
    }

    static boolean sameShape(int[] a, int[] b) { return Arrays.equals(squeezeOnes(a), squeezeOnes(b)); }

    /** Same values in the same layout (a 1×n row and an n-sequence count as the same). */
    static boolean sameValues(ExactArray a, ExactArray b) {
        if (!sameShape(a.shape(), b.shape())) return false;
        for (int i = 0; i < a.size(); i++) if (!a.flat(i).equals(b.flat(i))) return false;
        return true;
    }

    private static int[] squeezeOnes(int[] s) {
        int[] r = Arrays.stream(s).filter(d -> d != 1).toArray();
        return r.length == 0 ? new int[] {1} : r;
    }

    private static String shapeText(int[] s) {
        return String.join("×", Arrays.stream(s).mapToObj(String::valueOf).toList());
    }
}
