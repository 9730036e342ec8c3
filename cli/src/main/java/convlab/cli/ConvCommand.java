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

    @Mixin ConvOptions conv;

    @Option(names = "--explain", description = "Show the working: size formula, padded input, flipped kernel, each entry's sum of products.")
    boolean explain;

    @Option(names = {"--expect", "--check"}, paramLabel = "ANSWER",
            description = "Check this answer (matrix, number, shape, or pasted answer text; @file reads a file).")
    String expect;

    @Mixin ExactFormat format;

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
}
