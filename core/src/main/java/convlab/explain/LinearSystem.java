package convlab.explain;

import java.util.ArrayList;
import java.util.List;

/**
 * A linear system A·v = b solved exactly by Gauss–Jordan elimination over the rationals: no solution,
 * exactly one, or a family particular + Σ t_i·direction_i with one free parameter per free unknown.
 */
public final class LinearSystem {
    private LinearSystem() {}

    public enum Kind { NONE, UNIQUE, FAMILY }

    /**
     * @param particular  a solution (free parameters set to 0), null when there is none
     * @param free        the unknowns chosen as free parameters (column indices)
     * @param directions  one null-space vector per free unknown (its own entry 1)
     * @param conflict    for NONE: the index of an equation that contradicts the ones before it
     */
    public record Solution(Kind kind, int rank, Rational[] particular, int[] free, List<Rational[]> directions, int conflict) {}

    public static Solution solve(Rational[][] a, Rational[] b) {
        int rows = a.length, cols = rows == 0 ? 0 : a[0].length;
        Rational[][] m = new Rational[rows][cols + 1];
        for (int r = 0; r < rows; r++) {
            if (a[r].length != cols) throw new IllegalArgumentException("equation " + (r + 1) + " has " + a[r].length + " coefficients, expected " + cols);
            System.arraycopy(a[r], 0, m[r], 0, cols);
            m[r][cols] = b[r];
        }
        int[] rowOrigin = new int[rows];
        for (int r = 0; r < rows; r++) rowOrigin[r] = r;
        int[] pivotCol = new int[rows];
        int rank = 0;
        for (int c = 0; c < cols && rank < rows; c++) {
            int p = -1;
            for (int r = rank; r < rows; r++) if (!m[r][c].isZero()) { p = r; break; }
            if (p < 0) continue;
            Rational[] t = m[p]; m[p] = m[rank]; m[rank] = t;
            int o = rowOrigin[p]; rowOrigin[p] = rowOrigin[rank]; rowOrigin[rank] = o;
            Rational inv = Rational.ONE.divide(m[rank][c]);
            for (int k = c; k <= cols; k++) m[rank][k] = m[rank][k].multiply(inv);
            for (int r = 0; r < rows; r++) {
                if (r == rank || m[r][c].isZero()) continue;
                Rational f = m[r][c];
                for (int k = c; k <= cols; k++) m[r][k] = m[r][k].subtract(f.multiply(m[rank][k]));
            }
            pivotCol[rank++] = c;
        }
        for (int r = rank; r < rows; r++)
            if (!m[r][cols].isZero()) return new Solution(Kind.NONE, rank, null, new int[0], List.of(), rowOrigin[r]);
        boolean[] isPivot = new boolean[cols];
        Rational[] particular = new Rational[cols];
        java.util.Arrays.fill(particular, Rational.ZERO);
        for (int r = 0; r < rank; r++) { isPivot[pivotCol[r]] = true; particular[pivotCol[r]] = m[r][cols]; }
        List<Integer> free = new ArrayList<>();
        for (int c = 0; c < cols; c++) if (!isPivot[c]) free.add(c);
        List<Rational[]> directions = new ArrayList<>();
        for (int f : free) {
            Rational[] d = new Rational[cols];
            java.util.Arrays.fill(d, Rational.ZERO);
            d[f] = Rational.ONE;
            for (int r = 0; r < rank; r++) d[pivotCol[r]] = m[r][f].negate();
            directions.add(d);
        }
        return new Solution(free.isEmpty() ? Kind.UNIQUE : Kind.FAMILY, rank, particular,
                free.stream().mapToInt(Integer::intValue).toArray(), directions, -1);
    }
}
