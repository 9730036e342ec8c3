package convlab.optim;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import convlab.nn.Parameter;
import convlab.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Four steps of each optimizer against torch.optim (fixtures by tools/pytorch/optim_fixtures.py). */
class OptimizerParityTest {

    @ParameterizedTest
    @ValueSource(strings = {"sgd_plain", "sgd_momentum_dampening_wd", "sgd_nesterov_wd", "sgd_two_groups",
            "adam_default", "adam_wd_amsgrad", "adamw_default", "adamw_wd_amsgrad",
            "rmsprop_default", "rmsprop_centered_momentum_wd", "adagrad_default", "adagrad_decay_wd_init"})
    void matchesPyTorch(String name) throws Exception {
        JsonObject fx = load(name);
        JsonObject h = fx.getAsJsonObject("hyper");
        List<Parameter> params = new ArrayList<>();
        JsonArray shapes = fx.getAsJsonArray("shapes"), initial = fx.getAsJsonArray("initial");
        for (int i = 0; i < shapes.size(); i++)
            params.add(new Parameter(Tensor.of(floats(initial.get(i).getAsJsonArray()), ints(shapes.get(i).getAsJsonArray()))));
        List<ParamGroup> groups = new ArrayList<>();
        for (var ge : fx.getAsJsonArray("groups")) {
            JsonObject g = ge.getAsJsonObject();
            List<Parameter> ps = new ArrayList<>();
            for (var idx : g.getAsJsonArray("params")) ps.add(params.get(idx.getAsInt()));
            groups.add(new ParamGroup(ps, g.get("lr").getAsDouble(), g.get("weight_decay").getAsDouble()));
        }
        Optimizer opt = build(fx.get("optimizer").getAsString(), h).apply(groups);

        JsonArray grads = fx.getAsJsonArray("grads"), after = fx.getAsJsonArray("after");
        for (int step = 0; step < grads.size(); step++) {
            for (int i = 0; i < params.size(); i++)
                params.get(i).setGrad(Tensor.of(floats(grads.get(step).getAsJsonArray().get(i).getAsJsonArray()), params.get(i).shape()));
            opt.step();
            for (int i = 0; i < params.size(); i++) {
                float[] want = floats(after.get(step).getAsJsonArray().get(i).getAsJsonArray());
                float[] got = params.get(i).data();
                for (int j = 0; j < want.length; j++)
                    assertEquals(want[j], got[j], 2e-6 * Math.max(1, Math.abs(want[j])),
                            name + " step " + (step + 1) + " param " + i + "[" + j + "]");
            }
        }
    }

    private static Function<List<ParamGroup>, Optimizer> build(String torchName, JsonObject h) {
        return switch (torchName) {
            case "SGD" -> gs -> new SGD(gs, d(h, "momentum"), d(h, "dampening"), h.get("nesterov").getAsBoolean());
            case "Adam" -> gs -> new Adam(gs, beta(h, 0), beta(h, 1), d(h, "eps"), h.get("amsgrad").getAsBoolean(), false);
            case "AdamW" -> gs -> new AdamW(gs, beta(h, 0), beta(h, 1), d(h, "eps"), h.get("amsgrad").getAsBoolean());
            case "RMSprop" -> gs -> new RMSprop(gs, d(h, "alpha"), d(h, "eps"), d(h, "momentum"), h.get("centered").getAsBoolean());
            case "Adagrad" -> gs -> new Adagrad(gs, d(h, "lr_decay"), d(h, "initial_accumulator_value"), d(h, "eps"));
            default -> throw new IllegalArgumentException("no Java optimizer for fixture optimizer " + torchName);
        };
    }

    private static double d(JsonObject h, String k) { return h.get(k).getAsDouble(); }

    private static double beta(JsonObject h, int i) { return h.getAsJsonArray("betas").get(i).getAsDouble(); }

    static JsonObject load(String name) throws Exception {
        var in = OptimizerParityTest.class.getResourceAsStream("/fixtures/optim/" + name + ".json");
        assertNotNull(in, "missing fixture " + name + " (run tools/pytorch/optim_fixtures.py)");
        try (var r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return JsonParser.parseReader(r).getAsJsonObject();
        }
    }

    static float[] floats(JsonArray a) {
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).getAsFloat();
        return out;
    }

    static int[] ints(JsonArray a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).getAsInt();
        return out;
    }
}
