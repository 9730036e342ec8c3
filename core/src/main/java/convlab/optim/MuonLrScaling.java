package convlab.optim;

/**
 * How Muon scales its orthogonalized update UVᵀ for a d_out×d_in matrix (conv weights: d_in = C_in·kh·kw).
 * UVᵀ has every nonzero singular value 1 and RMS entry 1/√max(d_out, d_in), so without a rule the step
 * size would silently depend on the shape. The step is θ ← θ − lr·factor·UVᵀ.
 */
public enum MuonLrScaling {
    /** Keller Jordan's original rule, PyTorch's default: √max(1, d_out/d_in). */
    ORIGINAL,
    /**
     * Moonshot's "match AdamW": 0.2·√max(d_out, d_in) gives the update an RMS of 0.2, about AdamW's, so
     * one learning rate and weight decay serve both the Muon and the auxiliary AdamW group.
     */
    MATCH_ADAMW_RMS,
    /**
     * The spectral rule of course problem 2 (c, e): for y = Wx with RMS(x) = 1, a change ΔW moves y by
     * RMS(Δy) ≤ ‖ΔW‖₂·‖x‖₂/√d_out = ‖ΔW‖₂·√(d_in/d_out). Asking RMS(Δy) ≤ lr needs ‖ΔW‖₂ ≤ lr·√(d_out/d_in),
     * and UVᵀ has spectral norm 1, so factor = √(d_out/d_in). (In the unit-scaled parametrization
     * y = c·W·x the same bound needs a further 1/c; {@link UnitScaling} puts that in the group's lr.)
     */
    SPECTRAL;

    public double factor(int dOut, int dIn) {
        if (dOut <= 0 || dIn <= 0) throw new IllegalArgumentException("matrix dimensions must be positive, got " + dOut + "x" + dIn);
        return switch (this) {
            case ORIGINAL -> Math.sqrt(Math.max(1.0, (double) dOut / dIn));
            case MATCH_ADAMW_RMS -> 0.2 * Math.sqrt(Math.max(dOut, dIn));
            case SPECTRAL -> Math.sqrt((double) dOut / dIn);
        };
    }

    /** Parses "original", "match-adamw-rms", "spectral" (case and -/_ insensitive). */
    public static MuonLrScaling parse(String s) {
        String k = s.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        for (MuonLrScaling v : values()) if (v.name().equals(k)) return v;
        throw new IllegalArgumentException("unknown Muon lr scaling '" + s + "', expected one of: original, match-adamw-rms, spectral");
    }
}
