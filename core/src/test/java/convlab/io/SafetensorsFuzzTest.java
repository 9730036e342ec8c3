package convlab.io;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import convlab.tensor.Tensor;
import convlab.testing.Fuzzing;

import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz target for the safetensors reader. A normal test run replays the seed corpus in
 * {@code SafetensorsFuzzTestInputs/read/}; {@code JAZZER_FUZZ=1} fuzzes (docs/RELIABILITY.md).
 * Accepted input must also survive a write/read round trip unchanged.
 */
class SafetensorsFuzzTest {
    @FuzzTest(maxDuration = "2m")
    @DictionaryEntries({"\"dtype\"", "\"shape\"", "\"data_offsets\"", "\"__metadata__\"", "\"F32\"", "\"F64\"",
            "\"F16\"", "\"BF16\"", "\"I64\"", "[0,4]", "{}", "[]"})
    void read(byte[] bytes) {
        Safetensors.Contents c = Fuzzing.parse(() -> Safetensors.read(bytes, "fuzz.safetensors"));
        if (c == null) return;
        Safetensors.Contents again = Safetensors.read(Safetensors.encode(c.tensors(), c.metadata()), "re-encoded");
        assertEquals(c.metadata(), again.metadata());
        assertEquals(c.tensors().keySet(), again.tensors().keySet());
        for (Map.Entry<String, Tensor> e : c.tensors().entrySet()) {
            Tensor t = again.tensors().get(e.getKey());
            assertEquals(e.getValue().dtype(), t.dtype());
            assertArrayEquals(e.getValue().shape(), t.shape());
            assertTrue(Arrays.equals(e.getValue().toDoubleArray(), t.toDoubleArray()), "values of " + e.getKey());
        }
    }
}
