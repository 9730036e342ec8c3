package convlab.jmh;

/**
 * The convolution layers of the two training workloads at batch 64 (the shapes of the core module's
 * ConvLayerBench and of tools/pytorch/conv_layer_bench.py, whose labels these are): course CNN
 * {@code CONV3-10 POOL2 CONV3-10 POOL2 FLATTEN FC-10} and wide-bn {@code [CONV3-32 BN RELU]x2 POOL2
 * [CONV3-64 BN RELU]x2 POOL2 ...}. Every layer is 3×3, padding 1, with bias. fusedRelu is how the model
 * builder runs it: the course CNN's ReLU is fused into the convolution, wide-bn's into the batch norm that
 * follows. The first layer of a network needs no input gradient.
 */
public enum CnnLayer {
    COURSE_CONV1("course conv1 1->10 28x28", 1, 10, 28, false, true),
    COURSE_CONV2("course conv2 10->10 14x14", 10, 10, 14, true, true),
    WIDE_CONV1("wide conv1 1->32 28x28", 1, 32, 28, false, false),
    WIDE_CONV2("wide conv2 32->32 28x28", 32, 32, 28, true, false),
    WIDE_CONV3("wide conv3 32->64 14x14", 32, 64, 14, true, false),
    WIDE_CONV4("wide conv4 64->64 14x14", 64, 64, 14, true, false);

    public static final int BATCH = 64, KERNEL = 3;

    public final String label;
    public final int inC, outC, size;
    public final boolean inputGrad, fusedRelu;

    CnnLayer(String label, int inC, int outC, int size, boolean inputGrad, boolean fusedRelu) {
        this.label = label;
        this.inC = inC;
        this.outC = outC;
        this.size = size;
        this.inputGrad = inputGrad;
        this.fusedRelu = fusedRelu;
    }

    /** 2·multiply-adds of y = w ⋆ x over the batch; bias and ReLU are not counted. */
    public double forwardFlops() { return 2.0 * BATCH * outC * size * size * inC * KERNEL * KERNEL; }

    /** The weight gradient costs one forward, the input gradient (when needed) another. */
    public double backwardFlops() { return forwardFlops() * (inputGrad ? 2 : 1); }

    /** The per-image GEMM of the im2col algorithm, W[m×k]·cols[k×n]: {m, n, k}. */
    public int[] im2colGemm() { return new int[] {outC, size * size, inC * KERNEL * KERNEL}; }
}
