package convlab.spec;

import convlab.nn.Sequential;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Random specs with random options on random small inputs: wherever the integer analysis accepts a spec,
 * the built modules accept it too and produce exactly the inferred shape; wherever the analysis refuses
 * one, it does so with a message naming a layer (or, for contradictory options, pointing at the token).
 */
class RandomSpecTest {
    static final int TRIALS = Integer.getInteger("randomSpecTrials", 300);
    private static String pick(Rng r, String... options) { return options[r.nextInt(options.length)]; }

    private static String convOptions(Rng r, boolean transposed) {
        List<String> o = new ArrayList<>();
        if (r.nextInt(2) == 0) o.add("s" + (1 + r.nextInt(3)));
        if (r.nextInt(3) == 0) o.add("p" + r.nextInt(3));
        if (r.nextInt(4) == 0) o.add("d" + (1 + r.nextInt(2)));
        if (!transposed && r.nextInt(3) == 0) o.add(pick(r, "circular", "reflect", "replicate", "zeros"));
        if (!transposed && r.nextInt(6) == 0) o.add("same");
        if (transposed && r.nextInt(3) == 0) o.add("op1");
        if (r.nextInt(5) == 0) o.add("nobias");
        if (!transposed && r.nextInt(5) == 0) o.add("flip");
        return o.isEmpty() ? "" : "(" + String.join(",", o) + ")";
    }

    private static String randomLayer(Rng r) {
        int k = 1 + r.nextInt(4);
        return switch (r.nextInt(11)) {
            case 0, 1 -> "CONV" + k + "-" + (1 + r.nextInt(6)) + convOptions(r, false);
            case 2 -> "DWCONV" + k + convOptions(r, false);
            case 3 -> "SEPCONV" + k + "-" + (1 + r.nextInt(6)) + convOptions(r, false);
            case 4 -> "TCONV" + k + "-" + (1 + r.nextInt(4)) + convOptions(r, true);
            case 5 -> pick(r, "POOL", "MAXPOOL") + k + pick(r, "", "(s1)", "(ceil)", "(s2,ceil)", "(s1,p" + (k / 2) + ")");
            case 6 -> "AVGPOOL" + k + pick(r, "", "(ceil)", "(s1,p" + (k / 2) + ",nopadcount)", "(s2,p" + (k / 2) + ",ceil)");
            case 7 -> pick(r, "BN", "BN(meanonly)", "LN", "GN1", "BN(noaffine)");
            case 8 -> pick(r, "DROPOUT0.3", "DROPOUT2D0.2");
            default -> "RELU";
        };
    }

    @Test void analysisAndModulesAgreeOnRandomSpecs() {
        Rng r = new Rng(20261123);
        int built = 0, refused = 0;
        for (int trial = 0; trial < TRIALS; trial++) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + r.nextInt(5);
            for (int i = 0; i < n; i++) sb.append(randomLayer(r)).append(' ');
            sb.append(pick(r, "FLATTEN FC-3", "GAP FC-2", "GAP", "FLATTEN"));
            boolean oneD = r.nextInt(4) == 0;
            String input = oneD ? (3 + r.nextInt(12)) + "x" + (1 + r.nextInt(3))
                    : (3 + r.nextInt(12)) + "x" + (3 + r.nextInt(12)) + "x" + (1 + r.nextInt(3));
            String what = sb + " on " + input;
            Spec spec;
            try {
                spec = Spec.parse(sb.toString());
            } catch (IllegalArgumentException e) {   // e.g. op1 without a stride, 'same' with a stride
                assertTrue(e.getMessage().startsWith("bad spec: ") && e.getMessage().contains("^"), what + ": " + e.getMessage());
                refused++;
                continue;
            }
            FeatureShape in = FeatureShape.parse(input);
            Analysis a;
            try {
                a = Analysis.of(spec, in);
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().startsWith("layer "), what + ": " + e.getMessage());
                refused++;
                continue;
            }
            Sequential model = ModelBuilder.build(spec, in, new Rng(trial), trial % 2 == 0);
            try {
                // Training mode, forward and backward: every layer's backward runs on these shapes too.
                Tensor x = Tensor.randn(new Rng(trial), in.withBatch(2)).requiresGrad(true);
                Tensor y = model.forward(x);
                assertArrayEquals(a.output().withBatch(2), y.shape(), what);
                y.sum().backward();
                assertArrayEquals(x.shape(), x.grad().shape(), what);
                for (var p : model.parameters()) assertNotNull(p.grad(), what + ": a parameter got no gradient");
            } catch (RuntimeException e) {
                throw new AssertionError(what + " -> " + model, e);
            }
            assertEquals(a.totalParams(), model.parameterCount(), what);
            built++;
        }
        assertTrue(built > 100 && refused > 10, "built " + built + ", refused " + refused);
    }
}
