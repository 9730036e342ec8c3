package convlab.explain;

import convlab.OptionNames;

/**
 * Time indices for a 1-D convolution of signals that do not start at index 0 (hw4 problem 3: x and h given from
 * n = −6). With the input's first value at time N and the kernel's at time M, output entry o lies at
 * n = N + M + (K − 1) − p + o·s for true convolution (every product x(t)·h(n − t) of y(n) has the same t + (n − t))
 * and at n = N − M − p + o·s for cross-correlation (y(n) = Σ x(t + n)·w(t)). Dilation and transposed
 * convolution have no such single index and are refused.
 */
public record TimeAxis(int inputStart, int kernelStart, int outputStart, int outputStep) {

    /** The two origins, as the caller named them. */
    private static String origins() {
        return OptionNames.of("origin-input", "inputOrigin") + "/" + OptionNames.of("origin-kernel", "kernelOrigin");
    }

    public static TimeAxis of(ExactConv.Result r, int inputOrigin, int kernelOrigin) {
        ConvSpec s = r.spec();
        if (!s.oneD()) throw new IllegalArgumentException(origins() + " are for 1-D signals (a sequence input and kernel)");
        if (s.transpose()) throw new IllegalArgumentException(origins() + " do not apply to a transposed convolution");
        if (s.dilation()[1] != 1) throw new IllegalArgumentException(origins() + " need dilation 1 (a dilated kernel has no single output time)");
        int k = r.kernel().dim(2), p = s.padding()[1];
        long start = s.flip() ? (long) inputOrigin + kernelOrigin + (k - 1) - p : (long) inputOrigin - kernelOrigin - p;
        if (Math.abs(start) > Integer.MAX_VALUE / 2) throw new IllegalArgumentException("time origin too large: " + start);
        return new TimeAxis(inputOrigin, kernelOrigin, (int) start, s.stride()[1]);
    }

    /** "n:  -2 -1  0 ..." over "x:   0  0  1 ...": indices above values, aligned. */
    public static String table(String name, int start, int step, ExactArray values) {
        int n = values.size();
        String[] idx = new String[n], val = new String[n];
        int width = 1;
        for (int i = 0; i < n; i++) {
            idx[i] = String.valueOf(start + (long) i * step);
            val[i] = values.flat(i).toString();
            width = Math.max(width, Math.max(idx[i].length(), val[i].length()));
        }
        int label = Math.max(1, name.length());
        StringBuilder a = new StringBuilder("  " + Render.pad("n", label) + ":"), b = new StringBuilder("  " + Render.pad(name, label) + ":");
        for (int i = 0; i < n; i++) {
            a.append(' ').append(Render.pad(idx[i], width));
            b.append(' ').append(Render.pad(val[i], width));
        }
        return a + "\n" + b;
    }

    public int[] indices(int start, int step, int count) {
        int[] out = new int[count];
        for (int i = 0; i < count; i++) out[i] = start + i * step;
        return out;
    }
}
