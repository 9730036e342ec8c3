package convlab.explain;

import convlab.OptionNames;
import convlab.kernels.Pool2dReference;
import convlab.geometry.PoolGeometry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Exact forward and backward of max and average pooling (PyTorch's semantics: stride defaults to the
 * window, padding at most half the window, output size from {@link PoolGeometry}, average pooling counts
 * padded cells in the divisor as count_include_pad=True does). Max pooling routes each window's gradient to
 * the window's winner; ties go to the FIRST maximum in row-major window order (PyTorch's CPU rule, the same
 * as the float engine's). Overlapping windows add their contributions. Input: a sequence (1-D), a matrix,
 * or channels C×H×W, pooled channel by channel.
 */
public final class ExactPoolGrad {
    private ExactPoolGrad() {}

    public enum Kind { MAX, AVG }

    /** One window: its output index, the input entries it covers (flat C×H×W offsets), the winner (max) and tied entries. */
    public record Window(int[] outIndex, int channel, List<Integer> cells, int winner, List<Integer> tiedLosers, int divisor, Rational value, Rational grad) {}

    /** One contribution to dX: window's output gradient times the share (1 for the max winner, 1/divisor for average). */
    public record Share(int[] outIndex, Rational gradOut, Rational weight) {}

    public record Entry(String name, List<Share> shares, Rational value) {}

    public record Result(Kind kind, boolean oneD, PoolGeometry geometry, ExactArray input, ExactArray output, ExactArray gradOutput,
                         ExactArray gradInput, List<Window> windows, List<Entry> entries) {}

    /**
     * @param stride  null: the window size (PyTorch's default)
     */
    public static Result compute(Kind kind, ExactArray input, int size, Integer stride, int padding, ExactArray gradOutput) {
        if (size < 1) throw new IllegalArgumentException("pooling window " + OptionNames.of("size") + " must be >= 1, got " + size);
        int s = stride == null ? size : stride;
        boolean oneD = input.rank() == 1 || (input.rank() == 3 && input.dim(1) == 1);
        ExactArray x = input.asChannels();
        PoolGeometry g = oneD ? PoolGeometry.oneD(size, s, padding, 1, false) : PoolGeometry.square(size, s, padding);
        int c = x.dim(0), h = x.dim(1), w = x.dim(2);
        int oh = g.outH(h), ow = g.outW(w);
        long outCount = (long) c * oh * ow;
        int[] outShape = c > 1 ? new int[] {c, oh, ow} : oneD ? new int[] {ow} : new int[] {oh, ow};
        ExactArray dy = gradOutput;
        if (!ConvCheck.sameShape(dy.shape(), outShape))
            throw new IllegalArgumentException("the output gradient is " + dy.shapeText() + " but the pooled output is " + shapeText(outShape)
                    + " (window " + size + ", stride " + s + ", padding " + padding + "; dY must have the output's shape)");
        Rational[] out = new Rational[(int) outCount], dx = new Rational[x.size()];
        java.util.Arrays.fill(dx, Rational.ZERO);
        List<List<Share>> shares = new ArrayList<>();
        for (int i = 0; i < dx.length; i++) shares.add(new ArrayList<>());
        List<Window> windows = new ArrayList<>();
        for (int ch = 0; ch < c; ch++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++) {
                    int o = (ch * oh + i) * ow + j;
                    Rational gy = dy.flat(o);
                    List<Integer> cells = new ArrayList<>();
                    for (int a = 0; a < g.kernelH(); a++) {
                        int r = i * g.strideH() + a - g.padH();
                        if (r < 0 || r >= h) continue;
                        for (int b = 0; b < g.kernelW(); b++) {
                            int col = j * g.strideW() + b - g.padW();
                            if (col >= 0 && col < w) cells.add((ch * h + r) * w + col);
                        }
                    }
                    int[] outIdx = c > 1 ? new int[] {ch, i, j} : oneD ? new int[] {j} : new int[] {i, j};
                    if (kind == Kind.MAX) {
                        int win = cells.getFirst();
                        for (int cell : cells) if (x.flat(cell).compareTo(x.flat(win)) > 0) win = cell;  // strict: the first maximum stays
                        List<Integer> ties = new ArrayList<>();
                        for (int cell : cells) if (cell != win && x.flat(cell).equals(x.flat(win))) ties.add(cell);
                        out[o] = x.flat(win);
                        dx[win] = dx[win].add(gy);
                        shares.get(win).add(new Share(outIdx, gy, Rational.ONE));
                        windows.add(new Window(outIdx, ch, cells, win, ties, 1, out[o], gy));
                    } else {
                        int div = Pool2dReference.avgDivisor(i, j, h, w, g, true);
                        Rational sum = Rational.ZERO;
                        for (int cell : cells) sum = sum.add(x.flat(cell));
                        Rational weight = Rational.of(1, div);
                        out[o] = sum.multiply(weight);
                        for (int cell : cells) {
                            dx[cell] = dx[cell].add(gy.multiply(weight));
                            shares.get(cell).add(new Share(outIdx, gy, weight));
                        }
                        windows.add(new Window(outIdx, ch, cells, -1, List.of(), div, out[o], gy));
                    }
                }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < dx.length; i++) entries.add(new Entry("dX" + ConvExplain.index(inIndex(i, c, h, w, oneD)), shares.get(i), dx[i]));
        return new Result(kind, oneD, g, input, new ExactArray(outShape, out), dy.reshape(outShape), new ExactArray(input.shape(), dx), windows, entries);
    }

    static int[] inIndex(int flat, int c, int h, int w, boolean oneD) {
        int ch = flat / (h * w), r = flat / w % h, col = flat % w;
        return c > 1 ? new int[] {ch, r, col} : oneD ? new int[] {col} : new int[] {r, col};
    }

    public static String name(Result r, int flat) {
        ExactArray x = r.input().asChannels();
        return "x" + ConvExplain.index(inIndex(flat, x.dim(0), x.dim(1), x.dim(2), r.oneD()));
    }

    /** "dX[1,1] = dY[0,0] (winner of window [0,0]) + dY[0,1]·1/4 = 5". */
    public static String entryText(Result r, Entry e) {
        StringJoiner names = new StringJoiner(" + "), values = new StringJoiner(" + ");
        for (Share s : e.shares()) {
            String per = s.weight().equals(Rational.ONE) ? "" : "/" + s.weight().denominator();
            names.add("dY" + ConvExplain.index(s.outIndex()) + per);
            values.add(Render.factor(s.gradOut()) + per);
        }
        if (e.shares().isEmpty()) return e.name() + " = " + (r.kind() == Kind.MAX ? "0 (wins no window)" : "0 (in no window)");
        String v = values.toString().equals(e.value().toString()) ? "" : " = " + values;
        return e.name() + " = " + names + v + " = " + e.value();
    }

    public static Worksheet worksheet(Result r, boolean explain) {
        Worksheet ws = new Worksheet();
        ExactArray x = r.input().asChannels();
        PoolGeometry g = r.geometry();
        if (explain) {
            ws.heading((r.kind() == Kind.MAX ? "Max" : "Average") + " pooling backward");
            ws.text("input " + r.input().shapeText() + ", window " + (r.oneD() ? g.kernelW() : g.kernelH() + "×" + g.kernelW()) + ", stride " + g.strideW()
                    + ", padding " + g.padW() + "; output " + r.output().shapeText());
            if (r.kind() == Kind.MAX) {
                ws.text("rule: each window passes its dY entry to the input that won it (the maximum); the others get 0 from that window");
                ws.text("tie rule (PyTorch): the first maximum in row-major order within the window wins");
            } else {
                ws.text("rule: each window's output is the mean of its entries, so each of them gets dY/(window size) from it"
                        + (g.padW() + g.padH() > 0 ? "; padded cells count in the window size (count_include_pad=True, PyTorch's default)" : ""));
            }
            if (overlapping(g)) ws.text("windows overlap (stride < window): an input entry in several windows adds up their contributions");
            for (Window w : r.windows()) {
                StringJoiner cells = new StringJoiner(", ");
                for (int cell : w.cells()) cells.add(name(r, cell) + "=" + x.flat(cell));
                String line = "window " + ConvExplain.index(w.outIndex()) + " {" + cells + "}: ";
                if (r.kind() == Kind.MAX) {
                    line += "max " + w.value() + " at " + name(r, w.winner());
                    if (!w.tiedLosers().isEmpty())
                        line += " (tied with " + String.join(", ", w.tiedLosers().stream().map(t -> name(r, t)).toList()) + "; the first in row-major order wins)";
                    line += "; dY" + ConvExplain.index(w.outIndex()) + " = " + w.grad() + " goes to " + name(r, w.winner());
                } else {
                    line += "mean = " + w.value() + "; each gets dY" + ConvExplain.index(w.outIndex()) + "/" + w.divisor() + " = " + w.grad().divide(Rational.of(w.divisor()));
                }
                ws.text(line);
            }
            int silent = 0;
            for (Entry e : r.entries()) {
                if (e.shares().isEmpty()) silent++;
                else ws.text(entryText(r, e));
            }
            if (silent > 0) ws.text("the other " + silent + " entr" + (silent == 1 ? "y" : "ies") + " of dX: 0 (" + (r.kind() == Kind.MAX ? "they win no window" : "in no window") + ")");
        }
        ws.matrix("output " + r.output().shapeText(), "y", r.output());
        ws.matrix("dX (gradient w.r.t. the input) " + r.gradInput().shapeText(), "dX", r.gradInput());
        return ws;
    }

    static boolean overlapping(PoolGeometry g) { return g.strideW() < g.kernelW() || g.strideH() < g.kernelH(); }

    /** dX under the common mistakes: every tied maximum gets the gradient, the last maximum wins, spread as in the other pooling, overlaps not added, sign. */
    public static Map<String, ExactArray> mistakes(Result r) {
        Map<String, ExactArray> m = new LinkedHashMap<>();
        ExactArray x = r.input().asChannels();
        int n = x.size();
        if (r.kind() == Kind.MAX) {
            boolean ties = r.windows().stream().anyMatch(w -> !w.tiedLosers().isEmpty());
            if (ties) {
                m.put("every tied maximum given the gradient (PyTorch gives it to the first only)", route(r, n, w -> {
                    List<Integer> all = new ArrayList<>(w.tiedLosers());
                    all.add(w.winner());
                    return all;
                }, false));
                m.put("the last maximum chosen on a tie (PyTorch takes the first in row-major order)", route(r, n, w -> {
                    int last = w.winner();
                    for (int t : w.tiedLosers()) last = Math.max(last, t);
                    return List.of(last);
                }, false));
            }
            m.put("gradient spread over the window (the average-pooling rule)", spreadEvenly(r, n));
            if (overlapping(r.geometry())) m.put("overlapping windows not added (the last window overwrote the entry)", route(r, n, w -> List.of(w.winner()), true));
        } else {
            m.put("not divided by the window size", route(r, n, Window::cells, false));
            if (overlapping(r.geometry())) m.put("overlapping windows not added (the last window overwrote the entry)", overwriteAvg(r, n));
        }
        ExactArray right = r.gradInput();
        m.replaceAll((k, v) -> v.reshape(right.shape()));
        if (right.rank() == 2 && right.dim(0) > 1 && right.dim(1) > 1) m.putIfAbsent("transposed (rows and columns swapped)", right.transpose());
        m.putIfAbsent("sign error (every entry has the wrong sign)", right.negate());
        m.values().removeIf(v -> v.equals(right));
        return m;
    }

    private static ExactArray route(Result r, int n, java.util.function.Function<Window, List<Integer>> to, boolean overwrite) {
        Rational[] d = zeros(n);
        for (Window w : r.windows()) for (int cell : to.apply(w)) d[cell] = overwrite ? w.grad() : d[cell].add(w.grad());
        return new ExactArray(new int[] {n}, d);
    }

    private static ExactArray spreadEvenly(Result r, int n) {
        Rational[] d = zeros(n);
        for (Window w : r.windows()) {
            Rational share = w.grad().divide(Rational.of(w.cells().size()));
            for (int cell : w.cells()) d[cell] = d[cell].add(share);
        }
        return new ExactArray(new int[] {n}, d);
    }

    private static ExactArray overwriteAvg(Result r, int n) {
        Rational[] d = zeros(n);
        for (Window w : r.windows()) for (int cell : w.cells()) d[cell] = w.grad().divide(Rational.of(w.divisor()));
        return new ExactArray(new int[] {n}, d);
    }

    public static ConvCheck.Verdict check(Result r, Answer given) {
        List<String> work = r.entries().stream().map(e -> entryText(r, e)).toList();
        return ArrayCheck.check("dX", r.gradInput(), work, mistakes(r), given);
    }

    private static Rational[] zeros(int n) {
        Rational[] z = new Rational[n];
        java.util.Arrays.fill(z, Rational.ZERO);
        return z;
    }

    private static String shapeText(int[] s) {
        return String.join("×", java.util.Arrays.stream(s).mapToObj(String::valueOf).toList());
    }
}
