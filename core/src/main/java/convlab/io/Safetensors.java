package convlab.io;

import com.google.gson.stream.JsonWriter;
import convlab.tensor.DType;
import convlab.tensor.Tensor;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors file format (as written by Hugging Face's {@code safetensors} library and read by
 * PyTorch users' usual tools): an 8-byte little-endian header length N, N bytes of JSON header, then
 * the raw little-endian tensor bytes.
 *
 * <pre>{"__metadata__": {"key": "value"}, "0.weight": {"dtype": "F32", "shape": [8, 4], "data_offsets": [0, 128]}, ...}</pre>
 *
 * <p>Offsets count from the first byte after the header; together the tensors must cover the data
 * exactly (no holes, no overlaps). The writer stores float32 and float64 tensors; the reader also
 * accepts float16 and bfloat16 (widened to float32).
 *
 * <p>The reader treats its input as hostile: every claim in the header is checked against the real
 * size of the file before anything is allocated, so a lying header gives one clear
 * {@link IllegalArgumentException} and never an out-of-memory error. See {@link SafetensorsHeader}.
 */
public final class Safetensors {
    private Safetensors() {}

    /** The tensors of a file, in header order, and its string metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
        public Tensor tensor(String name) {
            Tensor t = tensors.get(name);
            if (t == null) throw new IllegalArgumentException("no tensor named '" + name + "'; the file has " + tensors.keySet());
            return t;
        }
    }

    // ---------------------------------------------------------------- reading

    /** Reads a safetensors file; a malformed file gives an IllegalArgumentException naming it. */
    public static Contents read(Path file) throws IOException {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        if (Files.isDirectory(file)) throw new IllegalArgumentException(file + " is a folder, not a safetensors file");
        if (size > Integer.MAX_VALUE - 8)
            throw new IllegalArgumentException(file + " is " + size + " bytes; convlab reads safetensors files up to 2 GiB");
        // Read into the heap rather than mapping: a mapped file stays locked on some systems until
        // garbage collection, which would block replacing it (AtomicFiles) right after loading it.
        try (FileChannel ch = FileChannel.open(file)) {
            ByteBuffer buf = ByteBuffer.allocate((int) size);
            while (buf.hasRemaining() && ch.read(buf) >= 0) { /* keep reading */ }
            if (buf.hasRemaining()) throw new IOException(file + " shrank while it was being read");
            return read(buf.flip(), file.toString());
        } catch (AccessDeniedException e) {
            throw new IOException("cannot read " + file + ": permission denied", e);
        }
    }

    /** Reads safetensors bytes held in memory; name is used in error messages. */
    public static Contents read(byte[] bytes, String name) {
        return read(ByteBuffer.wrap(bytes), name);
    }

    private static Contents read(ByteBuffer file, String name) {
        file = file.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        SafetensorsHeader header = SafetensorsHeader.parse(file, name);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (SafetensorsHeader.Entry e : header.entries()) {
            ByteBuffer bytes = file.slice(header.dataStart() + (int) e.begin(), (int) (e.end() - e.begin()))
                    .order(ByteOrder.LITTLE_ENDIAN);
            tensors.put(e.name(), decode(e, bytes));
        }
        return new Contents(Collections.unmodifiableMap(tensors), header.metadata());
    }

    private static Tensor decode(SafetensorsHeader.Entry e, ByteBuffer bytes) {
        int n = (int) e.numel();
        switch (e.dtype()) {
            case "F64" -> {
                double[] d = new double[n];
                bytes.asDoubleBuffer().get(d);
                return Tensor.of(d, e.shape());
            }
            case "F32" -> {
                float[] f = new float[n];
                bytes.asFloatBuffer().get(f);
                return Tensor.of(f, e.shape());
            }
            case "F16" -> {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) f[i] = Float.float16ToFloat(bytes.getShort(2 * i));
                return Tensor.of(f, e.shape());
            }
            case "BF16" -> {
                float[] f = new float[n];   // bfloat16 is the top half of a float32
                for (int i = 0; i < n; i++) f[i] = Float.intBitsToFloat((bytes.getShort(2 * i) & 0xFFFF) << 16);
                return Tensor.of(f, e.shape());
            }
            default -> throw new AssertionError("dtype checked by the header parser: " + e.dtype());
        }
    }

    // ---------------------------------------------------------------- writing

    /** Writes tensors (float32 or float64, any strides) and metadata atomically (see {@link AtomicFiles}). */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        byte[] bytes = encode(tensors, metadata);
        AtomicFiles.write(file, bytes);
    }

    /** The bytes of a safetensors file: tensors in map order, header padded with spaces to a multiple of 8. */
    public static byte[] encode(Map<String, Tensor> tensors, Map<String, String> metadata) {
        byte[] header = headerJson(tensors, metadata).getBytes(StandardCharsets.UTF_8);
        int padded = (header.length + 7) / 8 * 8;   // keeps the data 8-byte aligned, as the reference writer does
        long dataBytes = 0;
        for (Tensor t : tensors.values()) dataBytes += (long) t.numel() * t.dtype().bytes();
        long total = 8 + padded + dataBytes;
        if (total > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("safetensors file of " + total + " bytes is too large to build in memory");
        ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded);
        out.put(header);
        for (int i = header.length; i < padded; i++) out.put((byte) ' ');
        for (Tensor t : tensors.values()) {
            if (t.dtype() == DType.F32) out.asFloatBuffer().put(t.toFloatArray());
            else out.asDoubleBuffer().put(t.toDoubleArray());
            out.position(out.position() + t.numel() * t.dtype().bytes());
        }
        return out.array();
    }

    private static String headerJson(Map<String, Tensor> tensors, Map<String, String> metadata) {
        StringWriter text = new StringWriter();
        try (JsonWriter json = new JsonWriter(text)) {
            json.beginObject();
            if (!metadata.isEmpty()) {
                json.name(SafetensorsHeader.METADATA).beginObject();
                for (Map.Entry<String, String> m : metadata.entrySet()) {
                    if (m.getKey() == null || m.getValue() == null) throw new IllegalArgumentException("metadata keys and values cannot be null: " + metadata);
                    json.name(m.getKey()).value(m.getValue());
                }
                json.endObject();
            }
            long offset = 0;
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                String name = e.getKey();
                Tensor t = e.getValue();
                if (name == null || name.isEmpty() || name.equals(SafetensorsHeader.METADATA))
                    throw new IllegalArgumentException("invalid tensor name '" + name + "' for a safetensors file");
                if (t == null) throw new IllegalArgumentException("tensor '" + name + "' is null");
                long size = (long) t.numel() * t.dtype().bytes();
                json.name(name).beginObject();
                json.name("dtype").value(t.dtype() == DType.F32 ? "F32" : "F64");
                json.name("shape").beginArray();
                for (int s : t.shape()) json.value(s);
                json.endArray();
                json.name("data_offsets").beginArray().value(offset).value(offset + size).endArray();
                json.endObject();
                offset += size;
            }
            json.endObject();
        } catch (IOException e) {
            throw new AssertionError("writing to a string", e);
        }
        return text.toString();
    }
}
