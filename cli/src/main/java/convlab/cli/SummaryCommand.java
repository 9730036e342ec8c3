package convlab.cli;

import convlab.explain.answer.SummaryCheck;
import convlab.explain.answer.Verdict;
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
                    + "(docs/OPTIMIZERS.md); rows numbered as the summary's; with --json under \"unitScaled\"")
    Double unitScaledEta;

    @Option(names = {"--check", "--expect"}, paramLabel = "FILE|TEXT",
            description = "check a filled-in layer table (rows: layer, parameters, activations; tabs, '|' or two spaces between cells; "
                    + "@file reads a file) and list each wrong cell; exit 0 correct, 1 not correct, 2 unreadable")
    String check;

    @ArgGroup(exclusive = true) Format format = new Format();

    static final class Format {
        @Option(names = "--json", description = "machine-readable output") boolean json;
        @Option(names = "--markdown", description = "a Markdown table") boolean markdown;
    }

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec command;

    @Override public Integer call() {
        if (unitScaledEta != null && !(unitScaledEta > 0 && Double.isFinite(unitScaledEta)))
            throw new IllegalArgumentException("--unit-scaled needs a positive base step ETA, got " + unitScaledEta);
        Spec parsed = Spec.parse(spec, !noImpliedRelu);
        Analysis a = Analysis.of(parsed, FeatureShape.parse(input));
        Verdict v = check == null ? null : SummaryCheck.check(a, check);
        if (v == null && unitScaledEta != null)
            convlab.train.MemoryCheck.requireFits(convlab.train.MemoryCheck.evaluationBytes(a, 1), "building this model for --unit-scaled");
        var unit = v != null || unitScaledEta == null ? null : convlab.optim.UnitScaling.specTable(parsed, FeatureShape.parse(input), unitScaledEta);
        String unitTitle = "Unit-scaled parametrization (W ~ N(0,1), y = c*W*x), rows numbered as above";
        convlab.explain.Worksheet ws = SummaryReport.worksheet(a);
        if (v != null) {
            ws.verdict(v.correct(), v.message());
            v.lines().stream().skip(1).forEach(ws::text);
        }
        if (WorksheetSink.offer(ws)) {   // inside a sheet: the sheet renders it
            if (unit != null) WorksheetSink.offer(new convlab.explain.Worksheet().heading(unitTitle).preformatted(String.join("\n", unit.lines())));
            return v == null ? 0 : v.exitCode();
        }
        PrintWriter out = command.commandLine().getOut();
        if (v != null) {
            if (format.json) {
                com.google.gson.JsonObject j = com.google.gson.JsonParser.parseString(SummaryReport.json(a)).getAsJsonObject();
                ExactJson.verdict(new convlab.explain.Worksheet(), j, "check", v);
                com.google.gson.JsonArray cells = new com.google.gson.JsonArray();
                v.lines().stream().skip(1).forEach(cells::add);
                j.getAsJsonObject("check").add("lines", cells);
                out.println(convlab.io.StrictJson.write(j));
            } else {
                out.print(format.markdown ? SummaryReport.markdown(a) : SummaryReport.text(a));
                out.println();
                v.lines().forEach(l -> out.println((format.markdown && !l.startsWith("summary:") ? "- " : "") + l));
            }
            out.flush();
            return v.exitCode();
        }
        if (format.json) {
            String json = SummaryReport.json(a);
            if (unit != null) {
                var root = com.google.gson.JsonParser.parseString(json).getAsJsonObject();
                root.add("unitScaled", unit.json());
                json = convlab.io.StrictJson.write(root) + "\n";
            }
            out.print(json);
        } else {
            out.print(format.markdown ? SummaryReport.markdown(a) : SummaryReport.text(a));
            if (unit != null) {
                out.println();
                out.println(unitTitle + ":");
                for (String line : unit.lines()) out.println((format.markdown ? "    " : "") + line);
            }
        }
        out.flush();
        return 0;
    }
}
