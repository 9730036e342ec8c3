package convlab.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * The IDX file format of MNIST and Fashion-MNIST, for unsigned-byte data, raw or gzip-compressed.
 *
 * <p>Layout: bytes 0–1 are zero, byte 2 is the data type (0x08 = unsigned byte, the only type read
 * here), byte 3 is the rank; then one big-endian int32 per dimension; then the values in row-major
 * order. Gzip is recognized by its magic bytes 0x1f 0x8b, not by the file name.
 *
 * <p>Malformed input gives an {@link IllegalArgumentException} naming the file and what is wrong;
 * a header that claims more data than exists fails as "truncated"; claims above {@link #PREALLOCATE_LIMIT}
 * values (64 MiB) are not allocated before the data arrives, so a lying header cannot exhaust the heap.
 */
public final class Idx {
    private Idx() {}

    /** IDX type code for unsigned bytes. */
    public static final int UBYTE = 0x08;
    /** Largest number of values accepted (largest Java array). */
    static final long MAX_VALUES = Integer.MAX_VALUE - 8;
    /** Up to this many values the array is allocated at the header's size before reading; above, it grows with the data. */
    static final long PREALLOCATE_LIMIT = 64L << 20;

    /** The dimensions and values (unsigned bytes, read them as {@code b & 0xFF}) of one IDX file. */
    public record Array(int[] dims, byte[] data) {
        public int dim(int i) { return dims[i]; }
        public int rank() { return dims.length; }
        public int unsigned(int i) { return data[i] & 0xFF; }
    }

    /** Reads an IDX file (raw or gzip) and checks its rank. */
    public static Array read(Path file, int expectedRank) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), expectedRank);
        }
    }

    /** Reads an IDX stream (raw or gzip); name is used in error messages. */
    public static Array read(InputStream raw, String name, int expectedRank) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        boolean gzip = startsWithGzipMagic(in);
        InputStream data = gzip ? openGzip(in, name) : in;
        try {
            return readIdx(data, name + (gzip ? " (gzip)" : ""), expectedRank);
        } catch (EOFException | ZipException e) {
            // The gzip stream itself ended early or is damaged.
            throw new IllegalArgumentException(name + " is truncated or corrupt: the gzip data cannot be decompressed ("
                    + e.getMessage() + ")", e);
        }
    }

    private static boolean startsWithGzipMagic(BufferedInputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read(), b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b;
    }

    private static InputStream openGzip(InputStream in, String name) throws IOException {
        try {
            return new GZIPInputStream(in, 1 << 16);
        } catch (EOFException | ZipException e) {
            throw new IllegalArgumentException(name + " starts like a gzip file but its gzip header is damaged (" + e.getMessage() + ")", e);
        }
    }

    private static Array readIdx(InputStream in, String name, int expectedRank) throws IOException {
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4)
            throw new IllegalArgumentException(name + " is truncated: " + magic.length + " bytes, but an IDX header needs at least 4");
        if (magic[0] != 0 || magic[1] != 0)
            throw new IllegalArgumentException(String.format(
                    "%s is not an IDX file: it starts with bytes %02x %02x %02x %02x, expected 00 00 08 <rank>",
                    name, magic[0] & 0xFF, magic[1] & 0xFF, magic[2] & 0xFF, magic[3] & 0xFF));
        int type = magic[2] & 0xFF;
        if (type != UBYTE)
            throw new IllegalArgumentException(String.format(
                    "%s holds IDX data type 0x%02x; only unsigned bytes (0x08) are supported", name, type));
        int rank = magic[3] & 0xFF;
        if (rank != expectedRank)
            throw new IllegalArgumentException(name + " has rank " + rank + ", expected " + expectedRank
                    + (expectedRank == 3 ? " (images: count, rows, columns)" : expectedRank == 1 ? " (labels: count)" : ""));
        byte[] header = in.readNBytes(4 * rank);
        if (header.length < 4 * rank)
            throw new IllegalArgumentException(name + " is truncated inside its header: " + rank + " dimensions need "
                    + 4 * rank + " bytes, found " + header.length);
        int[] dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++) {
            long d = ((header[4 * i] & 0xFFL) << 24) | ((header[4 * i + 1] & 0xFF) << 16)
                    | ((header[4 * i + 2] & 0xFF) << 8) | (header[4 * i + 3] & 0xFF);
            if (d > Integer.MAX_VALUE)
                throw new IllegalArgumentException(name + ": dimension " + i + " is " + d + " in the header, which is not a valid size");
            dims[i] = (int) d;
            count *= d;
            if (count > MAX_VALUES)
                throw new IllegalArgumentException(name + ": the header claims dimensions " + dimsString(header, rank)
                        + ", more than " + MAX_VALUES + " values; the file is corrupt or not IDX");
        }
        byte[] data;
        int got;
        if (count <= PREALLOCATE_LIMIT) {
            // One array of the final size: no second copy (the 47 MB Fashion-MNIST training images would
            // otherwise pass through 47 MB of chunks that outlive young collections while loading).
            data = new byte[(int) count];
            got = in.readNBytes(data, 0, data.length);
        } else {
            // readNBytes grows its buffer as data arrives, so a lying header cannot cause a huge allocation.
            data = in.readNBytes((int) count);
            got = data.length;
        }
        if (got < count)
            throw new IllegalArgumentException(name + " is truncated: the header declares " + shapeString(dims) + " = "
                    + count + " values, but only " + got + " follow");
        if (in.read() != -1)
            throw new IllegalArgumentException(name + " has extra bytes after the " + count + " values its header declares ("
                    + shapeString(dims) + ")");
        return new Array(dims, data);
    }

    private static String dimsString(byte[] header, int rank) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rank; i++) {
            long d = ((header[4 * i] & 0xFFL) << 24) | ((header[4 * i + 1] & 0xFF) << 16)
                    | ((header[4 * i + 2] & 0xFF) << 8) | (header[4 * i + 3] & 0xFF);
            if (i > 0) sb.append('x');
            sb.append(d);
        }
        return sb.toString();
    }

    static String shapeString(int[] dims) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < dims.length; i++) { if (i > 0) sb.append('x'); sb.append(dims[i]); }
        return sb.toString();
    }

    /** The bytes of an unsigned-byte IDX file (uncompressed). */
    public static byte[] encode(int[] dims, byte[] data) {
        long count = 1;
        for (int d : dims) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in " + shapeString(dims));
            count *= d;
        }
        if (count != data.length)
            throw new IllegalArgumentException("dimensions " + shapeString(dims) + " need " + count + " values, got " + data.length);
        if (dims.length > 255) throw new IllegalArgumentException("IDX rank is at most 255, got " + dims.length);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4 + 4 * dims.length + data.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(0);
            out.writeByte(0);
            out.writeByte(UBYTE);
            out.writeByte(dims.length);
            for (int d : dims) out.writeInt(d);   // DataOutputStream is big-endian
            out.write(data);
        } catch (IOException e) {
            throw new AssertionError("in-memory stream", e);
        }
        return bytes.toByteArray();
    }

    /** Writes an unsigned-byte IDX file, gzip-compressed when gzip is true. */
    public static void write(Path file, int[] dims, byte[] data, boolean gzip) throws IOException {
        byte[] encoded = encode(dims, data);
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(encoded);
        }
    }
}
