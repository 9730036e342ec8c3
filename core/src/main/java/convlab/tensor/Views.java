package convlab.tensor;

import convlab.autograd.Node;

/** View operations: new geometry over the same storage where possible; each records its backward. */
final class Views {
    private Views() {}

    static Tensor reshape(Tensor t, int[] newShape) {
        int[] target = inferShape(newShape, t.numel(), t.shape());
        Tensor base = t.contiguous();
        Tensor out = base.viewOf(target, Shape.contiguousStrides(target), 0);
        int[] original = t.shape();
        return Node.record(out, "reshape", g -> new Tensor[] {g.reshape(original)}, base);
    }

    private static int[] inferShape(int[] s, int numel, int[] from) {
        int[] out = s.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("reshape: only one dimension can be -1 in " + java.util.Arrays.toString(s));
                infer = i;
            } else if (s[i] < 0) {
                throw new IllegalArgumentException("reshape: negative dimension in " + java.util.Arrays.toString(s));
            } else known *= s[i];
        }
        if (infer >= 0) {
            if (known == 0 || numel % known != 0)
                throw new IllegalArgumentException("reshape: cannot reshape " + Shape.str(from) + " (" + numel + " values) to " + java.util.Arrays.toString(s));
            out[infer] = (int) (numel / known);
        } else if (known != numel) {
            throw new IllegalArgumentException("reshape: cannot reshape " + Shape.str(from) + " (" + numel + " values) to " + Shape.str(s));
        }
        return out;
    }

    static Tensor flatten(Tensor t, int fromAxis) {
        int[] s = t.shape();
        int a = Shape.axis(fromAxis, s.length);
        int[] target = new int[a + 1];
        System.arraycopy(s, 0, target, 0, a);
        int rest = 1;
        for (int i = a; i < s.length; i++) rest *= s[i];
        target[a] = rest;
        return reshape(t, target);
    }

    static Tensor permute(Tensor t, int[] axes) {
        int r = t.dim();
        if (axes.length != r) throw new IllegalArgumentException("permute: " + axes.length + " axes for a tensor of rank " + r);
        int[] shape = t.shape(), strides = t.strides();
        int[] ns = new int[r], nst = new int[r], inverse = new int[r];
        boolean[] seen = new boolean[r];
        for (int i = 0; i < r; i++) {
            int a = Shape.axis(axes[i], r);
            if (seen[a]) throw new IllegalArgumentException("permute: axis " + a + " repeated in " + java.util.Arrays.toString(axes));
            seen[a] = true;
            ns[i] = shape[a];
            nst[i] = strides[a];
            inverse[a] = i;
        }
        Tensor out = t.viewOf(ns, nst, t.offset());
        return Node.record(out, "permute", g -> new Tensor[] {g.permute(inverse)}, t);
    }

    static Tensor transpose(Tensor t, int a, int b) {
        int r = t.dim();
        int[] axes = new int[r];
        for (int i = 0; i < r; i++) axes[i] = i;
        int x = Shape.axis(a, r), y = Shape.axis(b, r);
        axes[x] = y;
        axes[y] = x;
        return permute(t, axes);
    }

    static Tensor slice(Tensor t, int axis, int start, int end, int step) {
        int[] shape = t.shape(), strides = t.strides();
        int a = Shape.axis(axis, shape.length);
        if (step <= 0) throw new IllegalArgumentException("slice: step must be positive, got " + step);
        int n = shape[a];
        int s = Math.max(0, Math.min(start < 0 ? start + n : start, n));
        int e = Math.max(s, Math.min(end < 0 ? end + n : end, n));
        int len = (e - s + step - 1) / step;
        int[] ns = shape.clone();
        ns[a] = len;
        int[] nst = strides.clone();
        nst[a] = strides[a] * step;
        Tensor out = t.viewOf(ns, nst, t.offset() + s * strides[a]);
        int[] inShape = t.shape();
        DType dtype = t.dtype();
        return Node.record(out, "slice", g -> {
            Tensor full = Tensor.zeros(dtype, inShape);
            Ops.addInPlace(slice(full, a, s, e, step), g);
            return new Tensor[] {full};
        }, t);
    }

    static Tensor unsqueeze(Tensor t, int axis) {
        int r = t.dim();
        int a = axis < 0 ? axis + r + 1 : axis;
        if (a < 0 || a > r) throw new IllegalArgumentException("unsqueeze: axis " + axis + " out of range for rank " + r);
        int[] shape = t.shape(), strides = t.strides();
        int[] ns = new int[r + 1], nst = new int[r + 1];
        for (int i = 0, j = 0; i <= r; i++) {
            if (i == a) { ns[i] = 1; nst[i] = 0; }
            else { ns[i] = shape[j]; nst[i] = strides[j]; j++; }
        }
        Tensor out = t.viewOf(ns, nst, t.offset());
        return Node.record(out, "unsqueeze", g -> new Tensor[] {squeeze(g, a)}, t);
    }

    static Tensor squeeze(Tensor t, int axis) {
        int r = t.dim();
        int a = Shape.axis(axis, r);
        int[] shape = t.shape(), strides = t.strides();
        if (shape[a] != 1) throw new IllegalArgumentException("squeeze: axis " + a + " has size " + shape[a] + ", not 1");
        int[] ns = new int[r - 1], nst = new int[r - 1];
        for (int i = 0, j = 0; i < r; i++) if (i != a) { ns[j] = shape[i]; nst[j] = strides[i]; j++; }
        Tensor out = t.viewOf(ns, nst, t.offset());
        return Node.record(out, "squeeze", g -> new Tensor[] {unsqueeze(g, a)}, t);
    }

    /** Broadcast view: size-1 dimensions (and new leading ones) repeat with stride 0. */
    static Tensor expand(Tensor t, int[] target) {
        int[] shape = t.shape(), strides = t.strides();
        int lead = target.length - shape.length;
        if (lead < 0) throw new IllegalArgumentException("expand: cannot expand " + Shape.str(shape) + " to fewer dimensions " + Shape.str(target));
        int[] nst = new int[target.length];
        for (int i = 0; i < target.length; i++) {
            if (i < lead) { nst[i] = 0; continue; }
            int s = shape[i - lead];
            if (s == target[i]) nst[i] = strides[i - lead];
            else if (s == 1) nst[i] = 0;
            else throw new IllegalArgumentException("expand: cannot expand " + Shape.str(shape) + " to " + Shape.str(target));
        }
        Tensor out = t.viewOf(target.clone(), nst, t.offset());
        return Node.record(out, "expand", g -> new Tensor[] {Ops.sumToShape(g, shape)}, t);
    }
}
