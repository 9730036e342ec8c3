package convlab.data;

import convlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** DataLoader.builder: PyTorch's defaults, and exactly the batches of the positional constructor. */
class DataLoaderBuilderTest {
    private static Dataset toy(int n) {
        float[] px = new float[n * 4];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 4; k++) px[i * 4 + k] = i;
            y[i] = i % 2;
        }
        return new Dataset(Tensor.of(px, n, 1, 2, 2), y, List.of("a", "b"), "toy");
    }

    private static List<int[]> epochs(DataLoader l, int n) {
        List<int[]> out = new ArrayList<>();
        for (int e = 0; e < n; e++) {
            while (l.hasNext()) out.add(l.next().indices().clone());
            l.nextEpoch();
        }
        return out;
    }

    @Test void defaultsArePyTorchs() {
        DataLoader l = DataLoader.builder(toy(5)).build();
        assertEquals(1, l.batchSize());
        assertEquals(5, l.batchesPerEpoch());
        List<int[]> batches = epochs(l, 1);
        for (int i = 0; i < 5; i++) assertArrayEquals(new int[] {i}, batches.get(i), "in order, one by one");
    }

    @Test void sameBatchesAsThePositionalConstructor() {
        Dataset d = toy(23);
        List<int[]> positional = epochs(new DataLoader(d, 5, true, true, 42, false), 3);
        List<int[]> named = epochs(DataLoader.builder(d).batch(5).shuffle(true).dropLast(true).seed(42).build(), 3);
        assertEquals(positional.size(), named.size());
        assertEquals(12, named.size(), "23 examples, batches of 5 with drop-last: 4 per epoch");
        for (int i = 0; i < named.size(); i++) assertArrayEquals(positional.get(i), named.get(i), "batch " + i);
    }

    @Test void badSettingsAreRefusedWithTheSameMessages() {
        Dataset d = toy(3);
        assertEquals("batch size must be positive, got 0",
                assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(d).batch(0).build()).getMessage());
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(d).batch(4).dropLast(true).build());
        assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(null));
    }
}
