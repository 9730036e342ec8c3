package convlab.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes files so that a reader (or a crash) never sees a partial one: the bytes go to a temporary
 * file in the same folder, are forced to disk, and the temporary file is renamed over the target in
 * one atomic step; then the folder itself is forced so the rename survives a power cut.
 *
 * <p>After a crash at any moment the target is either absent, the old complete file, or the new
 * complete file. A leftover temporary file (".name.tmp-PID-…") may remain after a SIGKILL, which no shutdown hook sees;
 * it never looks like the target, and the next write of the same target removes it once process PID is gone.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Writes the whole content of a file through an output stream. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Prefix of temporary files, so cleanup code and people can recognize them. */
    static final String TEMP_MARK = ".tmp-";

    public static void write(Path target, byte[] content) throws IOException {
        write(target, out -> out.write(content));
    }

    /** Writes target atomically; on any failure the temporary file is removed and target is untouched. */
    public static void write(Path target, Writer writer) throws IOException {
        Path dir = folderOf(target);
        checkWritableFolder(dir, target);
        removeStaleTemps(dir, target);
        Path temp;
        try {
            // ".NAME.tmp-PID-RANDOM": the process id lets a later write tell a killed writer's leftover from a live one's
            temp = Files.createTempFile(dir, "." + target.getFileName() + TEMP_MARK + ProcessHandle.current().pid() + "-", "");
        } catch (AccessDeniedException e) {
            throw new IOException("cannot write " + target + ": the folder " + dir + " is not writable", e);
        }
        boolean done = false;
        IN_FLIGHT.add(temp);   // removed by the shutdown hook if the process is interrupted (Ctrl-C, SIGTERM) mid-write
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = Channels.newOutputStream(ch);
                writer.writeTo(out);
                out.flush();
                ch.force(true);   // data and metadata on disk before the rename makes them visible
            }
            moveAtomically(temp, target);
            done = true;
        } finally {
            try {
                if (!done) Files.deleteIfExists(temp);
            } finally {
                IN_FLIGHT.remove(temp);
            }
        }
        fsyncFolder(dir);
    }

    /**
     * Deletes what killed writes of this target left: regular files named ".NAME.tmp-PID-…" whose process PID no longer
     * runs. A live writer's file, and anything named otherwise, is left alone.
     */
    private static void removeStaleTemps(Path dir, Path target) {
        String prefix = "." + target.getFileName() + TEMP_MARK;
        try (var entries = Files.newDirectoryStream(dir, p -> p.getFileName().toString().startsWith(prefix))) {
            for (Path p : entries) {
                java.util.regex.Matcher m = STALE.matcher(p.getFileName().toString().substring(prefix.length()));
                if (!m.matches() || !Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) continue;
                long pid = Long.parseLong(m.group(1));
                if (pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isEmpty()) Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            // best effort: a leftover that cannot be removed now stays as it was
        }
    }

    private static final java.util.regex.Pattern STALE = java.util.regex.Pattern.compile("(\\d{1,18})-\\d+");

    /** Temporary files being written now; a shutdown hook deletes what is left of them when the JVM exits mid-write. */
    private static final java.util.Set<Path> IN_FLIGHT = java.util.concurrent.ConcurrentHashMap.newKeySet();
    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Path p : IN_FLIGHT) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException | RuntimeException ignored) {
                    // exiting anyway; the file keeps its temporary name, which never looks like the target
                }
            }
        }, "convlab-temp-cleanup"));
    }

    /**
     * Throws when target exists and is not a regular file: a symbolic link, folder, FIFO or device is never
     * replaced (renaming over it would turn, say, /dev/sda or a link to the user's data into a plain file).
     */
    public static void requireReplaceable(Path target) throws IOException {
        if (Files.isDirectory(target, java.nio.file.LinkOption.NOFOLLOW_LINKS))
            throw new IOException("cannot write " + target + ": it is a folder");
        if (Files.isSymbolicLink(target))
            throw new IOException("cannot write " + target + ": it is a symbolic link (convlab does not replace links; "
                    + "give the path of the file itself or a new name)");
        if (UserFiles.existsButNotRegular(target))
            throw new IOException("cannot write " + target + ": it exists and is not a regular file (a device, pipe or socket)");
    }

    /** Renames source to target in one step (replacing target if it exists); both in the same folder. */
    public static void moveAtomically(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot replace " + target + " atomically on this file system (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Forces a folder's entries (names created, renamed, removed) to disk. POSIX systems support this;
     * where opening a folder is not allowed (Windows) it is skipped, as there the rename is already durable.
     */
    public static void fsyncFolder(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (FileSystemException | UnsupportedOperationException e) {
            // Not possible on this platform; nothing more can be done.
        } catch (IOException e) {
            if (!System.getProperty("os.name", "").startsWith("Windows")) throw e;
        }
    }

    static Path folderOf(Path target) {
        Path parent = target.toAbsolutePath().getParent();
        if (parent == null) throw new IllegalArgumentException("cannot write " + target + ": it has no parent folder");
        return parent;
    }

    private static void checkWritableFolder(Path dir, Path target) throws IOException {
        if (!Files.isDirectory(dir))
            throw new IOException("cannot write " + target + ": the folder " + dir + " does not exist");
        requireReplaceable(target);
    }
}
