package convlab.explain;

import convlab.autograd.GradMode;
import convlab.nn.DefaultDType;
import convlab.nn.Module;
import convlab.spec.Analysis;
import convlab.spec.FeatureShape;
import convlab.spec.Layer;
import convlab.spec.LayerStats;
import convlab.spec.ModelBuilder;
import convlab.spec.Spec;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code convlab forward}'s exact evaluator against the training engine (the model ModelBuilder builds, in
 * float64, eval mode) on hundreds of random small networks of the spec language: convolutions with every
 * option, transposed convolutions, pooling, GAP, FC, batch norm, dropout, implied ReLUs, labels with ADD and
 * CONCAT, 1-d and 2-d. Weights and inputs are small integers and halves; every row's output must agree.
 */
class ExactForwardVsFloatEngineTest {
    private static final String[] MIDDLE = {
            "CONV3-2", "CONV3-3(s2)", "CONV2-2(circular)", "CONV3-2(reflect,flip)", "CONV3-2(replicate,d2)", "CONV1-3(nobias)",
            "CONV3-2(p0)", "CONV4-2(same)", "CONV3-4(g2)", "DWCONV3", "DWCONV3-4(s2)", "SEPCONV3-3", "TCONV2-2(s2)", "TCONV3-2(s2,p1,op1)",
            "TCONV3-2(nobias)", "POOL2", "MAXPOOL3(s1,p1)", "AVGPOOL2(ceil)", "AVGPOOL3(s1,p1,nopadcount)", "AVGPOOL3(s2,p1)", "BN",
            "BN(meanonly)", "BN(noaffine)", "DROPOUT0.5", "DROPOUT2D", "@a", "@b", "ADD(a)", "CONCAT(a)", "CONCAT(b, a)", "ADD(b)", "RELU"};

    /** Layers that keep the shape (for residual blocks). */
    private static final String[] KEEP = {"DWCONV3", "DWCONV2(circular)", "BN", "RELU", "MAXPOOL3(s1,p1)", "AVGPOOL3(s1,p1)", "DROPOUT",
            "DWCONV3(reflect,nobias)", "POOL2 TCONV2-1(s2) CONV1-1"};

    @Test void agreesOnRandomNetworks() {
        Random rnd = new Random(20261206);
        int cases = 0, branched = 0, attempts = 0;
        while (cases < 250 && attempts++ < 20_000) {
            boolean oneD = rnd.nextInt(3) == 0;
            String input = oneD ? (5 + rnd.nextInt(5)) + "x" + (1 + rnd.nextInt(2))
                    : (4 + rnd.nextInt(4)) + "x" + (4 + rnd.nextInt(4)) + "x" + (1 + rnd.nextInt(2));
            StringBuilder sb = new StringBuilder();
            if (rnd.nextInt(4) == 0) sb.append("@a ");
            int n = 2 + rnd.nextInt(5);
            for (int i = 0; i < n; i++) {
                if (rnd.nextInt(3) == 0) {   // a block that keeps the shape, merged back
                    sb.append("@r ");
                    for (int k = rnd.nextInt(3); k >= 0; k--) sb.append(KEEP[rnd.nextInt(KEEP.length)]).append(' ');
                    sb.append(rnd.nextBoolean() ? "ADD(r) " : "CONCAT(r) ");
                } else {
                    sb.append(MIDDLE[rnd.nextInt(MIDDLE.length)]).append(' ');
                }
            }
            sb.append(switch (rnd.nextInt(3)) { case 0 -> "GAP FC-3"; case 1 -> "FLATTEN FC-2"; default -> "CONV1-2"; });
            Spec spec;
            Analysis a;
            try {
                spec = Spec.parse(sb.toString());
                a = Analysis.of(spec, FeatureShape.parse(input));
            } catch (IllegalArgumentException invalid) {
                continue;   // a label used before it is written, shapes that do not fit: not a network
            }
            check(a, rnd);
            cases++;
            if (spec.hasBranches()) branched++;
        }
        assertEquals(250, cases, "enough valid random networks");
        assertTrue(branched > 40, "networks with CONCAT/ADD: " + branched);
    }

    private static Rational small(Random rnd) { return Rational.of(rnd.nextInt(9) - 4, 1 + rnd.nextInt(2)); }

    private static void check(Analysis a, Random rnd) {
        // Random exact weights; batch-norm running variances v² − eps so the square root is exact.
        Map<String, ExactArray> w = new HashMap<>();
        StringBuilder file = new StringBuilder();
        for (ExactWeights.Param p : ExactWeights.expected(a)) {
            Rational[] data = new Rational[p.size()];
            for (int i = 0; i < data.length; i++) {
                if (p.name().endsWith("running_var")) {
                    Rational v = Rational.of(1 + rnd.nextInt(3), 1 + rnd.nextInt(2));
                    double eps = ((Layer.BatchNorm) a.layers().get(p.row() - 1).layer()).eps();
                    data[i] = v.multiply(v).subtract(ExactForward.exact(eps));
                } else {
                    data[i] = small(rnd);
                }
            }
            ExactArray v = new ExactArray(p.shape(), data);
            w.put(p.name(), v);
            file.append(p.name()).append(" = ").append(Render.json(v).toString().replace("\"", "")).append('\n');
        }
        ExactWeights weights = ExactWeights.parse(file.toString(), a);   // through the file format, PyTorch-style brackets
        ExactArray x;
        {
            int[] shape = ExactForward.layout(a.input());
            Rational[] data = new Rational[(int) a.input().numel()];
            for (int i = 0; i < data.length; i++) data[i] = small(rnd);
            x = new ExactArray(shape, data);
        }
        List<ExactArray> exact = ExactForward.run(a, weights, x);

        Module model;
        try (var scope = DefaultDType.float64()) { model = ModelBuilder.buildModel(a.spec(), a.input(), new Rng(1), false); }
        Map<String, Tensor> state = new HashMap<>();
        for (var e : w.entrySet()) state.put(moduleName(a, e.getKey()), Tensor.of(e.getValue().toDoubles(), e.getValue().shape()));
        convlab.io.ModelFile.loadState(model, state, "random weights");
        model.eval();
        int[] batch = a.input().withBatch(1);
        double[] got;
        try (var g = GradMode.noGrad()) { got = model.forward(Tensor.of(x.toDoubles(), batch)).toDoubleArray(); }
        double[] want = exact.getLast().toDoubles();
        assertEquals(want.length, got.length, a.spec().text());
        for (int i = 0; i < want.length; i++)
            assertEquals(want[i], got[i], 1e-9 * Math.max(1, Math.abs(want[i])), a.spec().text() + " on " + a.input() + ", output " + i);
    }

    /** "row.name" as the unfused model names it: one module per row, none for labels and merges, two for a 1-d GAP. */
    private static String moduleName(Analysis a, String name) {
        int row = Integer.parseInt(name.substring(0, name.indexOf('.')));
        int module = 0;
        for (LayerStats s : a.layers()) {
            if (s.index() == row) return module + name.substring(name.indexOf('.'));
            if (s.layer() instanceof Layer.Label || s.layer() instanceof Layer.Merge) continue;
            module += s.layer() instanceof Layer.GlobalAvgPool && s.input().spatial().size() == 1 ? 2 : 1;
        }
        throw new IllegalStateException(name);
    }

    @Test void layerNormIsExactWhereItsSquareRootIsAndSaysSoOtherwise() {
        Analysis a = Analysis.of(Spec.parse("LN(eps=9e-4)", false), FeatureShape.flat(2));
        ExactWeights w = ExactWeights.parse("1.weight = 1 1\n1.bias = 0 1/2\n", a);
        // x = (0, 2/25): mean 1/25, variance 1/625 = 0.0016, + eps 0.0009 = 0.0025 = (1/20)².
        ExactArray y = ExactForward.run(a, w, new ExactArray(new int[] {2}, new Rational[] {Rational.ZERO, Rational.of(2, 25)})).getLast();
        assertEquals(new ExactArray(new int[] {2}, new Rational[] {Rational.of(-4, 5), Rational.of(13, 10)}), y);
        var e = assertThrows(IllegalArgumentException.class,
                () -> ExactForward.run(a, w, new ExactArray(new int[] {2}, new Rational[] {Rational.ZERO, Rational.ONE})));
        assertTrue(e.getMessage().startsWith("layer 1 (LN(eps=9e-4)): √(σ² + eps) = √(1/4 + 9/10000) is not a rational number"), e.getMessage());
    }

    @Test void weightsFileErrorsNameTheParameter() {
        Analysis a = Analysis.of(Spec.parse("CONV2-3 GAP FC-2"), FeatureShape.parse("4x4x1"));
        assertWeightsError(a, "1.weight = 1 2; 3 4\n", "1.weight of layer 1 CONV2-3 must be 3×1×2×2 (PyTorch's layout), got 2×2");
        assertWeightsError(a, "1.weight[4] = 1 2; 3 4\n", "selects slice 4 of 1.weight, which has shape 3×1×2×2 (slices 1 to 3)");
        assertWeightsError(a, "2.weight = 1\n", "this network has no parameter 2.weight (parameters by row: 1 CONV2-3: weight bias; 4 FC-2: weight bias)");
        assertWeightsError(a, "1.weight[1] = 1 0; 0 0\n1.weight[1] = 1 0; 0 0\n", "1.weight[1] is given twice");
        assertWeightsError(a, "1.weight[1] = 1 0; 0 0\n", "the weights file lacks 1.weight[2, 3], 1.bias (3, layer 1 CONV2-3)");
        assertWeightsError(a, "hello\n", "weights line 1: expected 'ROW.NAME = values'");
        assertWeightsError(a, "1.bias = 1 x 3\n", "weights line 1 (1.bias): row 1, entry 2: 'x' is not a number");
        ExactWeights ok = ExactWeights.parse("""
                # comment
                1.weight[1] = 1 0; 0 0   # filter 1
                1.weight[2] =
                  0 1
                  0 0
                1.weight[3] = [[0, 0], [1, 0]]
                1.bias = 0 0 1/2
                4.weight = [[1, 0, 0], [0, 1, 0]]
                4.bias = 0.5 -1
                """, a);
        assertEquals(Rational.of(1, 2), ok.get("4.bias").flat(0));
        assertEquals(Rational.ONE, ok.get("1.weight").get(1, 0, 0, 1));
    }

    private static void assertWeightsError(Analysis a, String text, String message) {
        var e = assertThrows(IllegalArgumentException.class, () -> ExactWeights.parse(text, a), text);
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
}
