package convlab.tensor;

import convlab.autograd.Node;
import convlab.kernels.Gemm;
import convlab.kernels.ReluKernels;

import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/**
 * General tensor operations with autograd: elementwise (broadcasting), reductions, softmax, matmul.
 * Each op computes its output and, right beside it, records how its gradient flows back.
 * Outputs are always new contiguous tensors. Mixed float32/float64 inputs promote to float64.
 */
public final class Ops {
    private Ops() {}

    // ================================================================ copies and casts

    public static Tensor copy(Tensor t) {
        Tensor out = Tensor.zeros(t.dtype(), t.shape());
        copyInto(t, out);
        return Node.record(out, "copy", g -> new Tensor[] {g}, t);
    }

    public static Tensor cast(Tensor t, DType dtype) {
        Tensor out = Tensor.zeros(dtype, t.shape());
        copyInto(t, out);
        DType from = t.dtype();
        return Node.record(out, "cast", g -> new Tensor[] {g.to(from)}, t);
    }

    /** Copies values of src (any strides, broadcastable to dst) into dst (any strides); no autograd. */
    public static void copyInto(Tensor src, Tensor dst) {
        if (src.dtype() == dst.dtype() && src.isContiguous() && dst.isContiguous() && Shape.same(src.shape(), dst.shape())) {
            // The common case (gradients, parameters): one block copy, not the per-element strided walk.
            if (src.isF32()) System.arraycopy(src.rawF(), src.offset(), dst.rawF(), dst.offset(), src.numel());
            else System.arraycopy(src.rawD(), src.offset(), dst.rawD(), dst.offset(), src.numel());
            return;
        }
        binaryInto(dst, src, dst, (x, y) -> y);
    }

    /** dst += src in place (src broadcast to dst's shape); no autograd. Used for gradient accumulation. */
    public static void addInPlace(Tensor dst, Tensor src) {
        if (dst.isContiguous() && src.isContiguous() && dst.isF32() && src.isF32() && Shape.same(dst.shape(), src.shape())) {
            float[] d = dst.rawF(), s = src.rawF();
            for (int i = 0, n = dst.numel(); i < n; i++) d[i] += s[i];
            return;
        }
        binaryInto(dst, src, dst, Double::sum);
    }

    /**
     * Concatenation along axis (torch.cat): every part has the same dtype and the same shape except along
     * axis. Backward hands each part its slice of the gradient (fresh copies).
     */
    public static Tensor cat(int axis, Tensor... parts) {
        if (parts.length == 0) throw new IllegalArgumentException("cat needs at least one tensor");
        int[] shape = parts[0].shape();
        int ax = Shape.axis(axis, shape.length);
        DType dt = parts[0].dtype();
        int[] sizes = new int[parts.length];
        long total = 0;
        for (int i = 0; i < parts.length; i++) {
            int[] s = parts[i].shape();
            boolean fits = s.length == shape.length && parts[i].dtype() == dt;
            for (int a = 0; fits && a < s.length; a++) fits = a == ax || s[a] == shape[a];
            if (!fits)
                throw new IllegalArgumentException("cat along axis " + ax + ": " + Shape.str(s) + " " + parts[i].dtype()
                        + " does not match " + Shape.str(shape) + " " + dt + " outside that axis");
            sizes[i] = s[ax];
            total += s[ax];
        }
        int[] outShape = shape.clone();
        outShape[ax] = Math.toIntExact(total);
        Tensor out = Tensor.zeros(dt, outShape);
        int outer = 1, inner = 1;
        for (int a = 0; a < ax; a++) outer *= shape[a];
        for (int a = ax + 1; a < shape.length; a++) inner *= shape[a];
        int outBlock = outShape[ax] * inner;
        for (int i = 0, at = 0; i < parts.length; i++) {
            Tensor p = parts[i].contiguous();
            int block = sizes[i] * inner;
            for (int o = 0; o < outer; o++) {
                if (dt == DType.F32) System.arraycopy(p.rawF(), p.offset() + o * block, out.rawF(), o * outBlock + at, block);
                else System.arraycopy(p.rawD(), p.offset() + o * block, out.rawD(), o * outBlock + at, block);
            }
            at += block;
        }
        final int innerF = inner, outerF = outer;
        return Node.recordFresh(out, "cat", g -> {
            Tensor gc = g.contiguous();
            Tensor[] grads = new Tensor[parts.length];
            for (int i = 0, at = 0; i < parts.length; i++) {
                int block = sizes[i] * innerF;
                if (parts[i].requiresGrad()) {
                    Tensor gi = Tensor.zeros(gc.dtype(), parts[i].shape());
                    for (int o = 0; o < outerF; o++) {
                        if (gc.isF32()) System.arraycopy(gc.rawF(), gc.offset() + o * outBlock + at, gi.rawF(), o * block, block);
                        else System.arraycopy(gc.rawD(), gc.offset() + o * outBlock + at, gi.rawD(), o * block, block);
                    }
                    grads[i] = gi;
                }
                at += block;
            }
            return grads;
        }, parts);
    }

    // ================================================================ elementwise binary

    public static Tensor add(Tensor a, Tensor b) {
        Tensor out = binary(a, b, Double::sum, BinKind.ADD);
        int[] sa = a.shape(), sb = b.shape();
        return Node.record(out, "add", g -> new Tensor[] {sumToShape(g, sa), sumToShape(g, sb)}, a, b);
    }

    public static Tensor sub(Tensor a, Tensor b) {
        Tensor out = binary(a, b, (x, y) -> x - y, BinKind.SUB);
        int[] sa = a.shape(), sb = b.shape();
        return Node.record(out, "sub", g -> new Tensor[] {sumToShape(g, sa), sumToShape(mulScalar(g, -1), sb)}, a, b);
    }

    public static Tensor mul(Tensor a, Tensor b) {
        Tensor out = binary(a, b, (x, y) -> x * y, BinKind.MUL);
        int[] sa = a.shape(), sb = b.shape();
        return Node.record(out, "mul", g -> new Tensor[] {
                a.requiresGrad() ? sumToShape(mul(g, b), sa) : null,
                b.requiresGrad() ? sumToShape(mul(g, a), sb) : null}, a, b);
    }

    public static Tensor div(Tensor a, Tensor b) {
        Tensor out = binary(a, b, (x, y) -> x / y, BinKind.DIV);
        int[] sa = a.shape(), sb = b.shape();
        return Node.record(out, "div", g -> new Tensor[] {
                a.requiresGrad() ? sumToShape(div(g, b), sa) : null,
                b.requiresGrad() ? sumToShape(mulScalar(div(mul(g, out), b), -1), sb) : null}, a, b);
    }

    private enum BinKind { ADD, SUB, MUL, DIV, OTHER }

    private static Tensor binary(Tensor a, Tensor b, DoubleBinaryOperator op, BinKind kind) {
        DType dt = (a.dtype() == DType.F64 || b.dtype() == DType.F64) ? DType.F64 : DType.F32;
        int[] shape = Shape.broadcast(a.shape(), b.shape());
        Tensor out = Tensor.zeros(dt, shape);
        if (dt == DType.F32 && kind != BinKind.OTHER && fastF32(a, b, out, kind)) return out;
        binaryInto(a, b, out, op);
        return out;
    }

    /** Contiguous float32 fast paths: equal shapes, or b a row vector broadcast over a's rows (bias). */
    private static boolean fastF32(Tensor a, Tensor b, Tensor out, BinKind kind) {
        if (!a.isContiguous() || !b.isContiguous()) return false;
        float[] x = a.rawF(), y = b.rawF(), o = out.rawF();
        int n = out.numel();
        if (Shape.same(a.shape(), b.shape())) {
            switch (kind) {
                case ADD -> { for (int i = 0; i < n; i++) o[i] = x[i] + y[i]; }
                case SUB -> { for (int i = 0; i < n; i++) o[i] = x[i] - y[i]; }
                case MUL -> { for (int i = 0; i < n; i++) o[i] = x[i] * y[i]; }
                case DIV -> { for (int i = 0; i < n; i++) o[i] = x[i] / y[i]; }
                default -> { return false; }
            }
            return true;
        }
        int[] sa = a.shape(), sb = b.shape();
        int cols = sb.length == 0 ? 1 : sb[sb.length - 1];
        boolean rowVector = Shape.same(out.shape(), sa) && y.length == cols && sa.length >= 1 && sa[sa.length - 1] == cols;
        if (!rowVector || (kind != BinKind.ADD && kind != BinKind.MUL)) return false;
        for (int r = 0; r < n; r += cols) {
            if (kind == BinKind.ADD) for (int j = 0; j < cols; j++) o[r + j] = x[r + j] + y[j];
            else for (int j = 0; j < cols; j++) o[r + j] = x[r + j] * y[j];
        }
        return true;
    }

    /** out[i] = op(a[i], b[i]) over out's shape, with a and b broadcast to it; any strides. */
    private static void binaryInto(Tensor a, Tensor b, Tensor out, DoubleBinaryOperator op) {
        int[] shape = out.shape();
        int r = shape.length;
        int[] sa = broadcastStrides(a, shape), sb = broadcastStrides(b, shape), so = out.strides();
        int n = out.numel();
        if (n == 0) return;
        int[] idx = new int[r];
        int pa = a.offset(), pb = b.offset(), po = out.offset();
        float[] af = a.rawF(), bf = b.rawF(), of = out.rawF();
        double[] ad = a.rawD(), bd = b.rawD(), od = out.rawD();
        for (int i = 0; i < n; i++) {
            double x = af != null ? af[pa] : ad[pa];
            double y = bf != null ? bf[pb] : bd[pb];
            double v = op.applyAsDouble(x, y);
            if (of != null) of[po] = (float) v; else od[po] = v;
            for (int ax = r - 1; ax >= 0; ax--) {          // advance the multi-index (odometer)
                if (++idx[ax] < shape[ax]) { pa += sa[ax]; pb += sb[ax]; po += so[ax]; break; }
                idx[ax] = 0;
                pa -= sa[ax] * (shape[ax] - 1); pb -= sb[ax] * (shape[ax] - 1); po -= so[ax] * (shape[ax] - 1);
            }
        }
    }

    /** Strides of t viewed as broadcast to shape (0 along broadcast dimensions). */
    private static int[] broadcastStrides(Tensor t, int[] shape) {
        int[] ts = t.shape(), st = t.strides();
        int lead = shape.length - ts.length;
        if (lead < 0) throw new IllegalArgumentException("cannot broadcast " + Shape.str(ts) + " to " + Shape.str(shape));
        int[] out = new int[shape.length];
        for (int i = lead; i < shape.length; i++) {
            int s = ts[i - lead];
            if (s == shape[i]) out[i] = st[i - lead];
            else if (s == 1) out[i] = 0;
            else throw new IllegalArgumentException("cannot broadcast " + Shape.str(ts) + " to " + Shape.str(shape));
        }
        return out;
    }

    /** Sums g over the dimensions that broadcasting expanded, giving a tensor of the original shape. */
    public static Tensor sumToShape(Tensor g, int[] shape) {
        int[] gs = g.shape();
        if (Shape.same(gs, shape)) return g;
        int lead = gs.length - shape.length;
        java.util.List<Integer> axes = new java.util.ArrayList<>();
        for (int i = 0; i < gs.length; i++)
            if (i < lead || (shape[i - lead] == 1 && gs[i] != 1)) axes.add(i);
        Tensor s = sum(g, axes.stream().mapToInt(Integer::intValue).toArray(), true);
        return s.reshape(shape);
    }

    // ================================================================ elementwise unary

    public static Tensor addScalar(Tensor a, double c) {
        Tensor out = unary(a, x -> x + c);
        return Node.record(out, "addScalar", g -> new Tensor[] {g}, a);
    }

    public static Tensor mulScalar(Tensor a, double c) {
        Tensor out;
        if (a.isF32() && a.isContiguous()) {
            out = Tensor.zeros(a.shape());
            float[] x = a.rawF(), o = out.rawF();
            float cf = (float) c;
            for (int i = 0; i < o.length; i++) o[i] = x[i] * cf;
        } else out = unary(a, x -> x * c);
        return Node.record(out, "mulScalar", g -> new Tensor[] {mulScalar(g, c)}, a);
    }

    public static Tensor pow(Tensor a, double p) {
        Tensor out = unary(a, x -> Math.pow(x, p));
        return Node.record(out, "pow", g -> new Tensor[] {mul(g, unary(a, x -> p * Math.pow(x, p - 1)))}, a);
    }

    public static Tensor exp(Tensor a) {
        Tensor out = unary(a, Math::exp);
        return Node.record(out, "exp", g -> new Tensor[] {mul(g, out)}, a);
    }

    public static Tensor log(Tensor a) {
        Tensor out = unary(a, Math::log);
        return Node.record(out, "log", g -> new Tensor[] {div(g, a)}, a);
    }

    public static Tensor sqrt(Tensor a) {
        Tensor out = unary(a, Math::sqrt);
        return Node.record(out, "sqrt", g -> new Tensor[] {div(g, mulScalar(out, 2))}, a);
    }

    public static Tensor tanh(Tensor a) {
        Tensor out = unary(a, Math::tanh);
        return Node.record(out, "tanh", g -> new Tensor[] {mul(g, unary(out, y -> 1 - y * y))}, a);
    }

    public static Tensor sigmoid(Tensor a) {
        Tensor out = unary(a, x -> x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
        return Node.record(out, "sigmoid", g -> new Tensor[] {mul(g, unary(out, y -> y * (1 - y)))}, a);
    }

    /** |x|; the gradient at 0 is 0 (PyTorch's convention, sign(0) = 0). */
    public static Tensor abs(Tensor a) {
        Tensor out = unary(a, Math::abs);
        return Node.record(out, "abs", g -> new Tensor[] {mul(g, unary(a, Math::signum))}, a);
    }

    /** max(x, 0); the gradient at exactly 0 is 0 (PyTorch's convention). */
    public static Tensor relu(Tensor a) {
        Tensor out;
        if (a.isF32() && a.isContiguous()) {
            out = Tensor.zeros(a.shape());
            ReluKernels.relu(a.rawF(), 0, out.numel(), out.rawF());
        } else out = unary(a, x -> Math.max(x, 0));
        return Node.recordFresh(out, "relu", g -> new Tensor[] {reluBackward(g, out)}, a);
    }

    private static Tensor reluBackward(Tensor g, Tensor out) {
        if (g.isF32() && g.isContiguous()) {
            Tensor gi = Tensor.zeros(g.shape());
            ReluKernels.maskByPositive(g.rawF(), out.rawF(), 0, gi.numel(), gi.rawF());   // branch-free: see ReluKernels
            return gi;
        }
        return binary(g, out, (gv, y) -> y > 0 ? gv : 0, BinKind.OTHER);
    }

    /** A new contiguous tensor f(a) of a's dtype (no autograd: callers record). */
    public static Tensor unary(Tensor a, DoubleUnaryOperator f) {
        Tensor out = Tensor.zeros(a.dtype(), a.shape());
        int n = out.numel();
        if (a.isContiguous()) {
            if (a.isF32()) { float[] x = a.rawF(), o = out.rawF(); for (int i = 0; i < n; i++) o[i] = (float) f.applyAsDouble(x[i]); }
            else { double[] x = a.rawD(), o = out.rawD(); for (int i = 0; i < n; i++) o[i] = f.applyAsDouble(x[i]); }
        } else {
            for (int i = 0; i < n; i++) out.setFlat(i, f.applyAsDouble(a.getFlat(i)));
        }
        return out;
    }

    // ================================================================ reductions

    /** Sum over the given axes (null = all); float32 sums accumulate in float64. */
    public static Tensor sum(Tensor a, int[] axes, boolean keepDim) {
        int[] shape = a.shape();
        int r = shape.length;
        boolean[] reduce = new boolean[r];
        if (axes == null) java.util.Arrays.fill(reduce, true);
        else for (int ax : axes) reduce[Shape.axis(ax, r)] = true;
        int[] keptShape = new int[r];
        for (int i = 0; i < r; i++) keptShape[i] = reduce[i] ? 1 : shape[i];
        double[] acc = new double[Shape.numel(keptShape)];
        int[] accStrides = Shape.contiguousStrides(keptShape);
        for (int i = 0; i < r; i++) if (reduce[i]) accStrides[i] = 0;
        int n = a.numel();
        if (a.isContiguous() && axes == null) {
            double s = 0;
            if (a.isF32()) { float[] x = a.rawF(); for (int i = 0; i < n; i++) s += x[i]; }
            else { double[] x = a.rawD(); for (int i = 0; i < n; i++) s += x[i]; }
            acc[0] = s;
        } else if (n > 0) {
            int[] idx = new int[r];
            int[] st = a.strides();
            int p = a.offset(), q = 0;
            float[] af = a.rawF();
            double[] ad = a.rawD();
            for (int i = 0; i < n; i++) {
                acc[q] += af != null ? af[p] : ad[p];
                for (int ax = r - 1; ax >= 0; ax--) {
                    if (++idx[ax] < shape[ax]) { p += st[ax]; q += accStrides[ax]; break; }
                    idx[ax] = 0;
                    p -= st[ax] * (shape[ax] - 1);
                    q -= accStrides[ax] * (shape[ax] - 1);
                }
            }
        }
        int[] outShape = keepDim ? keptShape : dropReduced(shape, reduce);
        Tensor out = Tensor.zeros(a.dtype(), outShape);
        for (int i = 0; i < acc.length; i++) out.setFlat(i, acc[i]);
        return Node.record(out, "sum", g -> new Tensor[] {g.reshape(keptShape).expand(shape)}, a);
    }

    private static int[] dropReduced(int[] shape, boolean[] reduce) {
        int k = 0;
        for (boolean b : reduce) if (!b) k++;
        int[] out = new int[k];
        for (int i = 0, j = 0; i < shape.length; i++) if (!reduce[i]) out[j++] = shape[i];
        return out;
    }

    public static Tensor mean(Tensor a, int[] axes, boolean keepDim) {
        int[] shape = a.shape();
        long count = 1;
        if (axes == null) count = a.numel();
        else {
            boolean[] seen = new boolean[shape.length];
            for (int ax : axes) { int x = Shape.axis(ax, shape.length); if (!seen[x]) { seen[x] = true; count *= shape[x]; } }
        }
        return mulScalar(sum(a, axes, keepDim), 1.0 / count);
    }

    /** View of a contiguous tensor as (outer, n, inner) around one axis. */
    private record AxisSplit(int outer, int n, int inner) {
        static AxisSplit of(int[] shape, int axis) {
            int outer = 1, inner = 1;
            for (int i = 0; i < axis; i++) outer *= shape[i];
            for (int i = axis + 1; i < shape.length; i++) inner *= shape[i];
            return new AxisSplit(outer, shape[axis], inner);
        }
    }

    /** Maximum along an axis; the gradient goes to the first maximal element (lowest index) on ties. */
    public static Tensor max(Tensor a, int axis, boolean keepDim) {
        int[] shape = a.shape();
        int ax = Shape.axis(axis, shape.length);
        if (shape[ax] == 0) throw new IllegalArgumentException("max over an empty axis");
        Tensor c = a.contiguous().detach();
        AxisSplit s = AxisSplit.of(shape, ax);
        int[] arg = argmaxContiguous(c, s);
        int[] keptShape = shape.clone();
        keptShape[ax] = 1;
        Tensor out = Tensor.zeros(a.dtype(), keptShape);
        for (int o = 0; o < s.outer; o++)
            for (int i = 0; i < s.inner; i++)
                out.setFlat(o * s.inner + i, c.getFlat((o * s.n + arg[o * s.inner + i]) * s.inner + i));
        Tensor result = keepDim ? out : out.reshape(dropReduced(shape, axisMask(shape.length, ax)));
        return Node.record(result, "max", g -> {
            Tensor gi = Tensor.zeros(g.dtype(), shape);
            Tensor gc = g.contiguous();
            for (int o = 0; o < s.outer; o++)
                for (int i = 0; i < s.inner; i++)
                    gi.setFlat((o * s.n + arg[o * s.inner + i]) * s.inner + i, gc.getFlat(o * s.inner + i));
            return new Tensor[] {gi};
        }, a);
    }

    private static boolean[] axisMask(int r, int ax) { boolean[] m = new boolean[r]; m[ax] = true; return m; }

    /** Index of the maximum along an axis (first one on ties), for each position of the other axes. */
    public static int[] argmax(Tensor a, int axis) {
        int[] shape = a.shape();
        int ax = Shape.axis(axis, shape.length);
        return argmaxContiguous(a.contiguous(), AxisSplit.of(shape, ax));
    }

    private static int[] argmaxContiguous(Tensor c, AxisSplit s) {
        int[] arg = new int[s.outer * s.inner];
        if (c.isF32() && s.inner == 1) {   // rows of float32 logits, read in place (a float widens to its double exactly)
            float[] x = c.data();
            for (int o = 0; o < s.outer; o++) {
                int row = o * s.n, best = 0;
                float bv = x[row];
                for (int k = 1; k < s.n; k++)
                    if (beats(x[row + k], bv)) { bv = x[row + k]; best = k; }
                arg[o] = best;
            }
            return arg;
        }
        double[] x = c.toDoubleArray();   // one copy, not a strided index computation per element
        for (int o = 0; o < s.outer; o++)
            for (int i = 0; i < s.inner; i++) {
                int best = 0;
                double bv = x[o * s.n * s.inner + i];
                for (int k = 1; k < s.n; k++) {
                    double v = x[(o * s.n + k) * s.inner + i];
                    if (beats(v, bv)) { bv = v; best = k; }
                }
                arg[o * s.inner + i] = best;
            }
        return arg;
    }

    /** Whether v replaces the maximum so far: larger, or the first NaN (ties keep the first maximum). */
    private static boolean beats(double v, double best) { return v > best || (Double.isNaN(v) && !Double.isNaN(best)); }

    // ================================================================ softmax

    public static Tensor logSoftmax(Tensor a, int axis) {
        int[] shape = a.shape();
        int ax = Shape.axis(axis, shape.length);
        Tensor c = a.contiguous().detach();
        AxisSplit s = AxisSplit.of(shape, ax);
        Tensor out = Tensor.zeros(a.dtype(), shape);
        for (int o = 0; o < s.outer; o++)
            for (int i = 0; i < s.inner; i++) {
                int base = o * s.n * s.inner + i;
                double m = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < s.n; k++) m = Math.max(m, c.getFlat(base + k * s.inner));
                double z = 0;
                for (int k = 0; k < s.n; k++) z += Math.exp(c.getFlat(base + k * s.inner) - m);
                double lz = m + Math.log(z);
                for (int k = 0; k < s.n; k++) out.setFlat(base + k * s.inner, c.getFlat(base + k * s.inner) - lz);
            }
        // d/dx_k = g_k - softmax_k * sum_j g_j
        return Node.record(out, "logSoftmax", g -> {
            Tensor sm = exp(out.detach());
            return new Tensor[] {sub(g, mul(sm, sum(g, new int[] {ax}, true)))};
        }, a);
    }

    public static Tensor softmax(Tensor a, int axis) {
        Tensor out;
        try (var scope = convlab.autograd.GradMode.noGrad()) {
            out = exp(logSoftmax(a, axis));
        }
        int ax = Shape.axis(axis, a.dim());
        // d/dx = y * (g - sum(g * y))
        return Node.record(out, "softmax", g -> new Tensor[] {mul(out, sub(g, sum(mul(g, out), new int[] {ax}, true)))}, a);
    }

    // ================================================================ matmul

    /**
     * Matrix product. 2-D × 2-D; batched (…, m, k) × (…, k, n) with equal batch shapes; or batched × 2-D.
     * Transposed views are passed to GEMM as transposes, without copying.
     */
    public static Tensor matmul(Tensor a, Tensor b) {
        if (a.dim() < 2 || b.dim() < 2)
            throw new IllegalArgumentException("matmul needs matrices, got shapes " + Shape.str(a.shape()) + " and " + Shape.str(b.shape()));
        int[] sa = a.shape(), sb = b.shape();
        int m = sa[sa.length - 2], k = sa[sa.length - 1], k2 = sb[sb.length - 2], n = sb[sb.length - 1];
        if (k != k2)
            throw new IllegalArgumentException("matmul: inner dimensions differ: " + Shape.str(sa) + " × " + Shape.str(sb) + " (" + k + " vs " + k2 + ")");
        if (b.dim() == 2 && a.dim() > 2 && a.isContiguous()) {   // (…, m, k) × (k, n): one big GEMM
            int[] outShape = sa.clone();
            outShape[outShape.length - 1] = n;
            Tensor flat = a.reshape(-1, k);
            return matmul(flat, b).reshape(outShape);
        }
        int batch = 1;
        int[] batchShape = java.util.Arrays.copyOf(sa, sa.length - 2);
        if (a.dim() != b.dim() || !Shape.same(batchShape, java.util.Arrays.copyOf(sb, sb.length - 2)))
            throw new IllegalArgumentException("matmul: batch shapes differ: " + Shape.str(sa) + " × " + Shape.str(sb));
        for (int s : batchShape) batch *= s;
        DType dt = (a.dtype() == DType.F64 || b.dtype() == DType.F64) ? DType.F64 : DType.F32;
        Tensor a3 = asBatchedMatrix(a.to(dt).detach(), batch, m, k);
        Tensor b3 = asBatchedMatrix(b.to(dt).detach(), batch, k, n);
        int[] outShape = java.util.Arrays.copyOf(batchShape, batchShape.length + 2);
        outShape[outShape.length - 2] = m;
        outShape[outShape.length - 1] = n;
        Tensor out = Tensor.zeros(dt, outShape);
        gemmBatched(a3, b3, out, batch, m, n, k);
        return Node.record(out, "matmul", g -> new Tensor[] {
                a.requiresGrad() ? matmul(g, b.detach().transpose(-1, -2)) : null,
                b.requiresGrad() ? (b.dim() == 2 && g.dim() > 2
                        ? matmul(a.detach().reshape(-1, k).t(), g.reshape(-1, n))
                        : matmul(a.detach().transpose(-1, -2), g)) : null}, a, b);
    }

    /**
     * A (batch, rows, cols) view whose every matrix is row-major (column stride 1) or transposed
     * (row stride 1) in storage; copies when neither. Strides of size-1 dimensions are canonicalized.
     */
    private static Tensor asBatchedMatrix(Tensor t, int batch, int rows, int cols) {
        int[] rc = matrixStrides(t, rows, cols);
        if (rc == null) {
            t = t.contiguous().detach();
            rc = matrixStrides(t, rows, cols);
        }
        int r = t.dim();
        int batchStride = r > 2 ? t.strides()[r - 3] : 0;
        return t.viewOf(new int[] {batch, rows, cols}, new int[] {batchStride, rc[0], rc[1]}, t.offset());
    }

    /** {rowStride, colStride} usable by GEMM, or null if the layout needs a copy. */
    private static int[] matrixStrides(Tensor t, int rows, int cols) {
        int r = t.dim();
        int[] st = t.strides(), shape = t.shape();
        int rs = st[r - 2], cs = st[r - 1];
        if (cols == 1) cs = 1;
        if (rows == 1) rs = cs == 1 ? cols : 1;
        boolean normal = cs == 1 && rs >= cols, transposed = rs == 1 && cs >= rows;
        if (!normal && !transposed) return null;
        for (int i = r - 3; i >= 1; i--) if (st[i - 1] != st[i] * shape[i]) return null;   // batch dims must collapse
        return normal ? new int[] {rs, 1} : new int[] {1, cs};
    }

    private static void gemmBatched(Tensor a, Tensor b, Tensor out, int batch, int m, int n, int k) {
        int[] as = a.strides(), bs = b.strides();
        boolean ta = !(as[2] == 1 && as[1] >= k), tb = !(bs[2] == 1 && bs[1] >= n);
        int lda = ta ? as[2] : as[1], ldb = tb ? bs[2] : bs[1];
        for (int i = 0; i < batch; i++) {
            int ao = a.offset() + i * as[0], bo = b.offset() + i * bs[0], co = i * m * n;
            if (out.isF32())
                Gemm.sgemm(ta, tb, m, n, k, 1f, a.rawF(), ao, lda, b.rawF(), bo, ldb, 0f, out.rawF(), co, n);
            else
                Gemm.dgemm(ta, tb, m, n, k, 1.0, a.rawD(), ao, lda, b.rawD(), bo, ldb, 0.0, out.rawD(), co, n);
        }
    }
}
