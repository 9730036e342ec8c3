package convlab.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import convlab.explain.ConvCheck;
import convlab.explain.Render;
import convlab.explain.Worksheet;
import convlab.explain.answer.Verdict;

/** JSON forms of check verdicts, shared by the exact calculators. */
final class ExactJson {
    private ExactJson() {}

    /**
     * Shows a checked answer: its lines in the worksheet, its JSON under {@code key}; returns the exit code
     * (0 correct, also under another named convention; 1 not correct).
     */
    static int verdict(Worksheet ws, JsonObject j, String key, Verdict v) {
        ws.verdict(v.correct(), v.message());   // a verdict block: a sheet marks it ✓/✗
        v.lines().stream().skip(1).forEach(ws::text);
        JsonObject c = new JsonObject();
        c.addProperty("correct", v.correct());
        c.addProperty("outcome", v.outcome().name().toLowerCase());
        c.addProperty("given", v.given());
        c.addProperty("right", v.right());
        c.addProperty("message", v.message());
        if (v.convention() != null) c.addProperty("convention", v.convention());
        if (v.diagnosis() != null) c.addProperty("diagnosis", v.diagnosis());
        j.add(key, c);
        return v.exitCode();
    }

    static JsonObject verdict(ConvCheck.Verdict v) {
        JsonObject o = new JsonObject();
        o.addProperty("correct", v.correct());
        o.addProperty("summary", v.summary());
        JsonArray d = new JsonArray();
        v.diagnoses().forEach(d::add);
        o.add("diagnoses", d);
        JsonArray wrong = new JsonArray();
        for (ConvCheck.Mismatch m : v.mismatches()) {
            JsonObject e = new JsonObject();
            e.add("index", Render.json(m.index()));
            e.add("given", Render.json(m.given()));
            e.add("correct", Render.json(m.correct()));
            e.addProperty("working", m.working());
            JsonArray by = new JsonArray();
            m.explainedBy().forEach(by::add);
            e.add("given_value_matches", by);
            wrong.add(e);
        }
        o.add("wrong_entries", wrong);
        return o;
    }
}
