package convlab.explain;

import convlab.OptionNames;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;

/**
 * Exact forward and backward of batch normalization and layer normalization in training mode on an N×D
 * batch (rows = examples, columns = features): batch norm takes its statistics down each column, layer
 * norm along each row; γ and β are per feature (column) in both, as in nn.BatchNorm1d and nn.LayerNorm(D).
 * The variance is the biased one (divide by the count), as PyTorch normalizes with.
 *
 * <p>With v = σ² + ε, x̂ = (x − μ)/√v and the input gradient is
 * dx = 1/(M·√v)·(M·g − Σg − x̂·Σ(g·x̂)) with g = γ·dy over each group of M entries; x̂·Σ(g·x̂) =
 * (x − μ)·Σ g(x − μ)/v is rational, so every result is a rational, or a rational over √v ({@link Surd}),
 * exact in both cases. Mean-only (the course's simplified batch norm): y = γ(x − μ) + β, dx = g − mean g.
 */
public final class ExactNormGrad {
    private ExactNormGrad() {}

    public enum Kind { BATCH, LAYER }

    /** The statistics of one group (a column for batch norm, a row for layer norm); root is √v when rational, else null. */
    public record Group(String name, int[] cells, Rational mean, Rational variance, Rational v, Rational root) {}

    /**
     * @param input N×D; the arrays of Surds are row-major N×D (gradGamma, gradBeta: D)
     */
    public record Result(Kind kind, boolean meanOnly, ExactArray input, ExactArray gradOutput, Rational[] gamma, Rational[] beta, Rational eps,
                         List<Group> groups, Surd[] xHat, Surd[] output, Surd[] gradInput, Surd[] gradGamma, Rational[] gradBeta, List<String> inputWorking) {
        public int rows() { return input.dim(0); }
        public int cols() { return input.dim(1); }
        public boolean exact() {
            for (Surd[] a : new Surd[][] {xHat, output, gradInput, gradGamma}) for (Surd s : a) if (!s.isRational()) return false;
            return true;
        }
    }

    /**
     * @param x          N×D batch, or a sequence: for batch norm n examples of one feature (n×1), for layer norm one example (1×D)
     * @param gamma      per feature (D values), one value for all, or null for 1
     * @param beta       likewise, null for 0
     * @param eps        added to the variance
     * @param requireExact fail (one line) when a √(σ² + ε) is irrational
     */
    public static Result compute(Kind kind, ExactArray x, ExactArray dy, ExactArray gamma, ExactArray beta, Rational eps,
                                 boolean meanOnly, boolean requireExact) {
        if (x.rank() > 2) throw new IllegalArgumentException("the input must be an N×D matrix (rows = examples, columns = features), got " + x.shapeText());
        ExactArray in = x.rank() == 1 ? (kind == Kind.BATCH ? x.reshape(x.size(), 1) : x.reshape(1, x.size())) : x;
        if (!ConvCheck.sameShape(dy.shape(), in.shape()) || dy.size() != in.size())
            throw new IllegalArgumentException("the output gradient is " + dy.shapeText() + " but the input (and so the output) is " + in.shapeText()
                    + " (dY must have the input's shape)");
        ExactArray g = dy.reshape(in.shape());
        if (eps.signum() < 0) throw new IllegalArgumentException(OptionNames.of("eps") + " must be >= 0, got " + eps);
        int n = in.dim(0), d = in.dim(1);
        Rational[] gam = perFeature(gamma, d, Rational.ONE, "gamma"), bet = perFeature(beta, d, Rational.ZERO, "beta");
        Surd[] xh = new Surd[n * d], y = new Surd[n * d], dx = new Surd[n * d], dgam = new Surd[d];
        Rational[] dbet = new Rational[d];
        Arrays.fill(dgam, Surd.ZERO);
        Arrays.fill(dbet, Rational.ZERO);
        String[] work = new String[n * d];
        List<Group> groups = new ArrayList<>();
        int count = kind == Kind.BATCH ? d : n, m = kind == Kind.BATCH ? n : d;
        for (int k = 0; k < count; k++) {
            int[] cells = new int[m];
            for (int i = 0; i < m; i++) cells[i] = kind == Kind.BATCH ? i * d + k : k * d + i;
            Rational mean = Rational.ZERO;
            for (int c : cells) mean = mean.add(in.flat(c));
            mean = mean.divide(Rational.of(m));
            Rational var = Rational.ZERO;
            for (int c : cells) var = var.add(in.flat(c).subtract(mean).pow(2));
            var = var.divide(Rational.of(m));
            Rational v = var.add(eps);
            String gname = (kind == Kind.BATCH ? "feature " : "example ") + k;
            if (!meanOnly && v.isZero())
                throw new IllegalArgumentException(gname + " has variance 0 and " + OptionNames.of("eps") + " is 0: x̂ = (x − μ)/√(σ² + ε) divides by zero (use " + OptionNames.of("eps") + " > 0, or " + OptionNames.of("mean-only") + ")");
            Rational root = meanOnly ? null : Surd.sqrtExact(v);
            if (requireExact && !meanOnly && root == null)
                throw new IllegalArgumentException(gname + ": σ² + ε = " + v + " is not the square of a rational, so the result involves √(" + v
                        + "); " + OptionNames.of("exact", "requireExact") + " needs a perfect-square variance (e.g. with " + OptionNames.of("eps") + " 0), or drop " + OptionNames.of("exact", "requireExact") + " for the exact symbolic form");
            groups.add(new Group(gname, cells, mean, var, v, root));
            Rational sg = Rational.ZERO, sgc = Rational.ZERO, sdy = Rational.ZERO, sdyc = Rational.ZERO;
            for (int c : cells) {
                Rational gc = g.flat(c).multiply(gam[c % d]);
                sg = sg.add(gc);
                sgc = sgc.add(gc.multiply(in.flat(c).subtract(mean)));
                sdy = sdy.add(g.flat(c));
                sdyc = sdyc.add(g.flat(c).multiply(in.flat(c).subtract(mean)));
            }
            for (int c : cells) {
                int col = c % d;
                Rational centered = in.flat(c).subtract(mean), gc = g.flat(c).multiply(gam[col]);
                xh[c] = meanOnly ? Surd.of(centered) : Surd.over(centered, v);
                y[c] = xh[c].multiply(gam[col]).add(bet[col]);
                dgam[col] = dgam[col].add(xh[c].multiply(g.flat(c)));
                dbet[col] = dbet[col].add(g.flat(c));
                if (meanOnly) {
                    dx[c] = Surd.of(gc.subtract(sg.divide(Rational.of(m))));
                    work[c] = meanOnlyWorking(kind, c, d, m, gam[col], g.flat(c), sdy, sg, dx[c]);
                } else {
                    Rational proj = centered.multiply(sgc).divide(v);  // x̂·Σ(g·x̂)
                    Rational bracket = Rational.of(m).multiply(gc).subtract(sg).subtract(proj);
                    dx[c] = Surd.over(bracket.divide(Rational.of(m)), v);
                    work[c] = kind == Kind.BATCH
                            ? batchWorking(c, d, m, gam[col], g.flat(c), sdy, xh[c], centered.multiply(sdyc).divide(v), v, root, sdyc, dx[c])
                            : layerWorking(c, d, m, gam[col], g.flat(c), gc, sg, xh[c], bracket, v, root, sgc, dx[c]);
                }
            }
        }
        return new Result(kind, meanOnly, in, g, gam, bet, eps, groups, xh, y, dx, dgam, dbet, List.of(work));
    }

    private static Rational[] perFeature(ExactArray a, int d, Rational dflt, String what) {
        Rational[] r = new Rational[d];
        if (a == null) { Arrays.fill(r, dflt); return r; }
        if (a.size() == 1) { Arrays.fill(r, a.flat(0)); return r; }
        if (a.size() != d)
            throw new IllegalArgumentException("--" + what + " has " + a.size() + " values but there are " + d + " features (columns): give one per feature, or one for all");
        for (int i = 0; i < d; i++) r[i] = a.flat(i);
        return r;
    }

    static String cell(int c, int d) { return "[" + c / d + "," + c % d + "]"; }

    private static String batchWorking(int c, int d, int m, Rational gamma, Rational dy, Rational sdy, Surd xh, Rational proj,
                                       Rational v, Rational root, Rational sdyc, Surd dx) {
        String sq = root != null ? root.toString() : Surd.root(v);
        String pre = Render.factor(gamma) + "/(" + m + "·" + sq + ")";
        return "dx" + cell(c, d) + " = γ/(N·√(σ²+ε))·(N·dy − Σdy − x̂·Σ(dy·x̂)) = " + pre + "·(" + m + "·" + Render.factor(dy) + " − " + Render.factor(sdy)
                + " − " + paren(xh) + "·" + paren(Surd.over(sdyc, v)) + ") = " + pre + "·(" + Render.factor(Rational.of(m).multiply(dy)) + " − " + Render.factor(sdy)
                + " − " + Render.factor(proj) + ") = " + dx.text();
    }

    private static String layerWorking(int c, int d, int m, Rational gamma, Rational dy, Rational gc, Rational sg, Surd xh,
                                       Rational bracket, Rational v, Rational root, Rational sgc, Surd dx) {
        String sq = root != null ? root.toString() : Surd.root(v);
        return "dx" + cell(c, d) + " = 1/(D·√(σ²+ε))·(D·g − Σg − x̂·Σ(g·x̂)) with g = γ·dy = " + Render.factor(gamma) + "·" + Render.factor(dy) + " = " + gc
                + ": 1/(" + m + "·" + sq + ")·(" + m + "·" + Render.factor(gc) + " − " + Render.factor(sg) + " − " + paren(xh) + "·" + paren(Surd.over(sgc, v))
                + ") = 1/(" + m + "·" + sq + ")·" + Render.factor(bracket) + " = " + dx.text();
    }

    private static String meanOnlyWorking(Kind kind, int c, int d, int m, Rational gamma, Rational dy, Rational sdy, Rational sg, Surd dx) {
        String name = "dx" + cell(c, d);
        if (kind == Kind.BATCH) {
            return name + " = γ·(dy − (1/N)·Σdy) = " + Render.factor(gamma) + "·(" + Render.factor(dy) + " − " + Render.factor(sdy) + "/" + m + ") = " + dx.text();
        }
        return name + " = g − (1/D)·Σg, g = γ·dy: " + Render.factor(gamma.multiply(dy)) + " − " + Render.factor(sg) + "/" + m + " = " + dx.text();
    }

    private static String paren(Surd s) {
        String t = s.symbol();
        return s.isRational() ? Render.factor(s.rational()) : "(" + t + ")";
    }

    /** The worked solution: statistics per group, x̂, the output, the gradients, and the formula with numbers for each dx. */
    public static Worksheet worksheet(Result r, boolean explain) {
        Worksheet ws = new Worksheet();
        String what = r.kind() == Kind.BATCH ? "Batch" : "Layer";
        int n = r.rows(), d = r.cols();
        if (explain) {
            ws.heading(what + " normalization" + (r.meanOnly() ? ", mean only" : "") + " (training mode): forward and backward");
            ws.text("input " + n + "×" + d + " (rows = examples, columns = features); statistics "
                    + (r.kind() == Kind.BATCH ? "down each column (over the batch)" : "along each row (over the features of one example)")
                    + (r.meanOnly() ? "" : "; ε = " + r.eps()));
            ws.text(r.meanOnly() ? "forward: μ = mean of the group, x̂ = x − μ (no division), y = γ·x̂ + β"
                    : "forward: μ = mean, σ² = mean of (x − μ)² (biased, as PyTorch normalizes), x̂ = (x − μ)/√(σ² + ε), y = γ·x̂ + β");
            for (Group g : r.groups()) {
                StringJoiner xs = new StringJoiner(" + ");
                for (int c : g.cells()) xs.add(Render.factor(r.input().flat(c)));
                String line = g.name() + ": μ = (" + xs + ")/" + g.cells().length + " = " + g.mean();
                if (!r.meanOnly()) {
                    StringJoiner sq = new StringJoiner(" + ");
                    for (int c : g.cells()) sq.add(Render.factor(r.input().flat(c).subtract(g.mean())) + "²");
                    line += "; σ² = (" + sq + ")/" + g.cells().length + " = " + g.variance() + "; σ² + ε = " + g.v() + "; √(σ² + ε) = "
                            + (g.root() != null ? g.root() + " (exact)" : Surd.root(g.v()) + " ≈ " + Surd.over(Rational.ONE, Rational.ONE.divide(g.v())).decimalText());
                }
                ws.text(line);
            }
        }
        rows(ws, "x̂ " + n + "×" + d, "\\hat{x}", r.xHat(), n, d);
        rows(ws, "output y = γ·x̂ + β " + n + "×" + d, "y", r.output(), n, d);
        if (explain) {
            ws.heading("Backward");
            if (r.meanOnly()) {
                ws.text(r.kind() == Kind.BATCH ? "dx_i = γ·(dy_i − (1/N)·Σⱼ dy_j): μ depends on every x with ∂μ/∂x_i = 1/N, so each x_i gets γ·dy_i directly and loses γ·(1/N)·Σ dy through μ"
                        : "dx_i = g_i − (1/D)·Σⱼ g_j with g = γ·dy (μ depends on every feature of the row with weight 1/D)");
                if ((r.kind() == Kind.BATCH ? n : d) == 1)
                    ws.text("with one " + (r.kind() == Kind.BATCH ? "example" : "feature") + " μ = x itself, so x̂ = x − μ = 0 whatever x is: y = γ·0 + β = β does not depend on x, "
                            + "and dx = γ·(dy − dy) = 0 exactly (the direct path 1 and the path through μ, −1/n = −1, cancel)");
            } else {
                ws.text("dx = γ/(N·√(σ²+ε))·(N·dy − Σ dy − x̂·Σ(dy·x̂)) per group of N (three terms: the direct path, the path through μ, the path through σ²)"
                        + (r.kind() == Kind.LAYER ? "; for layer norm γ varies along the row, so it is written with g = γ·dy and D features: dx = 1/(D·√(σ²+ε))·(D·g − Σg − x̂·Σ(g·x̂))" : ""));
                ws.text("x̂·Σ(g·x̂) = (x − μ)·Σ g·(x − μ)/(σ² + ε) is rational, so dx is a rational over √(σ² + ε)");
                if ((r.kind() == Kind.BATCH ? n : d) == 1)
                    ws.text("with one " + (r.kind() == Kind.BATCH ? "example" : "feature") + " x − μ = 0: x̂ = 0 and dx = 0 exactly"
                            + (r.kind() == Kind.BATCH ? " (PyTorch refuses training-mode batch norm with one value per feature)" : ""));
            }
            for (String w : r.inputWorking()) ws.text(w);
            ws.text("dγ_j = Σᵢ dy[i,j]·x̂[i,j], dβ_j = Σᵢ dy[i,j] (sums over the batch for each feature)");
        }
        rows(ws, "dx (gradient w.r.t. the input) " + n + "×" + d, "dx", r.gradInput(), n, d);
        ws.text("dγ: " + line(r.gradGamma()));
        ws.text("dβ: " + line(Arrays.stream(r.gradBeta()).map(Surd::of).toArray(Surd[]::new)));
        return ws;
    }

    /** A matrix block when every value is rational (LaTeX in Markdown), else one line per row with the symbols. */
    private static void rows(Worksheet ws, String label, String latex, Surd[] v, int n, int d) {
        ExactArray exact = rationalOrNull(v, n, d);
        if (exact != null) {
            ws.matrix(label, latex, exact);
            return;
        }
        ws.text(label + ":");
        for (int i = 0; i < n; i++) ws.text("  " + line(Arrays.copyOfRange(v, i * d, (i + 1) * d)));
    }

    private static String line(Surd[] v) {
        StringJoiner j = new StringJoiner(", ", "[ ", " ]");
        for (Surd s : v) j.add(s.text());
        return j.toString();
    }

    /** dx under common mistakes: the σ² path left out, the μ path left out, divided by σ² instead of √, n−1 variance, sign. */
    public static ConvCheck.Verdict check(Result r, Answer given) {
        ExactArray right = rationalOrNull(r.gradInput(), r.rows(), r.cols());
        if (right == null)
            throw new IllegalArgumentException("dx involves square roots (" + r.gradInput()[0].symbol() + " …), so an answer cannot be checked exactly: use " + OptionNames.of("eps") + " 0 and data with a perfect-square variance");
        java.util.Map<String, ExactArray> m = new java.util.LinkedHashMap<>();
        for (String mistake : r.meanOnly() ? List.of("mu") : List.of("mu", "var")) {
            Rational[] out = new Rational[r.rows() * r.cols()];
            boolean ok = true;
            for (Group g : r.groups()) {
                int size = g.cells().length;
                Rational sg = Rational.ZERO, sgc = Rational.ZERO;
                for (int c : g.cells()) {
                    Rational gc = r.gradOutput().flat(c).multiply(r.gamma()[c % r.cols()]);
                    sg = sg.add(gc);
                    sgc = sgc.add(gc.multiply(r.input().flat(c).subtract(g.mean())));
                }
                for (int c : g.cells()) {
                    Rational gc = r.gradOutput().flat(c).multiply(r.gamma()[c % r.cols()]);
                    Rational centered = r.input().flat(c).subtract(g.mean());
                    if (r.meanOnly()) { out[c] = gc; continue; }
                    Rational b = Rational.of(size).multiply(gc);
                    if (mistake.equals("var")) b = b.subtract(sg);
                    else b = b.subtract(centered.multiply(sgc).divide(g.v()));
                    if (g.root() == null) { ok = false; break; }
                    out[c] = b.divide(Rational.of(size).multiply(g.root()));
                }
            }
            if (ok) m.put(mistake.equals("mu") ? "the path through the mean left out (only γ·dy" + (r.meanOnly() ? ")" : "/√(σ²+ε) and the σ² term)")
                    : "the path through the variance left out (no x̂·Σ(dy·x̂) term)", new ExactArray(new int[] {r.rows(), r.cols()}, out));
        }
        if (right.dim(0) > 1 && right.dim(1) > 1) m.put("transposed (rows and columns swapped)", right.transpose());
        m.put("sign error (every entry has the wrong sign)", right.negate());
        List<String> work = r.inputWorking();
        Answer g = given;
        if (given.kind() == Answer.Kind.MATRIX && given.matrix().size() == right.size()) {
            g = new Answer(Answer.Kind.MATRIX, given.matrix().reshape(right.shape()), null, null, given.source());
        }
        return ArrayCheck.check("dx", right, work, m, g);
    }

    static ExactArray rationalOrNull(Surd[] v, int n, int d) {
        if (!Arrays.stream(v).allMatch(Surd::isRational)) return null;
        return new ExactArray(new int[] {n, d}, Arrays.stream(v).map(Surd::rational).toArray(Rational[]::new));
    }
}
