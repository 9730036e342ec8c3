package convlab.web;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import convlab.explain.Answer;
import convlab.explain.ArrayCheck;
import convlab.explain.ConvCheck;
import convlab.explain.ConvGradExplain;
import convlab.explain.ConvSpec;
import convlab.explain.ExactArray;
import convlab.explain.ExactConvGrad;
import convlab.explain.ExactPoolGrad;
import convlab.explain.GradJson;
import convlab.explain.MatrixParser;
import convlab.explain.Rational;
import convlab.explain.Render;
import convlab.geometry.PoolGeometry;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The convolution explorer's gradient mode: {@code convlab grad conv|maxpool|avgpool} as JSON (the same library
 * calls as the CLI's GradCommand: ExactConvGrad/ConvGradExplain, ExactPoolGrad). Every grid is sent as channels
 * (C×H×W; a sequence is 1×1×n), each gradient entry with its sum of products and the dY entries it reads.
 */
final class GradApi {
    private GradApi() {}

    /** Pooling windows are course-sized: at most this many entries on a side. */
    static final int MAX_POOL_SIZE = 16;

    static JsonObject handle(JsonObject req) {
        long t0 = System.nanoTime();
        String kind = Exchange.str(req, "kind", "conv");
        JsonObject o = switch (kind) {
            case "conv" -> conv(req);
            case "maxpool" -> pool(req, ExactPoolGrad.Kind.MAX);
            case "avgpool" -> pool(req, ExactPoolGrad.Kind.AVG);
            default -> throw new HttpError(400, "'kind' must be conv, maxpool or avgpool, got '" + kind + "'");
        };
        o.addProperty("kind", kind);
        o.addProperty("ms", (System.nanoTime() - t0) / 1e6);
        return o;
    }

    private static JsonObject conv(JsonObject req) {
        ConvApi.Problem p = ConvApi.problem(req);
        ConvSpec spec = p.spec();
        int ow = spec.outputSize(1, p.xc().dim(2), p.wc().dim(2));
        int[] outShape = p.oneD() ? new int[] {ow} : new int[] {spec.outputSize(0, p.xc().dim(1), p.wc().dim(1)), ow};
        JsonObject o = new JsonObject();
        ExactArray dy = gradOutput(req, outShape, o);
        ExactConvGrad.Result r = ExactConvGrad.compute(p.x(), p.w(), dy, spec);
        o.addProperty("oneD", p.oneD());
        o.add("input", Render.json(p.xc()));
        o.add("kernel", Render.json(p.wc()));
        o.add("output", Render.json(r.forward().output().asChannels()));
        o.add("gradOutput", Render.json(r.gradOutput().asChannels()));
        o.add("gradInput", Render.json(r.gradInput().asChannels()));
        o.add("gradKernel", Render.json(r.gradKernel().asChannels()));
        o.add("gradBias", Render.json(r.gradBias()));
        o.add("identity", GradJson.conv(r, false).get("identity"));
        o.add("inputEntries", convEntries(r.inputEntries(), true));
        o.add("kernelEntries", convEntries(r.kernelEntries(), false));
        String which = Exchange.str(req, "check", "dX");
        check(req, o, which, switch (which) {
            case "dX" -> a -> ConvGradExplain.checkInput(r, a);
            case "dK" -> a -> ConvGradExplain.checkKernel(r, a);
            case "db" -> a -> ConvGradExplain.checkBias(r, a);
            default -> throw new HttpError(400, "'check' must be dX, dK or db, got '" + which + "'");
        });
        return o;
    }

    private static JsonArray convEntries(List<ExactConvGrad.Entry> entries, boolean dyFirst) {
        JsonArray a = new JsonArray();
        for (ExactConvGrad.Entry e : entries) {
            JsonObject j = new JsonObject();
            j.addProperty("name", e.name());
            j.addProperty("text", ConvGradExplain.entryText(e));
            JsonArray reads = new JsonArray();
            for (ExactConvGrad.Term t : e.terms()) reads.add(dyFirst ? t.aWhere() : t.bWhere());
            j.add("reads", reads);
            a.add(j);
        }
        return a;
    }

    private static JsonObject pool(JsonObject req, ExactPoolGrad.Kind kind) {
        String inputText = ConvApi.text(req, "input");
        ExactArray x = MatrixParser.read(inputText).value();
        if (x.size() > ConvApi.MAX_INPUT_ENTRIES)
            throw new HttpError(422, "the input has " + x.size() + " entries; the workbench takes at most " + ConvApi.MAX_INPUT_ENTRIES);
        int size = (int) Exchange.num(req, "size", 2);
        if (size < 1 || size > MAX_POOL_SIZE) throw new HttpError(422, "the pooling window must be 1 to " + MAX_POOL_SIZE + ", got " + size);
        double strideNum = Exchange.num(req, "stride", 0);
        Integer stride = strideNum <= 0 ? null : (int) Math.min(strideNum, MAX_POOL_SIZE);
        int padding = (int) Math.max(0, Math.min(Exchange.num(req, "padding", 0), MAX_POOL_SIZE));
        ExactArray xc = x.asChannels();
        boolean oneD = x.rank() == 1 || (x.rank() == 3 && x.dim(1) == 1);   // as ExactPoolGrad reads it
        int s = stride == null ? size : stride;
        PoolGeometry g = oneD ? PoolGeometry.oneD(size, s, padding, 1, false) : PoolGeometry.square(size, s, padding);
        int oh = oneD ? 1 : g.outH(xc.dim(1)), ow = g.outW(xc.dim(2));
        if ((long) xc.dim(0) * oh * ow * size * size > ConvApi.MAX_TERMS)
            throw new HttpError(422, "this pooling reads more than " + ConvApi.MAX_TERMS + " entries; the workbench computes at most that");
        int[] outShape = xc.dim(0) > 1 ? new int[] {xc.dim(0), oh, ow} : oneD ? new int[] {ow} : new int[] {oh, ow};
        JsonObject o = new JsonObject();
        ExactArray dy = gradOutput(req, outShape, o);
        ExactPoolGrad.Result r = ExactPoolGrad.compute(kind, x, size, stride, padding, dy);
        o.addProperty("oneD", r.oneD());
        o.add("input", Render.json(xc));
        o.add("output", Render.json(r.output().asChannels()));
        o.add("gradOutput", Render.json(r.gradOutput().asChannels()));
        o.add("gradInput", Render.json(r.gradInput().asChannels()));
        JsonArray entries = new JsonArray();
        for (ExactPoolGrad.Entry e : r.entries()) {
            JsonObject j = new JsonObject();
            j.addProperty("name", e.name());
            j.addProperty("text", ExactPoolGrad.entryText(r, e));
            JsonArray reads = new JsonArray();
            for (ExactPoolGrad.Share sh : e.shares()) reads.add("dY" + Arrays.toString(sh.outIndex()).replace(" ", ""));
            j.add("reads", reads);
            entries.add(j);
        }
        o.add("inputEntries", entries);
        o.add("windows", GradJson.pool(r, false).get("windows"));
        check(req, o, "dX", a -> ExactPoolGrad.check(r, a));
        return o;
    }

    /**
     * dY as typed; blank, or of another shape while "fit" is set (the page changed the forward problem, not dY),
     * it becomes all ones in the output's shape, and a note says so.
     */
    private static ExactArray gradOutput(JsonObject req, int[] outShape, JsonObject o) {
        String text = Exchange.str(req, "gradOutput", null);
        if (text != null && !text.isBlank()) {
            ConvApi.noFile(text, "gradOutput");
            ExactArray dy = MatrixParser.read(text).value();
            if (dy.size() > ConvApi.MAX_INPUT_ENTRIES * 4L)
                throw new HttpError(422, "dY has " + dy.size() + " entries; the workbench takes at most " + ConvApi.MAX_INPUT_ENTRIES * 4);
            if (Arrays.equals(dy.shape(), outShape) || !Exchange.bool(req, "fit")) return dy;
        }
        long n = 1;
        for (int d : outShape) n *= d;
        if (n > ConvApi.MAX_INPUT_ENTRIES * 4L) throw new HttpError(422, "the output has " + n + " entries; the workbench takes at most " + ConvApi.MAX_INPUT_ENTRIES * 4);
        Rational[] ones = new Rational[(int) n];
        Arrays.fill(ones, Rational.ONE);
        o.addProperty("note", "dY set to all ones in the output's shape " + String.join("×", Arrays.stream(outShape).mapToObj(String::valueOf).toList())
                + "; edit it in its grid");
        return new ExactArray(outShape, ones);
    }

    private static void check(JsonObject req, JsonObject o, String which, Function<Answer, ConvCheck.Verdict> check) {
        String answer = Exchange.str(req, "answer", null);
        if (answer == null || answer.isBlank()) return;
        ConvApi.noFile(answer, "answer");
        ConvCheck.Verdict v = check.apply(Answer.parse(answer));
        JsonObject c = new JsonObject();
        c.addProperty("which", which);
        c.addProperty("correct", v.correct());
        c.addProperty("summary", v.summary());
        c.addProperty("text", ArrayCheck.worksheet(which, v).toText());
        o.add("check", c);
    }
}
