package convlab.tensor;

import convlab.autograd.Engine;
import convlab.autograd.GradMode;
import convlab.autograd.Node;

import java.util.Arrays;

/**
 * A dense n-dimensional array of float32 or float64 values with shape and strides, optionally
 * tracked by autograd.
 *
 * <p>Storage is a plain Java array ({@code float[]} or {@code double[]}) shared by views:
 * reshape of a contiguous tensor, transpose/permute, slicing and expand never copy.
 * Operations live in {@link Ops} (elementwise, reductions, matmul) and in {@code convlab.nn.functional}
 * (layers); the instance methods here are shortcuts to them.
 */
public class Tensor {
    private final DType dtype;
    private final int[] shape;
    private final int[] strides;
    private final int offset;
    private final float[] f;
    private final double[] d;

    private boolean requiresGrad;
    private Tensor grad;
    private Node gradFn;

    // ---------------------------------------------------------------- construction

    protected Tensor(DType dtype, int[] shape, int[] strides, int offset, float[] f, double[] d) {
        this.dtype = dtype;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.f = f;
        this.d = d;
    }

    /** A tensor sharing the storage and geometry of another (used by Parameter). */
    protected Tensor(Tensor other) {
        this(other.dtype, other.shape, other.strides, other.offset, other.f, other.d);
    }

    public static Tensor zeros(int... shape) { return zeros(DType.F32, shape); }

    public static Tensor zeros(DType dtype, int... shape) {
        Shape.check(shape);
        int n = Shape.numel(shape);
        int[] s = shape.clone();
        return dtype == DType.F32
                ? new Tensor(DType.F32, s, Shape.contiguousStrides(s), 0, StepArena.zeroedFloats(n), null)
                : new Tensor(DType.F64, s, Shape.contiguousStrides(s), 0, null, new double[n]);
    }

    public static Tensor zerosLike(Tensor t) { return zeros(t.dtype, t.shape); }

    /**
     * A contiguous tensor whose contents are unspecified (PyTorch's {@code empty}): for an op that writes every
     * element. Inside a {@link StepArena} a large float32 array is reused without being zeroed first; elsewhere it
     * is a fresh (zero) array.
     */
    public static Tensor empty(DType dtype, int... shape) {
        if (dtype != DType.F32) return zeros(dtype, shape);
        Shape.check(shape);
        int[] s = shape.clone();
        return new Tensor(DType.F32, s, Shape.contiguousStrides(s), 0, StepArena.anyFloats(Shape.numel(s)), null);
    }

    public static Tensor full(double value, DType dtype, int... shape) {
        Tensor t = zeros(dtype, shape);
        if (dtype == DType.F32) Arrays.fill(t.f, (float) value); else Arrays.fill(t.d, value);
        return t;
    }

    public static Tensor ones(int... shape) { return full(1, DType.F32, shape); }

    public static Tensor scalar(double v) { return full(v, DType.F32, new int[0]); }

    public static Tensor scalar(double v, DType dtype) { return full(v, dtype, new int[0]); }

    /** Wraps a float array (not copied) as a contiguous tensor of the given shape. */
    public static Tensor of(float[] data, int... shape) {
        checkLength(data.length, shape);
        return new Tensor(DType.F32, shape.clone(), Shape.contiguousStrides(shape), 0, data, null);
    }

    /** Wraps a double array (not copied) as a contiguous float64 tensor of the given shape. */
    public static Tensor of(double[] data, int... shape) {
        checkLength(data.length, shape);
        return new Tensor(DType.F64, shape.clone(), Shape.contiguousStrides(shape), 0, null, data);
    }

    private static void checkLength(int length, int[] shape) {
        Shape.check(shape);
        if (Shape.numelLong(shape) != length)
            throw new IllegalArgumentException("data has " + length + " values but shape " + Shape.str(shape) + " needs " + Shape.numelLong(shape));
    }

    /** Standard normal entries times std, from a seeded generator. */
    public static Tensor randn(Rng rng, double std, DType dtype, int... shape) {
        Tensor t = zeros(dtype, shape);
        int n = t.numel();
        for (int i = 0; i < n; i++) t.setFlat(i, std * rng.nextGaussian());
        return t;
    }

    public static Tensor randn(Rng rng, int... shape) { return randn(rng, 1.0, DType.F32, shape); }

    /** Uniform entries in [lo, hi), from a seeded generator. */
    public static Tensor uniform(Rng rng, double lo, double hi, DType dtype, int... shape) {
        Tensor t = zeros(dtype, shape);
        int n = t.numel();
        for (int i = 0; i < n; i++) t.setFlat(i, lo + (hi - lo) * rng.nextDouble());
        return t;
    }

    // ---------------------------------------------------------------- geometry

    public DType dtype() { return dtype; }
    public int[] shape() { return shape.clone(); }
    public int dim() { return shape.length; }
    public int size(int axis) { return shape[Shape.axis(axis, shape.length)]; }
    public int[] strides() { return strides.clone(); }
    public int offset() { return offset; }
    public int numel() { return Shape.numel(shape); }
    public boolean isF32() { return dtype == DType.F32; }

    /** Row-major with no gaps and offset 0 (so data() returns exactly the elements). */
    public boolean isContiguous() {
        if (offset != 0) return false;
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != expected) return false;
            expected *= shape[i];
        }
        return storageLength() == expected;
    }

    private int storageLength() { return f != null ? f.length : d.length; }

    /** The float storage, whatever the view (null for float64): for {@link StepArena#holds}. */
    float[] storageF32() { return f; }

    /** The backing float array of a contiguous float32 tensor (shared, not copied). */
    public float[] data() {
        if (dtype != DType.F32) throw new IllegalStateException("data() on a " + dtype + " tensor; use dataF64()");
        if (!isContiguous()) throw new IllegalStateException("data() needs a contiguous tensor; call contiguous() first");
        return f;
    }

    /** The backing double array of a contiguous float64 tensor (shared, not copied). */
    public double[] dataF64() {
        if (dtype != DType.F64) throw new IllegalStateException("dataF64() on a " + dtype + " tensor; use data()");
        if (!isContiguous()) throw new IllegalStateException("dataF64() needs a contiguous tensor; call contiguous() first");
        return d;
    }

    float[] rawF() { return f; }
    double[] rawD() { return d; }

    // ---------------------------------------------------------------- element access (slow path: tests, explain)

    /** Storage index of the element at a multi-index. */
    public int storageIndex(int... idx) {
        if (idx.length != shape.length)
            throw new IllegalArgumentException("index of rank " + idx.length + " for a tensor of shape " + Shape.str(shape));
        int p = offset;
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= shape[i])
                throw new IndexOutOfBoundsException("index " + Arrays.toString(idx) + " out of range for shape " + Shape.str(shape));
            p += idx[i] * strides[i];
        }
        return p;
    }

    public double get(int... idx) {
        int p = storageIndex(idx);
        return f != null ? f[p] : d[p];
    }

    public void set(double v, int... idx) {
        int p = storageIndex(idx);
        if (f != null) f[p] = (float) v; else d[p] = v;
    }

    /** The element at a logical row-major position (works for any strides). */
    public double getFlat(int i) { return f != null ? f[flatToStorage(i)] : d[flatToStorage(i)]; }

    public void setFlat(int i, double v) {
        int p = flatToStorage(i);
        if (f != null) f[p] = (float) v; else d[p] = v;
    }

    private int flatToStorage(int i) {
        int p = offset;
        for (int ax = shape.length - 1; ax >= 0; ax--) {
            int s = shape[ax];
            p += (i % s) * strides[ax];
            i /= s;
        }
        return p;
    }

    /** Scalar value of a one-element tensor. */
    public double item() {
        if (numel() != 1) throw new IllegalStateException("item() on a tensor of shape " + Shape.str(shape));
        return getFlat(0);
    }

    /** A copy of all elements in row-major order, as float64. */
    public double[] toDoubleArray() {
        int n = numel();
        double[] out = new double[n];
        if (isContiguous()) {
            if (f != null) for (int i = 0; i < n; i++) out[i] = f[i];
            else System.arraycopy(d, 0, out, 0, n);
            return out;
        }
        for (int i = 0; i < n; i++) out[i] = getFlat(i);
        return out;
    }

    /** A copy of all elements in row-major order, as float32. */
    public float[] toFloatArray() {
        int n = numel();
        float[] out = new float[n];
        if (isContiguous() && f != null) { System.arraycopy(f, 0, out, 0, n); return out; }
        for (int i = 0; i < n; i++) out[i] = (float) getFlat(i);
        return out;
    }

    // ---------------------------------------------------------------- views and copies

    /** This tensor if contiguous, else a contiguous copy (recorded by autograd). */
    public Tensor contiguous() { return isContiguous() ? this : Ops.copy(this); }

    /** A new tensor with the same values and its own storage (recorded by autograd). */
    public Tensor copy() { return Ops.copy(this); }

    /** The same values in another dtype (recorded by autograd). */
    public Tensor to(DType target) { return target == dtype ? this : Ops.cast(this, target); }

    public Tensor reshape(int... newShape) { return Views.reshape(this, newShape); }
    public Tensor flatten(int fromAxis) { return Views.flatten(this, fromAxis); }
    public Tensor transpose(int a, int b) { return Views.transpose(this, a, b); }
    /** Transpose of a 2-D tensor. */
    public Tensor t() { return Views.transpose(this, 0, 1); }
    public Tensor permute(int... axes) { return Views.permute(this, axes); }
    public Tensor slice(int axis, int start, int end) { return Views.slice(this, axis, start, end, 1); }
    public Tensor slice(int axis, int start, int end, int step) { return Views.slice(this, axis, start, end, step); }
    public Tensor unsqueeze(int axis) { return Views.unsqueeze(this, axis); }
    public Tensor squeeze(int axis) { return Views.squeeze(this, axis); }
    public Tensor expand(int... newShape) { return Views.expand(this, newShape); }

    /** A view with other geometry over the same storage (no autograd recording: callers record). */
    Tensor viewOf(int[] newShape, int[] newStrides, int newOffset) {
        return new Tensor(dtype, newShape, newStrides, newOffset, f, d);
    }

    // ---------------------------------------------------------------- op shortcuts

    public Tensor add(Tensor o) { return Ops.add(this, o); }
    public Tensor sub(Tensor o) { return Ops.sub(this, o); }
    public Tensor mul(Tensor o) { return Ops.mul(this, o); }
    public Tensor div(Tensor o) { return Ops.div(this, o); }
    public Tensor add(double c) { return Ops.addScalar(this, c); }
    public Tensor mul(double c) { return Ops.mulScalar(this, c); }
    public Tensor neg() { return Ops.mulScalar(this, -1); }
    public Tensor pow(double p) { return Ops.pow(this, p); }
    public Tensor exp() { return Ops.exp(this); }
    public Tensor log() { return Ops.log(this); }
    public Tensor sqrt() { return Ops.sqrt(this); }
    public Tensor tanh() { return Ops.tanh(this); }
    public Tensor sigmoid() { return Ops.sigmoid(this); }
    public Tensor relu() { return Ops.relu(this); }
    public Tensor abs() { return Ops.abs(this); }
    public Tensor matmul(Tensor o) { return Ops.matmul(this, o); }
    public Tensor sum() { return Ops.sum(this, null, false); }
    public Tensor sum(int axis, boolean keepDim) { return Ops.sum(this, new int[] {axis}, keepDim); }
    public Tensor sum(int[] axes, boolean keepDim) { return Ops.sum(this, axes, keepDim); }
    public Tensor mean() { return Ops.mean(this, null, false); }
    public Tensor mean(int axis, boolean keepDim) { return Ops.mean(this, new int[] {axis}, keepDim); }
    public Tensor mean(int[] axes, boolean keepDim) { return Ops.mean(this, axes, keepDim); }
    public Tensor max(int axis, boolean keepDim) { return Ops.max(this, axis, keepDim); }
    public int[] argmax(int axis) { return Ops.argmax(this, axis); }
    public Tensor softmax(int axis) { return Ops.softmax(this, axis); }
    public Tensor logSoftmax(int axis) { return Ops.logSoftmax(this, axis); }

    // ---------------------------------------------------------------- autograd

    public boolean requiresGrad() { return requiresGrad; }

    /** Marks a leaf tensor as one whose gradient is wanted. */
    public Tensor requiresGrad(boolean flag) {
        if (gradFn != null && !flag) throw new IllegalStateException("cannot clear requiresGrad on a non-leaf tensor");
        this.requiresGrad = flag;
        return this;
    }

    /** Accumulated gradient of a leaf (null until backward reaches it). */
    public Tensor grad() { return grad; }
    public void setGrad(Tensor g) { this.grad = g; }
    public void zeroGrad() { this.grad = null; }

    public Node gradFn() { return gradFn; }
    public boolean isLeaf() { return gradFn == null; }

    /**
     * Records that this tensor was produced by node (called by ops right after computing their output,
     * only when grad mode is on and some input requires grad).
     */
    public Tensor recordedBy(Node node) {
        this.gradFn = node;
        this.requiresGrad = true;
        return this;
    }

    /** The same values cut from the graph. */
    public Tensor detach() { return new Tensor(dtype, shape, strides, offset, f, d); }

    /** Backpropagates from a scalar (one-element) tensor: d(this)/d(this) = 1. */
    public void backward() {
        if (numel() != 1)
            throw new IllegalStateException("backward() without a gradient needs a scalar, got shape " + Shape.str(shape));
        Engine.backward(this, full(1, dtype, shape));
    }

    /** Backpropagates a given output gradient of this tensor's shape. */
    public void backward(Tensor gradOutput) { Engine.backward(this, gradOutput); }

    /** True when an op on these inputs must record a node. */
    public static boolean needsGrad(Tensor... inputs) {
        if (!GradMode.isEnabled()) return false;
        for (Tensor t : inputs) if (t != null && t.requiresGrad) return true;
        return false;
    }

    // ---------------------------------------------------------------- printing

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor(").append(Shape.str(shape)).append(", ").append(dtype);
        int n = numel();
        sb.append(", [");
        for (int i = 0; i < Math.min(n, 12); i++) { if (i > 0) sb.append(", "); sb.append((float) getFlat(i)); }
        if (n > 12) sb.append(", ...");
        sb.append("])");
        return sb.toString();
    }
}
