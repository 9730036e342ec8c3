package convlab.io;

import convlab.OptionNames;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A folder of checkpoints written so that a crash at any moment (even SIGKILL or power loss in the
 * middle of a write) leaves the last good checkpoint loadable:
 * <pre>
 *   step-000000001200/     one complete checkpoint (see {@link Checkpoint})
 *   step-000000002400/
 *   latest                 the name of the newest complete checkpoint folder, replaced atomically
 * </pre>
 * A new checkpoint is written into a hidden temporary folder, forced to disk, and renamed into place in
 * one step; only then does {@code latest} move to it, and only then are checkpoints beyond the
 * {@code keep} newest removed. So a folder named {@code step-*} is always complete, and the checkpoint
 * {@code latest} names is never modified or removed while it is the newest.
 */
public final class CheckpointStore {
    static final String LATEST = "latest";
    private static final Pattern NAME = Pattern.compile("step-(\\d{12})");
    private static final String TEMP = ".tmp-";
    private static final String TRASH = ".old-";
    /**
     * convlab only ever deletes what it wrote: folders named exactly like its temporary and set-aside folders
     * ({@code .tmp-step-…-N}, {@code .old-step-…-N}) that hold this marker file (or nothing at all), and its own
     * {@code .latest.tmp-N} files. A user's files in the same folder are never touched, whatever their names.
     */
    static final String PARTIAL_MARK = ".convlab-partial";
    private static final Pattern LEFTOVER = Pattern.compile("\\.(tmp|old)-step-\\d{12}-\\d+");
    private static final Pattern LATEST_TEMP = Pattern.compile("\\." + LATEST + Pattern.quote(AtomicFiles.TEMP_MARK) + "\\d+(-\\d+)?");
    /** The lock file that keeps two runs out of one folder. */
    static final String LOCK = ".convlab-lock";

    private final Path dir;
    private final int keep;

    /** A store in dir (created if missing) that keeps the newest keep checkpoints (at least 1). */
    public CheckpointStore(Path dir, int keep) throws IOException {
        if (keep < 1) throw new IllegalArgumentException("a checkpoint store must keep at least 1 checkpoint, got " + keep);
        if (Files.exists(dir) && !Files.isDirectory(dir))
            throw new IllegalArgumentException("checkpoint folder " + dir + " is a file, not a folder");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("cannot create the checkpoint folder " + dir + " (" + UserMessages.reason(e) + ")", e);
        }
        if (!Files.isWritable(dir)) throw new IOException("the checkpoint folder " + dir + " is not writable");
        this.dir = dir;
        this.keep = keep;
    }

    public Path dir() { return dir; }

    /** Folder name of the checkpoint for a step. */
    public static String folderName(long step) { return String.format("step-%012d", step); }

    /** Saves a checkpoint and makes it the latest; returns its folder. */
    public Path save(Checkpoint c) throws IOException {
        removeLeftovers();
        String name = folderName(c.step());
        Path temp = dir.resolve(TEMP + name + "-" + System.nanoTime());
        Files.createDirectory(temp);
        try {
            Files.createFile(temp.resolve(PARTIAL_MARK));
            c.writeTo(temp);
            AtomicFiles.fsyncFolder(temp);
        } catch (IOException | RuntimeException e) {
            deleteTree(temp);
            throw e;
        }
        Path target = dir.resolve(name);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {  // the same step saved again (e.g. after a resume): set the old one aside first
            if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS) || !Files.isRegularFile(target.resolve("state.json"), LinkOption.NOFOLLOW_LINKS)) {
                deleteTree(temp);
                throw new IOException("cannot save checkpoint " + name + ": " + target + " exists and is not a convlab checkpoint (convlab leaves it alone)");
            }
            markPartial(target);
            Files.move(target, dir.resolve(TRASH + name + "-" + System.nanoTime()), StandardCopyOption.ATOMIC_MOVE);
        }
        // The rename makes it visible in one step; the marker goes only after it, so a kill between the two leaves a
        // complete checkpoint holding a stray marker, never a marker-less temporary folder nothing would clean up.
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(target.resolve(PARTIAL_MARK));
        AtomicFiles.fsyncFolder(dir);
        AtomicFiles.write(dir.resolve(LATEST), (name + "\n").getBytes(StandardCharsets.US_ASCII));
        removeBeyondKeep(c.step());
        removeLeftovers();
        return target;
    }

    /**
     * The newest complete checkpoint: the one {@code latest} names, or, if that pointer is missing or names
     * a folder that is gone, the complete folder with the highest step. Empty when there is none.
     */
    public Optional<Checkpoint> loadLatest() throws IOException {
        Optional<Path> folder = latestFolder();
        return folder.isEmpty() ? Optional.empty() : Optional.of(Checkpoint.readFrom(folder.get()));
    }

    public Optional<Path> latestFolder() throws IOException {
        Path pointer = dir.resolve(LATEST);
        try {
            String name = Files.readString(pointer, StandardCharsets.US_ASCII).strip();
            if (!NAME.matcher(name).matches())
                throw new IllegalArgumentException(pointer + " should name a checkpoint folder like " + folderName(0)
                        + ", but says '" + SafetensorsHeader.clip(name) + "'");
            Path folder = dir.resolve(name);
            if (Files.isDirectory(folder)) return Optional.of(folder);
        } catch (NoSuchFileException e) {
            // no pointer yet (or removed by hand): fall back to the folders themselves
        }
        List<Path> all = checkpoints();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getLast());
    }

    /** The complete checkpoint folders, by increasing step. */
    public List<Path> checkpoints() throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) if (NAME.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p)) out.add(p);
        }
        out.sort(Comparator.comparingLong(CheckpointStore::stepOf));
        return out;
    }

    private static long stepOf(Path folder) {
        Matcher m = NAME.matcher(folder.getFileName().toString());
        if (!m.matches()) throw new IllegalStateException(folder.toString());
        return Long.parseLong(m.group(1));
    }

    /**
     * Keeps the keep newest checkpoints up to the current step. Folders of later steps (left by a run that
     * was resumed from an earlier checkpoint) are not touched: they are another history, not older data.
     */
    private void removeBeyondKeep(long currentStep) throws IOException {
        List<Path> upToNow = new ArrayList<>();
        for (Path p : checkpoints())
            if (stepOf(p) <= currentStep && Files.isRegularFile(p.resolve("state.json"), LinkOption.NOFOLLOW_LINKS)) upToNow.add(p);
        for (int i = 0; i < upToNow.size() - keep; i++) {
            // Renamed out of the step-* namespace first, in one step, so a crash in the middle of deleting
            // never leaves a half-deleted folder that looks like a checkpoint.
            Path old = upToNow.get(i);
            Path trash = dir.resolve(TRASH + old.getFileName() + "-" + System.nanoTime());
            markPartial(old);
            Files.move(old, trash, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(trash);
        }
    }

    /**
     * Temporary folders of writes that crashed, and folders set aside to be replaced: only what convlab wrote
     * (see {@link #PARTIAL_MARK}); anything else in the folder is left alone.
     */
    private void removeLeftovers() throws IOException {
        List<Path> ours = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (LEFTOVER.matcher(n).matches() && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                        && (Files.isRegularFile(p.resolve(PARTIAL_MARK), LinkOption.NOFOLLOW_LINKS) || isEmptyFolder(p)))
                    ours.add(p);
                else if (LATEST_TEMP.matcher(n).matches() && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) ours.add(p);
            }
        }
        for (Path p : ours) deleteTree(p);
    }

    private static boolean isEmptyFolder(Path p) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
            return !ds.iterator().hasNext();
        }
    }

    /** Marks a folder of this store as convlab's to delete, before it is renamed out of the step-* names. */
    private static void markPartial(Path folder) throws IOException {
        if (!Files.exists(folder.resolve(PARTIAL_MARK), LinkOption.NOFOLLOW_LINKS)) Files.createFile(folder.resolve(PARTIAL_MARK));
    }

    /** Deletes a folder this store wrote; its marker goes last, so a crash part-way leaves it recognisable. Links are not followed. */
    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return;
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) { Files.deleteIfExists(root); return; }
        Path mark = root.resolve(PARTIAL_MARK);
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList())
                if (!p.equals(mark) && !p.equals(root)) Files.deleteIfExists(p);
        }
        Files.deleteIfExists(mark);
        Files.deleteIfExists(root);
    }

    /**
     * Takes the folder for this process: a second run given the same folder is refused ("in use by process N")
     * until this one ends. The operating system releases the lock when the process dies, however it dies, so a
     * killed run never leaves the folder locked. Close the returned lock when done.
     */
    public AutoCloseable lock() throws IOException {
        Path file = dir.resolve(LOCK);
        if (UserFiles.existsButNotRegular(file))
            throw new IOException("cannot lock the checkpoint folder " + dir + ": " + file + " is not a regular file");
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;   // this process holds it already
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            String holder;
            try {
                holder = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).strip();
            } finally {
                ch.close();
            }
            throw new IllegalArgumentException("the checkpoint folder " + dir + " is in use by "
                    + (holder.matches("\\d{1,12}") ? "process " + holder : "another run")
                    + " (two runs must not share one folder; wait for it to end or give another " + OptionNames.of("checkpoint-dir") + ")");
        }
        ch.truncate(0);
        ch.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        FileLock held = lock;
        return () -> {
            try {
                held.release();
            } finally {
                ch.close();
            }
        };
    }
}
