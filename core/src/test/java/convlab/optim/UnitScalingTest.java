package convlab.optim;

import convlab.optim.Muon.Form;
import convlab.optim.Muon.Poly;
import convlab.nn.Linear;
import convlab.nn.ReLU;
import convlab.nn.Sequential;
import convlab.nn.functional.F;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static convlab.testing.Checks.assertGradients;
import static convlab.testing.Checks.rand64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnitScalingTest {

    @Test void scaledLinearGradientsAndFastPath() {
        assertGradients("linear scale 0.3", t -> F.linear(t[0], t[1], t[2], 0.3), rand64(60, 5, 4), rand64(61, 3, 4), rand64(62, 3));
        Rng rng = new Rng(4);
        Tensor x = Tensor.randn(rng, 6, 5), w = Tensor.randn(rng, 4, 5), b = Tensor.randn(rng, 4);
        Tensor fast = F.linear(x, w, b, 0.25), ref = x.matmul(w.t()).mul(0.25).add(b);
        for (int i = 0; i < 24; i++) assertEquals(ref.getFlat(i), fast.getFlat(i), 1e-5);
    }

    @Test void unitScaledLayerKeepsActivationRmsAtInit() {
        Rng rng = new Rng(7);
        Linear l = new Linear(400, 300, rng).unitScale(rng);
        assertEquals(1 / 20.0, l.scale(), 1e-15);
        double wsq = 0;
        for (float v : l.weight.data()) wsq += v * v;
        assertEquals(1, wsq / l.weight.numel(), 0.02, "weights ~ N(0, 1)");
        Tensor x = Tensor.randn(rng, 64, 400);
        double ysq = 0;
        for (float v : l.forward(x).data()) ysq += v * v;
        assertEquals(1, ysq / (64 * 300), 0.05, "RMS(y) = RMS(x) = 1");
        assertTrue(l.toString().contains("unit-scaled"));
    }

    @Test void layerTableForSummaries() {
        Rng rng = new Rng(1);
        Sequential m = new Sequential(new Linear(784, 256, rng), new ReLU(), new Linear(256, 10, rng));
        UnitScaling.apply(m, rng);
        List<UnitScaling.Layer> ls = UnitScaling.layers(m, 0.1);
        assertEquals(2, ls.size());
        UnitScaling.Layer first = ls.get(0);
        assertEquals("0", first.name());
        assertEquals("0.weight", first.weightName());
        assertEquals(1 / 28.0, first.c(), 1e-15);
        assertEquals(0.1 / 28, first.signSgdLr(), 1e-15);
        assertEquals(0.1 * 28, first.muonLr(), 1e-12);
        assertEquals(1 / 16.0, ls.get(1).c(), 1e-15);
        Sequential plain = new Sequential(new Linear(100, 10, false, rng));
        UnitScaling.Layer p = UnitScaling.layers(plain, 0.5).get(0);
        assertEquals(0.5 / 100, p.signSgdLr(), 1e-15);   // c = 1: η/fanIn
        assertNull(p.biasName());
        List<String> table = UnitScaling.table(m, 0.1);
        assertEquals(4, table.size());
        assertTrue(table.get(1).startsWith("0 ") && table.get(1).contains("256x784") && table.get(1).contains("1/sqrt(784)"), table.get(1));
    }

    /** One sample with input x of ±1 entries (RMS 1): a SignSGD step at the rule's lr moves RMS(y) by exactly η. */
    @Test void signSgdStepMovesTheOutputByEta() {
        Rng rng = new Rng(3);
        Linear l = new Linear(48, 20, false, rng).unitScale(rng);
        Sequential m = new Sequential(l);
        float[] xs = new float[48];
        for (int i = 0; i < 48; i++) xs[i] = i % 3 == 0 ? -1f : 1f;
        Tensor x = Tensor.of(xs, 1, 48);
        Tensor y0 = l.forward(x);
        Tensor gy = Tensor.randn(rng, 1, 20);
        backward(y0.mul(gy).sum(), m);
        double eta = 0.05;
        UnitScaling.signSgd(m, eta, 0, 0).step();
        assertEquals(eta, rmsDiff(l.forward(x), y0), 1e-5);
    }

    /** A Muon step (exactly orthogonal via many cubic steps) at the rule's lr moves RMS(y) by at most η, and by η along the top direction. */
    @Test void muonStepHasOutputChangeEta() {
        Rng rng = new Rng(8);
        Linear l = new Linear(32, 12, false, rng).unitScale(rng);
        Sequential m = new Sequential(l);
        l.weight.setGrad(Tensor.randn(rng, 12, 32));
        double eta = 0.02;
        float[] before = l.weight.data().clone();
        var cfg = new Muon.Config(0, false, Poly.CUBIC, 60, Form.GRAM, MuonLrScaling.SPECTRAL);
        var layer = UnitScaling.layers(m, eta).get(0);
        new Muon(List.of(new ParamGroup(List.of(l.weight), layer.muonLr(), 0)), List.of(), cfg).step();
        // ΔW = η·√fanOut·O with O having orthonormal rows; x = √fanIn·(first row of O) has RMS 1
        float[] w = l.weight.data();
        double[] o0 = new double[32];
        double norm = 0;
        for (int j = 0; j < 32; j++) { o0[j] = w[j] - before[j]; norm += o0[j] * o0[j]; }
        float[] xs = new float[32];
        for (int j = 0; j < 32; j++) xs[j] = (float) (Math.sqrt(32) * o0[j] / Math.sqrt(norm));
        Tensor x = Tensor.of(xs, 1, 32);
        Tensor yNew = l.forward(x);
        l.weight.copyFrom(Tensor.of(before, 12, 32));
        assertEquals(eta, rmsDiff(yNew, l.forward(x)), 1e-4);
    }

    @Test void unitScaledConvMultipliesTheKernelByC() {
        Rng rng = new Rng(12);
        var conv = new convlab.nn.Conv2d(3, 4, 3, convlab.nn.functional.ConvOptions.DEFAULT.padding(1), true, rng);
        Tensor x = Tensor.randn(rng, 2, 3, 5, 5);
        conv.unitScale(rng);
        assertEquals(1 / Math.sqrt(27), conv.scale(), 1e-15);
        // reference: an ordinary conv whose kernel is c·W
        var plain = new convlab.nn.Conv2d(3, 4, 3, convlab.nn.functional.ConvOptions.DEFAULT.padding(1), true, rng);
        plain.weight().copyFrom(conv.weight().mul(conv.scale()));
        plain.bias().copyFrom(conv.bias());
        Tensor y = conv.forward(x), want = plain.forward(x);
        for (int i = 0; i < y.numel(); i++) assertEquals(want.getFlat(i), y.getFlat(i), 1e-5);
        // gradient of the stored N(0,1) kernel is c times the gradient of the effective kernel
        y.sum().backward();
        want.sum().backward();
        for (int i = 0; i < 10; i++) assertEquals(conv.scale() * plain.weight().grad().getFlat(i), conv.weight().grad().getFlat(i), 1e-4);
        var layer = UnitScaling.layers(new Sequential(conv), 0.1).get(0);
        assertEquals(27, layer.fanIn());
        assertEquals(4, layer.fanOut());
        assertTrue(conv.toString().contains("unit-scaled"));
        var t = new convlab.nn.ConvTranspose2d(3, 4, 3, convlab.nn.functional.ConvOptions.DEFAULT, true, rng);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> t.unitScale(rng));
        assertTrue(UnitScaling.layers(new Sequential(t), 0.1).isEmpty());
    }

    @Test void theMultiplierIsSavedWithTheModel() {
        Rng rng = new Rng(13);
        Sequential m = new Sequential(new Linear(8, 4, rng), new ReLU(), new Linear(4, 2, rng));
        UnitScaling.apply(m, rng);
        assertEquals(List.of("0.scale", "2.scale"), List.copyOf(m.namedBuffers().keySet()));
        assertEquals(1 / Math.sqrt(8), m.namedBuffers().get("0.scale").item(), 1e-15);
    }

    private static void backward(Tensor loss, Sequential m) { m.zeroGrad(); loss.backward(); }

    private static double rmsDiff(Tensor a, Tensor b) {
        double s = 0;
        for (int i = 0; i < a.numel(); i++) s += Math.pow(a.getFlat(i) - b.getFlat(i), 2);
        return Math.sqrt(s / a.numel());
    }
}
