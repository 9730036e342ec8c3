package convlab.io;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Folders convlab writes a set of files into (a training report, an experiment's output): it writes only into
 * a folder that is new, empty, or an earlier convlab output (it holds the marker file {@link #MARK}), so a user's
 * own index.html or results.json is never overwritten; links inside are never followed. {@link #check} runs
 * before any work starts (a bad folder is found in a second, not after an hour of training); {@link #claim}
 * creates the folder and writes the marker.
 */
public final class OutputFolders {
    private OutputFolders() {}

    /** The marker convlab writes into its output folders. */
    public static final String MARK = ".convlab-output";

    /** Throws IllegalArgumentException (naming option) unless dir can be created or is ours to write into. */
    public static void check(Path dir, String option) {
        String where = option + " " + dir;
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new IllegalArgumentException(where + " is a file, not a folder");
        if (Files.isDirectory(dir)) {
            if (!Files.isWritable(dir)) throw new IllegalArgumentException(where + " is not writable");
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                boolean empty = true;
                for (Path p : ds) {
                    empty = false;
                    if (Files.isSymbolicLink(p))
                        throw new IllegalArgumentException(where + " holds the symbolic link " + p.getFileName()
                                + "; convlab writes only into a new, empty or earlier convlab output folder");
                }
                if (!empty && !Files.isRegularFile(dir.resolve(MARK), LinkOption.NOFOLLOW_LINKS))
                    throw new IllegalArgumentException(where + " already holds files that convlab did not write; give a new or "
                            + "empty folder (convlab never overwrites them)");
            } catch (IOException e) {
                throw new IllegalArgumentException(where + " cannot be read: " + UserMessages.oneLine(e.getMessage()), e);
            }
            return;
        }
        requireCreatable(dir, where);
    }

    /** check, then creates dir (and its parents) and writes the marker. */
    public static void claim(Path dir, String option) {
        check(dir, option);
        try {
            Files.createDirectories(dir);
            Path mark = dir.resolve(MARK);
            if (!Files.exists(mark, LinkOption.NOFOLLOW_LINKS))
                Files.writeString(mark, "This folder was written by convlab; it may replace the files in it.\n");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create " + option + " " + dir + ": " + UserMessages.oneLine(e.getMessage()), e);
        }
    }

    /** A missing folder whose nearest existing ancestor is a writable folder. */
    public static void requireCreatable(Path dir, String where) {
        Path p;
        try {
            p = dir.toAbsolutePath().getParent();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(where + " is not a valid path", e);
        }
        while (p != null && !Files.exists(p)) p = p.getParent();
        if (p == null) throw new IllegalArgumentException(where + " cannot be created: none of its parent folders exists");
        if (!Files.isDirectory(p)) throw new IllegalArgumentException(where + " cannot be created: " + p + " is a file, not a folder");
        if (!Files.isWritable(p)) throw new IllegalArgumentException(where + " cannot be created: the folder " + p + " is not writable");
    }

    /** Throws unless a single file can be written at file: its folder exists and is writable, and it is new or a regular file. */
    public static void checkFile(Path file, String option) {
        String where = option + " " + file;
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null) throw new IllegalArgumentException(where + " has no parent folder");
        if (!Files.isDirectory(parent)) throw new IllegalArgumentException(where + ": the folder " + parent + " does not exist");
        if (!Files.isWritable(parent)) throw new IllegalArgumentException(where + ": the folder " + parent + " is not writable");
        try {
            AtomicFiles.requireReplaceable(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
        }
    }
}
