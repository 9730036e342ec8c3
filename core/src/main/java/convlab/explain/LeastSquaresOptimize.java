package convlab.explain;

import convlab.OptionNames;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Optimizer dynamics on a small least-squares problem, exactly: the loss is the mean (or sum) of squared
 * errors (x_i·θ − y_i)² over the examples, every step uses all of them (full batch), and each method follows
 * the update rule of the library's optimizer of the same name (PyTorch's rules, see docs/OPTIMIZERS.md),
 * optionally with a fixed diagonal preconditioner M for the gradient methods (θ ← θ − lr·M·∇L).
 *
 * <p>The same rules run in two arithmetics: exact ({@link ExactReal}: fractions, and square-root expressions
 * for the adaptive methods) for the printed iterates, and double precision for long runs that show where the
 * iterates go. {@link #limit} gives the closed-form limit where one exists, with the reason.
 */
public final class LeastSquaresOptimize {
    private LeastSquaresOptimize() {}

    /** Largest problem accepted (examples × parameters) and most exact steps printed. */
    public static final int MAX_ENTRIES = 10_000, MAX_STEPS = 1_000;

    public enum Method {
        SGD, MOMENTUM, NESTEROV, ADAGRAD, RMSPROP, ADAM, SIGNSGD;

        public static Method parse(String s) {
            for (Method m : values()) if (m.name().equalsIgnoreCase(s.strip())) return m;
            throw new IllegalArgumentException("unknown " + OptionNames.of("method") + " '" + s + "', expected one of: sgd, momentum, nesterov, adagrad, rmsprop, adam, signsgd");
        }

        public String label() { return name().toLowerCase(Locale.ROOT); }

        boolean gradientMethod() { return this == SGD || this == MOMENTUM || this == NESTEROV; }
    }

    public enum Loss { MEAN, SUM }

    /**
     * The method and its hyperparameters (all exact). momentum: heavy ball / Nesterov μ; beta1, beta2: Adam;
     * alpha: RMSprop's smoothing; eps: added to the square root (0 by default here, so limits are exact);
     * preconditioner: diagonal of M, or null.
     */
    public record Settings(Method method, Rational lr, Rational momentum, Rational beta1, Rational beta2, Rational alpha,
                           Rational eps, Loss loss, Rational[] preconditioner) {
        public Settings {
            if (lr.signum() <= 0) throw new IllegalArgumentException(OptionNames.of("lr") + " must be positive, got " + lr);
            if (momentum.signum() < 0 || momentum.compareTo(Rational.ONE) >= 0) throw new IllegalArgumentException(OptionNames.of("momentum") + " must be in [0, 1), got " + momentum);
            for (Rational b : new Rational[] {beta1, beta2, alpha})
                if (b.signum() < 0 || b.compareTo(Rational.ONE) >= 0) throw new IllegalArgumentException("betas and alpha must be in [0, 1), got " + b);
            if (eps.signum() < 0) throw new IllegalArgumentException(OptionNames.of("eps") + " must be >= 0, got " + eps);
            if (preconditioner != null && !method.gradientMethod())
                throw new IllegalArgumentException(OptionNames.of("preconditioner") + " applies to sgd, momentum and nesterov (the adaptive methods choose their own), not " + method.label());
            if (preconditioner != null) for (Rational m : preconditioner)
                if (m.signum() < 0) throw new IllegalArgumentException(OptionNames.of("preconditioner") + " entries must be >= 0 (a diagonal M that keeps descent directions), got " + m);
        }

        /** PyTorch's defaults for the other hyperparameters, eps 0. */
        public static Settings of(Method m, Rational lr, Loss loss, Rational[] preconditioner) {
            return new Settings(m, lr, Rational.of(9, 10), Rational.of(9, 10), Rational.of(999, 1000), Rational.of(99, 100), Rational.ZERO, loss, preconditioner);
        }
    }

    /** n examples (rows of x) with d features each, and their targets. */
    public record Problem(Rational[][] x, Rational[] y) {
        public int n() { return x.length; }
        public int d() { return x[0].length; }

        /** Features: one row per example, rows separated by ';' (any matrix syntax convlab reads); targets one per example. */
        public static Problem parse(String features, String targets) {
            ExactArray f = MatrixParser.parse(features), t = MatrixParser.parse(targets);
            if (f.rank() > 2) throw new IllegalArgumentException(OptionNames.of("features") + " must be a row or a matrix (one row per example), got " + f.rank() + " dimensions");
            if (t.rank() == 2 && t.dim(0) != 1 && t.dim(1) != 1) throw new IllegalArgumentException(OptionNames.of("targets") + " must be one number per example, got a " + t.shapeText() + " matrix");
            int n = f.rank() == 1 ? 1 : f.dim(0), d = f.rank() == 1 ? f.dim(0) : f.dim(1);
            if (n == 0 || d == 0) throw new IllegalArgumentException(OptionNames.of("features") + " is empty");
            if ((long) n * d > MAX_ENTRIES) throw new IllegalArgumentException(OptionNames.of("features") + " has " + n + "×" + d + " entries, at most " + MAX_ENTRIES + " are supported");
            if (t.size() != n)
                throw new IllegalArgumentException(OptionNames.of("features") + " has " + n + " example(s) (rows separated by ';') but " + OptionNames.of("targets") + " has " + t.size() + " value(s)");
            Rational[][] x = new Rational[n][d];
            Rational[] y = new Rational[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) x[i][j] = f.flat(i * d + j);
                y[i] = t.flat(i);
            }
            return new Problem(x, y);
        }
    }

    /** A vector given on the command line (start point, preconditioner) with d entries. */
    public static Rational[] vector(String text, int d, String option) {
        ExactArray a = MatrixParser.parse(text);
        if (a.size() != d) throw new IllegalArgumentException(option + " needs " + d + " value(s), one per feature, got " + a.size());
        Rational[] v = new Rational[d];
        for (int i = 0; i < d; i++) v[i] = a.flat(i);
        return v;
    }

    // ---- one set of update rules, two arithmetics ----

    /** The arithmetic the rules run in: exact or double. */
    public interface Field<T> {
        T of(Rational r);
        T add(T a, T b);
        T sub(T a, T b);
        T mul(T a, T b);
        /** a/b, with 0/0 = 0 (a coordinate that never had a gradient does not move). */
        T div(T a, T b);
        T sqrt(T a);
        int signum(T a);
    }

    public static final Field<ExactReal> EXACT = new Field<>() {
        public ExactReal of(Rational r) { return ExactReal.of(r); }
        public ExactReal add(ExactReal a, ExactReal b) { return a.add(b); }
        public ExactReal sub(ExactReal a, ExactReal b) { return a.subtract(b); }
        public ExactReal mul(ExactReal a, ExactReal b) { return a.multiply(b); }
        public ExactReal div(ExactReal a, ExactReal b) { return a.signum() == 0 && b.signum() == 0 ? ExactReal.ZERO : a.divide(b); }
        public ExactReal sqrt(ExactReal a) { return a.sqrt(); }
        public int signum(ExactReal a) { return a.signum(); }
    };

    public static final Field<Double> DOUBLE = new Field<>() {
        public Double of(Rational r) { return r.toDouble(); }
        public Double add(Double a, Double b) { return a + b; }
        public Double sub(Double a, Double b) { return a - b; }
        public Double mul(Double a, Double b) { return a * b; }
        public Double div(Double a, Double b) { return a == 0 && b == 0 ? 0.0 : a / b; }
        public Double sqrt(Double a) { return Math.sqrt(a); }
        public int signum(Double a) { return (int) Math.signum(a); }
    };

    /** A run of the method from θ0: call {@link #step()} repeatedly, read {@link #theta()}. */
    public static final class Run<T> {
        private final Problem p;
        private final Settings s;
        private final Field<T> f;
        private final List<T> theta, buf1, buf2;
        private final T lr, mu, b1, b2, alpha, eps, gradScale;
        private final List<T> precond, ys;
        private final List<List<T>> xs;
        private final T zero, one;
        /** sign(g) as a value of the field: signs[signum + 1] (made once: the numeric run takes up to 200,000 steps). */
        private final List<T> signs;
        private T pow1, pow2;   // β1ᵗ, β2ᵗ
        private int t;

        public Run(Problem p, Settings s, Rational[] theta0, Field<T> f) {
            this.p = p; this.s = s; this.f = f;
            int d = p.d();
            theta = new ArrayList<>();
            buf1 = new ArrayList<>();
            buf2 = new ArrayList<>();
            for (int j = 0; j < d; j++) { theta.add(f.of(theta0[j])); buf1.add(f.of(Rational.ZERO)); buf2.add(f.of(Rational.ZERO)); }
            lr = f.of(s.lr()); mu = f.of(s.momentum()); b1 = f.of(s.beta1()); b2 = f.of(s.beta2()); alpha = f.of(s.alpha()); eps = f.of(s.eps());
            gradScale = f.of(s.loss() == Loss.MEAN ? Rational.of(2, p.n()) : Rational.of(2));
            precond = s.preconditioner() == null ? null : Arrays.stream(s.preconditioner()).map(f::of).toList();
            xs = Arrays.stream(p.x()).map(row -> Arrays.stream(row).map(f::of).toList()).toList();
            ys = Arrays.stream(p.y()).map(f::of).toList();
            zero = f.of(Rational.ZERO);
            one = f.of(Rational.ONE);
            signs = List.of(f.of(Rational.of(-1)), zero, one);
            pow1 = pow2 = f.of(Rational.ONE);
        }

        public List<T> theta() { return List.copyOf(theta); }

        /** θ_j, without copying θ. */
        public T theta(int j) { return theta.get(j); }

        public int steps() { return t; }

        /** ∇L at the current θ: gradScale·Xᵀ(Xθ − y). */
        public List<T> gradient() {
            int n = p.n(), d = p.d();
            List<T> g = new ArrayList<>();
            for (int j = 0; j < d; j++) g.add(zero);
            for (int i = 0; i < n; i++) {
                T r = f.sub(dot(i), ys.get(i));
                for (int j = 0; j < d; j++) if (!p.x()[i][j].isZero()) g.set(j, f.add(g.get(j), f.mul(r, xs.get(i).get(j))));
            }
            for (int j = 0; j < d; j++) g.set(j, f.mul(gradScale, g.get(j)));
            return g;
        }

        private T dot(int i) {
            T acc = zero;
            for (int j = 0; j < p.d(); j++) if (!p.x()[i][j].isZero()) acc = f.add(acc, f.mul(xs.get(i).get(j), theta.get(j)));
            return acc;
        }

        public void step() {
            t++;
            List<T> g = gradient();
            pow1 = f.mul(pow1, b1);
            pow2 = f.mul(pow2, b2);
            for (int j = 0; j < p.d(); j++) {
                T gj = precond == null ? g.get(j) : f.mul(precond.get(j), g.get(j));
                T update = switch (s.method()) {
                    case SGD -> gj;
                    case MOMENTUM, NESTEROV -> {
                        T b = t == 1 ? gj : f.add(f.mul(mu, buf1.get(j)), gj);
                        buf1.set(j, b);
                        yield s.method() == Method.NESTEROV ? f.add(gj, f.mul(mu, b)) : b;
                    }
                    case ADAGRAD -> {
                        T acc = f.add(buf1.get(j), f.mul(gj, gj));
                        buf1.set(j, acc);
                        yield f.div(gj, f.add(f.sqrt(acc), eps));
                    }
                    case RMSPROP -> {
                        T acc = f.add(f.mul(alpha, buf1.get(j)), f.mul(f.sub(one, alpha), f.mul(gj, gj)));
                        buf1.set(j, acc);
                        yield f.div(gj, f.add(f.sqrt(acc), eps));
                    }
                    case ADAM -> {
                        T m = f.add(f.mul(b1, buf1.get(j)), f.mul(f.sub(one, b1), gj));
                        T v = f.add(f.mul(b2, buf2.get(j)), f.mul(f.sub(one, b2), f.mul(gj, gj)));
                        buf1.set(j, m);
                        buf2.set(j, v);
                        T bc1 = f.sub(one, pow1);
                        T bc2Sqrt = f.sqrt(f.sub(one, pow2));
                        yield f.div(f.div(m, bc1), f.add(f.div(f.sqrt(v), bc2Sqrt), eps));
                    }
                    case SIGNSGD -> signs.get(f.signum(gj) + 1);
                };
                theta.set(j, f.sub(theta.get(j), f.mul(lr, update)));
            }
        }

        /** The residuals x_i·θ − y_i. */
        public List<T> residuals() {
            List<T> r = new ArrayList<>();
            for (int i = 0; i < p.n(); i++) r.add(f.sub(dot(i), ys.get(i)));
            return r;
        }
    }

    /** θ0, θ1, …, θN exactly. */
    public static List<List<ExactReal>> exactSteps(Problem p, Settings s, Rational[] theta0, int steps) {
        if (steps < 0 || steps > MAX_STEPS) throw new IllegalArgumentException(OptionNames.of("steps") + " must be between 0 and " + MAX_STEPS + ", got " + steps);
        Run<ExactReal> run = new Run<>(p, s, theta0, EXACT);
        List<List<ExactReal>> out = new ArrayList<>();
        out.add(run.theta());
        for (int k = 0; k < steps; k++) { run.step(); out.add(run.theta()); }
        return out;
    }

    // ---- limits ----

    /**
     * Where the iterates go. closed: the exact limit (null when there is no closed form), reason: why;
     * numeric: the double-precision iterate after numericSteps steps, converged: whether they had stopped
     * moving (relative change below 1e-12), diverged: whether they blew up.
     */
    public record Limit(Rational[] closed, String reason, double[] numeric, int numericSteps, boolean converged, boolean diverged) {}

    /** The longest double-precision run (steps × examples × features). */
    static final long NUMERIC_BUDGET = 20_000_000L;

    public static Limit limit(Problem p, Settings s, Rational[] theta0) {
        Rational[] closed;
        String reason;
        Method m = s.method();
        if (m.gradientMethod()) {
            closed = closestSolution(p, s.preconditioner(), theta0);
            String what = m == Method.SGD ? "gradient descent" : m == Method.MOMENTUM ? "heavy-ball momentum" : "Nesterov momentum";
            reason = s.preconditioner() == null
                    ? "every " + what + " step adds a combination of the examples' feature rows (∇L = (2/n)·Xᵀr), so θ stays in θ0 + rowspace(X); "
                      + "the one least-squares solution there is the one closest to θ0: θ* = θ0 + X⁺(y − Xθ0) (pseudo-inverse"
                      + (isZero(theta0) ? "; from θ0 = 0 the minimum-norm solution X⁺y)" : ")")
                    : "every step adds M·Xᵀr with M = diag(" + join(s.preconditioner()) + "), so θ stays in θ0 + M·rowspace(X); the least-squares solution there "
                      + "is the one closest to θ0 in the M⁻¹-norm: θ* = θ0 + M·Xᵀ(X·M·Xᵀ)⁺(y − Xθ0)";
        } else if (p.n() == 1 && s.eps().isZero()) {
            Rational[] x = p.x()[0];
            Rational l1 = Rational.ZERO, r0 = p.y()[0];
            for (int j = 0; j < x.length; j++) { l1 = l1.add(x[j].abs()); r0 = r0.subtract(x[j].multiply(theta0[j])); }
            String moves = switch (m) {
                case SIGNSGD -> "sign(∇L) = sign(r)·sign(x)";
                case ADAGRAD -> "∇L = (2/n)·r·x, so g_j/√(Σ g_j²) = sign(x_j)·r_t/√(Σ_s r_s²)";
                case RMSPROP -> "∇L = (2/n)·r·x, so g_j/√(EMA of g_j²) = sign(x_j)·r_t/√(EMA of r²)";
                default -> "∇L = (2/n)·r·x, so m_j/√v_j = sign(x_j)·(EMA of r)/√(EMA of r²)";
            };
            if (l1.isZero()) {
                closed = theta0.clone();
                reason = "the example's features are all 0, so the gradient is 0 and θ never moves";
            } else {
                Rational tStar = r0.divide(l1);
                closed = new Rational[x.length];
                for (int j = 0; j < x.length; j++) closed[j] = theta0[j].add(tStar.multiply(Rational.of(x[j].signum())));
                reason = "with one example " + moves + ": every coordinate with x_j ≠ 0 moves by the same amount in the direction ±sign(x_j) "
                        + "(ε = 0), so θ stays on the line θ0 + t·sign(x); it meets the solution set x·θ = y at t = (y − x·θ0)/‖x‖₁ = " + tStar;
                if (m == Method.SIGNSGD) {
                    Rational k = tStar.abs().divide(s.lr());
                    reason += k.isInteger()
                            ? "; each step moves t by ±lr and t*/lr = " + k + " is a whole number, so SignSGD lands on θ* after " + k + " steps and stays (sign(0) = 0)"
                            : "; each step moves t by ±lr and t*/lr = " + k + " is not a whole number, so SignSGD never reaches θ*: it ends up oscillating between the two lattice points around it, within lr of θ*";
                } else if (m != Method.ADAGRAD) {
                    reason += "; with a constant lr " + m.label() + " need not settle there (its normalized step does not shrink): see the numeric run";
                }
            }
        } else {
            closed = null;
            reason = p.n() > 1
                    ? "no closed form: with " + p.n() + " examples the per-coordinate scaling of " + m.label() + " changes direction from step to step"
                    : "no closed form with ε = " + s.eps() + " ≠ 0 (the ε breaks the fixed direction); showing where the iterates go numerically";
        }
        return numeric(p, s, theta0, closed, reason);
    }

    private static Limit numeric(Problem p, Settings s, Rational[] theta0, Rational[] closed, String reason) {
        long maxSteps = Math.min(200_000, NUMERIC_BUDGET / ((long) p.n() * p.d()));
        Run<Double> run = new Run<>(p, s, theta0, DOUBLE);
        int d = p.d();
        double[] prev = new double[d], th = new double[d];
        for (int j = 0; j < d; j++) prev[j] = run.theta(j);
        int still = 0;
        boolean diverged = false, converged = false;
        while (run.steps() < maxSteps) {
            run.step();
            double change = 0, size = 0;
            for (int j = 0; j < d; j++) {
                double v = th[j] = run.theta(j);
                if (!Double.isFinite(v) || Math.abs(v) > 1e100) { diverged = true; break; }
                change = Math.max(change, Math.abs(v - prev[j]));
                size = Math.max(size, Math.abs(v));
            }
            if (diverged) break;
            still = change <= 1e-13 * (1 + size) ? still + 1 : 0;
            double[] t = prev; prev = th; th = t;
            if (still >= 20) { converged = true; break; }
        }
        double[] num = run.theta().stream().mapToDouble(Double::doubleValue).toArray();
        return new Limit(closed, reason, num, run.steps(), converged, diverged);
    }

    /**
     * The least-squares solution closest to θ0 in the M⁻¹-norm (M = I when m is null): θ0 + M·A·z with
     * (A·M·A)·z = b − A·θ0, A = XᵀX, b = Xᵀy. Every z solving that system gives the same θ.
     */
    public static Rational[] closestSolution(Problem p, Rational[] m, Rational[] theta0) {
        int d = p.d(), n = p.n();
        Rational[][] a = new Rational[d][d];
        Rational[] b = new Rational[d];
        for (int j = 0; j < d; j++) {
            b[j] = Rational.ZERO;
            for (int i = 0; i < n; i++) b[j] = b[j].add(p.x()[i][j].multiply(p.y()[i]));
            for (int k = 0; k < d; k++) {
                Rational acc = Rational.ZERO;
                for (int i = 0; i < n; i++) acc = acc.add(p.x()[i][j].multiply(p.x()[i][k]));
                a[j][k] = acc;
            }
        }
        Rational[] mm = new Rational[d];
        for (int j = 0; j < d; j++) mm[j] = m == null ? Rational.ONE : m[j];
        Rational[][] ama = new Rational[d][d];
        for (int j = 0; j < d; j++) for (int k = 0; k < d; k++) {
            Rational acc = Rational.ZERO;
            for (int l = 0; l < d; l++) if (!mm[l].isZero()) acc = acc.add(a[j][l].multiply(mm[l]).multiply(a[l][k]));
            ama[j][k] = acc;
        }
        Rational[] rhs = new Rational[d];
        for (int j = 0; j < d; j++) {
            Rational acc = b[j];
            for (int k = 0; k < d; k++) acc = acc.subtract(a[j][k].multiply(theta0[k]));
            rhs[j] = acc;
        }
        LinearSystem.Solution sol = LinearSystem.solve(ama, rhs);
        if (sol.kind() == LinearSystem.Kind.NONE)
            throw new IllegalArgumentException("no limit exists: the preconditioner's zero entries keep θ in θ0 + M·rowspace(X), which contains no least-squares solution");
        Rational[] z = sol.particular(), theta = new Rational[d];
        for (int j = 0; j < d; j++) {
            Rational acc = Rational.ZERO;
            for (int k = 0; k < d; k++) acc = acc.add(a[j][k].multiply(z[k]));
            theta[j] = theta0[j].add(mm[j].multiply(acc));
        }
        return theta;
    }

    // ---- checking an answer ----

    /**
     * A given answer compared with the expected vector. approxDigits &gt; 0 when the answer was given as
     * decimals that match to that many decimal places (not exactly); residualLines says what x_i·θ gives.
     */
    public record Verdict(boolean correct, int approxDigits, boolean interpolates, List<String> lines) {}

    public static Verdict check(Problem p, Rational[] expected, Rational[] given, String what) {
        return check(p, expected, given, what, false);
    }

    /**
     * numericOnly: expected is a double-precision result, not an exact value; the answer is then correct when
     * every entry is within 1e-6·(1 + |expected|) of it, and only decimals are shown.
     */
    public static Verdict check(Problem p, Rational[] expected, Rational[] given, String what, boolean numericOnly) {
        int d = expected.length;
        if (given.length != d) throw new IllegalArgumentException(OptionNames.of("check", "the answer") + " needs a vector of " + d + " values, got " + given.length);
        boolean exact = !numericOnly && Arrays.equals(expected, given);
        int digits = exact || numericOnly ? 0 : approxDigits(expected, given);
        boolean close = numericOnly;
        for (int j = 0; j < d && close; j++)
            close = Math.abs(given[j].toDouble() - expected[j].toDouble()) <= 1e-6 * (1 + Math.abs(expected[j].toDouble()));
        boolean correct = exact || digits > 0 || close;
        List<String> lines = new ArrayList<>();
        boolean interpolates = true;
        for (int i = 0; i < p.n(); i++) {
            Rational got = Rational.ZERO;
            for (int j = 0; j < d; j++) got = got.add(p.x()[i][j].multiply(given[j]));
            if (!got.equals(p.y()[i])) {
                interpolates = false;
                if (!correct) lines.add("plugging it in" + (p.n() > 1 ? " (example " + (i + 1) + ")" : "") + " gives x·θ = " + got
                        + (got.isInteger() ? "" : " ≈ " + ExactReal.of(got).decimal(8)) + ", not " + p.y()[i]);
            }
        }
        if (exact) lines.add(0, "correct: it is " + what);
        else if (close) lines.add(0, "correct: within 1e-6 of " + what + ", ≈ [" + decimals(expected) + "]");
        else if (correct) lines.add(0, "correct to " + digits + " decimal places: " + what + " is exactly [" + join(expected) + "]");
        else {
            lines.add(0, "not correct: " + what + " is " + (numericOnly ? "" : "[" + join(expected) + "] ") + "≈ [" + decimals(expected) + "]");
            if (interpolates) lines.add("it does fit every example (x·θ = y), but it is another solution, not " + what);
        }
        return new Verdict(correct, digits, interpolates, lines);
    }

    /** Decimal places to which every given entry matches (at least 3 significant digits each), else 0. */
    private static int approxDigits(Rational[] expected, Rational[] given) {
        int digits = Integer.MAX_VALUE;
        for (int j = 0; j < given.length; j++) {
            java.math.BigInteger den = given[j].denominator();
            int k = 0;
            while (den.mod(java.math.BigInteger.TEN).signum() == 0) { den = den.divide(java.math.BigInteger.TEN); k++; }
            if (!den.equals(java.math.BigInteger.ONE)) return expected[j].equals(given[j]) ? digits : 0;
            if (expected[j].equals(given[j])) continue;
            if (given[j].abs().multiply(Rational.of(10).pow(k)).compareTo(Rational.of(100)) < 0) return 0;   // fewer than 3 significant digits
            if (given[j].subtract(expected[j]).abs().compareTo(Rational.of(1, 10).pow(k)) > 0) return 0;
            digits = Math.min(digits, k);
        }
        return digits == Integer.MAX_VALUE ? 0 : digits;
    }

    static boolean isZero(Rational[] v) {
        for (Rational r : v) if (!r.isZero()) return false;
        return true;
    }

    static String join(Rational[] v) {
        StringBuilder sb = new StringBuilder();
        for (Rational r : v) sb.append(sb.isEmpty() ? "" : ", ").append(r);
        return sb.toString();
    }

    static String decimals(Rational[] v) {
        StringBuilder sb = new StringBuilder();
        for (Rational r : v) sb.append(sb.isEmpty() ? "" : ", ").append(ExactReal.of(r).decimal(10));
        return sb.toString();
    }
}
