package convlab.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import convlab.explain.Answer;
import convlab.explain.ConvCheck;
import convlab.explain.ConvExplain;
import convlab.explain.ConvSpec;
import convlab.explain.ExactArray;
import convlab.explain.ExactConv;
import convlab.explain.MatrixParser;
import convlab.explain.Render;
import convlab.explain.Worksheet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** `convlab conv`: exact 1-D/2-D convolution with the working shown, and checking a given answer. */
@Command(name = "conv", mixinStandardHelpOptions = true,
        description = {"Exact convolution (integers, fractions, decimals kept exact) of a sequence or matrix.",
                "Matrices: \"1 2; 3 4\", \"[[1,2],[3,4]]\", LaTeX \\begin{bmatrix}1 & 2\\\\3 & 4\\end{bmatrix}, or @file;",
                "channels separated by '|'. A sequence input and sequence kernel give a 1-D convolution.",
                "Exit status with --expect: 0 correct, 1 not correct, 2 bad input."})
final class ConvCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, description = "The input sequence, matrix or channels (C matrices separated by '|').")
    String input;

    @Option(names = "--kernel", required = true, description = "The kernel (one matrix per input channel, separated by '|').")
    String kernel;

    @Mixin ConvFlags conv;

    @Option(names = "--explain", description = "Show the working: size formula, padded input, flipped kernel, each entry's sum of products.")
    boolean explain;

    @Option(names = {"--expect", "--check"}, paramLabel = "ANSWER",
            description = "Check this answer (matrix, number, shape, or pasted answer text; @file reads a file).")
    String expect;

    @Mixin ExactFormat format;

    @Option(names = "--origin-input", paramLabel = "N", description = "1-D: the time index of the input's first value (e.g. -6); indices are printed beside the values.")
    Integer originInput;

    @Option(names = "--origin-kernel", paramLabel = "M", description = "1-D: the time index of the kernel's first value (default 0).")
    Integer originKernel;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "1-D: draw the input, kernel and output as stem plots on one time axis (PNG).")
    java.nio.file.Path plot;

    @Option(names = "--plot-range", paramLabel = "FROM,TO", description = "The time axis of --plot (default: every index of the three signals).")
    String plotRange;

    @Override public Integer call() {
        MatrixParser.Input in = MatrixParser.read(input);
        MatrixParser.Input k = MatrixParser.read(kernel);
        ExactArray x = in.value(), w = k.value();
        boolean oneD = x.asChannels().dim(1) == 1 && w.asChannels().dim(1) == 1;
        ConvSpec spec = conv.spec(oneD, w.asChannels().dim(1), w.asChannels().dim(2));
        ExactConv.Result r = ExactConv.compute(x, w, spec);

        Worksheet ws = explain ? ConvExplain.worksheet(r) : new Worksheet().matrix("output " + r.output().shapeText(), "y", r.output());
        String note = ConvExplain.truncationNote(r, in.truncated(), k.truncated());
        if (note != null) ws.text(note);
        JsonObject j = new JsonObject();
        j.add("shape", Render.json(r.output().shape()));
        j.add("output", Render.json(r.output()));
        if (note != null) j.addProperty("note", note);
        if (explain) {
            JsonArray entries = new JsonArray();
            for (ExactConv.Entry e : r.entries()) entries.add(ConvExplain.entryText(e));
            j.add("working", entries);
            if (r.padded() != null) j.add("padded_input", Render.json(r.padded()));
            if (spec.flip()) j.add("flipped_kernel", Render.json(r.usedKernel()));
            if (spec.transpose()) {
                JsonArray scatters = new JsonArray();
                for (ExactConv.Scatter s : r.scatters()) {
                    JsonObject o = new JsonObject();
                    o.addProperty("input", s.xWhere());
                    o.add("value", Render.json(s.x()));
                    o.add("at", Render.json(spec.oneD() ? new int[] {s.col()} : new int[] {s.row(), s.col()}));
                    o.add("scaled_kernel", Render.json(spec.oneD() ? s.scaledKernel().reshape(s.scaledKernel().size()) : s.scaledKernel()));
                    scatters.add(o);
                }
                j.add("scaled_kernel_copies", scatters);
            }
        }
        if (originInput != null || originKernel != null || plot != null) timeAxis(r, ws, j);
        int exit = 0;
        if (expect != null) {
            ConvCheck.Verdict v = ConvCheck.check(x, w, spec, Answer.parse(expect));
            Worksheet check = v.worksheet();
            ws = explain ? ws : new Worksheet();
            ws.append(check);
            j.add("check", ExactJson.verdict(v));
            exit = v.correct() ? 0 : 1;
        }
        format.print(System.out, ws, j);
        return exit;
    }

    /** Indices beside values for signals that start at given times, and the stem plot. */
    private void timeAxis(ExactConv.Result r, Worksheet ws, JsonObject j) {
        convlab.explain.TimeAxis t = convlab.explain.TimeAxis.of(r, originInput == null ? 0 : originInput, originKernel == null ? 0 : originKernel);
        ExactArray x = r.input().channel(0).reshape(r.input().dim(2)), h = r.kernel().channel(0).reshape(r.kernel().dim(2)), y = r.output();
        if (r.input().dim(0) > 1) throw new IllegalArgumentException("--origin-input/--plot take a single-channel signal");
        ws.text("time indices (input from n = " + t.inputStart() + ", kernel from n = " + t.kernelStart() + "; output from n = " + t.outputStart() + "):");
        ws.text(convlab.explain.TimeAxis.table("x", t.inputStart(), 1, x));
        ws.text(convlab.explain.TimeAxis.table("h", t.kernelStart(), 1, h));
        ws.text(convlab.explain.TimeAxis.table("y", t.outputStart(), t.outputStep(), y));
        int[] xi = t.indices(t.inputStart(), 1, x.size()), hi = t.indices(t.kernelStart(), 1, h.size()), yi = t.indices(t.outputStart(), t.outputStep(), y.size());
        j.add("input_index", Render.json(xi));
        j.add("kernel_index", Render.json(hi));
        j.add("output_index", Render.json(yi));
        if (plot != null) {
            int from = Math.min(xi[0], Math.min(hi[0], yi[0])) - 1;
            int to = Math.max(xi[xi.length - 1], Math.max(hi[hi.length - 1], yi[yi.length - 1])) + 1;
            if (plotRange != null) {
                int[] range = ConvSpec.parsePair(plotRange, "--plot-range");
                if (range[0] >= range[1] || (long) range[1] - range[0] > 10_000)
                    throw new IllegalArgumentException("--plot-range must be FROM,TO with FROM < TO and at most 10000 apart, got '" + plotRange + "'");
                from = range[0];
                to = range[1];
            }
            convlab.report.StemPlot.write(plot, java.util.List.of(new convlab.report.StemPlot.Signal("x[n]", xi, x.toDoubles()), new convlab.report.StemPlot.Signal("h[n]", hi, h.toDoubles()),
                    new convlab.report.StemPlot.Signal("y[n]", yi, y.toDoubles())), from, to);
            ws.text("plot: " + plot + " (x, h and y as stem plots, n = " + from + ".." + to + ")");
            j.addProperty("plot", plot.toString());
        }
    }
}
