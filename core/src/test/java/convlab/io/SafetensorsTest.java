package convlab.io;

import convlab.tensor.DType;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class SafetensorsTest {
    @TempDir Path tmp;

    /** A file with the given header text and this many zero data bytes. */
    static byte[] file(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h).array();
    }

    static byte[] withLength(long headerLength, String rest) {
        byte[] r = rest.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + r.length).order(ByteOrder.LITTLE_ENDIAN).putLong(headerLength).put(r).array();
    }

    @Test void roundTripFloat32AndFloat64WithMetadata() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w", Tensor.randn(new Rng(1), 1.0, DType.F32, 3, 4));
        tensors.put("b", Tensor.randn(new Rng(2), 1.0, DType.F64, 5));
        tensors.put("scalar", Tensor.scalar(2.5));
        tensors.put("empty", Tensor.zeros(0, 7));
        tensors.put("viewT", Tensor.randn(new Rng(3), 2, 3).t());   // non-contiguous: written in logical order
        Map<String, String> meta = Map.of("spec", "FC-10", "note", "ü \"quoted\"\nline");
        Path p = tmp.resolve("m.safetensors");
        Safetensors.write(p, tensors, meta);
        Safetensors.Contents c = Safetensors.read(p);
        assertEquals(List.copyOf(tensors.keySet()), List.copyOf(c.tensors().keySet()), "header order is kept");
        assertEquals(meta, c.metadata());
        for (var e : tensors.entrySet()) {
            Tensor got = c.tensor(e.getKey());
            assertEquals(e.getValue().dtype(), got.dtype(), e.getKey());
            assertArrayEquals(e.getValue().shape(), got.shape(), e.getKey());
            assertArrayEquals(e.getValue().toDoubleArray(), got.toDoubleArray(), 0.0, e.getKey());
        }
        byte[] bytes = Files.readAllBytes(p);
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8, "header padded so the data is 8-byte aligned");
        assertArrayEquals(bytes, Safetensors.encode(tensors, meta), "writing is deterministic");
    }

    @Test void readsTheReferenceLayoutByHand() {
        // {"a": F32 [2] = {1.5, -2}, "h": F16 [1] = 1.0, "g": BF16 [1] = -3.0}: bytes laid out as the reference writer does
        String header = "{\"__metadata__\":{\"format\":\"pt\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"h\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[8,10]},\"g\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[10,12]}}  ";
        byte[] f = file(header, 12);
        ByteBuffer data = ByteBuffer.wrap(f, f.length - 12, 12).order(ByteOrder.LITTLE_ENDIAN);
        data.putFloat(1.5f).putFloat(-2f).putShort((short) 0x3C00).putShort((short) 0xC040);
        Safetensors.Contents c = Safetensors.read(f, "hand-made");
        assertArrayEquals(new double[] {1.5, -2}, c.tensor("a").toDoubleArray());
        assertEquals(1.0, c.tensor("h").item());
        assertEquals(-3.0, c.tensor("g").item());
        assertEquals(Map.of("format", "pt"), c.metadata());
    }

    @Test void missingTensorNamesWhatExists() {
        Safetensors.Contents c = Safetensors.read(Safetensors.encode(Map.of("x", Tensor.ones(1)), Map.of()), "f");
        var e = assertThrows(IllegalArgumentException.class, () -> c.tensor("y"));
        assertTrue(e.getMessage().contains("[x]"), e.getMessage());
    }

    @Test void writerRejectsBadNames() {
        assertThrows(IllegalArgumentException.class, () -> Safetensors.encode(Map.of("__metadata__", Tensor.ones(1)), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> Safetensors.encode(Map.of("", Tensor.ones(1)), Map.of()));
    }

    @Test void missingFileAndFolderGiveClearErrors(@TempDir Path dir) {
        var e = assertThrows(IOException.class, () -> Safetensors.read(dir.resolve("nope.safetensors")));
        assertTrue(e.getMessage().contains("nope.safetensors") && e.getMessage().contains("no such file"), e.getMessage());
        var f = assertThrows(IllegalArgumentException.class, () -> Safetensors.read(dir));
        assertTrue(f.getMessage().contains("folder"), f.getMessage());
    }

    /** A hostile or broken input, and a piece of the one-line message it must give. */
    record Bad(String what, byte[] bytes, String expected) {}

    static List<Bad> badInputs() {
        String ok = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}";
        byte[] good = file(ok, 16);
        List<Bad> cases = new ArrayList<>();
        cases.add(new Bad("empty file", new byte[0], "fewer than the 8-byte header length"));
        cases.add(new Bad("5-byte file", new byte[5], "fewer than the 8-byte header length"));
        cases.add(new Bad("header length 2^63-1 (huge)", withLength(Long.MAX_VALUE, ok), "only " + ok.length() + " bytes follow"));
        cases.add(new Bad("header length negative as signed (2^64-1)", withLength(-1, ok), "18446744073709551615 bytes"));
        cases.add(new Bad("header length past the end", withLength(ok.length() + 1, ok), "truncated or not safetensors"));
        cases.add(new Bad("truncated data (last 4 bytes cut)", Arrays.copyOf(good, good.length - 4), "past the end of the data"));
        cases.add(new Bad("extra bytes after the data", Arrays.copyOf(good, good.length + 3), "3 bytes after the last tensor"));
        cases.add(new Bad("not JSON", file("{hello", 0), "not valid safetensors JSON"));
        cases.add(new Bad("header not an object", file("[1,2]", 0), "does not start with '{'"));
        cases.add(new Bad("invalid UTF-8 in header", withBytes(new byte[] {'{', '"', (byte) 0xC3, '"'}), "not valid UTF-8"));
        cases.add(new Bad("text after the JSON object", file("{} {}", 0), "malformed JSON at line 1 column 5"));
        cases.add(new Bad("duplicate tensor name", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "'w' twice"));
        cases.add(new Bad("unknown dtype", file(ok.replace("F32", "F31"), 16), "not a safetensors dtype"));
        cases.add(new Bad("unsupported dtype I64", file(ok.replace("F32", "I64"), 16), "'I64', which convlab does not read"));
        cases.add(new Bad("dtype/shape/bytes mismatch (F64 in 16 bytes for 2x2)", file(ok.replace("F32", "F64"), 16), "needs 32 bytes"));
        cases.add(new Bad("shape 2^31 x 2^31 (product overflows int)", file(ok.replace("[2,2]", "[2147483647,2147483647]"), 16), "more than"));
        cases.add(new Bad("shape product overflows long", file(ok.replace("[2,2]", "[2147483647,2147483647,2147483647,2147483647,2147483647]"), 16), "more than"));
        cases.add(new Bad("dimension over 2^31", file(ok.replace("[2,2]", "[9999999999]"), 16), "too large"));
        cases.add(new Bad("negative dimension", file(ok.replace("[2,2]", "[-2,-2]"), 16), "negative number -2"));
        cases.add(new Bad("fractional dimension", file(ok.replace("[2,2]", "[2.5,2]"), 16), "2.5, which is not an integer"));
        cases.add(new Bad("offsets end before begin", file(ok.replace("[0,16]", "[16,0]"), 16), "end before they begin"));
        cases.add(new Bad("offsets beyond the data, huge", file(ok.replace("[0,16]", "[9223372036854775791,9223372036854775807]"), 16), "past the end of the data"));
        cases.add(new Bad("offsets out of range", file(ok.replace("[0,16]", "[16,32]"), 16), "past the end of the data"));
        cases.add(new Bad("three data_offsets", file(ok.replace("[0,16]", "[0,8,16]"), 16), "expected 2"));
        cases.add(new Bad("overlapping tensors", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12), "overlap"));
        cases.add(new Bad("hole between tensors", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", 12), "hole"));
        cases.add(new Bad("missing shape", file("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4), "lacks 'shape'"));
        cases.add(new Bad("unexpected field", file("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", 4), "unexpected field 'x'"));
        cases.add(new Bad("metadata value not a string", file("{\"__metadata__\":{\"epoch\":3}}", 0), "not a string"));
        cases.add(new Bad("tensor entry not an object", file("{\"w\":3}", 0), "not valid safetensors JSON"));
        cases.add(new Bad("name with line break, very long", file("{\"" + "a\\n".repeat(200) + "\":{\"dtype\":\"X\",\"shape\":[],\"data_offsets\":[0,0]}}", 0), "..."));
        return cases;
    }

    private static byte[] withBytes(byte[] header) {
        return ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).put(header).array();
    }

    @Test void hostileInputsGiveOneClearLineEach() throws IOException {
        StringBuilder table = new StringBuilder("| bad input | message |\n|---|---|\n");
        for (Bad b : badInputs()) {
            Path p = tmp.resolve("bad.safetensors");
            Files.write(p, b.bytes());
            var e = assertThrows(IllegalArgumentException.class, () -> Safetensors.read(p), b.what());
            String msg = e.getMessage();
            assertTrue(msg.contains(b.expected()), b.what() + ": message was: " + msg);
            assertTrue(msg.startsWith(p.toString()), b.what() + ": names the file: " + msg);
            assertFalse(msg.contains("\n"), b.what() + ": one line: " + msg);
            assertTrue(msg.length() < 400, b.what() + ": short: " + msg);
            table.append("| ").append(b.what()).append(" | `").append(msg.replace(p.toString(), "FILE")).append("` |\n");
        }
        // The table in docs/RELIABILITY.md is copied from this file.
        Path out = Path.of("target", "reliability");
        Files.createDirectories(out);
        Files.writeString(out.resolve("safetensors-bad-inputs.md"), table);
    }

    @Test void everyTruncationOfAValidFileIsRejectedCleanly() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("a", Tensor.randn(new Rng(4), 3, 2));
        tensors.put("b", Tensor.randn(new Rng(5), 1.0, DType.F64, 2));
        byte[] full = Safetensors.encode(tensors, Map.of("k", "v"));
        for (int n = 0; n < full.length; n++) {
            byte[] cut = Arrays.copyOf(full, n);
            assertThrows(IllegalArgumentException.class, () -> Safetensors.read(cut, "cut"), "prefix of " + n + " bytes");
        }
    }
}
