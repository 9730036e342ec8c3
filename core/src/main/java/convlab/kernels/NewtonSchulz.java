package convlab.kernels;

/**
 * Newton–Schulz orthogonalization: X ← p(X) repeated, with the odd matrix polynomial
 * p(X) = a·X + b·(XXᵀ)X + c·(XXᵀ)²X, starting from G/‖G‖_F. Each step maps every singular value σ of X
 * to a·σ + b·σ³ + c·σ⁵ and keeps the singular vectors, so X tends to UVᵀ of G's compact SVD.
 *
 * <p>Two forms give the same result:
 * <ul>
 * <li>{@link Form#DIRECT}, the course's formula: A = XXᵀ (rows×rows), X ← (aI + bA + cA²)·X.
 *     Per step ≈ 2·rows²·cols multiply-adds for the cubic (plus rows³ for A²).</li>
 * <li>{@link Form#GRAM}, on the small side: since (XXᵀ)ᵏX = X(XᵀX)ᵏ, for rows &gt; cols use G = XᵀX
 *     (cols×cols) and X ← X·(aI + bG + cG²): ≈ 2·rows·cols² per step, rows/cols times less work.
 *     When rows ≤ cols the small side already is XXᵀ and GRAM runs the direct form.</li>
 * </ul>
 * All products go through {@link Gemm#sgemm}, on row-major operands without transposes (the transposed
 * copy is made once per step), so either form runs at the GEMM's speed.
 */
public final class NewtonSchulz {
    private NewtonSchulz() {}

    /** Coefficients (a, b, c) of p(σ) = aσ + bσ³ + cσ⁵. */
    public record Poly(double a, double b, double c) {
        /** The course's cubic ½(3I − XXᵀ)X: σ → 1.5σ − 0.5σ³, converging to 1 for σ ∈ (0, √3). */
        public static final Poly CUBIC = new Poly(1.5, -0.5, 0);
        /**
         * Keller Jordan's quintic (used by Muon, five steps): steep at 0 (slope 3.4445) so small singular
         * values grow fast; it does not converge to 1 but keeps σ in roughly [0.7, 1.2] after five steps.
         */
        public static final Poly QUINTIC = new Poly(3.4445, -4.7750, 2.0315);

        public double apply(double s) { return s * (a + s * s * (b + c * s * s)); }
    }

    public enum Form { DIRECT, GRAM }

    /** Frobenius norms below this are treated as this (a zero gradient stays zero instead of NaN). */
    public static final float EPS = 1e-7f;

    /**
     * Returns steps iterations of poly applied to g/max(‖g‖_F, EPS); g is rows×cols row-major, unchanged.
     */
    public static float[] orthogonalize(float[] g, int rows, int cols, Poly poly, int steps, Form form) {
        if (rows <= 0 || cols <= 0) throw new IllegalArgumentException("Newton–Schulz needs a non-empty matrix, got " + rows + "x" + cols);
        if (g.length != rows * cols)
            throw new IllegalArgumentException("Newton–Schulz: array of " + g.length + " values is not a " + rows + "x" + cols + " matrix");
        if (steps < 0) throw new IllegalArgumentException("Newton–Schulz steps must be >= 0, got " + steps);
        double sq = 0;
        for (float v : g) sq += (double) v * v;
        float inv = (float) (1 / Math.max(Math.sqrt(sq), EPS));
        float[] x = new float[g.length];
        for (int i = 0; i < x.length; i++) x[i] = g[i] * inv;
        boolean gram = form == Form.GRAM && rows > cols;
        for (int s = 0; s < steps; s++) x = gram ? gramStep(x, rows, cols, poly) : directStep(x, rows, cols, poly);
        return x;
    }

    /** X ← (aI + bA + cA²)X with A = XXᵀ (rows×rows). */
    static float[] directStep(float[] x, int rows, int cols, Poly p) {
        float[] xt = transpose(x, rows, cols);
        float[] a = new float[rows * rows];
        Gemm.sgemm(false, false, rows, rows, cols, 1f, x, 0, cols, xt, 0, rows, 0f, a, 0, rows);
        float[] poly = polyOfGram(a, rows, p);
        float[] out = new float[x.length];
        // out = a·X + (bA + cA²)·X: start from a·X and accumulate the product (beta = 1)
        for (int i = 0; i < x.length; i++) out[i] = (float) p.a() * x[i];
        Gemm.sgemm(false, false, rows, cols, rows, 1f, poly, 0, rows, x, 0, cols, 1f, out, 0, cols);
        return out;
    }

    /** X ← X(aI + bG + cG²) with G = XᵀX (cols×cols). */
    static float[] gramStep(float[] x, int rows, int cols, Poly p) {
        float[] xt = transpose(x, rows, cols);
        float[] gm = new float[cols * cols];
        Gemm.sgemm(false, false, cols, cols, rows, 1f, xt, 0, rows, x, 0, cols, 0f, gm, 0, cols);
        float[] poly = polyOfGram(gm, cols, p);
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) out[i] = (float) p.a() * x[i];
        Gemm.sgemm(false, false, rows, cols, cols, 1f, x, 0, cols, poly, 0, cols, 1f, out, 0, cols);
        return out;
    }

    /** bM + cM² for a symmetric n×n M (the a·I part is applied by the caller as a·X). */
    private static float[] polyOfGram(float[] m, int n, Poly p) {
        float[] out = new float[n * n];
        if (p.c() != 0) Gemm.sgemm(false, false, n, n, n, (float) p.c(), m, 0, n, m, 0, n, 0f, out, 0, n);
        float b = (float) p.b();
        for (int i = 0; i < out.length; i++) out[i] += b * m[i];
        return out;
    }

    static float[] transpose(float[] x, int rows, int cols) {
        float[] t = new float[x.length];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) t[j * rows + i] = x[i * cols + j];
        return t;
    }

    /** Multiply-adds of one step, the cost model of course problem 1 (c·m·n·p per product). */
    public static long multiplyAddsPerStep(int rows, int cols, Poly p, Form form) {
        long r = rows, c = cols;
        if (form == Form.GRAM && rows > cols) return 2 * r * c * c + (p.c() != 0 ? c * c * c : 0);
        return 2 * r * r * c + (p.c() != 0 ? r * r * r : 0);
    }
}
