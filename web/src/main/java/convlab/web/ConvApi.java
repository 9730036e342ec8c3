package convlab.web;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import convlab.explain.Answer;
import convlab.explain.ConvCheck;
import convlab.explain.ConvExplain;
import convlab.explain.ConvSettings;
import convlab.explain.ConvSpec;
import convlab.explain.ExactArray;
import convlab.explain.ExactConv;
import convlab.explain.MatrixParser;
import convlab.explain.Render;

/**
 * The convolution explorer's one request: the exact result with every entry's working, the size formulas and,
 * when an answer is given, the verdict of {@code conv --check} (the same library calls as the CLI's ConvCommand).
 */
final class ConvApi {
    private ConvApi() {}

    /** Course-sized problems and then some; bounds the work a request can ask for (ConvCheck recomputes ~30 variants). */
    static final int MAX_INPUT_ENTRIES = 64 * 64 * 4, MAX_KERNEL_ENTRIES = 32 * 32, MAX_TERMS = 200_000;

    /** A convolution request read and bounded: the parsed input and kernel and the settings (shared with {@link GradApi}). */
    record Problem(MatrixParser.Input in, MatrixParser.Input k, ExactArray x, ExactArray w, ExactArray xc, ExactArray wc, ConvSpec spec, boolean oneD) {}

    static Problem problem(JsonObject req) {
        String inputText = text(req, "input"), kernelText = text(req, "kernel");
        MatrixParser.Input in = MatrixParser.read(inputText);
        MatrixParser.Input k = MatrixParser.read(kernelText);
        ExactArray x = in.value(), w = k.value();
        if (x.size() > MAX_INPUT_ENTRIES) throw new HttpError(422, "the input has " + x.size() + " entries; the workbench takes at most " + MAX_INPUT_ENTRIES);
        if (w.size() > MAX_KERNEL_ENTRIES) throw new HttpError(422, "the kernel has " + w.size() + " entries; the workbench takes at most " + MAX_KERNEL_ENTRIES);
        ExactArray xc = x.asChannels(), wc = w.asChannels();
        boolean oneD = xc.dim(1) == 1 && wc.dim(1) == 1;
        ConvSettings settings = new ConvSettings(Exchange.str(req, "stride", "1"), Exchange.str(req, "padding", "0"),
                Exchange.str(req, "paddingMode", "zeros"), Exchange.str(req, "dilation", "1"), Exchange.str(req, "outputPadding", "0"),
                Exchange.bool(req, "flip"), Exchange.bool(req, "transpose"), blankToNull(Exchange.str(req, "bias", null)));
        ConvSpec spec = settings.spec(oneD, wc.dim(1), wc.dim(2));
        long outputs = (long) spec.outputSize(0, xc.dim(1), wc.dim(1)) * spec.outputSize(1, xc.dim(2), wc.dim(2));
        long terms = spec.transpose() ? (long) xc.size() * wc.dim(1) * wc.dim(2) : outputs * wc.size();
        if (outputs > MAX_INPUT_ENTRIES * 4L || terms > MAX_TERMS)
            throw new HttpError(422, "this convolution has " + outputs + " output entries and " + terms + " products; the workbench computes at most " + MAX_TERMS);
        return new Problem(in, k, x, w, xc, wc, spec, oneD);
    }

    static JsonObject handle(JsonObject req) {
        long t0 = System.nanoTime();
        Problem p = problem(req);
        MatrixParser.Input in = p.in(), k = p.k();
        ExactArray x = p.x(), w = p.w(), xc = p.xc(), wc = p.wc();
        ConvSpec spec = p.spec();
        boolean oneD = p.oneD();
        ExactConv.Result r = ExactConv.compute(x, w, spec);

        JsonObject o = new JsonObject();
        o.addProperty("oneD", oneD);
        o.add("inputShape", Render.json(xc.shape()));
        o.add("input", Render.json(xc));
        o.add("kernel", Render.json(r.usedKernel()));
        o.add("kernelGiven", Render.json(wc));
        o.add("shape", Render.json(r.output().shape()));
        o.add("output", Render.json(r.output()));
        if (r.padded() != null) o.add("padded", Render.json(r.padded()));
        o.add("stride", Render.json(spec.stride()));
        o.add("padding", Render.json(spec.padding()));
        o.add("dilation", Render.json(spec.dilation()));
        o.addProperty("formula", spec.sizeFormulaSymbolic());
        JsonArray formulas = new JsonArray();
        for (int a : oneD ? new int[] {1} : new int[] {0, 1})
            formulas.add(spec.axisName(a) + ": " + spec.sizeFormula(a, xc.dim(a + 1), wc.dim(a + 1)));
        o.add("formulas", formulas);
        JsonArray entries = new JsonArray();
        for (ExactConv.Entry e : r.entries()) {
            JsonObject j = new JsonObject();
            j.add("index", Render.json(e.index()));
            j.addProperty("text", ConvExplain.entryText(e));
            entries.add(j);
        }
        o.add("entries", entries);
        if (spec.transpose()) {
            JsonArray scatters = new JsonArray();
            for (ExactConv.Scatter s : r.scatters()) {
                JsonObject j = new JsonObject();
                j.addProperty("input", s.xWhere());
                j.add("value", Render.json(s.x()));
                j.add("at", Render.json(new int[] {s.row(), s.col()}));
                scatters.add(j);
            }
            o.add("scatters", scatters);
        }
        String note = ConvExplain.truncationNote(r, in.truncated(), k.truncated());
        if (note != null) o.addProperty("note", note);
        String answer = Exchange.str(req, "answer", null);
        if (answer != null && !answer.isBlank()) {
            noFile(answer, "answer");
            ConvCheck.Verdict v = ConvCheck.check(x, w, spec, Answer.parse(answer));
            JsonObject c = new JsonObject();
            c.addProperty("correct", v.correct());
            c.addProperty("summary", v.summary());
            JsonArray d = new JsonArray();
            v.diagnoses().forEach(d::add);
            c.add("diagnoses", d);
            c.addProperty("text", v.worksheet().toText());
            o.add("check", c);
        }
        o.addProperty("ms", (System.nanoTime() - t0) / 1e6);
        return o;
    }

    static String text(JsonObject req, String key) {
        String t = Exchange.str(req, key, null);
        if (t == null || t.isBlank()) throw new HttpError(400, "'" + key + "' is missing: give a sequence or matrix, e.g. \"1 2; 3 4\"");
        noFile(t, key);
        return t;
    }

    /** The CLI reads "@path" as a file; a request never reaches files. */
    static void noFile(String t, String key) {
        if (t.strip().startsWith("@")) throw new HttpError(400, "'" + key + "': @file is a command-line form; type the numbers here");
    }

    private static String blankToNull(String s) { return s == null || s.isBlank() ? null : s; }
}
