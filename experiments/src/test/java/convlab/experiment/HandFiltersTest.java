package convlab.experiment;

import convlab.report.Results;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HandFiltersTest {
    static final Path OUT = Path.of("target", "experiment-tests", "hand-filters");

    @Test
    void blursSmoothEdgeDetectorsSumToZeroAndProblem3Matches() {
        Results r = new HandFilters().run(OUT, true, 1, ExperimentProgress.NONE);
        assertEquals(1, r.number("kernel_sum_box_blur_5_5"), 1e-12);
        assertEquals(0, r.number("kernel_sum_sobel_vertical_edges"), 0);
        assertEquals(0, r.number("kernel_sum_laplacian"), 0);
        assertTrue(r.number("roughness_box_blur_5_5") < 0.6 * r.number("roughness_original"));
        assertTrue(r.number("roughness_gaussian_blur_1_5") < 0.6 * r.number("roughness_original"));
        // Problem 3(c): no padding, stride 1 -> all -40 (true convolution).
        assertArrayEquals(new double[] {-40, -40, -40, -40, -40, -40, -40, -40, -40}, r.array("problem3_stride1_pad0"), 0);
        // Problem 3(d) ii: stride 2, pad 1 -> 3×3 (corner: −(0 + 2·6 + 7) = −19; PyTorch conv2d with the flipped kernel agrees).
        assertArrayEquals(new double[] {-19, -32, -29, -30, -40, -30, 49, 72, 59}, r.array("problem3_stride2_pad1"), 0);
        assertTrue(OUT.resolve("before_after.png").toFile().isFile());
    }

    @Test
    void ownKernelIsAppliedAndBadOnesAreRefused() {
        Results r = new HandFilters("[[1/9,1/9,1/9],[1/9,1/9,1/9],[1/9,1/9,1/9]]").run(OUT.resolveSibling("hand-filters-own"), true, 1, ExperimentProgress.NONE);
        assertEquals(1, r.number("kernel_sum_your_kernel"), 1e-9);
        assertTrue(r.number("roughness_your_kernel") < 0.8 * r.number("roughness_original"), "a 3×3 box blur smooths");
        assertTrue(OUT.resolveSibling("hand-filters-own").resolve("kernels.png").toFile().isFile());
        var sharpen = HandFilters.ownKernel("0 -1 0; -1 5 -1; 0 -1 0");
        assertTrue(sharpen.signed());
        assertEquals(1, sharpen.sum(), 0);
        assertThrows(IllegalArgumentException.class, () -> HandFilters.ownKernel("1 1; 1 1"));
        assertThrows(IllegalArgumentException.class, () -> HandFilters.ownKernel("1 2 3"));
        assertThrows(IllegalArgumentException.class, () -> HandFilters.ownKernel("1 2 3; 4 5 6"));
    }
}
