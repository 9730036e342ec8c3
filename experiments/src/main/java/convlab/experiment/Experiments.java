package convlab.experiment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The registry of experiments, by command-line name, in the order {@code convlab experiment list} shows. */
public final class Experiments {
    private Experiments() {}

    private static final List<Experiment> ALL = List.of(
            new HandFilters(),
            new InductiveBias(),
            new DropoutRegression(),
            new WeightGradientScale(),
            new OptimizerComparison(),
            new Fp8UnitScaling(),
            new NewtonSchulzRuntime(),
            new BatchNormStudy(),
            new TrainingBugs(),
            new GradientCheck(),
            new UnitScalingDepth(),
            new StepSizeRules(),
            new BackpropScale(),
            new Conv1dShift(),
            new DropoutBatchSize(),
            new DropoutCheating(),
            new DropoutCnn());

    public static List<Experiment> all() { return ALL; }

    public static Experiment byName(String name) {
        Map<String, Experiment> byName = new LinkedHashMap<>();
        for (Experiment e : ALL) byName.put(e.name(), e);
        Experiment e = byName.get(name.trim().toLowerCase(Locale.ROOT));
        if (e == null)
            throw new IllegalArgumentException("unknown experiment '" + name + "'; expected one of " + byName.keySet()
                    + " (see: convlab experiment list)");
        return e;
    }
}
