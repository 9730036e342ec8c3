package convlab.io;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StrictJsonTest {
    @Test void nonFiniteNumbersBecomeNullAndTheTextParsesStrictly() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("acc", 0.5);
        m.put("nan", Double.NaN);
        m.put("list", List.of(1.0, Double.NEGATIVE_INFINITY));
        m.put("array", new double[] {Double.POSITIVE_INFINITY, 2});
        m.put("nested", Map.of("x", Float.NaN));
        m.put("text", "a<b & ü");
        String text = StrictJson.write(m);
        assertTrue(!text.contains("NaN") && !text.contains("Infinity"), text);
        var o = StrictJson.parse(text).getAsJsonObject();
        assertEquals(0.5, o.get("acc").getAsDouble());
        assertTrue(o.get("nan").isJsonNull());
        assertTrue(o.getAsJsonArray("list").get(1).isJsonNull());
        assertTrue(o.getAsJsonArray("array").get(0).isJsonNull());
        assertTrue(o.getAsJsonObject("nested").get("x").isJsonNull());
        assertEquals("a<b & ü", o.get("text").getAsString());
    }

    @Test void parseRefusesWhatStrictParsersRefuse() {
        for (String bad : List.of("{\"a\": NaN}", "{a: 1}", "{\"a\": 1} x", "[1,]", "// c\n{}", "'s'"))
            assertThrows(IllegalArgumentException.class, () -> StrictJson.parse(bad), bad);
        assertEquals(1, StrictJson.parse("{\"a\": 1}").getAsJsonObject().get("a").getAsInt());
    }
}
