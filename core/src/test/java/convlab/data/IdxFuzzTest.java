package convlab.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import convlab.testing.Fuzzing;

import java.io.ByteArrayInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Fuzz target for the IDX reader (raw and gzip). A normal test run replays the seed corpus in
 * {@code IdxFuzzTestInputs/read/}; {@code JAZZER_FUZZ=1} fuzzes (docs/RELIABILITY.md).
 * Each input is read as labels (rank 1) and as images (rank 3); raw input that is accepted must
 * encode back to the same bytes.
 */
class IdxFuzzTest {
    @FuzzTest(maxDuration = "2m")
    void read(byte[] bytes) {
        for (int rank : new int[] {1, 3}) {
            Idx.Array a = Fuzzing.parse(() -> Idx.read(new ByteArrayInputStream(bytes), "fuzz.idx", rank));
            boolean gzip = bytes.length >= 2 && (bytes[0] & 0xFF) == 0x1f && (bytes[1] & 0xFF) == 0x8b;
            if (a != null && !gzip) assertArrayEquals(bytes, Idx.encode(a.dims(), a.data()));
        }
    }
}
