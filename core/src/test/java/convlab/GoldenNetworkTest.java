package convlab;

import convlab.io.ModelFile;
import convlab.io.Safetensors;
import convlab.nn.Dropout;
import convlab.nn.Module;
import convlab.nn.Parameter;
import convlab.nn.Sequential;
import convlab.nn.functional.F;
import convlab.optim.SGD;
import convlab.spec.ModelBuilder;
import convlab.tensor.DType;
import convlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whole networks against PyTorch, in the manner of llm.c's test: the course CNN and the wide batch-norm CNN load
 * the initial weights PyTorch wrote (tools/pytorch/golden_network.py), run 10 SGD-with-momentum steps on one fixed
 * batch, and must give PyTorch's step-0 logits, every step-0 parameter gradient, the 10 losses and the batch-norm
 * running statistics after them.
 *
 * <p>The reference is PyTorch in float64 from the same float32 weights. convlab (float32) must be within 1e-4 of each
 * tensor's largest magnitude (plus 1e-6) of it, or within twice PyTorch's own float32 distance where that is larger:
 * at initialisation the wide network's layers before its first batch norms are ill-conditioned (their backward
 * cancels heavily), and there PyTorch float32 itself is 2-7% of the largest gradient away from float64 while every
 * later layer agrees to 1e-6. Measured distances are printed, so a regression toward the bound shows before it fails.
 */
class GoldenNetworkTest {
    static final Path FIXTURES = Path.of("src", "test", "resources", "fixtures", "golden");

    @Test void courseCnnMatchesPyTorchForTenSteps() throws IOException {
        compare("course_cnn", "CONV3-10 POOL2 CONV3-10 POOL2 FLATTEN FC-10");
    }

    @Test void wideBatchNormCnnMatchesPyTorchForTenSteps() throws IOException {
        compare("wide_bn", "[CONV3-32 BN RELU]x2 POOL2 [CONV3-64 BN RELU]x2 POOL2 FLATTEN FC-128 RELU DROPOUT0.5 FC-10");
    }

    /** The float32 fast path of F.linear's backward against its float64 path on the same numbers. */
    @Test void linearBackwardFloat32MatchesFloat64() {
        Tensor x64 = convlab.testing.Checks.rand64(1, 37, 53), w64 = convlab.testing.Checks.rand64(2, 19, 53);
        Tensor b64 = convlab.testing.Checks.rand64(3, 19), g64 = convlab.testing.Checks.rand64(4, 37, 19);
        Tensor[] grads64 = linearGrads(x64, w64, b64, g64);
        Tensor[] grads32 = linearGrads(x64.to(DType.F32), w64.to(DType.F32), b64.to(DType.F32), g64.to(DType.F32));
        String[] names = {"input", "weight", "bias"};
        for (int i = 0; i < 3; i++) {
            assertEquals(DType.F32, grads32[i].dtype(), names[i]);
            assertScaled(grads64[i].toDoubleArray(), grads32[i].toDoubleArray(), 1e-5, "F.linear float32 gradient of " + names[i]);
        }
    }

    private static Tensor[] linearGrads(Tensor x, Tensor w, Tensor b, Tensor g) {
        Tensor[] leaves = {new Parameter(x), new Parameter(w), new Parameter(b)};
        F.linear(leaves[0], leaves[1], leaves[2]).mul(g).sum().backward();
        return new Tensor[] {leaves[0].grad(), leaves[1].grad(), leaves[2].grad()};
    }

    private static void compare(String name, String spec) throws IOException {
        Safetensors.Contents golden = Safetensors.read(FIXTURES.resolve(name + ".safetensors"));
        Sequential model = ModelBuilder.build(spec, "28x28x1", 99);   // weights replaced below
        Map<String, Tensor> init = new LinkedHashMap<>(model.namedBuffers());
        golden.tensors().forEach((k, v) -> { if (k.startsWith("init.")) init.put(k.substring(5), v); });
        ModelFile.loadState(model, init, name + " fixture");
        model.train();
        for (Module child : model.children().values()) if (child instanceof Dropout) child.eval();   // as in the script

        Tensor input = golden.tensor("input");
        double[] labelValues = golden.tensor("labels").toDoubleArray();
        int[] labels = new int[labelValues.length];
        for (int i = 0; i < labels.length; i++) labels[i] = (int) labelValues[i];
        SGD sgd = new SGD(model.parameters(), Double.parseDouble(golden.metadata().get("lr")), 0.9, 0);
        double[] losses = new double[Integer.parseInt(golden.metadata().get("steps"))];
        for (int step = 0; step < losses.length; step++) {
            sgd.zeroGrad();
            Tensor logits = model.forward(input);
            Tensor loss = F.crossEntropy(logits, labels);
            loss.backward();
            if (step == 0) {
                assertNear(golden, name, "logits0", logits.toDoubleArray());
                for (var p : model.namedParameters().entrySet())
                    assertNear(golden, name, "grad0." + p.getKey(), p.getValue().grad().toDoubleArray());
            }
            losses[step] = loss.item();
            sgd.step();
        }
        assertNear(golden, name, "losses", losses);
        for (var b : model.namedBuffers().entrySet())
            assertNear(golden, name, "final." + b.getKey(), b.getValue().toDoubleArray());
    }

    /**
     * The largest difference from the float64 reference is within 1e-4 of the reference's largest magnitude (plus
     * 1e-6), or within twice PyTorch's own float32 distance from it where that is larger (ill-conditioned tensors).
     */
    private static void assertNear(Safetensors.Contents golden, String name, String key, double[] actual) {
        double[] ref = golden.tensor(key).toDoubleArray();
        double torch32 = golden.tensor("torch32_error." + key).toDoubleArray()[0];
        assertEquals(ref.length, actual.length, name + " " + key + ": length");
        double scale = 0, err = 0;
        int worst = 0;
        for (int i = 0; i < ref.length; i++) {
            scale = Math.max(scale, Math.abs(ref[i]));
            double e = Math.abs(ref[i] - actual[i]);
            if (e > err) { err = e; worst = i; }
        }
        double tol = Math.max(1e-4 * scale + 1e-6, 2 * torch32);
        System.out.printf("%s %s: convlab %.3g, PyTorch float32 %.3g from the float64 reference (tolerance %.3g)%n",
                name, key, err, torch32, tol);
        assertTrue(err <= tol, name + " " + key + ": element " + worst + " expected " + ref[worst] + " but was "
                + actual[worst] + " (tolerance " + tol + ", PyTorch float32 is " + torch32 + " away)");
    }

    /** Every entry within rel times the tensor's largest magnitude. */
    private static void assertScaled(double[] expected, double[] actual, double rel, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 0;
        for (double v : expected) scale = Math.max(scale, Math.abs(v));
        double tol = rel * scale + 1e-12;
        for (int i = 0; i < expected.length; i++)
            assertTrue(Math.abs(expected[i] - actual[i]) <= tol, what + ": element " + i + " expected " + expected[i]
                    + " but was " + actual[i] + " (tolerance " + tol + ")");
    }
}
