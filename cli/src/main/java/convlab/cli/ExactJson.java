package convlab.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import convlab.explain.ConvCheck;
import convlab.explain.Render;

/** JSON forms of check verdicts, shared by the exact calculators. */
final class ExactJson {
    private ExactJson() {}

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
