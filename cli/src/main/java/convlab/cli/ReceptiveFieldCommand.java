package convlab.cli;

import convlab.explain.answer.ReceptiveFieldCheck;
import convlab.explain.answer.Verdict;
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

    @Option(names = {"--check", "--expect"}, paramLabel = "ANSWER",
            description = "check receptive-field sizes: a list (\"1, 3, 5, 7\": the input, then after each convolution and pooling layer) "
                    + "or a recursion (\"r_0 = 1, r_n = r_{n-1} + 2\"); exit 0 correct, 1 not correct, 2 unreadable")
    String check;

    @Option(names = "--markdown", description = "Markdown: the rule in LaTeX, the steps as a table") boolean markdown;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec command;

    @Override public Integer call() {
        Spec s = Spec.parse(spec, !noImpliedRelu);
        FeatureShape in = input == null ? null : FeatureShape.parse(input);
        if (json && markdown) throw new IllegalArgumentException("--json and --markdown: choose one");
        Verdict v = check == null ? null : ReceptiveFieldCheck.check(s, in, check);
        convlab.explain.Worksheet ws = ReceptiveFieldReport.worksheet(s, in);
        if (v != null) {
            ws.verdict(v.correct(), v.message());
            v.lines().stream().skip(1).forEach(ws::text);
        }
        if (WorksheetSink.offer(ws)) return v == null ? 0 : v.exitCode();
        PrintWriter out = command.commandLine().getOut();
        if (json) {
            com.google.gson.JsonObject j = com.google.gson.JsonParser.parseString(ReceptiveFieldReport.json(s, in)).getAsJsonObject();
            if (v != null) ExactJson.verdict(new convlab.explain.Worksheet(), j, "check", v);
            out.println(convlab.io.StrictJson.write(j));
        } else if (markdown) {
            out.print(ws.toMarkdown());
        } else {
            out.print(ReceptiveFieldReport.text(s, in));
            if (v != null) {
                out.println();
                v.lines().forEach(out::println);
            }
        }
        out.flush();
        return v == null ? 0 : v.exitCode();
    }
}
