package convlab.nn.functional;

import convlab.autograd.Node;
import convlab.geometry.ConvGeometry;
import convlab.geometry.PaddingMode;
import convlab.geometry.OutputSize;
import convlab.tensor.Shape;
import convlab.tensor.Tensor;

/**
 * Convolution and transposed convolution, 1-d and 2-d, with their backward rules (PyTorch's
 * {@code F.conv1d/conv2d/conv_transpose1d/conv_transpose2d}). Layouts are PyTorch's:
 * <ul>
 * <li>conv: x (N, C_in, [H,] W), w (C_out, C_in/groups, [kH,] kW), b (C_out) or null.
 * <li>transposed: x (N, C_in, [H,] W), w (C_in, C_out/groups, [kH,] kW), b (C_out) or null; output size per
 *     axis (in − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1.
 * </ul>
 * A 1-d convolution is computed as a 2-d one of height 1 (same memory layout, no copy).
 *
 * <p>A transposed convolution is the adjoint of an ordinary convolution (from its output to its input), so
 * both share one {@link ConvGeometry} and one set of kernels: its forward is the convolution's input
 * gradient, its input gradient the convolution's forward, its weight gradient the convolution's weight
 * gradient with the roles of the two activations swapped.
 *
 * <p>With {@link ConvOptions#flip} on, the kernel is flipped in every spatial axis first (true
 * convolution); the weight gradient is flipped back. The fused-ReLU variants apply max(·, 0) in the same
 * pass as the bias; their backward masks the incoming gradient by output &gt; 0.
 */
public final class Conv {
    private Conv() {}

    public static Tensor conv2d(Tensor x, Tensor w, Tensor b, ConvOptions o) { return conv(x, w, b, o, false, false); }

    /** relu(conv2d(x, w, b, o)) in one pass. */
    public static Tensor conv2dRelu(Tensor x, Tensor w, Tensor b, ConvOptions o) { return conv(x, w, b, o, false, true); }

    public static Tensor conv1d(Tensor x, Tensor w, Tensor b, ConvOptions o) { return conv(x, w, b, o, true, false); }

    /** relu(conv1d(x, w, b, o)) in one pass. */
    public static Tensor conv1dRelu(Tensor x, Tensor w, Tensor b, ConvOptions o) { return conv(x, w, b, o, true, true); }

    public static Tensor convTranspose2d(Tensor x, Tensor w, Tensor b, ConvOptions o) { return convTranspose(x, w, b, o, false); }

    public static Tensor convTranspose1d(Tensor x, Tensor w, Tensor b, ConvOptions o) { return convTranspose(x, w, b, o, true); }

    // ---------------------------------------------------------------- geometry (also used by the modules' outputShape)

    /**
     * Checks the options that need no shapes (for a layer at construction time): 1-d options have one value
     * per option; "same" needs stride 1 and no transposition; transposed convolutions pad with zeros only and
     * need output padding below the stride or the dilation; plain ones take no output padding.
     * Returns the options seen as 2-d (height 1 for 1-d).
     */
    public static ConvOptions validate(ConvOptions o, boolean oneD, boolean transposed, String op) {
        if (o == null) throw new IllegalArgumentException(op + ": options must not be null (use ConvOptions.DEFAULT)");
        ConvOptions p = oneD ? o.as2dOf1d(op) : o;
        if (p.same() && transposed)
            throw new IllegalArgumentException(op + ": padding \"same\" is not defined for a transposed convolution");
        if (p.same() && (p.strideH() != 1 || p.strideW() != 1))
            throw new IllegalArgumentException(op + ": padding \"same\" needs stride 1, got stride " + p.strideH() + "x" + p.strideW());
        if (transposed) {
            if (p.paddingMode() != PaddingMode.ZEROS)
                throw new IllegalArgumentException(op + ": only zeros padding is supported (as in PyTorch), got " + p.paddingMode().torchName());
            checkOutputPadding(op, p.outPadH(), p.strideH(), p.dilH(), "height");
            checkOutputPadding(op, p.outPadW(), p.strideW(), p.dilW(), "width");
        } else if (p.outPadH() != 0 || p.outPadW() != 0) {
            throw new IllegalArgumentException(op + ": output padding is only for transposed convolutions");
        }
        return p;
    }

    /** The geometry of conv1d/conv2d for input shape x and weight shape w; checks every option against the shapes. */
    public static ConvGeometry convGeometry(int[] x, int[] w, ConvOptions o, boolean oneD) {
        String op = oneD ? "conv1d" : "conv2d";
        int dims = oneD ? 3 : 4;
        checkRank(op, "input", x, dims, oneD ? "(N, C, W)" : "(N, C, H, W)");
        checkRank(op, "weight", w, dims, oneD ? "(C_out, C_in/groups, kW)" : "(C_out, C_in/groups, kH, kW)");
        ConvOptions p = validate(o, oneD, false, op);
        int n = x[0], inC = x[1], inH = oneD ? 1 : x[2], inW = x[dims - 1];
        int outC = w[0], kH = oneD ? 1 : w[2], kW = w[dims - 1];
        checkGroups(op, inC, outC, p.groups(), "input", "output");
        if (w[1] * p.groups() != inC)
            throw new IllegalArgumentException(op + ": weight " + Shape.str(w) + " expects " + w[1] * p.groups()
                    + " input channels (" + w[1] + " per group × " + p.groups() + " groups), input " + Shape.str(x) + " has " + inC);
        int padT, padB, padL, padR;
        if (p.same()) {
            int th = p.dilH() * (kH - 1), tw = p.dilW() * (kW - 1);
            padT = th / 2; padB = th - padT; padL = tw / 2; padR = tw - padL;   // PyTorch: the odd extra goes last
        } else {
            padT = padB = p.padH();
            padL = padR = p.padW();
        }
        PaddingMode mode = p.paddingMode();
        if (!oneD) mode.checkPadding(Math.max(padT, padB), inH, "input height");
        mode.checkPadding(Math.max(padL, padR), inW, "input width");
        return ConvGeometry.conv(n, inC, inH, inW, outC, p.groups(), kH, kW, p.strideH(), p.strideW(),
                padT, padB, padL, padR, p.dilH(), p.dilW(), mode);
    }

    /**
     * The geometry of the convolution whose adjoint is conv_transpose1d/2d of input x, weight w: its input is
     * the transposed convolution's output and vice versa.
     */
    public static ConvGeometry transposeGeometry(int[] x, int[] w, ConvOptions o, boolean oneD) {
        String op = oneD ? "conv_transpose1d" : "conv_transpose2d";
        int dims = oneD ? 3 : 4;
        checkRank(op, "input", x, dims, oneD ? "(N, C, W)" : "(N, C, H, W)");
        checkRank(op, "weight", w, dims, oneD ? "(C_in, C_out/groups, kW)" : "(C_in, C_out/groups, kH, kW)");
        ConvOptions p = validate(o, oneD, true, op);
        int n = x[0], inC = x[1], inH = oneD ? 1 : x[2], inW = x[dims - 1];
        int g = p.groups(), kH = oneD ? 1 : w[2], kW = w[dims - 1];
        if (w[0] != inC)
            throw new IllegalArgumentException(op + ": weight " + Shape.str(w) + " expects " + w[0] + " input channels, input " + Shape.str(x) + " has " + inC);
        int outC = w[1] * g;
        checkGroups(op, inC, outC, g, "input", "output");
        int outH, outW;
        try {
            outH = OutputSize.transposed(inH, kH, p.strideH(), p.padH(), p.dilH(), p.outPadH(), "height");
            outW = OutputSize.transposed(inW, kW, p.strideW(), p.padW(), p.dilW(), p.outPadW(), "width");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": " + e.getMessage(), e);
        }
        // the adjoint convolution: from (n, outC, outH, outW) to (n, inC, inH, inW)
        return new ConvGeometry(n, outC, outH, outW, inC, g, kH, kW, p.strideH(), p.strideW(), p.padH(), p.padW(),
                p.dilH(), p.dilW(), inH, inW, PaddingMode.ZEROS);
    }

    private static void checkOutputPadding(String op, int outPad, int stride, int dil, String axis) {
        if (outPad >= stride && outPad >= dil)
            throw new IllegalArgumentException(op + ": output padding " + outPad + " in " + axis
                    + " must be smaller than the stride (" + stride + ") or the dilation (" + dil + ")");
    }

    private static void checkRank(String op, String what, int[] s, int dims, String expected) {
        if (s.length != dims) throw new IllegalArgumentException(op + ": " + what + " must have shape " + expected + ", got " + Shape.str(s));
    }

    private static void checkGroups(String op, int inC, int outC, int groups, String a, String b) {
        if (inC % groups != 0 || outC % groups != 0)
            throw new IllegalArgumentException(op + ": groups=" + groups + " must divide the " + a + " channels (" + inC
                    + ") and the " + b + " channels (" + outC + ")");
    }

    private static void checkBias(String op, Tensor b, int outC) {
        if (b != null && (b.dim() != 1 || b.size(0) != outC))
            throw new IllegalArgumentException(op + ": bias must have shape (" + outC + "), got " + Shape.str(b.shape()));
    }

    private static void checkDTypes(String op, Tensor x, Tensor w, Tensor b) {
        if (w.dtype() != x.dtype() || (b != null && b.dtype() != x.dtype()))
            throw new IllegalArgumentException(op + ": input, weight and bias must share one dtype, got " + x.dtype() + ", " + w.dtype()
                    + (b == null ? "" : ", " + b.dtype()));
    }

    // ---------------------------------------------------------------- the ops

    private static Tensor conv(Tensor x, Tensor w, Tensor b, ConvOptions o, boolean oneD, boolean relu) {
        String op = oneD ? "conv1d" : "conv2d";
        ConvGeometry g = convGeometry(x.shape(), w.shape(), o, oneD);
        checkBias(op, b, g.outC());
        checkDTypes(op, x, w, b);
        boolean flip = o.flip();
        Tensor wk = flip ? ConvCompute.flipSpatial(w, oneD) : w;   // the kernel the cross-correlation uses
        Tensor y = shaped(ConvCompute.forward(x, wk, b, g, relu), oneD, g.n(), g.outC(), g.outH(), g.outW());
        return Node.record(y, relu ? op + "+relu" : op, gy -> {
            Tensor[] grads = ConvCompute.backward(gy, relu ? y : null, x, wk, g, x.requiresGrad(), w.requiresGrad(), b != null && b.requiresGrad());
            Tensor gx = grads[0], gw = grads[1];
            if (gx != null) gx = shaped(gx, oneD, g.n(), g.inC(), g.inH(), g.inW());
            if (gw != null) {
                if (flip) gw = ConvCompute.flipSpatial(gw, oneD);
                gw = shaped(gw, oneD, g.outC(), g.inCg(), g.kH(), g.kW());
            }
            return new Tensor[] {gx, gw, grads[2]};
        }, x, w, b);
    }

    private static Tensor convTranspose(Tensor x, Tensor w, Tensor b, ConvOptions o, boolean oneD) {
        String op = oneD ? "conv_transpose1d" : "conv_transpose2d";
        ConvGeometry g = transposeGeometry(x.shape(), w.shape(), o, oneD);   // g.in* = our output, g.out* = our input
        checkBias(op, b, g.inC());
        checkDTypes(op, x, w, b);
        boolean flip = o.flip();
        Tensor wk = flip ? ConvCompute.flipSpatial(w, oneD) : w;
        Tensor y = ConvCompute.backwardInput(x, wk, g);
        if (b != null) ConvCompute.addChannelBias(y, b);
        y = shaped(y, oneD, g.n(), g.inC(), g.inH(), g.inW());
        return Node.record(y, op, gy -> {
            Tensor gx = null, gw = null, gb = null;
            if (x.requiresGrad()) gx = shaped(ConvCompute.forward(gy, wk, null, g, false), oneD, g.n(), g.outC(), g.outH(), g.outW());
            if (w.requiresGrad()) {
                gw = ConvCompute.backwardWeight(x, gy, g);
                if (flip) gw = ConvCompute.flipSpatial(gw, oneD);
                gw = shaped(gw, oneD, g.outC(), g.inCg(), g.kH(), g.kW());
            }
            if (b != null && b.requiresGrad()) gb = ConvCompute.channelSums(gy);
            return new Tensor[] {gx, gw, gb};
        }, x, w, b);
    }

    /** A fresh contiguous 4-d result seen with its public shape: (a, b, W) for 1-d, (a, b, H, W) for 2-d. */
    private static Tensor shaped(Tensor t, boolean oneD, int a, int b, int h, int w) {
        return oneD ? t.detach().reshape(a, b, w) : t.detach().reshape(a, b, h, w);
    }
}
