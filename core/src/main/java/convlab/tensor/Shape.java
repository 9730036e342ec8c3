package convlab.tensor;

import java.util.Arrays;

/** Static helpers for shapes (int arrays): sizes, strides, broadcasting, printing. */
public final class Shape {
    private Shape() {}

    public static long numelLong(int[] shape) {
        long n = 1;
        for (int s : shape) n *= s;
        return n;
    }

    public static int numel(int[] shape) {
        long n = numelLong(shape);
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("tensor of shape " + str(shape) + " is too large");
        return (int) n;
    }

    public static int[] contiguousStrides(int[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) { strides[i] = s; s *= Math.max(shape[i], 1); }
        return strides;
    }

    public static void check(int[] shape) {
        for (int s : shape)
            if (s < 0) throw new IllegalArgumentException("negative dimension in shape " + str(shape));
    }

    /** PyTorch/NumPy broadcasting of two shapes; throws naming both shapes when they do not broadcast. */
    public static int[] broadcast(int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i - (n - a.length) >= 0 ? a[i - (n - a.length)] : 1;
            int db = i - (n - b.length) >= 0 ? b[i - (n - b.length)] : 1;
            if (da != db && da != 1 && db != 1)
                throw new IllegalArgumentException("shapes " + str(a) + " and " + str(b) + " do not broadcast (dimension " + i + ": " + da + " vs " + db + ")");
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Normalizes a possibly negative axis against rank. */
    public static int axis(int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw new IllegalArgumentException("axis " + axis + " out of range for a tensor of rank " + rank);
        return a;
    }

    /** "2x3x4" (scalar: "()"). */
    public static String str(int[] shape) {
        if (shape.length == 0) return "()";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shape.length; i++) { if (i > 0) sb.append('x'); sb.append(shape[i]); }
        return sb.toString();
    }

    public static boolean same(int[] a, int[] b) { return Arrays.equals(a, b); }
}
