package convlab.cli;

import convlab.explain.ExactArray;
import convlab.explain.ExactForward;
import convlab.explain.ExactWeights;
import convlab.explain.ForwardReport;
import convlab.explain.MatrixParser;
import convlab.spec.Analysis;
import convlab.spec.FeatureShape;
import convlab.spec.Spec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/** {@code convlab forward SPEC --input X --weights FILE}: a small network run exactly, every layer's output (docs/EXACT.md). */
@Command(name = "forward", mixinStandardHelpOptions = true,
        description = {"Run a network of the architecture language (docs/SPEC.md) on given numbers in exact arithmetic "
                + "(fractions), eval mode, and print every layer's output; with several inputs, which outputs are equal "
                + "or circular shifts of each other.%n",
                "Weights file: one 'ROW.NAME = values' per parameter, ROW the layer's row in convlab summary "
                        + "(see docs/EXACT.md). Example:%n",
                "  convlab forward \"CONV2-3(circular) → ReLU → CONV2-3(circular) → ReLU → GAP → FC-3\" --input @x1.txt --weights w.txt%n"})
final class ForwardCommand implements Callable<Integer> {
    private static final int MAX_INPUTS = 16;
    private static final long MAX_WEIGHTS_BYTES = 4_000_000;

    @Parameters(index = "0", paramLabel = "SPEC", description = "architecture, e.g. \"CONV2-3(circular) RELU GAP FC-3\"")
    String spec;

    @Option(names = "--input", required = true, paramLabel = "X",
            description = "an input (matrix, channels separated by '|', sequence, or @file); repeat for several inputs")
    List<String> inputs;

    @Option(names = "--weights", required = true, paramLabel = "FILE", description = "the weights, one 'ROW.NAME = values' per parameter")
    Path weights;

    @Option(names = "--shape", paramLabel = "HxWxC",
            description = "the input shape of one example (HxWxC, LxC or a feature count); default: read from the first input")
    String shape;

    @Option(names = "--layers", paramLabel = "ROWS", description = "print only these rows, e.g. 5,6 or 0-3 (0 = the input)")
    String layers;

    @Option(names = "--no-implied-relu", description = "take the layers exactly as written (no ReLU after convolutions and hidden FCs)")
    boolean noImpliedRelu;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec command;

    @Override public Integer call() throws IOException {
        if (inputs.size() > MAX_INPUTS) throw new IllegalArgumentException("at most " + MAX_INPUTS + " inputs, got " + inputs.size());
        Spec parsed = Spec.parse(this.spec, !noImpliedRelu);
        List<ExactArray> raw = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            try {
                raw.add(MatrixParser.parse(inputs.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("input " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        FeatureShape in = shape != null ? FeatureShape.parse(shape) : ExactForward.inferShape(raw.getFirst(), parsed);
        List<ExactArray> xs = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            try {
                if (shape == null && !ExactForward.inferShape(raw.get(i), parsed).equals(in))
                    throw new IllegalArgumentException("it is " + raw.get(i).shapeText() + " but the first input is " + raw.getFirst().shapeText()
                            + " (all inputs need one shape; --shape reads each as that shape)");
                xs.add(ExactForward.example(raw.get(i), in));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("input " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        Analysis a = Analysis.of(parsed, in);
        ExactForward.checkSize(a, xs.size());
        ExactWeights w = ExactWeights.parse(readWeights(), a);
        ForwardReport r = ForwardReport.of(a, w, xs, rows(a.layers().size()));
        PrintWriter out = command.commandLine().getOut();
        out.print(json ? r.json() : r.text());
        out.flush();
        return 0;
    }

    private String readWeights() throws IOException {
        if (!Files.isRegularFile(weights)) throw new IllegalArgumentException("cannot read the weights file " + weights + ": no such file");
        if (Files.size(weights) > MAX_WEIGHTS_BYTES)
            throw new IllegalArgumentException("the weights file " + weights + " is larger than " + MAX_WEIGHTS_BYTES + " bytes");
        try {
            return Files.readString(weights);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the weights file " + weights + ": " + e.getMessage(), e);
        }
    }

    /** --layers "5,6" or "0-3" as row numbers; empty = all. */
    private Set<Integer> rows(int last) {
        Set<Integer> out = new TreeSet<>();
        if (layers == null) return out;
        for (String part : layers.split(",")) {
            String p = part.strip();
            if (!p.matches("\\d{1,6}(-\\d{1,6})?"))
                throw new IllegalArgumentException("--layers expects row numbers such as 5,6 or 0-3, got '" + part.strip() + "'");
            String[] ends = p.split("-");
            int from = Integer.parseInt(ends[0]), to = Integer.parseInt(ends[ends.length - 1]);
            if (from > to || to > last)
                throw new IllegalArgumentException("--layers: rows go from 0 (the input) to " + last + ", got '" + p + "'");
            for (int k = from; k <= to; k++) out.add(k);
        }
        return out;
    }
}
