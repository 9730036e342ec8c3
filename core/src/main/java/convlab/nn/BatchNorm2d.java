package convlab.nn;

/** Batch normalization of (N, C, H, W) per channel over N, H and W; see {@link AbstractBatchNorm}. */
public class BatchNorm2d extends AbstractBatchNorm {
    public BatchNorm2d(int channels, double eps, double momentum, boolean affine, boolean meanOnly) {
        super(channels, eps, momentum, affine, meanOnly);
    }

    /** PyTorch's defaults: eps 1e-5, momentum 0.1, affine. */
    public BatchNorm2d(int channels) { this(channels, Config.PYTORCH_DEFAULTS); }

    /** With named settings (see {@link AbstractBatchNorm.Config}). */
    public BatchNorm2d(int channels, Config c) { this(channels, c.eps(), c.momentum(), c.affine(), c.meanOnly()); }

    @Override public BatchNorm2d enableFusedRelu() {
        super.enableFusedRelu();
        return this;
    }

    @Override protected boolean acceptsRank(int rank) { return rank == 4; }

    @Override protected String layout() { return "(N, C, H, W)"; }
}
