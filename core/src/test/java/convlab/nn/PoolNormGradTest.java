package convlab.nn;

import convlab.geometry.PoolGeometry;
import convlab.nn.functional.Dropouts;
import convlab.nn.functional.Normalization;
import convlab.nn.functional.Pooling;
import convlab.tensor.DType;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static convlab.testing.Checks.assertGradients;
import static convlab.testing.Checks.rand64;

/** Finite-difference checks (float64) of every pooling, normalization and dropout op and option. */
class PoolNormGradTest {

    @Test void maxPooling() {
        assertGradients("max 2x2", t -> Pooling.maxPool2d(t[0], PoolGeometry.square(2, 2, 0)), rand64(1, 2, 3, 4, 6));
        assertGradients("max k3 s2 p1 ceil", t -> Pooling.maxPool2d(t[0], new PoolGeometry(3, 3, 2, 2, 1, 1, 1, 1, true)), rand64(2, 2, 2, 6, 7));
        assertGradients("max k3 s1 overlapping", t -> Pooling.maxPool2d(t[0], PoolGeometry.square(3, 1, 1)), rand64(3, 1, 2, 5, 4));
        assertGradients("max 2x3 rect dilated", t -> Pooling.maxPool2d(t[0], new PoolGeometry(2, 3, 1, 2, 1, 1, 2, 1, false)), rand64(4, 1, 2, 6, 7));
        assertGradients("max1d k3 s2 p1 ceil", t -> Pooling.maxPool1d(t[0], 3, 2, 1, true), rand64(5, 2, 3, 8));
    }

    @Test void averagePooling() {
        for (boolean includePad : new boolean[] {true, false}) {
            String w = " includePad=" + includePad;
            assertGradients("avg 2x2" + w, t -> Pooling.avgPool2d(t[0], PoolGeometry.square(2, 2, 0), includePad), rand64(10, 2, 2, 5, 4));
            assertGradients("avg k3 s2 p1 ceil" + w, t -> Pooling.avgPool2d(t[0], new PoolGeometry(3, 3, 2, 2, 1, 1, 1, 1, true), includePad), rand64(11, 2, 2, 6, 5));
            assertGradients("avg1d k4 s3 p2" + w, t -> Pooling.avgPool1d(t[0], 4, 3, 2, true, includePad), rand64(12, 2, 2, 9));
        }
        assertGradients("global avg", t -> Pooling.globalAvgPool2d(t[0]), rand64(13, 3, 2, 3, 5));
    }

    private static Tensor ones64(int c) { return Tensor.full(1, DType.F64, c); }

    @Test void batchNormTraining() {
        for (boolean meanOnly : new boolean[] {false, true}) {
            String w = meanOnly ? " mean-only" : "";
            assertGradients("bn2d affine" + w, t -> Normalization.batchNorm(t[0], null, null, t[1], t[2], true, 0.1, 1e-5, meanOnly),
                    rand64(20, 3, 2, 3, 2), rand64(21, 2), rand64(22, 2));
            assertGradients("bn2d no affine" + w, t -> Normalization.batchNorm(t[0], null, null, null, null, true, 0.1, 1e-5, meanOnly),
                    rand64(23, 2, 3, 2, 2));
            assertGradients("bn1d (N, C)" + w, t -> Normalization.batchNorm(t[0], null, null, t[1], t[2], true, 0.1, 1e-3, meanOnly),
                    rand64(24, 4, 3), rand64(25, 3), rand64(26, 3));
            assertGradients("bn1d (N, C, L)" + w, t -> Normalization.batchNorm(t[0], null, null, t[1], t[2], true, 0.1, 1e-5, meanOnly),
                    rand64(27, 2, 3, 4), rand64(28, 3), rand64(29, 3));
            assertGradients("bn2d batch of one" + w, t -> Normalization.batchNorm(t[0], null, null, t[1], t[2], true, 0.1, 1e-5, meanOnly),
                    rand64(30, 1, 2, 2, 3), rand64(31, 2), rand64(32, 2));
        }
        // mean-only with a single value per channel: allowed, and its input gradient is exactly zero
        assertGradients("bn1d mean-only M=1", t -> Normalization.batchNorm(t[0], null, null, t[1], t[2], true, 0.1, 1e-5, true),
                rand64(33, 1, 3), rand64(34, 3), rand64(35, 3));
    }

    @Test void batchNormEvaluation() {
        Tensor rm = rand64(40, 3), rv = rand64(41, 3).abs().add(0.2);
        for (boolean meanOnly : new boolean[] {false, true}) {
            String w = meanOnly ? " mean-only" : "";
            assertGradients("bn2d eval" + w, t -> Normalization.batchNorm(t[0], rm, rv, t[1], t[2], false, 0.1, 1e-5, meanOnly),
                    rand64(42, 2, 3, 2, 2), rand64(43, 3), rand64(44, 3));
            assertGradients("bn2d eval batch of one" + w, t -> Normalization.batchNorm(t[0], rm, rv, t[1], t[2], false, 0.1, 1e-5, meanOnly),
                    rand64(45, 1, 3, 2, 2), rand64(46, 3), rand64(47, 3));
            assertGradients("bn1d eval batch of one, one value" + w, t -> Normalization.batchNorm(t[0], rm, rv, null, null, false, 0.1, 1e-5, meanOnly),
                    rand64(48, 1, 3));
        }
    }

    @Test void batchNormWithFusedRelu() {
        Tensor rm = rand64(80, 3), rv = rand64(81, 3).abs().add(0.2);
        for (boolean training : new boolean[] {true, false})
            for (boolean meanOnly : new boolean[] {false, true})
                assertGradients("bn2d+relu training=" + training + " meanOnly=" + meanOnly,
                        t -> Normalization.batchNorm(t[0], rm, rv, t[1], t[2], training, 0.1, 1e-5, meanOnly, true),
                        rand64(82, 3, 3, 2, 2), rand64(83, 3), rand64(84, 3));
    }

    @Test void layerAndGroupNorm() {
        assertGradients("layerNorm [5]", t -> Normalization.layerNorm(t[0], new int[] {5}, t[1], t[2], 1e-5),
                rand64(50, 3, 5), rand64(51, 5), rand64(52, 5));
        assertGradients("layerNorm [3, 4]", t -> Normalization.layerNorm(t[0], new int[] {3, 4}, t[1], t[2], 1e-5),
                rand64(53, 2, 3, 4), rand64(54, 3, 4), rand64(55, 3, 4));
        assertGradients("layerNorm no affine", t -> Normalization.layerNorm(t[0], new int[] {2, 3}, null, null, 1e-5),
                rand64(56, 2, 2, 3));
        for (int groups : new int[] {1, 2, 4}) {
            assertGradients("groupNorm G=" + groups, t -> Normalization.groupNorm(t[0], groups, t[1], t[2], 1e-5),
                    rand64(57 + groups, 2, 4, 3, 2), rand64(60, 4), rand64(61, 4));
        }
        assertGradients("groupNorm no affine (N, C, L)", t -> Normalization.groupNorm(t[0], 3, null, null, 1e-5), rand64(62, 2, 6, 3));
    }

    @Test void dropout() {
        // a fresh generator per call: the finite differences must see the same mask every time
        assertGradients("dropout p=0.3", t -> Dropouts.dropout(t[0], 0.3, true, new Rng(7)), rand64(70, 4, 5));
        assertGradients("dropout2d p=0.5", t -> Dropouts.dropout2d(t[0], 0.5, true, new Rng(8)), rand64(71, 3, 4, 2, 2));
        assertGradients("dropout eval", t -> Dropouts.dropout(t[0], 0.5, false, new Rng(9)).mul(1.0), rand64(72, 3, 4));
    }
}
