package convlab.explain;

import convlab.OptionNames;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import convlab.explain.LeastSquaresOptimize.Limit;
import convlab.explain.LeastSquaresOptimize.Method;
import convlab.explain.LeastSquaresOptimize.Problem;
import convlab.explain.LeastSquaresOptimize.Settings;
import convlab.explain.LeastSquaresOptimize.Verdict;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * What `convlab optimize` shows: the conventions, the exact iterates, the limit with its reason, and the
 * verdict on a given answer, as a {@link Worksheet} and as JSON. exit: 0, or with a check 0 correct / 1 not.
 */
public record OptimizeReport(Worksheet worksheet, JsonObject json, int exit) {

    /**
     * @param steps  how many exact iterates to show (null: none)
     * @param limit  whether to give the limit (also given when steps is null)
     * @param answer an answer to check (null: none): against the limit when it is given, else against θ_steps
     */
    public static OptimizeReport of(Problem p, Settings s, Rational[] theta0, Integer steps, boolean limit, String answer) {
        boolean showLimit = limit || steps == null;
        Worksheet ws = new Worksheet();
        JsonObject j = new JsonObject();
        List<String> conventions = conventions(p, s, theta0);
        ws.heading(s.method().label() + " on least squares: " + p.n() + " example(s), " + p.d() + " parameter(s)");
        conventions.forEach(ws::text);
        JsonArray conv = new JsonArray();
        conventions.forEach(conv::add);
        j.addProperty("method", s.method().label());
        j.add("conventions", conv);

        List<List<ExactReal>> iterates = null;
        if (steps != null) {
            iterates = LeastSquaresOptimize.exactSteps(p, s, theta0, steps);
            ws.heading("Iterates (exact)");
            JsonArray exact = new JsonArray(), dec = new JsonArray();
            for (int t = 0; t < iterates.size(); t++) {
                List<ExactReal> th = iterates.get(t);
                ws.text("θ" + t + " = [" + String.join(", ", th.stream().map(ExactReal::show).toList()) + "]");
                if (th.stream().anyMatch(v -> v.rational() == null || !v.rational().isInteger()))
                    ws.text("   ≈ [" + String.join(", ", th.stream().map(v -> v.decimal(10)).toList()) + "]");
                JsonArray e = new JsonArray(), d = new JsonArray();
                for (ExactReal v : th) { e.add(json(v)); d.add(v.toDouble()); }
                exact.add(e);
                dec.add(d);
            }
            j.add("iterates", exact);
            j.add("iterates_decimal", dec);
        }

        Limit lim = null;
        if (showLimit) {
            lim = LeastSquaresOptimize.limit(p, s, theta0);
            if (lim.diverged())
                throw new IllegalArgumentException("no limit: with lr = " + s.lr() + " " + s.method().label() + " diverges (|θ| passes 1e100 after "
                        + lim.numericSteps() + " steps); try a smaller " + OptionNames.of("lr"));
            ws.heading("Limit");
            JsonObject l = new JsonObject();
            if (lim.closed() != null) {
                ws.text("θ* = [" + LeastSquaresOptimize.join(lim.closed()) + "]");
                ws.text("   ≈ [" + LeastSquaresOptimize.decimals(lim.closed()) + "]");
                JsonArray c = new JsonArray();
                for (Rational r : lim.closed()) c.add(Render.json(r));
                l.add("theta", c);
            } else {
                l.add("theta", com.google.gson.JsonNull.INSTANCE);
            }
            ws.text("why: " + lim.reason());
            String numeric = "numerically (double precision, same rules): after " + lim.numericSteps() + " steps θ ≈ [" + doubles(lim.numeric()) + "] ("
                    + (lim.converged() ? "stopped moving" : "still moving") + ")";
            ws.text(numeric);
            l.addProperty("reason", lim.reason());
            JsonArray nd = new JsonArray();
            for (double v : lim.numeric()) nd.add(v);
            l.add("numeric", nd);
            l.addProperty("numeric_steps", lim.numericSteps());
            l.addProperty("numeric_converged", lim.converged());
            j.add("limit", l);
        }

        int exit = 0;
        if (answer != null) {
            Rational[] given = answerVector(answer);
            Rational[] expected;
            String what;
            boolean numericOnly = lim != null && lim.closed() == null;
            if (lim != null) {
                expected = lim.closed() != null ? lim.closed() : exactDoubles(lim.numeric());
                what = lim.closed() != null ? "the limit θ*" : "where the iterates go (numerically)";
            } else {
                List<ExactReal> last = iterates.getLast();
                expected = new Rational[last.size()];
                for (int k = 0; k < expected.length; k++)
                    expected[k] = last.get(k).rational() != null ? last.get(k).rational() : exact(last.get(k).value());
                what = "θ" + steps;
            }
            Verdict v = LeastSquaresOptimize.check(p, expected, given, what, numericOnly);
            ws.heading("Check");
            v.lines().forEach(ws::text);
            JsonObject c = new JsonObject();
            c.addProperty("correct", v.correct());
            JsonArray lines = new JsonArray();
            v.lines().forEach(lines::add);
            c.add("lines", lines);
            j.add("check", c);
            exit = v.correct() ? 0 : 1;
        }
        return new OptimizeReport(ws, j, exit);
    }

    /** The answer as a vector: a matrix/sequence answer's entries, or one number. */
    static Rational[] answerVector(String answer) {
        Answer a = Answer.parse(answer);
        return switch (a.kind()) {
            case MATRIX -> {
                Rational[] v = new Rational[a.matrix().size()];
                for (int k = 0; k < v.length; k++) v[k] = a.matrix().flat(k);
                yield v;
            }
            case NUMBER -> new Rational[] {a.number()};
            case SHAPE -> throw new IllegalArgumentException(OptionNames.of("check", "the answer") + " expects a vector such as \"[1, 0.1, 0.01]\", got the shape '" + answer + "'");
        };
    }

    static List<String> conventions(Problem p, Settings s, Rational[] theta0) {
        List<String> out = new ArrayList<>();
        boolean mean = s.loss() == LeastSquaresOptimize.Loss.MEAN;
        out.add(mean ? "loss L(θ) = (1/n)·Σ_i (x_i·θ − y_i)² with n = " + p.n() + " (mean of squared errors, no ½); ∇L = (2/n)·Xᵀ(Xθ − y)"
                : "loss L(θ) = Σ_i (x_i·θ − y_i)² (sum of squared errors, no ½); ∇L = 2·Xᵀ(Xθ − y)");
        out.add("every step uses all examples (full batch); θ0 = [" + LeastSquaresOptimize.join(theta0) + "]; g = ∇L at the current θ; rules per coordinate");
        String lr = "lr = " + s.lr();
        String eps = "ε = " + s.eps() + (s.eps().isZero() ? " (PyTorch's default is " + (s.method() == Method.ADAGRAD ? "1e-10" : "1e-8") + "; " + OptionNames.of("eps") + " sets it)" : "");
        out.add(switch (s.method()) {
            case SGD -> s.preconditioner() == null ? "sgd (gradient descent): θ ← θ − lr·g; " + lr
                    : "preconditioned gradient descent: θ ← θ − lr·M·g, M = diag(" + LeastSquaresOptimize.join(s.preconditioner()) + "); " + lr;
            case MOMENTUM -> "momentum (torch.optim.SGD, dampening 0): b ← μ·b + " + pg(s) + " (b = " + pg(s) + " at step 1), θ ← θ − lr·b; " + lr + ", μ = " + s.momentum() + precondNote(s);
            case NESTEROV -> "nesterov (torch.optim.SGD, nesterov=True): b ← μ·b + " + pg(s) + " (b = " + pg(s) + " at step 1), θ ← θ − lr·(" + pg(s) + " + μ·b); " + lr + ", μ = " + s.momentum() + precondNote(s);
            case ADAGRAD -> "adagrad (torch.optim.Adagrad): s ← s + g² (s starts at 0), θ ← θ − lr·g/(√s + ε); " + lr + ", " + eps + ", no lr decay";
            case RMSPROP -> "rmsprop (torch.optim.RMSprop): s ← α·s + (1 − α)·g² (s starts at 0), θ ← θ − lr·g/(√s + ε); " + lr + ", α = " + s.alpha() + ", " + eps;
            case ADAM -> "adam (torch.optim.Adam): m ← β1·m + (1 − β1)·g, v ← β2·v + (1 − β2)·g², θ ← θ − lr/(1 − β1ᵗ)·m/(√v/√(1 − β2ᵗ) + ε); "
                    + lr + ", β1 = " + s.beta1() + ", β2 = " + s.beta2() + ", " + eps;
            case SIGNSGD -> "signsgd: θ ← θ − lr·sign(g), sign(0) = 0; " + lr;
        });
        if (s.method() == Method.ADAGRAD || s.method() == Method.RMSPROP || s.method() == Method.ADAM)
            out.add("a coordinate whose gradient has been 0 so far does not move (0/0 taken as 0)");
        return out;
    }

    private static String pg(Settings s) { return s.preconditioner() == null ? "g" : "M·g"; }

    private static String precondNote(Settings s) {
        return s.preconditioner() == null ? "" : ", M = diag(" + LeastSquaresOptimize.join(s.preconditioner()) + ")";
    }

    private static JsonElement json(ExactReal v) {
        if (v.rational() != null) return Render.json(v.rational());
        return new JsonPrimitive(v.text() != null ? v.text() : v.decimal(20));
    }

    private static String doubles(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (double d : v) sb.append(sb.isEmpty() ? "" : ", ").append(ExactReal.of(exact(d)).decimal(10));
        return sb.toString();
    }

    private static Rational exact(double d) { return exact(new BigDecimal(d)); }

    private static Rational exact(BigDecimal b) {
        return b.scale() <= 0 ? Rational.of(b.toBigIntegerExact(), java.math.BigInteger.ONE)
                : Rational.of(b.unscaledValue(), java.math.BigInteger.TEN.pow(b.scale()));
    }

    private static Rational[] exactDoubles(double[] v) {
        Rational[] r = new Rational[v.length];
        for (int k = 0; k < v.length; k++) r[k] = exact(v[k]);
        return r;
    }
}
