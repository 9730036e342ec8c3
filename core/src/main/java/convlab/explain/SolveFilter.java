package convlab.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Recovers an unknown kernel from an input and the output it produced. The output is linear in the
 * kernel, so each output entry is one linear equation in the kernel entries; its coefficients are the
 * outputs of the same convolution run with a unit kernel per unknown (so "what the convolution means"
 * stays defined once, in {@link ExactConv}).
 */
public final class SolveFilter {
    private SolveFilter() {}

    /**
     * @param names     the unknowns, "w[0,0]", ...
     * @param equations one line per output entry, e.g. "y[0,0]: 1·w[0,0] + 2·w[0,1] = 5"
     */
    public record Result(int[] kernelShape, List<String> names, List<String> equations, LinearSystem.Solution solution) {
        /** The unique kernel (or the member of the family with all free parameters 0). */
        public ExactArray kernel() {
            return solution.particular() == null ? null : new ExactArray(kernelShape, solution.particular());
        }

        /** Whether the given kernel solves every equation. */
        public boolean satisfiedBy(Rational[][] a, Rational[] b, ExactArray k) {
            for (int r = 0; r < a.length; r++) {
                Rational s = Rational.ZERO;
                for (int c = 0; c < a[r].length; c++) s = s.add(a[r][c].multiply(k.flat(c)));
                if (!s.equals(b[r])) return false;
            }
            return true;
        }

        /** Each unknown in terms of the free parameters t1, t2, ...: "w[0,1] = 3 - 2·t1". */
        public List<String> familyLines() {
            List<String> lines = new ArrayList<>();
            LinearSystem.Solution s = solution;
            for (int c = 0; c < names.size(); c++) {
                StringBuilder sb = new StringBuilder(names.get(c)).append(" = ");
                String expr = s.particular()[c].isZero() ? "" : s.particular()[c].toString();
                for (int f = 0; f < s.free().length; f++) {
                    Rational coef = s.directions().get(f)[c];
                    if (coef.isZero()) continue;
                    String term = (coef.abs().equals(Rational.ONE) ? "" : Render.factor(coef.abs()) + "·") + "t" + (f + 1);
                    expr = expr.isEmpty() ? (coef.signum() < 0 ? "-" : "") + term : expr + (coef.signum() < 0 ? " - " : " + ") + term;
                }
                lines.add(sb.append(expr.isEmpty() ? "0" : expr).toString());
            }
            return lines;
        }
    }

    /** The coefficient matrix and right-hand side, for checking a kernel against the equations. */
    public record Equations(Rational[][] a, Rational[] b) {}

    /** Limits (docs/RELIABILITY.md): exact elimination grows with unknowns² × equations and the size of the fractions. */
    public static final int MAX_UNKNOWNS = 100, MAX_EQUATIONS = 2_500;

    public static Equations equations(ExactArray input, ExactArray output, int[] kernelShape, ConvSpec spec) {
        long exact = 1;
        for (int d : kernelShape) {
            if (d < 1) throw new IllegalArgumentException("the kernel size must be at least 1, got " + shapeText(kernelShape));
            exact = Math.min(Long.MAX_VALUE / 2, exact * Math.min(d, 1L << 31));
        }
        if (exact > MAX_UNKNOWNS)
            throw new IllegalArgumentException("a " + shapeText(kernelShape) + " kernel has " + exact + " unknowns; solve-filter solves "
                    + "exactly and takes at most " + MAX_UNKNOWNS + " (e.g. 8×8)");
        if (output.size() > MAX_EQUATIONS)
            throw new IllegalArgumentException("the output has " + output.size() + " entries, so " + output.size()
                    + " equations; solve-filter takes at most " + MAX_EQUATIONS);
        int unknowns = (int) exact;
        ExactArray[] columns = new ExactArray[unknowns];
        for (int u = 0; u < unknowns; u++) {
            Rational[] unit = new Rational[unknowns];
            java.util.Arrays.fill(unit, Rational.ZERO);
            unit[u] = Rational.ONE;
            columns[u] = ExactConv.apply(input, new ExactArray(kernelShape, unit), spec.withBias(null));
        }
        ExactArray shapeRef = columns[0];
        if (!ConvCheck.sameShape(shapeRef.shape(), output.shape()))
            throw new IllegalArgumentException("a " + shapeText(kernelShape) + " kernel with these settings gives a " + shapeRef.shapeText()
                    + " output, but the given output is " + output.shapeText());
        Rational bias = spec.bias() == null ? Rational.ZERO : spec.bias();
        Rational[][] a = new Rational[output.size()][unknowns];
        Rational[] b = new Rational[output.size()];
        for (int r = 0; r < output.size(); r++) {
            for (int u = 0; u < unknowns; u++) a[r][u] = columns[u].flat(r);
            b[r] = output.flat(r).subtract(bias);
        }
        return new Equations(a, b);
    }

    public static Result solve(ExactArray input, ExactArray output, int[] kernelShape, ConvSpec spec) {
        Equations sys = equations(input, output, kernelShape, spec);
        List<String> names = new ArrayList<>();
        int channels = kernelShape.length == 3 ? kernelShape[0] : 1;
        int kh = kernelShape.length == 1 ? 1 : kernelShape[kernelShape.length - 2], kw = kernelShape[kernelShape.length - 1];
        for (int c = 0; c < channels; c++)
            for (int i = 0; i < kh; i++)
                for (int j = 0; j < kw; j++) names.add(ExactConv.name("w", spec, channels, c, i, j));
        List<String> equations = new ArrayList<>();
        for (int r = 0; r < sys.a().length; r++) {
            StringJoiner lhs = new StringJoiner(" + ");
            for (int u = 0; u < names.size(); u++) {
                Rational c = sys.a()[r][u];
                if (!c.isZero()) lhs.add((c.equals(Rational.ONE) ? "" : Render.factor(c) + "·") + names.get(u));
            }
            equations.add("y" + ConvExplain.index(unflatten(r, output.shape())) + ": " + (lhs.length() == 0 ? "0" : lhs.toString())
                    + (spec.bias() == null ? "" : " + bias " + Render.factor(spec.bias())) + " = " + output.flat(r));
        }
        return new Result(kernelShape, names, equations, LinearSystem.solve(sys.a(), sys.b()));
    }

    /**
     * The verdict on a kernel somebody proposes: correct when it produces the given output (the unique kernel, or
     * one member of a family); when not, the diagnosis names a kernel given for the other convention (its 180°
     * rotation is a solution), or null.
     */
    public record Check(boolean correct, String verdict, String diagnosis) {}

    /** Checks a proposed kernel (an answer: a matrix with one entry per unknown) against input and output. */
    public static Check check(ExactArray input, ExactArray output, int[] kernelShape, ConvSpec spec, Result r, Answer answer) {
        ExactArray given = answer.matrix();
        if (given == null || given.size() != r.names().size())
            throw new IllegalArgumentException("the answer must be a kernel with " + r.names().size() + " entries");
        Equations sys = equations(input, output, kernelShape, spec);
        LinearSystem.Kind kind = r.solution().kind();
        boolean ok = r.satisfiedBy(sys.a(), sys.b(), given.reshape(kernelShape));
        String verdict = ok ? (kind == LinearSystem.Kind.UNIQUE ? "correct: it is the unique kernel" : "correct: it solves every equation (one member of the family)")
                : "not correct: it does not produce the given output" + (kind == LinearSystem.Kind.NONE ? " (no kernel does)" : "");
        String diagnosis = null;
        if (!ok && !spec.transpose()) {
            ExactArray flipped = ExactConv.flip(given.reshape(kernelShape).asChannels()).reshape(kernelShape);
            if (r.satisfiedBy(sys.a(), sys.b(), flipped))
                diagnosis = "the given kernel flipped (rotated 180°) is a solution: it was given for " + (spec.flip() ? "cross-correlation" : "true convolution");
        }
        return new Check(ok, verdict, diagnosis);
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
