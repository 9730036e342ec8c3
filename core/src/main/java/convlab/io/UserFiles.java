package convlab.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Reading small text files a user names ({@code @file} values): only regular files, at most
 * {@link #MAX_TEXT_BYTES}, valid UTF-8. A FIFO, a device ({@code /dev/zero}), a folder or a huge file ends with
 * one line at once instead of blocking or filling the heap.
 */
public final class UserFiles {
    private UserFiles() {}

    /** Largest {@code @file} read (docs/RELIABILITY.md). */
    public static final int MAX_TEXT_BYTES = 1 << 20;

    /** The text of the file at path; what names it in messages (e.g. "@m.txt"). */
    public static String readText(Path path, String what) {
        String w = UserMessages.quote(what);
        if (Files.isDirectory(path)) throw new IllegalArgumentException("cannot read " + w + ": it is a folder, not a file");
        if (!Files.exists(path)) throw new IllegalArgumentException("cannot read " + w + ": no such file");
        if (!Files.isRegularFile(path))
            throw new IllegalArgumentException("cannot read " + w + ": it is not a regular file (a device, pipe or socket)");
        try (InputStream in = Files.newInputStream(path)) {
            byte[] bytes = in.readNBytes(MAX_TEXT_BYTES + 1);
            if (bytes.length > MAX_TEXT_BYTES)
                throw new IllegalArgumentException("cannot read " + w + ": it is larger than " + MAX_TEXT_BYTES / 1024 + " KiB");
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("cannot read " + w + ": it is not UTF-8 text", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + w + ": " + UserMessages.oneLine(e.getMessage()), e);
        }
    }

    /** True when path exists and is not a regular file (a symbolic link itself, a folder, a FIFO or a device). */
    public static boolean existsButNotRegular(Path path) {
        return Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS);
    }
}
