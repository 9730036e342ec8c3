package convlab.explain;

import convlab.geometry.PaddingMode;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** Random kernels: convolve, then solve for the kernel; the true kernel must always be a solution. */
class SolveFilterPropertyTest {
    @Test void theTrueKernelAlwaysSolvesTheSystem() {
        Random rnd = new Random(11);
        int unique = 0;
        for (int trial = 0; trial < 300; trial++) {
            int h = 2 + rnd.nextInt(4), w = 2 + rnd.nextInt(4), kh = 1 + rnd.nextInt(Math.min(3, h)), kw = 1 + rnd.nextInt(Math.min(3, w));
            ExactArray x = randomArray(new int[] {h, w}, rnd), k = randomArray(new int[] {kh, kw}, rnd);
            PaddingMode mode = PaddingMode.values()[rnd.nextInt(4)];
            int p = mode == PaddingMode.REFLECT ? rnd.nextInt(Math.min(h, w)) : rnd.nextInt(2);
            ConvSpec spec = ConvSpec.plain(false).withPadding(p, p).withMode(mode).withFlip(rnd.nextBoolean())
                    .withStride(1 + rnd.nextInt(2), 1 + rnd.nextInt(2));
            ExactArray y = ExactConv.apply(x, k, spec);
            SolveFilter.Result r = SolveFilter.solve(x, y, k.shape(), spec);
            SolveFilter.Equations eq = SolveFilter.equations(x, y, k.shape(), spec);
            assertNotEquals(LinearSystem.Kind.NONE, r.solution().kind());
            assertTrue(r.satisfiedBy(eq.a(), eq.b(), k));
            assertTrue(r.satisfiedBy(eq.a(), eq.b(), r.kernel()));
            assertEquals(y, ExactConv.apply(x, r.kernel(), spec), "the solution reproduces the output");
            if (r.solution().kind() == LinearSystem.Kind.UNIQUE) { assertEquals(k, r.kernel()); unique++; }
            assertEquals(k.size() - r.solution().rank(), r.solution().free().length);
        }
        assertTrue(unique > 50, "unique cases: " + unique);
    }

    private static ExactArray randomArray(int[] shape, Random rnd) {
        Rational[] v = new Rational[shape[0] * shape[1]];
        for (int i = 0; i < v.length; i++) v[i] = Rational.of(rnd.nextInt(9) - 4, 1 + rnd.nextInt(2));
        return new ExactArray(shape, v);
    }
}
