package convlab.nn;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import convlab.io.ModelFile;
import convlab.spec.FeatureShape;
import convlab.spec.ModelBuilder;
import convlab.spec.Spec;
import convlab.tensor.DType;
import convlab.tensor.Ops;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static convlab.testing.Checks.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Parity with PyTorch on the fixture written by tools/pytorch/graph_fixtures.py: torch.cat and add
 * forward/backward, and a whole branched model (labels, ADD, CONCAT of three paths, BN in train mode)
 * built from its spec: output, input gradient, every parameter gradient and the running statistics, in
 * float64 (to ~1e-12) and float32 (to float32 rounding), with and without ReLU fusion.
 */
class GraphParityTest {
    private static JsonObject fixture() {
        try (InputStream in = GraphParityTest.class.getResourceAsStream("/fixtures/graph/graph.json")) {
            if (in == null) throw new IllegalStateException("missing fixture; run tools/pytorch/graph_fixtures.py");
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Tensor tensor(JsonElement e, DType dtype) { return PoolNormParityTest.tensor(e, dtype); }

    private static double[] values(JsonElement e) { return tensor(e, DType.F64).toDoubleArray(); }

    @Test void catAndAddMatchPyTorch() {
        for (DType dtype : DType.values()) {
            double tol = dtype == DType.F64 ? 1e-12 : 1e-6;
            for (JsonElement ce : fixture().getAsJsonArray("ops")) {
                JsonObject c = ce.getAsJsonObject();
                JsonArray ins = c.getAsJsonArray("inputs");
                Tensor[] xs = new Tensor[ins.size()];
                for (int i = 0; i < xs.length; i++) xs[i] = tensor(ins.get(i), dtype).requiresGrad(true);
                Tensor y = c.get("op").getAsString().equals("cat") ? Ops.cat(1, xs) : Ops.add(xs[0], xs[1]);
                String what = c.get("op").getAsString() + " " + dtype;
                assertClose(values(c.get("output")), y.toDoubleArray(), tol, tol, what + " output");
                y.mul(tensor(c.get("grad_output"), dtype)).sum().backward();
                for (int i = 0; i < xs.length; i++)
                    assertClose(values(c.getAsJsonArray("grad_inputs").get(i)), xs[i].grad().toDoubleArray(), tol, tol, what + " grad " + i);
            }
        }
    }

    @Test void branchedModelMatchesPyTorch() {
        JsonObject c = fixture().getAsJsonObject("model");
        for (DType dtype : DType.values()) {
            for (boolean fuse : new boolean[] {true, false}) {
                double atol = dtype == DType.F64 ? 1e-11 : 2e-4, rtol = dtype == DType.F64 ? 1e-10 : 1e-4;
                String what = dtype + (fuse ? " fused" : " unfused");
                Module m;
                try (var scope = dtype == DType.F64 ? DefaultDType.float64() : null) {
                    m = ModelBuilder.buildModel(Spec.parse(c.get("spec").getAsString()), FeatureShape.parse(c.get("input_shape").getAsString()),
                            new Rng(0), fuse);
                }
                Map<String, Tensor> state = new LinkedHashMap<>();
                for (var e : c.getAsJsonObject("state").entrySet()) {
                    // convlab numbers modules by row only when fused; unfused, the ReLUs are modules of their own.
                    state.put(fuse ? e.getKey() : unfusedName(e.getKey()), tensor(e.getValue(), dtype));
                }
                ModelFile.loadState(m, state, "graph.json");
                m.train();
                Tensor x = tensor(c.get("input"), dtype).requiresGrad(true);
                Tensor y = m.forward(x);
                assertClose(values(c.get("output")), y.toDoubleArray(), atol, rtol, what + " output");
                y.mul(tensor(c.get("grad_output"), dtype)).sum().backward();
                assertClose(values(c.get("grad_input")), x.grad().toDoubleArray(), atol, rtol, what + " grad input");
                Map<String, Parameter> params = m.namedParameters();
                assertEquals(c.getAsJsonObject("grads").size(), params.size(), what);
                for (var e : c.getAsJsonObject("grads").entrySet())
                    assertClose(values(e.getValue()), params.get(fuse ? e.getKey() : unfusedName(e.getKey())).grad().toDoubleArray(), atol, rtol,
                            what + " grad " + e.getKey());
                Map<String, Tensor> buffers = m.namedBuffers();
                for (var e : c.getAsJsonObject("running_after").entrySet())
                    assertClose(values(e.getValue()), buffers.get(fuse ? e.getKey() : unfusedName(e.getKey())).toDoubleArray(), atol, rtol,
                            what + " " + e.getKey());
            }
        }
    }

    /** Fused module k ("0".."9") as numbered without fusion: CONV+RELU pairs at 0, 1 and 4 become two modules. */
    private static String unfusedName(String name) {
        int dot = name.indexOf('.');
        int k = Integer.parseInt(name.substring(0, dot));
        int shift = (k > 0 ? 1 : 0) + (k > 1 ? 1 : 0) + (k > 4 ? 1 : 0);
        return (k + shift) + name.substring(dot);
    }
}
