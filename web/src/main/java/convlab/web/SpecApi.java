package convlab.web;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import convlab.spec.Analysis;
import convlab.spec.FeatureShape;
import convlab.spec.NamedModels;
import convlab.spec.Spec;
import convlab.spec.SummaryReport;

/** The network explorer's request: {@code convlab summary} of a spec as JSON (SummaryReport.json, as --json prints it). */
final class SpecApi {
    private SpecApi() {}

    static final int MAX_SPEC_CHARS = 4000;

    static JsonObject handle(JsonObject req) {
        String text = Exchange.str(req, "spec", "");
        if (text.length() > MAX_SPEC_CHARS) throw new HttpError(422, "the spec is " + text.length() + " characters; the workbench takes at most " + MAX_SPEC_CHARS);
        if (text.isBlank()) throw new HttpError(400, "type a spec, e.g. CONV3-10 POOL2 FLATTEN FC-10");
        String input = Exchange.str(req, "input", "28x28x1");
        boolean implied = !Exchange.bool(req, "noImpliedRelu");
        long t0 = System.nanoTime();
        try {
            Analysis a = Analysis.of(Spec.parse(NamedModels.specOf(text), implied), FeatureShape.parse(input));
            JsonObject o = JsonParser.parseString(SummaryReport.json(a)).getAsJsonObject();
            o.addProperty("text", SummaryReport.text(a));
            o.addProperty("ms", (System.nanoTime() - t0) / 1e6);
            return o;
        } catch (ArithmeticException e) {
            throw new HttpError(422, "the network is too large to count (a size overflows 64 bits)");
        }
    }

    /**
     * A spec error as the CLI prints it ("bad spec: message", the spec, carets under the offending token) with the
     * caret position and length taken out, so the page can underline the token in the text box.
     */
    static JsonObject error(IllegalArgumentException e) {
        JsonObject o = new JsonObject();
        String msg = e.getMessage() == null ? "bad input" : e.getMessage();
        o.addProperty("error", msg);
        String[] lines = msg.split("\n");
        if (lines.length >= 3 && lines[2].contains("^")) {
            int first = lines[2].indexOf('^'), last = lines[2].lastIndexOf('^');
            o.addProperty("pos", first - 4);
            o.addProperty("length", last - first + 1);
        }
        return o;
    }
}
