package convlab.optim;

import convlab.kernels.NewtonSchulz;
import convlab.optim.Muon.Form;
import convlab.optim.Muon.Poly;
import convlab.nn.Linear;
import convlab.nn.Parameter;
import convlab.nn.ReLU;
import convlab.nn.Sequential;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MuonTest {

    @Test void threeHandComputedStepsOnARowVector() {
        // A 1×2 matrix: its orthogonalization is u/‖u‖, which the cubic reproduces exactly (p(1) = 1).
        // μ = 0.5, Nesterov, lr 0.1, weight decay 0.1 (θ·0.99), ORIGINAL factor √max(1, 1/2) = 1.
        // t=1: b = (1.5, 2), u = (2.25, 3) → O = (0.6, 0.8), θ = (0.99, 0)·… − 0.1·O = (0.93, −0.08)
        // t=2: b = (0.75, 1.5), u = (0.375, 1.25), ‖u‖ = 1.305038 → θ = (0.891965, −0.174983)
        // t=3: b = (−1.625, 2.25), u = (−2.8125, 2.625), ‖u‖ = 3.847178 → θ = (0.956151, −0.241465)
        Parameter p = new Parameter(Tensor.of(new float[] {1f, 0f}, 1, 2));
        var cfg = new Muon.Config(0.5, true, Poly.CUBIC, 3, Form.GRAM, MuonLrScaling.ORIGINAL);
        Muon opt = new Muon(List.of(new ParamGroup(List.of(p), 0.1, 0.1)), List.of(), cfg);
        float[][] grads = {{3, 4}, {0, 1}, {-4, 3}};
        double[][] want = {{0.93, -0.08}, {0.8919652114, -0.1749826285}, {0.9561510862, -0.2414646273}};
        for (int t = 0; t < 3; t++) {
            p.setGrad(Tensor.of(grads[t], 1, 2));
            opt.step();
            assertEquals(want[t][0], p.data()[0], 1e-6, "step " + (t + 1));
            assertEquals(want[t][1], p.data()[1], 1e-6, "step " + (t + 1));
        }
    }

    @Test void convWeightIsFlattenedAndStepIsTheScaledOrthogonalizedMomentum() {
        // (C_out, C_in, kh, kw) = (3, 2, 2, 2) is orthogonalized as a 3×8 matrix; first step: b = (1−μ)g,
        // u = (1−μ)g + μ(1−μ)g, a positive multiple of g, so the step is −lr·factor·NS(g).
        Rng rng = new Rng(5);
        Parameter w = new Parameter(Tensor.randn(rng, 3, 2, 2, 2));
        float[] before = w.data().clone();
        Tensor g = Tensor.randn(rng, 3, 2, 2, 2);
        w.setGrad(g);
        var cfg = Muon.Config.PYTORCH_DEFAULTS.withScaling(MuonLrScaling.SPECTRAL);
        new Muon(List.of(new ParamGroup(List.of(w), 0.01, 0)), List.of(), cfg).step();
        float[] o = NewtonSchulz.orthogonalize(g.data(), 3, 8, NewtonSchulz.Poly.QUINTIC, 5, NewtonSchulz.Form.GRAM);
        double factor = Math.sqrt(3.0 / 8);
        for (int i = 0; i < o.length; i++) assertEquals(before[i] - 0.01 * factor * o[i], w.data()[i], 1e-6);
    }

    /** Against a transcription of torch.optim.Muon (PyTorch 2.9) in float32: tools/pytorch/optim_fixtures.py. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"muon_original_nesterov", "muon_match_rms_plain"})
    void matchesPyTorchMuonRule(String name) throws Exception {
        var fx = OptimizerParityTest.load(name);
        var h = fx.getAsJsonObject("hyper");
        var shapes = fx.getAsJsonArray("shapes");
        List<Parameter> ps = new java.util.ArrayList<>();
        for (int i = 0; i < shapes.size(); i++)
            ps.add(new Parameter(Tensor.of(OptimizerParityTest.floats(fx.getAsJsonArray("initial").get(i).getAsJsonArray()),
                    OptimizerParityTest.ints(shapes.get(i).getAsJsonArray()))));
        boolean nesterov = h.get("nesterov").getAsBoolean();
        var scaling = h.get("adjust_lr_fn").getAsString().equals("original") ? MuonLrScaling.ORIGINAL : MuonLrScaling.MATCH_ADAMW_RMS;
        var cfg = new Muon.Config(h.get("momentum").getAsDouble(), nesterov, Poly.QUINTIC, 5, Form.GRAM, scaling);
        Muon opt = new Muon(List.of(new ParamGroup(ps, h.get("lr").getAsDouble(), h.get("weight_decay").getAsDouble())), List.of(), cfg);
        var grads = fx.getAsJsonArray("grads");
        for (int t = 0; t < grads.size(); t++) {
            for (int i = 0; i < ps.size(); i++)
                ps.get(i).setGrad(Tensor.of(OptimizerParityTest.floats(grads.get(t).getAsJsonArray().get(i).getAsJsonArray()), ps.get(i).shape()));
            opt.step();
            for (int i = 0; i < ps.size(); i++) {
                float[] want = OptimizerParityTest.floats(fx.getAsJsonArray("after").get(t).getAsJsonArray().get(i).getAsJsonArray());
                for (int j = 0; j < want.length; j++)
                    assertEquals(want[j], ps.get(i).data()[j], 1e-5, name + " step " + (t + 1) + " param " + i + "[" + j + "]");
            }
        }
    }

    @Test void lrScalingRules() {
        assertEquals(4, MuonLrScaling.ORIGINAL.factor(4096, 256), 1e-12);
        assertEquals(1, MuonLrScaling.ORIGINAL.factor(256, 4096), 1e-12);
        assertEquals(0.2 * 64, MuonLrScaling.MATCH_ADAMW_RMS.factor(256, 4096), 1e-12);
        assertEquals(0.25, MuonLrScaling.SPECTRAL.factor(256, 4096), 1e-12);
        assertEquals(MuonLrScaling.MATCH_ADAMW_RMS, MuonLrScaling.parse("match-adamw-rms"));
        var e = assertThrows(IllegalArgumentException.class, () -> MuonLrScaling.parse("rms"));
        assertTrue(e.getMessage().contains("spectral"));
    }

    static Sequential mlp(Rng rng) {
        return new Sequential(new Linear(6, 5, rng), new ReLU(), new Linear(5, 5, rng), new ReLU(), new Linear(5, 3, rng));
    }

    @Test void routingSendsBiasesFirstLayerAndHeadToAdamW() {
        Sequential m = mlp(new Rng(1));
        var s = MuonRouting.DEFAULT.split(m.namedParameters());
        assertEquals(List.of("2.weight"), s.muonNames());
        assertEquals(List.of("0.weight", "0.bias", "2.bias", "4.weight", "4.bias"), s.auxNames());
        assertEquals(List.of("0.weight", "2.weight", "4.weight"), MuonRouting.ALL_MATRICES.split(m.namedParameters()).muonNames());
        assertEquals(List.of("0.weight", "4.weight"),
                MuonRouting.ALL_MATRICES.withExtraAux("2\\..*").split(m.namedParameters()).muonNames());
        Sequential twoLayer = new Sequential(new Linear(6, 5, new Rng(2)), new ReLU(), new Linear(5, 3, new Rng(2)));
        assertEquals(List.of("0.weight"), MuonRouting.DEFAULT.split(twoLayer.namedParameters()).muonNames(),
                "a one-hidden-layer MLP keeps its first layer with Muon");
        var tiny = new Sequential(new Linear(4, 3, new Rng(2)));
        assertThrows(IllegalArgumentException.class,
                () -> MuonRouting.DEFAULT.build(tiny.namedParameters(), 0.01, 0, 0.01, 0, Muon.Config.PYTORCH_DEFAULTS));
        assertThrows(IllegalArgumentException.class, () -> new Muon(List.of(new ParamGroup(List.of(new Parameter(Tensor.zeros(3))), 0.1, 0)),
                List.of(), Muon.Config.PYTORCH_DEFAULTS));
    }

    @Test void auxiliaryGroupIsAdamWAndStateRoundTrips() {
        Sequential a = mlp(new Rng(3)), b = mlp(new Rng(3));
        Muon oa = MuonRouting.DEFAULT.build(a.namedParameters(), 0.02, 0.1, 0.001, 0.01, Muon.Config.PYTORCH_DEFAULTS);
        Muon ob = MuonRouting.DEFAULT.build(b.namedParameters(), 0.02, 0.1, 0.001, 0.01, Muon.Config.PYTORCH_DEFAULTS);
        Rng rng = new Rng(9);
        List<Parameter> pa = oa.parameters(), pb = ob.parameters();
        for (Parameter p : pa) p.setGrad(Tensor.randn(rng, p.shape()));
        oa.step();
        for (int i = 0; i < pa.size(); i++) pb.get(i).copyFrom(pa.get(i));
        var st = oa.state();
        assertTrue(st.containsKey("0.momentum_buffer"), "Muon buffer of 2.weight: " + st.keySet());
        assertTrue(st.containsKey("1.exp_avg") && st.containsKey("5.exp_avg_sq"), "AdamW state of the others: " + st.keySet());
        ob.loadState(st);
        for (int i = 0; i < pa.size(); i++) {
            Tensor g = Tensor.randn(rng, pa.get(i).shape());
            pa.get(i).setGrad(g);
            pb.get(i).setGrad(g);
        }
        oa.step();
        ob.step();
        for (int i = 0; i < pa.size(); i++)
            for (int j = 0; j < pa.get(i).numel(); j++) assertEquals(pa.get(i).data()[j], pb.get(i).data()[j]);
        oa.setLr(0.5);
        assertEquals(0.025, oa.auxGroups().get(0).lr(), 1e-12);   // setLr keeps the 0.02 : 0.001 ratio
    }

    /** Muon's public Newton-Schulz settings are the kernel's, value for value. */
    @Test void publicPolynomialsAndFormsAreTheKernels() {
        for (var p : List.of(Poly.CUBIC, Poly.QUINTIC)) {
            var k = p == Poly.CUBIC ? NewtonSchulz.Poly.CUBIC : NewtonSchulz.Poly.QUINTIC;
            assertEquals(List.of(k.a(), k.b(), k.c()), List.of(p.a(), p.b(), p.c()));
            assertEquals(k, p.kernel());
        }
        for (Form f : Form.values()) assertEquals(NewtonSchulz.Form.valueOf(f.name()), f.kernel());
        assertEquals(Form.values().length, NewtonSchulz.Form.values().length);
    }
}
