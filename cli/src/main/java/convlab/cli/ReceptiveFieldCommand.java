package convlab.cli;

import convlab.spec.FeatureShape;
import convlab.spec.ReceptiveFieldReport;
import convlab.spec.Spec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code convlab receptive-field "SPEC" [--input HxWxC]}: the recursive receptive-field rule, step by step. */
@Command(name = "receptive-field", mixinStandardHelpOptions = true,
        description = {"The receptive field (size r, jump j, start) after each layer by the recursive rule, "
                + "with the arithmetic of every step.%n",
                "Example: convlab receptive-field \"[CONV3-8]x3 POOL2 CONV3-8\"%n"})
final class ReceptiveFieldCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SPEC", description = "architecture, e.g. \"CONV3-10 POOL2 CONV3-10\" (see docs/SPEC.md)")
    String spec;

    @Option(names = "--input", paramLabel = "HxWxC",
            description = "optional input shape: adds each layer's output shape and checks the sizes")
    String input;

    @Option(names = "--no-implied-relu", description = "take the layers exactly as written")
    boolean noImpliedRelu;

    @Option(names = "--json", description = "machine-readable output") boolean json;

    @Option(names = "--markdown", description = "Markdown: the rule in LaTeX, the steps as a table") boolean markdown;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec command;

    @Override public Integer call() {
        Spec s = Spec.parse(spec, !noImpliedRelu);
        FeatureShape in = input == null ? null : FeatureShape.parse(input);
        if (json && markdown) throw new IllegalArgumentException("--json and --markdown: choose one");
        if (WorksheetSink.offer(ReceptiveFieldReport.worksheet(s, in))) return 0;
        PrintWriter out = command.commandLine().getOut();
        out.print(json ? ReceptiveFieldReport.json(s, in) : markdown ? ReceptiveFieldReport.worksheet(s, in).toMarkdown() : ReceptiveFieldReport.text(s, in));
        out.flush();
        return 0;
    }
}
