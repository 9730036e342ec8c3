package convlab.io;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;

import java.io.IOException;
import java.io.StringReader;
import java.util.Map;

/**
 * The one way convlab writes JSON: pretty-printed, non-ASCII kept as is, and strictly valid. JSON has no NaN or
 * infinity, so a non-finite number (an accuracy of a class with no test images, a loss that diverged) is written as
 * {@code null}; every strict parser (Python's {@code json} with default settings, JavaScript's {@code JSON.parse},
 * jq) reads the result.
 */
public final class StrictJson {
    private StrictJson() {}

    // Non-finite numbers are let through the tree conversion, then replaced by null before printing.
    private static final Gson TREE = new GsonBuilder().serializeSpecialFloatingPointValues().disableHtmlEscaping().create();
    private static final Gson PRINT = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create();

    /** The value (maps, lists, arrays, records of numbers and strings, JsonElements) as strict, pretty-printed JSON. */
    public static String write(Object value) {
        return PRINT.toJson(finite(TREE.toJsonTree(value)));
    }

    /** Reads JSON strictly (no NaN, no comments, no unquoted names); IllegalArgumentException when it is not JSON. */
    public static JsonElement parse(String text) {
        try (JsonReader reader = new JsonReader(new StringReader(text))) {
            reader.setStrictness(Strictness.STRICT);
            JsonElement e = com.google.gson.JsonParser.parseReader(reader);
            if (reader.peek() != com.google.gson.stream.JsonToken.END_DOCUMENT)
                throw new IllegalArgumentException("not strict JSON: text after the value");
            return e;
        } catch (com.google.gson.JsonParseException | IOException | IllegalStateException e) {
            throw new IllegalArgumentException("not strict JSON: " + e.getMessage(), e);
        }
    }

    private static JsonElement finite(JsonElement e) {
        if (e instanceof JsonPrimitive p && p.isNumber()) {
            double d = p.getAsDouble();
            return Double.isFinite(d) ? p : JsonNull.INSTANCE;
        }
        if (e instanceof JsonArray a) {
            JsonArray out = new JsonArray(a.size());
            for (JsonElement x : a) out.add(finite(x));
            return out;
        }
        if (e instanceof JsonObject o) {
            JsonObject out = new JsonObject();
            for (Map.Entry<String, JsonElement> x : o.entrySet()) out.add(x.getKey(), finite(x.getValue()));
            return out;
        }
        return e;
    }
}
