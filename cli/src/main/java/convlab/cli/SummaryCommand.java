package convlab.cli;

import convlab.spec.Analysis;
import convlab.spec.FeatureShape;
import convlab.spec.Spec;
import convlab.spec.SummaryReport;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code convlab summary "SPEC" --input 28x28x1}: the layer table of an architecture spec (docs/SPEC.md). */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = {"Per layer: output shape, parameters (number and the course's product), multiply-adds, "
                + "receptive field (size, jump, start); totals; buffers apart from parameters.%n",
                "Example: convlab summary \"CONV3-10 POOL2 CONV3-10 POOL2 FLATTEN FC-3\" --input 28x28x1%n"})
final class SummaryCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SPEC", description = "architecture, e.g. \"CONV3-10 POOL2 FLATTEN FC-10\" (see docs/SPEC.md)")
    String spec;

    @Option(names = "--input", paramLabel = "HxWxC", defaultValue = "28x28x1",
            description = "input shape of one example: HxWxC, LxC (1-d) or a feature count (default: ${DEFAULT-VALUE})")
    String input;

    @Option(names = "--no-implied-relu", description = "take the layers exactly as written (no ReLU after convolutions and hidden FCs)")
    boolean noImpliedRelu;

    @Option(names = "--unit-scaled", paramLabel = "ETA",
            description = "also list each layer's unit-scaling multiplier c and the SignSGD/Muon learning rates for base step ETA "
                    + "(docs/OPTIMIZERS.md); text and Markdown output only")
    Double unitScaledEta;

    @ArgGroup(exclusive = true) Format format = new Format();

    static final class Format {
        @Option(names = "--json", description = "machine-readable output") boolean json;
        @Option(names = "--markdown", description = "a Markdown table") boolean markdown;
    }

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec command;

    @Override public Integer call() {
        if (unitScaledEta != null && format.json) throw new IllegalArgumentException("--unit-scaled is shown in text and Markdown output, not with --json");
        if (unitScaledEta != null && !(unitScaledEta > 0 && Double.isFinite(unitScaledEta)))
            throw new IllegalArgumentException("--unit-scaled needs a positive base step ETA, got " + unitScaledEta);
        Spec parsed = Spec.parse(spec, !noImpliedRelu);
        Analysis a = Analysis.of(parsed, FeatureShape.parse(input));
        java.util.List<String> unitTable = null;
        if (unitScaledEta != null) {
            var model = convlab.spec.ModelBuilder.build(parsed, FeatureShape.parse(input), new convlab.tensor.Rng(0));
            convlab.optim.UnitScaling.apply(model, new convlab.tensor.Rng(0));
            unitTable = convlab.optim.UnitScaling.table(model, unitScaledEta);
        }
        String unitTitle = "Unit-scaled parametrization (W ~ N(0,1), y = c*W*x)";
        if (WorksheetSink.offer(SummaryReport.worksheet(a))) {
            if (unitTable != null) WorksheetSink.offer(new convlab.explain.Worksheet().heading(unitTitle).preformatted(String.join("\n", unitTable)));
            return 0;
        }
        PrintWriter out = command.commandLine().getOut();
        out.print(format.json ? SummaryReport.json(a) : format.markdown ? SummaryReport.markdown(a) : SummaryReport.text(a));
        if (unitTable != null) {
            out.println();
            out.println(unitTitle + ":");
            for (String line : unitTable) out.println((format.markdown ? "    " : "") + line);
        }
        out.flush();
        return 0;
    }
}
