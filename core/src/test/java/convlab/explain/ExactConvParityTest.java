package convlab.explain;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import convlab.geometry.PaddingMode;
import org.junit.jupiter.api.Test;

import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * ExactConv against PyTorch (float64) on 1500 random small cases: every padding mode, stride, dilation,
 * flip, bias, 1-D and 2-D, several channels, transposed convolution with output padding.
 * Inputs are integers and halves, so PyTorch's float64 results are exact and must match exactly.
 * Fixtures: tools/pytorch/exact_conv_fixtures.py.
 */
class ExactConvParityTest {
    @Test void agreesWithPyTorchOnRandomCases() throws Exception {
        JsonObject root;
        try (var in = getClass().getResourceAsStream("/fixtures/exact/conv_cases.json")) {
            assertNotNull(in, "fixture missing: run tools/pytorch/exact_conv_fixtures.py");
            root = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        }
        JsonArray cases = root.getAsJsonArray("cases");
        assertTrue(cases.size() >= 1000);
        int transposed = 0, modes = 0;
        boolean[] seenMode = new boolean[PaddingMode.values().length];
        for (int i = 0; i < cases.size(); i++) {
            JsonObject c = cases.get(i).getAsJsonObject();
            boolean oneD = c.get("one_d").getAsBoolean();
            int[] stride = ints(c, "stride"), pad = ints(c, "padding"), dil = ints(c, "dilation"), op = ints(c, "output_padding");
            PaddingMode mode = PaddingMode.parse(c.get("mode").getAsString());
            ConvSpec spec = new ConvSpec(oneD, stride, pad, dil, op, mode, c.get("flip").getAsBoolean(), c.get("transpose").getAsBoolean(),
                    c.get("bias").isJsonNull() ? null : exact(c.get("bias")));
            ExactArray got = ExactConv.apply(array(c.get("input")), array(c.get("kernel")), spec);
            ExactArray want = array(c.get("output"));
            assertEquals(want, got, "case " + i + ": " + c);
            if (spec.transpose()) transposed++;
            if (pad[0] + pad[1] > 0 && !seenMode[mode.ordinal()]) { seenMode[mode.ordinal()] = true; modes++; }
        }
        assertTrue(transposed > 100, "transposed cases: " + transposed);
        assertEquals(4, modes, "every padding mode exercised with padding > 0");
    }

    private static int[] ints(JsonObject c, String key) {
        JsonArray a = c.getAsJsonArray(key);
        return new int[] {a.get(0).getAsInt(), a.get(1).getAsInt()};
    }

    private static Rational exact(JsonElement e) {
        BigDecimal d = new BigDecimal(e.getAsDouble());  // exact binary value; halves and integers only here
        return Rational.parse(d.toPlainString());
    }

    /** Nested JSON lists → ExactArray of the same shape. */
    static ExactArray array(JsonElement e) {
        List<Integer> shape = new ArrayList<>();
        JsonElement t = e;
        while (t.isJsonArray()) { shape.add(t.getAsJsonArray().size()); t = t.getAsJsonArray().get(0); }
        List<Rational> flat = new ArrayList<>();
        flatten(e, flat);
        return new ExactArray(shape.stream().mapToInt(Integer::intValue).toArray(), flat.toArray(Rational[]::new));
    }

    private static void flatten(JsonElement e, List<Rational> out) {
        if (e.isJsonArray()) for (JsonElement x : e.getAsJsonArray()) flatten(x, out);
        else out.add(exact(e));
    }
}
