package convlab.experiment;

import convlab.data.EdgeImages;
import convlab.optim.Adam;
import convlab.tensor.Rng;
import org.junit.jupiter.api.Test;

class ProbeTmp {
    @Test void probe() {
        var val = EdgeImages.orientations(EdgeImages.Config.DEFAULT, new double[]{0,90}, EdgeImages.Region.ANYWHERE, 300, 999);
        for (int n : new int[]{200, 1000, 3000}) for (int steps : new int[]{400, 2000}) {
            var tr = EdgeImages.orientations(EdgeImages.Config.DEFAULT, new double[]{0,90}, EdgeImages.Region.ANYWHERE, n, 5);
            var m = Nets.mlp(576, 64, 2, new Rng(1));
            var c = Training.run(m, new Adam(m.parameters(), 0.01, 0.9, 0.999, 1e-8, 0, false), tr, val, steps, 32, steps, 3);
            var m2 = Nets.mlp(576, 64, 2, new Rng(1));
            var c2 = Training.run(m2, new Adam(m2.parameters(), 0.001, 0.9, 0.999, 1e-8, 0, false), tr, val, steps, 32, steps, 3);
            System.out.printf("n=%d steps=%d mlp acc lr1e-2 %.3f lr1e-3 %.3f%n", n, steps, c.finalAccuracy(), c2.finalAccuracy());
        }
    }
}
