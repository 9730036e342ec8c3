package convlab.nn;

/** Batch normalization of (N, C) or (N, C, L) per channel over N (and L); see {@link AbstractBatchNorm}. */
public class BatchNorm1d extends AbstractBatchNorm {
    public BatchNorm1d(int channels, double eps, double momentum, boolean affine, boolean meanOnly) {
        super(channels, eps, momentum, affine, meanOnly);
    }

    /** PyTorch's defaults: eps 1e-5, momentum 0.1, affine. */
    public BatchNorm1d(int channels) { this(channels, Config.PYTORCH_DEFAULTS); }

    /** With named settings (see {@link AbstractBatchNorm.Config}). */
    public BatchNorm1d(int channels, Config c) { this(channels, c.eps(), c.momentum(), c.affine(), c.meanOnly()); }

    @Override public BatchNorm1d enableFusedRelu() {
        super.enableFusedRelu();
        return this;
    }

    @Override protected boolean acceptsRank(int rank) { return rank == 2 || rank == 3; }

    @Override protected String layout() { return "(N, C) or (N, C, L)"; }
}
