package convlab.optim;

/**
 * A learning-rate schedule as a factor of each group's initial learning rate: the lr used for step t
 * (t = 0, 1, …; a step may be an optimizer step or an epoch, as the caller counts) is
 * {@code group.initialLr() · factor(t)}. Schedules compose: {@link #withWarmup} prepends a linear warm-up,
 * {@link #times} multiplies two schedules. Formulas are PyTorch's closed forms (StepLR, CosineAnnealingLR,
 * LinearLR, SequentialLR).
 */
@FunctionalInterface
public interface LrSchedule {
    double factor(long t);

    /** Sets every group's lr for step t. */
    default void apply(Optimizer opt, long t) {
        if (t < 0) throw new IllegalArgumentException("schedule step must be >= 0, got " + t);
        double f = factor(t);
        for (ParamGroup g : opt.groups()) g.setLr(g.initialLr() * f);
    }

    static LrSchedule constant() { return t -> 1.0; }

    /** StepLR: γ^⌊t/stepSize⌋. */
    static LrSchedule step(long stepSize, double gamma) {
        if (stepSize < 1) throw new IllegalArgumentException("step schedule: step size must be >= 1, got " + stepSize);
        if (!(gamma > 0) || Double.isInfinite(gamma)) throw new IllegalArgumentException("step schedule: gamma must be > 0, got " + gamma);
        return t -> Math.pow(gamma, t / stepSize);
    }

    /**
     * CosineAnnealingLR: m + (1 − m)·(1 + cos(π·t/T))/2 with m = minFactor = eta_min/lr. As in PyTorch the
     * curve is not clamped: past T it rises again, so pass T = the number of steps you train.
     */
    static LrSchedule cosine(long totalSteps, double minFactor) {
        if (totalSteps < 1) throw new IllegalArgumentException("cosine schedule: total steps must be >= 1, got " + totalSteps);
        if (!(minFactor >= 0 && minFactor <= 1)) throw new IllegalArgumentException("cosine schedule: min factor must be in [0, 1], got " + minFactor);
        return t -> minFactor + (1 - minFactor) * (1 + Math.cos(Math.PI * t / totalSteps)) / 2;
    }

    /** LinearLR as a warm-up: from startFactor at t = 0 rising linearly to 1 at t = warmupSteps, then 1. */
    static LrSchedule linearWarmup(long warmupSteps, double startFactor) {
        if (warmupSteps < 1) throw new IllegalArgumentException("warm-up needs >= 1 step, got " + warmupSteps);
        if (!(startFactor > 0 && startFactor <= 1))
            throw new IllegalArgumentException("warm-up start factor must be in (0, 1], got " + startFactor);
        return t -> t >= warmupSteps ? 1.0 : startFactor + (1 - startFactor) * t / warmupSteps;
    }

    /** SequentialLR(linearWarmup, this): warm-up for warmupSteps, then this schedule restarted at 0. */
    default LrSchedule withWarmup(long warmupSteps, double startFactor) {
        LrSchedule warm = linearWarmup(warmupSteps, startFactor), after = this;
        return t -> t < warmupSteps ? warm.factor(t) : after.factor(t - warmupSteps);
    }

    /** The product of two schedules (e.g. a step decay on top of a cosine). */
    default LrSchedule times(LrSchedule other) {
        LrSchedule self = this;
        return t -> self.factor(t) * other.factor(t);
    }

    /**
     * Parses "constant", "step:SIZE:GAMMA", "cosine:TOTAL[:MIN]", optionally prefixed by
     * "warmup:STEPS[:START]+" (e.g. "warmup:100+cosine:1000"). START defaults to 1/(STEPS+1), which makes
     * the warm-up factor (t+1)/(STEPS+1): no step runs at lr 0.
     */
    static LrSchedule parse(String spec) {
        String s = spec.trim();
        int plus = s.indexOf('+');
        if (plus >= 0) {
            String[] w = s.substring(0, plus).split(":");
            if (!w[0].equals("warmup") || w.length < 2 || w.length > 3)
                throw new IllegalArgumentException("schedule '" + spec + "': expected 'warmup:STEPS[:START]+<schedule>'");
            long steps = parseLong(w[1], spec);
            double start = w.length == 3 ? parseDouble(w[2], spec) : 1.0 / (steps + 1);
            return parse(s.substring(plus + 1)).withWarmup(steps, start);
        }
        String[] p = s.split(":");
        return switch (p[0]) {
            case "constant" -> { expectArgs(p, 1, 1, spec); yield constant(); }
            case "step" -> { expectArgs(p, 3, 3, spec); yield step(parseLong(p[1], spec), parseDouble(p[2], spec)); }
            case "cosine" -> { expectArgs(p, 2, 3, spec); yield cosine(parseLong(p[1], spec), p.length == 3 ? parseDouble(p[2], spec) : 0); }
            default -> throw new IllegalArgumentException("unknown schedule '" + spec
                    + "', expected constant, step:SIZE:GAMMA, cosine:TOTAL[:MIN], each optionally after 'warmup:STEPS[:START]+'");
        };
    }

    private static void expectArgs(String[] p, int min, int max, String spec) {
        if (p.length < min || p.length > max)
            throw new IllegalArgumentException("schedule '" + spec + "': '" + p[0] + "' takes " + (min - 1)
                    + (max > min ? "-" + (max - 1) : "") + " argument(s) after ':'");
    }

    private static long parseLong(String v, String spec) {
        try { return Long.parseLong(v); } catch (NumberFormatException e) {
            throw new IllegalArgumentException("schedule '" + spec + "': '" + v + "' is not a whole number");
        }
    }

    private static double parseDouble(String v, String spec) {
        try { return Double.parseDouble(v); } catch (NumberFormatException e) {
            throw new IllegalArgumentException("schedule '" + spec + "': '" + v + "' is not a number");
        }
    }
}
