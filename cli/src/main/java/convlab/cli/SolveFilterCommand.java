package convlab.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import convlab.explain.Answer;
import convlab.explain.ConvSpec;
import convlab.explain.ExactArray;
import convlab.explain.LinearSystem;
import convlab.explain.MatrixParser;
import convlab.explain.Render;
import convlab.explain.SolveFilter;
import convlab.explain.Worksheet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** `convlab solve-filter`: the kernel that turns --input into --output, solved exactly. */
@Command(name = "solve-filter", mixinStandardHelpOptions = true,
        description = {"Recover an unknown kernel from an input and the output it produced (exact linear system):",
                "a unique kernel, none, or a family with free parameters t1, t2, ... . The equations are shown.",
                "Exit status with --expect: 0 the given kernel solves the system, 1 it does not, 2 bad input."})
final class SolveFilterCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, description = "The input sequence, matrix or channels ('|').")
    String input;

    @Option(names = "--output", required = true, description = "The output the unknown kernel produced.")
    String output;

    @Option(names = "--size", required = true, description = "Kernel size: k (k×k, or k for a sequence) or height,width / HxW.")
    String size;

    @Option(names = {"--expect", "--check"}, paramLabel = "KERNEL", description = "Check a proposed kernel against the equations.")
    String expect;

    @Mixin ConvFlags conv;
    @Mixin ExactFormat format;

    @Override public Integer call() {
        ExactArray x = MatrixParser.parse(input), y = MatrixParser.parse(output);
        int channels = x.asChannels().dim(0);
        boolean oneD = x.asChannels().dim(1) == 1;
        int[] k = ConvSpec.parsePair(size, "--size");
        int kh = oneD ? 1 : k[0], kw = k[1];
        int[] kernelShape = channels > 1 ? new int[] {channels, kh, kw} : oneD ? new int[] {kw} : new int[] {kh, kw};
        ConvSpec spec = conv.spec(oneD, kh, kw);
        SolveFilter.Result r = SolveFilter.solve(x, y, kernelShape, spec);
        LinearSystem.Solution s = r.solution();

        Worksheet ws = new Worksheet().heading("Unknown kernel " + String.join("×", java.util.Arrays.stream(kernelShape).mapToObj(String::valueOf).toList())
                + ": " + r.names().size() + " unknowns, " + r.equations().size() + " equations (one per output entry)");
        r.equations().forEach(ws::text);
        JsonObject j = new JsonObject();
        JsonArray eqs = new JsonArray();
        r.equations().forEach(eqs::add);
        j.add("equations", eqs);
        j.addProperty("rank", s.rank());
        switch (s.kind()) {
            case NONE -> {
                ws.text("no kernel of this size produces this output: equation " + (s.conflict() + 1)
                        + " (" + r.equations().get(s.conflict()) + ") contradicts the equations before it (rank " + s.rank() + ")");
                j.addProperty("solutions", "none");
                j.addProperty("conflicting_equation", r.equations().get(s.conflict()));
            }
            case UNIQUE -> {
                ws.text("rank " + s.rank() + " = number of unknowns: exactly one kernel");
                ws.matrix("kernel", "w", r.kernel());
                j.addProperty("solutions", "unique");
                j.add("kernel", Render.json(r.kernel()));
            }
            case FAMILY -> {
                ws.text("rank " + s.rank() + " < " + r.names().size() + " unknowns: a family with " + s.free().length + " free parameter(s)");
                JsonArray fam = new JsonArray();
                for (String line : r.familyLines()) { ws.text("  " + line); fam.add(line); }
                ws.matrix("one solution (all t = 0)", "w_0", r.kernel());
                j.addProperty("solutions", "family");
                j.addProperty("free_parameters", s.free().length);
                j.add("family", fam);
                j.add("kernel", Render.json(r.kernel()));
            }
        }
        int exit = 0;
        if (expect != null) {
            Answer given = Answer.parse(expect);
            SolveFilter.Check c;
            try {
                c = SolveFilter.check(x, y, kernelShape, spec, r, given);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--expect: " + e.getMessage(), e);
            }
            ws.heading("Check").verdict(c.correct(), c.verdict());
            if (c.diagnosis() != null) {
                ws.text("diagnosis: " + c.diagnosis());
                j.addProperty("diagnosis", c.diagnosis());
            }
            boolean ok = c.correct();
            String verdict = c.verdict();
            j.addProperty("check", verdict);
            j.addProperty("correct", ok);
            exit = ok ? 0 : 1;
        }
        format.print(System.out, ws, j);
        return exit;
    }
}
