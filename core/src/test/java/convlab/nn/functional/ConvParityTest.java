package convlab.nn.functional;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import convlab.geometry.PaddingMode;
import convlab.tensor.DType;
import convlab.tensor.Tensor;
import convlab.testing.Checks;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * PyTorch parity of conv1d/conv2d/conv_transpose1d/2d: outputs and input, weight and bias gradients
 * against fixtures written by tools/pytorch/conv_fixtures.py, in float64 (reference loops, to 1e-10) and
 * float32 (fast kernels, to float rounding).
 */
class ConvParityTest {

    @TestFactory
    List<DynamicTest> conv2d() { return cases("conv2d.json"); }

    @TestFactory
    List<DynamicTest> conv1d() { return cases("conv1d.json"); }

    @TestFactory
    List<DynamicTest> convTranspose() { return cases("conv_transpose.json"); }

    private List<DynamicTest> cases(String file) {
        var in = getClass().getResourceAsStream("/fixtures/conv/" + file);
        assertNotNull(in, "fixture " + file + " missing; run tools/pytorch/conv_fixtures.py");
        JsonObject root = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonElement e : root.getAsJsonArray("cases")) {
            JsonObject c = e.getAsJsonObject();
            String name = c.get("op").getAsString() + ": " + c.get("name").getAsString();
            tests.add(DynamicTest.dynamicTest(name + " (float64)", () -> check(c, name, DType.F64, 1e-10)));
            tests.add(DynamicTest.dynamicTest(name + " (float32)", () -> check(c, name, DType.F32, 2e-4)));
        }
        return tests;
    }

    private static void check(JsonObject c, String name, DType dt, double tol) {
        Tensor x = tensor(c.get("x"), dt).requiresGrad(true);
        Tensor w = tensor(c.get("w"), dt).requiresGrad(true);
        Tensor b = tensor(c.get("b"), dt);
        if (b != null) b.requiresGrad(true);
        ConvOptions o = options(c.getAsJsonObject("options"));
        Tensor y = switch (c.get("op").getAsString()) {
            case "conv2d" -> Conv.conv2d(x, w, b, o);
            case "conv1d" -> Conv.conv1d(x, w, b, o);
            case "conv_transpose2d" -> Conv.convTranspose2d(x, w, b, o);
            case "conv_transpose1d" -> Conv.convTranspose1d(x, w, b, o);
            default -> throw new AssertionError("unknown op in fixture: " + c.get("op"));
        };
        expect(c.get("y"), y, name + " output", tol);
        y.backward(tensor(c.get("gy"), dt));
        expect(c.get("gx"), x.grad(), name + " input gradient", tol);
        expect(c.get("gw"), w.grad(), name + " weight gradient", tol);
        if (b != null) expect(c.get("gb"), b.grad(), name + " bias gradient", tol);
    }

    static ConvOptions options(JsonObject o) {
        int[] stride = pair(o.get("stride")), dil = pair(o.get("dilation")), outPad = pair(o.get("output_padding"));
        ConvOptions opts = ConvOptions.DEFAULT.stride(stride[0], stride[1]).dilation(dil[0], dil[1])
                .groups(o.get("groups").getAsInt()).paddingMode(PaddingMode.parse(o.get("padding_mode").getAsString()))
                .flip(o.get("flip").getAsBoolean()).outputPadding(outPad[0], outPad[1]);
        JsonElement p = o.get("padding");
        if (p.isJsonPrimitive() && p.getAsJsonPrimitive().isString()) return opts.samePadding();
        int[] pad = pair(p);
        return opts.padding(pad[0], pad[1]);
    }

    /** A 2-d option is [h, w]; a 1-d option a single number. */
    private static int[] pair(JsonElement e) {
        if (e.isJsonArray()) return new int[] {e.getAsJsonArray().get(0).getAsInt(), e.getAsJsonArray().get(1).getAsInt()};
        return new int[] {e.getAsInt(), e.getAsInt()};
    }

    static Tensor tensor(JsonElement e, DType dt) {
        if (e == null || e.isJsonNull()) return null;
        JsonObject o = e.getAsJsonObject();
        var s = o.getAsJsonArray("shape");
        int[] shape = new int[s.size()];
        for (int i = 0; i < shape.length; i++) shape[i] = s.get(i).getAsInt();
        var d = o.getAsJsonArray("data");
        double[] v = new double[d.size()];
        for (int i = 0; i < v.length; i++) v[i] = d.get(i).getAsDouble();
        return Tensor.of(v, shape).to(dt);
    }

    private static void expect(JsonElement expected, Tensor actual, String what, double tol) {
        Tensor e = tensor(expected, DType.F64);
        assertNotNull(actual, what + ": no gradient was computed");
        assertArrayEquals(e.shape(), actual.shape(), what + ": shape");
        Checks.assertClose(e.toDoubleArray(), actual.toDoubleArray(), tol, tol, what);
    }
}
