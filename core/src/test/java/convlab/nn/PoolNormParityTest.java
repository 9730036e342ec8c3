package convlab.nn;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import convlab.nn.functional.Normalization;
import convlab.tensor.DType;
import convlab.tensor.Ops;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

import static convlab.testing.Checks.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parity with PyTorch on the fixtures written by tools/pytorch/poolnorm_fixtures.py: outputs, input
 * gradients, γ/β gradients and running statistics, in float64 (to ~1e-12) and float32 (to float32
 * rounding) for every case.
 */
class PoolNormParityTest {
    private static final double TIGHT = 1e-12, F32_ATOL = 2e-5, F32_RTOL = 1e-5;

    private static JsonArray cases(String file) {
        String path = "/fixtures/poolnorm/" + file;
        try (InputStream in = PoolNormParityTest.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("missing fixture " + path + "; run tools/pytorch/poolnorm_fixtures.py");
            return JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject().getAsJsonArray("cases");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Tensor tensor(JsonObject c, String key, DType dtype) { return tensor(c.get(key), dtype); }

    /** A fixture tensor {shape, data} in dtype (also used by the other parity tests of this package). */
    static Tensor tensor(JsonElement e, DType dtype) {
        JsonObject o = e.getAsJsonObject();
        JsonArray s = o.getAsJsonArray("shape"), d = o.getAsJsonArray("data");
        int[] shape = new int[s.size()];
        for (int i = 0; i < shape.length; i++) shape[i] = s.get(i).getAsInt();
        double[] data = new double[d.size()];
        for (int i = 0; i < data.length; i++) data[i] = d.get(i).getAsDouble();
        Tensor t = Tensor.of(data, shape);
        return dtype == DType.F64 ? t : t.to(DType.F32);
    }

    private static double[] values(JsonObject c, String key) { return tensor(c, key, DType.F64).toDoubleArray(); }

    private static int num(JsonObject params, String key) { return params.get(key).getAsInt(); }

    private static boolean flag(JsonObject params, String key) { return params.get(key).getAsBoolean(); }

    /** Runs layer on the case's input in dtype, backpropagates grad_output, compares output and grad_input. */
    private static Tensor checkForwardBackward(JsonObject c, DType dtype, Function<Tensor, Tensor> layer) {
        String what = c.get("name").getAsString() + " " + dtype;
        Tensor x = tensor(c, "input", dtype).requiresGrad(true);
        Tensor y = layer.apply(x);
        y.backward(tensor(c, "grad_output", dtype));
        double atol = dtype == DType.F64 ? TIGHT : F32_ATOL, rtol = dtype == DType.F64 ? TIGHT : F32_RTOL;
        assertClose(values(c, "output"), y.toDoubleArray(), atol, rtol, what + " output");
        assertClose(values(c, "grad_input"), x.grad().toDoubleArray(), atol, rtol, what + " grad_input");
        return x;
    }

    @Test void pooling() {
        JsonArray all = cases("pooling.json");
        assertTrue(all.size() >= 15);
        for (JsonElement e : all) {
            JsonObject c = e.getAsJsonObject(), p = c.getAsJsonObject("params");
            String op = c.get("op").getAsString();
            Module layer = switch (op) {
                case "maxpool2d" -> new MaxPool2d(num(p, "kernel"), num(p, "stride"), num(p, "padding"), flag(p, "ceil_mode"));
                case "maxpool1d" -> new MaxPool1d(num(p, "kernel"), num(p, "stride"), num(p, "padding"), flag(p, "ceil_mode"));
                case "avgpool2d" -> new AvgPool2d(num(p, "kernel"), num(p, "stride"), num(p, "padding"), flag(p, "ceil_mode"), flag(p, "count_include_pad"));
                case "avgpool1d" -> new AvgPool1d(num(p, "kernel"), num(p, "stride"), num(p, "padding"), flag(p, "ceil_mode"), flag(p, "count_include_pad"));
                case "globalavgpool2d" -> new GlobalAvgPool2d();
                default -> throw new AssertionError("unknown op " + op);
            };
            for (DType dt : DType.values()) checkForwardBackward(c, dt, layer::forward);
        }
    }

    @Test void batchNorm() {
        for (JsonElement e : cases("batchnorm.json")) {
            JsonObject c = e.getAsJsonObject(), p = c.getAsJsonObject("params");
            String name = c.get("name").getAsString();
            boolean training = flag(p, "training"), affine = flag(p, "affine"), meanOnly = flag(p, "mean_only");
            double momentum = p.get("momentum").getAsDouble(), eps = p.get("eps").getAsDouble();

            // float64: the functional op with float64 parameters and statistics
            Tensor rm = tensor(c, "running_mean_before", DType.F64), rv = tensor(c, "running_var_before", DType.F64);
            Tensor w = affine ? tensor(c, "weight", DType.F64).requiresGrad(true) : null;
            Tensor b = affine ? tensor(c, "bias", DType.F64).requiresGrad(true) : null;
            checkForwardBackward(c, DType.F64, x -> Normalization.batchNorm(x, rm, meanOnly ? null : rv, w, b, training, momentum, eps, meanOnly));
            assertClose(values(c, "running_mean_after"), rm.toDoubleArray(), TIGHT, TIGHT, name + " running_mean");
            assertClose(values(c, "running_var_after"), rv.toDoubleArray(), TIGHT, TIGHT, name + " running_var");
            if (affine) {
                assertClose(values(c, "grad_weight"), w.grad().toDoubleArray(), TIGHT, TIGHT, name + " grad_weight");
                assertClose(values(c, "grad_bias"), b.grad().toDoubleArray(), TIGHT, TIGHT, name + " grad_bias");
            }

            // float32: the module, as a model uses it
            int channels = c.getAsJsonObject("input").getAsJsonArray("shape").get(1).getAsInt();
            int rank = c.getAsJsonObject("input").getAsJsonArray("shape").size();
            AbstractBatchNorm bn = rank == 4 ? new BatchNorm2d(channels, eps, momentum, affine, meanOnly)
                    : new BatchNorm1d(channels, eps, momentum, affine, meanOnly);
            Ops.copyInto(tensor(c, "running_mean_before", DType.F32), bn.runningMean);
            if (!meanOnly) Ops.copyInto(tensor(c, "running_var_before", DType.F32), bn.runningVar);
            if (affine) {
                bn.weight.copyFrom(tensor(c, "weight", DType.F32));
                bn.bias.copyFrom(tensor(c, "bias", DType.F32));
            }
            if (!training) bn.eval();
            checkForwardBackward(c, DType.F32, bn::forward);
            assertClose(values(c, "running_mean_after"), bn.runningMean.toDoubleArray(), 1e-6, 1e-6, name + " float32 running_mean");
            if (!meanOnly)
                assertClose(values(c, "running_var_after"), bn.runningVar.toDoubleArray(), 1e-6, 1e-6, name + " float32 running_var");
            if (affine) {
                assertClose(values(c, "grad_weight"), bn.weight.grad().toDoubleArray(), F32_ATOL, F32_RTOL, name + " float32 grad_weight");
                assertClose(values(c, "grad_bias"), bn.bias.grad().toDoubleArray(), F32_ATOL, F32_RTOL, name + " float32 grad_bias");
            }
        }
    }

    @Test void layerAndGroupNorm() {
        for (JsonElement e : cases("layer_group_norm.json")) {
            JsonObject c = e.getAsJsonObject(), p = c.getAsJsonObject("params");
            String name = c.get("name").getAsString();
            boolean affine = c.has("weight");
            double eps = p.get("eps").getAsDouble();
            int channels = c.getAsJsonObject("input").getAsJsonArray("shape").get(1).getAsInt();

            Tensor w = affine ? tensor(c, "weight", DType.F64).requiresGrad(true) : null;
            Tensor b = affine ? tensor(c, "bias", DType.F64).requiresGrad(true) : null;
            Module module;
            Function<Tensor, Tensor> f64;
            if (c.get("op").getAsString().equals("layernorm")) {
                JsonArray ns = p.getAsJsonArray("normalized_shape");
                int[] shape = new int[ns.size()];
                for (int i = 0; i < shape.length; i++) shape[i] = ns.get(i).getAsInt();
                f64 = x -> Normalization.layerNorm(x, shape, w, b, eps);
                module = new LayerNorm(shape, eps, affine);
            } else {
                int groups = num(p, "groups");
                f64 = x -> Normalization.groupNorm(x, groups, w, b, eps);
                module = new GroupNorm(groups, channels, eps, affine);
            }
            checkForwardBackward(c, DType.F64, f64);
            Parameter mw = affine ? module.namedParameters().get("weight") : null, mb = affine ? module.namedParameters().get("bias") : null;
            if (affine) {
                assertClose(values(c, "grad_weight"), w.grad().toDoubleArray(), TIGHT, TIGHT, name + " grad_weight");
                assertClose(values(c, "grad_bias"), b.grad().toDoubleArray(), TIGHT, TIGHT, name + " grad_bias");
                mw.copyFrom(tensor(c, "weight", DType.F32));
                mb.copyFrom(tensor(c, "bias", DType.F32));
            }
            module.eval();                            // no running statistics: evaluation computes the same
            checkForwardBackward(c, DType.F32, module::forward);
            if (affine) {
                assertClose(values(c, "grad_weight"), mw.grad().toDoubleArray(), F32_ATOL, F32_RTOL, name + " float32 grad_weight");
                assertClose(values(c, "grad_bias"), mb.grad().toDoubleArray(), F32_ATOL, F32_RTOL, name + " float32 grad_bias");
            }
        }
    }

    @Test void dropoutScalingAndChannelRule() {
        for (JsonElement e : cases("dropout.json")) {
            JsonObject c = e.getAsJsonObject();
            double p = c.get("p").getAsDouble();
            boolean channels = c.get("op").getAsString().equals("dropout2d");
            Module layer = channels ? new Dropout2d(p, new Rng(3)) : new Dropout(p, new Rng(3));
            Tensor ones = channels ? Tensor.ones(16, 8, 3, 3) : Tensor.ones(4000);
            double survivor = 0;
            for (double v : layer.forward(ones).toDoubleArray()) if (v != 0) survivor = v;
            assertEquals(c.get("survivor_value_float32").getAsDouble(), survivor, 0, "float32 survivor value for p=" + p);
            if (c.has("survivor_value_float64")) {
                double s64 = 0;
                for (double v : layer.forward(Tensor.full(1, DType.F64, 4000)).toDoubleArray()) if (v != 0) s64 = v;
                assertEquals(c.get("survivor_value_float64").getAsDouble(), s64, 0, "float64 survivor value for p=" + p);
            }
        }
    }
}
