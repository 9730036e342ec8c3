package convlab.optim;

import convlab.nn.Linear;
import convlab.nn.ReLU;
import convlab.nn.Sequential;
import convlab.nn.functional.F;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptimizersTest {

    /** Every named optimizer lowers the loss of a tiny MLP fitting 16 random points (lr chosen per family). */
    @Test void everyNamedOptimizerTrains() {
        for (String name : Optimizers.NAMES.keySet()) {
            Rng rng = new Rng(11);
            Sequential m = new Sequential(new Linear(4, 16, rng), new ReLU(), new Linear(16, 16, rng), new ReLU(), new Linear(16, 3, rng));
            Tensor x = Tensor.randn(rng, 16, 4);
            int[] y = new int[16];
            for (int i = 0; i < 16; i++) y[i] = i % 3;
            double lr = switch (name) {
                case "sgd", "nesterov" -> 0.1;
                case "signsgd", "signum" -> 0.003;
                case "adagrad" -> 0.05;
                default -> 0.01;
            };
            Optimizer opt = Optimizers.create(name, m, lr, 0.9, 0);
            double first = 0, last = 0;
            for (int s = 0; s < 60; s++) {
                opt.zeroGrad();
                Tensor loss = F.crossEntropy(m.forward(x), y);
                if (s == 0) first = loss.item();
                last = loss.item();
                loss.backward();
                opt.step();
            }
            assertTrue(last < 0.7 * first, name + ": loss " + first + " -> " + last);
        }
    }

    @Test void muonRoutesByName() {
        Rng rng = new Rng(1);
        Sequential m = new Sequential(new Linear(4, 8, rng), new ReLU(), new Linear(8, 8, rng), new ReLU(), new Linear(8, 3, rng));
        Muon opt = assertInstanceOf(Muon.class, Optimizers.create("Muon", m, 0.01, 0.95, 0.1));
        assertEquals(java.util.List.of("2.weight"), opt.muonGroups().get(0).names());
        assertEquals(MuonLrScaling.MATCH_ADAMW_RMS, opt.config().scaling());
    }

    @Test void unknownNameListsTheValidOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Optimizers.create("adamax", new Sequential(new Linear(2, 2, new Rng(1))), 0.1, 0, 0));
        assertTrue(e.getMessage().contains("adamax") && e.getMessage().contains("sgd, nesterov, adam, adamw"), e.getMessage());
        var n = assertThrows(IllegalArgumentException.class, () -> Optimizers.create("nesterov", new Sequential(new Linear(2, 2, new Rng(1))), 0.1, 0, 0));
        assertTrue(n.getMessage().startsWith("optimizer 'nesterov': "), n.getMessage());
    }
}
