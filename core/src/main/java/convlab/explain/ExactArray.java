package convlab.explain;

import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * A dense row-major array of exact rationals: a sequence (rank 1), a matrix (rank 2) or a stack of
 * channels C×H×W (rank 3). Immutable once built (the builders fill it, nobody changes it afterwards).
 */
public final class ExactArray {
    private final int[] shape;
    private final Rational[] data;

    public ExactArray(int[] shape, Rational[] data) {
        int n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            n *= d;
        }
        if (n != data.length) throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
        this.shape = shape.clone();
        this.data = data.clone();
    }

    public static ExactArray zeros(int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        Rational[] z = new Rational[n];
        Arrays.fill(z, Rational.ZERO);
        return new ExactArray(shape, z);
    }

    public static ExactArray ofInts(int[] shape, long... values) {
        Rational[] r = new Rational[values.length];
        for (int i = 0; i < r.length; i++) r[i] = Rational.of(values[i]);
        return new ExactArray(shape, r);
    }

    public static ExactArray matrix(long[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        long[] flat = new long[rows.length * cols];
        for (int r = 0; r < rows.length; r++) System.arraycopy(rows[r], 0, flat, r * cols, cols);
        return ofInts(new int[] {rows.length, cols}, flat);
    }

    public int rank() { return shape.length; }
    public int[] shape() { return shape.clone(); }
    public int dim(int axis) { return shape[axis]; }
    public int size() { return data.length; }

    /** "3×4" (or "7" for a sequence). */
    public String shapeText() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shape.length; i++) sb.append(i == 0 ? "" : "×").append(shape[i]);
        return sb.toString();
    }

    public Rational flat(int i) { return data[i]; }

    public Rational get(int... idx) { return data[offset(idx)]; }

    private int offset(int[] idx) {
        if (idx.length != shape.length) throw new IllegalArgumentException("index of rank " + idx.length + " for an array of rank " + shape.length);
        int off = 0;
        for (int a = 0; a < shape.length; a++) {
            if (idx[a] < 0 || idx[a] >= shape[a]) throw new IndexOutOfBoundsException("index " + Arrays.toString(idx) + " outside shape " + shapeText());
            off = off * shape[a] + idx[a];
        }
        return off;
    }

    /** The same values seen as C×H×W (a sequence becomes 1×1×n, a matrix 1×H×W). */
    public ExactArray asChannels() {
        return switch (shape.length) {
            case 1 -> reshape(1, 1, shape[0]);
            case 2 -> reshape(1, shape[0], shape[1]);
            case 3 -> this;
            default -> throw new IllegalArgumentException("expected a sequence, matrix or C×H×W stack, got rank " + shape.length);
        };
    }

    public ExactArray reshape(int... newShape) { return new ExactArray(newShape, data); }

    /** Channel c of a C×H×W array, as an H×W matrix. */
    public ExactArray channel(int c) {
        int hw = shape[1] * shape[2];
        return new ExactArray(new int[] {shape[1], shape[2]}, Arrays.copyOfRange(data, c * hw, (c + 1) * hw));
    }

    public ExactArray map(UnaryOperator<Rational> f) {
        Rational[] out = new Rational[data.length];
        for (int i = 0; i < out.length; i++) out[i] = f.apply(data[i]);
        return new ExactArray(shape, out);
    }

    public ExactArray negate() { return map(Rational::negate); }

    public ExactArray plus(Rational c) { return map(v -> v.add(c)); }

    /** Transpose of a matrix (a sequence or stack is returned as is). */
    public ExactArray transpose() {
        if (shape.length != 2) return this;
        int r = shape[0], c = shape[1];
        Rational[] out = new Rational[data.length];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) out[j * r + i] = data[i * c + j];
        return new ExactArray(new int[] {c, r}, out);
    }

    public double[] toDoubles() {
        double[] d = new double[data.length];
        for (int i = 0; i < d.length; i++) d[i] = data[i].toDouble();
        return d;
    }

    @Override public boolean equals(Object o) {
        return o instanceof ExactArray a && Arrays.equals(shape, a.shape) && Arrays.equals(data, a.data);
    }

    @Override public int hashCode() { return Arrays.hashCode(shape) * 31 + Arrays.hashCode(data); }

    @Override public String toString() { return Render.text(this); }
}
