package convlab.kernels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VectorsTest {
    @Test
    void forcedWidthsAndErrors() {
        assertEquals(4, Vectors.choose("128").length());
        assertEquals(jdk.incubator.vector.FloatVector.SPECIES_PREFERRED, Vectors.choose(null));
        if (jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 256) assertEquals(8, Vectors.choose(" 256 ").length());
        assertThrows(IllegalArgumentException.class, () -> Vectors.choose("1024"));
        assertThrows(IllegalArgumentException.class, () -> Vectors.choose("wide"));
    }

    @Test
    void kernelsUseTheChosenSpecies() {
        String forced = System.getProperty(Vectors.PROPERTY);
        if (forced != null) assertEquals(Integer.parseInt(forced), Vectors.FLOAT.vectorBitSize());
        assertEquals(2 * Vectors.lanes(), SimdGemmTiles.NR);
        assertTrue(OffsetGemm.QUANTUM % Vectors.lanes() == 0);
    }
}
