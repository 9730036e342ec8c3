package convlab.io;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed and fully validated header of a safetensors file. Every number in it has been checked
 * against the real size of the file: offsets lie inside the data, each tensor's byte range matches
 * its dtype and shape exactly, the ranges tile the data with no hole or overlap, and each tensor fits
 * in a Java array. Only then does {@link Safetensors} allocate anything.
 *
 * @param dataStart byte position of the data section in the file (8 + header length)
 */
record SafetensorsHeader(List<Entry> entries, Map<String, String> metadata, int dataStart) {

    static final String METADATA = "__metadata__";
    /** Largest header accepted: the limit of the reference implementation. */
    static final long MAX_HEADER_BYTES = 100_000_000;
    /** Largest Java array. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    /** Element sizes of the dtypes convlab reads. */
    static final Map<String, Integer> READABLE = Map.of("F64", 8, "F32", 4, "F16", 2, "BF16", 2);
    /** Dtypes the format defines but convlab does not read (named in the error instead of "unknown"). */
    static final Set<String> KNOWN_UNREADABLE = Set.of("BOOL", "U8", "I8", "U16", "I16", "U32", "I32", "U64", "I64",
            "F8_E4M3", "F8_E5M2", "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2", "C64");

    /** One tensor's entry: name, dtype, shape, and byte range relative to the data section. */
    record Entry(String name, String dtype, int[] shape, long numel, long begin, long end) {}

    static SafetensorsHeader parse(ByteBuffer file, String name) {
        long fileSize = file.remaining();
        if (fileSize < 8)
            throw bad(name, "is not a safetensors file: it has " + fileSize + " bytes, fewer than the 8-byte header length at its start");
        long headerLength = file.getLong(0);   // the caller set little-endian order
        if (headerLength < 0 || headerLength > fileSize - 8)
            throw bad(name, "claims a header of " + Long.toUnsignedString(headerLength) + " bytes, but only " + (fileSize - 8)
                    + " bytes follow the length field (the file is truncated or not safetensors)");
        if (headerLength > MAX_HEADER_BYTES)
            throw bad(name, "claims a header of " + headerLength + " bytes, more than the " + MAX_HEADER_BYTES + "-byte limit");
        String json = utf8(file.slice(8, (int) headerLength), name);
        if (!json.startsWith("{"))
            throw bad(name, "has a header that does not start with '{' (not a safetensors file, or corrupt)");
        int dataStart = 8 + (int) headerLength;
        SafetensorsHeader h = parseJson(json, name, dataStart);
        checkLayout(h.entries, fileSize - dataStart, name);
        return h;
    }

    private static String utf8(ByteBuffer bytes, String name) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw bad(name, "has a header that is not valid UTF-8 text");
        }
    }

    // ---------------------------------------------------------------- JSON

    private static SafetensorsHeader parseJson(String json, String name, int dataStart) {
        List<Entry> entries = new ArrayList<>();
        Map<String, String> metadata = Map.of();
        Set<String> seen = new HashSet<>();
        try (JsonReader r = new JsonReader(new StringReader(json))) {
            r.setStrictness(Strictness.STRICT);
            r.beginObject();
            while (r.hasNext()) {
                String key = r.nextName();
                if (!seen.add(key)) throw bad(name, "has the name '" + clip(key) + "' twice in its header");
                if (key.isEmpty()) throw bad(name, "has a tensor with an empty name");   // the writer refuses one too
                if (key.equals(METADATA)) metadata = readMetadata(r, name);
                else entries.add(readEntry(r, key, name));
            }
            r.endObject();
            if (r.peek() != JsonToken.END_DOCUMENT) throw bad(name, "has text after the header's JSON object");
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            // Gson's messages may span lines (a troubleshooting link follows); the first line says what is wrong.
            throw bad(name, "has a header that is not valid safetensors JSON: " + gsonMessage(e));
        }
        return new SafetensorsHeader(Collections.unmodifiableList(entries), metadata, dataStart);
    }

    private static Map<String, String> readMetadata(JsonReader r, String name) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        r.beginObject();
        while (r.hasNext()) {
            String key = r.nextName();
            if (r.peek() != JsonToken.STRING)
                throw bad(name, "has metadata '" + clip(key) + "' that is not a string (" + r.peek() + ")");
            if (m.put(key, r.nextString()) != null) throw bad(name, "has the metadata key '" + clip(key) + "' twice");
        }
        r.endObject();
        return Collections.unmodifiableMap(m);
    }

    private static Entry readEntry(JsonReader r, String tensor, String name) throws IOException {
        String where = "tensor '" + clip(tensor) + "'";
        String dtype = null;
        long[] shape = null, offsets = null;
        r.beginObject();
        while (r.hasNext()) {
            String key = r.nextName();
            switch (key) {
                case "dtype" -> {
                    if (dtype != null) throw bad(name, where + " has 'dtype' twice");
                    if (r.peek() != JsonToken.STRING) throw bad(name, where + " has a dtype that is not a string");
                    dtype = r.nextString();
                }
                case "shape" -> {
                    if (shape != null) throw bad(name, where + " has 'shape' twice");
                    shape = readLongs(r, name, where + " shape");
                }
                case "data_offsets" -> {
                    if (offsets != null) throw bad(name, where + " has 'data_offsets' twice");
                    offsets = readLongs(r, name, where + " data_offsets");
                }
                default -> throw bad(name, where + " has an unexpected field '" + clip(key) + "' (expected dtype, shape, data_offsets)");
            }
        }
        r.endObject();
        if (dtype == null || shape == null || offsets == null)
            throw bad(name, where + " lacks " + (dtype == null ? "'dtype'" : shape == null ? "'shape'" : "'data_offsets'"));
        return validateEntry(tensor, dtype, shape, offsets, name, where);
    }

    /** A JSON array of non-negative integers, parsed exactly (no floats, no exponents). */
    private static long[] readLongs(JsonReader r, String name, String what) throws IOException {
        if (r.peek() != JsonToken.BEGIN_ARRAY) throw bad(name, what + " is not a list of integers");
        List<Long> values = new ArrayList<>();
        r.beginArray();
        while (r.hasNext()) {
            if (r.peek() != JsonToken.NUMBER) throw bad(name, what + " contains " + r.peek() + ", expected integers");
            String text = r.nextString();
            long v;
            try {
                v = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw bad(name, what + " contains " + clip(text) + ", which is not an integer that fits in 64 bits");
            }
            if (v < 0) throw bad(name, what + " contains the negative number " + v);
            values.add(v);
        }
        r.endArray();
        long[] out = new long[values.size()];
        for (int i = 0; i < out.length; i++) out[i] = values.get(i);
        return out;
    }

    // ---------------------------------------------------------------- checks against the data

    private static Entry validateEntry(String tensor, String dtype, long[] shape, long[] offsets, String name, String where) {
        Integer elementSize = READABLE.get(dtype);
        if (elementSize == null)
            throw bad(name, where + " has dtype '" + clip(dtype) + "', which convlab does not read ("
                    + (KNOWN_UNREADABLE.contains(dtype) ? "" : "not a safetensors dtype; ") + "readable: F32, F64, F16, BF16)");
        if (offsets.length != 2) throw bad(name, where + " has " + offsets.length + " data_offsets, expected 2 [begin, end]");
        int[] dims = new int[shape.length];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] > Integer.MAX_VALUE) throw bad(name, where + " has dimension " + shape[i] + ", too large");
            dims[i] = (int) shape[i];
        }
        // Overflow-safe element count: any zero dimension makes it 0; otherwise stop once past the limit.
        boolean empty = false;
        for (long d : shape) empty |= d == 0;
        if (!empty) {
            for (long d : shape) {
                numel *= d;   // both factors <= 2^31, so this cannot overflow before the check below
                if (numel > MAX_ELEMENTS)
                    throw bad(name, where + " has shape " + shapeStr(shape) + ", more than " + MAX_ELEMENTS + " elements");
            }
        } else {
            numel = 0;
        }
        long begin = offsets[0], end = offsets[1];
        if (begin > end) throw bad(name, where + " has data_offsets [" + begin + ", " + end + "] that end before they begin");
        long need = numel * elementSize;
        if (end - begin != need)
            throw bad(name, where + " with dtype " + dtype + " and shape " + shapeStr(shape) + " needs " + need
                    + " bytes, but its data_offsets [" + begin + ", " + end + "] hold " + (end - begin));
        return new Entry(tensor, dtype, dims, numel, begin, end);
    }

    /** The tensors must tile the data section exactly, as the format requires. */
    private static void checkLayout(List<Entry> entries, long dataSize, String name) {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long covered = 0;
        Entry previous = null;
        for (Entry e : sorted) {
            if (e.end() > dataSize)
                throw bad(name, "tensor '" + clip(e.name()) + "' has data_offsets [" + e.begin() + ", " + e.end()
                        + "] past the end of the data (" + dataSize + " bytes): the file is truncated or the header lies");
            if (e.begin() < covered)
                throw bad(name, "tensors '" + clip(previous.name()) + "' and '" + clip(e.name()) + "' overlap (data_offsets ["
                        + previous.begin() + ", " + previous.end() + "] and [" + e.begin() + ", " + e.end() + "])");
            if (e.begin() > covered)
                throw bad(name, "has a hole: data bytes " + covered + " to " + e.begin() + " belong to no tensor");
            covered = e.end();
            previous = e;
        }
        if (covered != dataSize)
            throw bad(name, "has " + (dataSize - covered) + " bytes after the last tensor's data (the header describes "
                    + covered + " of " + dataSize + " data bytes)");
    }

    // ---------------------------------------------------------------- messages

    private static IllegalArgumentException bad(String name, String what) {
        return new IllegalArgumentException(name + ": " + what);
    }

    /** Gson's message without its advice to programmers: first line, "malformed JSON at line 1 column 5 path $". */
    static String gsonMessage(Throwable e) {
        while (e.getCause() != null && e.getCause() != e) e = e.getCause();   // Gson wraps the reader's exception
        String m = firstLine(e.getMessage()).replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON", "malformed JSON");
        return clip(m, 200);
    }

    static String firstLine(String s) {
        if (s == null) return "(no detail)";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Names from a hostile file can be huge or contain line breaks: keep messages one short line. */
    static String clip(String s) { return clip(s, 80); }

    static String clip(String s, int max) {
        String cut = s.length() <= max ? s : s.substring(0, max - 3) + "...";
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    private static String shapeStr(long[] shape) {
        if (shape.length == 0) return "()";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shape.length; i++) { if (i > 0) sb.append('x'); sb.append(shape[i]); }
        return sb.toString();
    }
}
