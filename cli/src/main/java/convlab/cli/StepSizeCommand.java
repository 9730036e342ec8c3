package convlab.cli;

import convlab.optim.StepSize.Update;
import convlab.optim.StepSizeReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/** `convlab step-size`: the step size that moves a layer's output by RMS 1, derived and measured (docs/OPTIMIZERS.md). */
@Command(name = "step-size", mixinStandardHelpOptions = true,
        description = {"The step size α that makes RMS(Δy) = 1 for a layer y = c·W·x (course hw4 problem 2 c-e), with the derivation "
                        + "and a measured RMS(Δy) from one step of convlab's optimizer on seeded random inputs and gradients.",
                "Example: convlab step-size --d-in 784 --d-out 256 --optimizer muon --unit-scaled",
                "         convlab step-size \"FC-256 FC-10\" --input 784 --optimizer signsgd"})
final class StepSizeCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "SPEC", description = "An architecture (docs/SPEC.md): every weighted layer is listed.")
    String spec;
    @Option(names = "--input", paramLabel = "HxWxC", description = "Input shape for SPEC (default 28x28x1).")
    String input;
    @Option(names = "--d-in", description = "Input size of one layer (a convolution: C_in·k·k).")
    Integer dIn;
    @Option(names = "--d-out", description = "Output size of one layer.")
    Integer dOut;
    @Option(names = "--optimizer", description = "sgd, signsgd, muon or adam (default: all four).")
    String optimizer;
    @Option(names = "--unit-scaled", description = "Unit-scaled parametrization c = 1/√d_in, W ~ N(0, 1) (default: standard, c = 1, W ~ N(0, 1/d_in)).")
    boolean unitScaled;
    @Mixin ExactFormat format;

    @Override public Integer call() {
        List<Update> updates = optimizer == null ? List.of(Update.values()) : List.of(Update.parse(optimizer));
        StepSizeReport r;
        if (spec != null) {
            if (dIn != null || dOut != null) throw new IllegalArgumentException("give either SPEC (with --input) or --d-in and --d-out, not both");
            r = StepSizeReport.spec(spec, input == null ? "28x28x1" : input, updates, unitScaled);
        } else {
            if (dIn == null || dOut == null) throw new IllegalArgumentException("give --d-in and --d-out (or an architecture SPEC with --input)");
            if (input != null) throw new IllegalArgumentException("--input belongs to a SPEC; for one layer give --d-in and --d-out");
            r = StepSizeReport.single(dOut, dIn, updates, unitScaled);
        }
        format.print(System.out, r.worksheet(), r.json());
        return 0;
    }
}
