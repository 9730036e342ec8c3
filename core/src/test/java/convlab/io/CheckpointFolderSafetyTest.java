package convlab.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 14: a checkpoint folder shared with the user's own files loses none of them; two runs cannot share it. */
class CheckpointFolderSafetyTest {
    @TempDir Path tmp;

    private static Checkpoint sample(long step) { return CheckpointTest.sample(step); }

    @Test void onlyWhatConvlabWroteIsDeleted() throws IOException {
        List<Path> users = List.of(tmp.resolve(".tmp-notes"), tmp.resolve(".old-photos/a.jpg"), tmp.resolve(".tmp-step-000000000001-5/mine"),
                tmp.resolve(".old-step-000000000001-6/mine"), tmp.resolve(".latest.tmp-draft"), tmp.resolve("step-000000000001x"));
        for (Path p : users) {
            Files.createDirectories(p.getParent());
            Files.writeString(p, "mine");
        }
        // a step-* folder of the user's (no state.json) is not a checkpoint to prune
        Files.createDirectories(tmp.resolve("step-000000000000"));
        Files.writeString(tmp.resolve("step-000000000000/diary.txt"), "mine");
        CheckpointStore store = new CheckpointStore(tmp, 1);
        for (long s = 1; s <= 3; s++) store.save(sample(s));
        store.save(sample(3));   // the same step again: the old one is set aside and removed
        for (Path p : users) assertEquals("mine", Files.readString(p), p + " survives");
        assertEquals("mine", Files.readString(tmp.resolve("step-000000000000/diary.txt")));
        assertEquals(3, store.loadLatest().orElseThrow().step());
        try (var files = Files.list(tmp)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().matches("\\.(tmp|old)-step-00000000000[23]-\\d+")), "own leftovers gone");
        }
    }

    @Test void aFolderInTheWayOfACheckpointIsNotReplaced() throws IOException {
        CheckpointStore store = new CheckpointStore(tmp, 2);
        Files.createDirectories(tmp.resolve("step-000000000004"));
        Files.writeString(tmp.resolve("step-000000000004/mine.txt"), "mine");
        IOException e = assertThrows(IOException.class, () -> store.save(sample(4)));
        assertTrue(e.getMessage().contains("not a convlab checkpoint"), e.getMessage());
        assertEquals("mine", Files.readString(tmp.resolve("step-000000000004/mine.txt")));
    }

    @Test void aSecondRunIsRefusedUntilTheFirstEnds() throws Exception {
        CheckpointStore store = new CheckpointStore(tmp, 2);
        try (AutoCloseable held = store.lock()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CheckpointStore(tmp, 2).lock());
            assertTrue(e.getMessage().contains("in use by process " + ProcessHandle.current().pid()), e.getMessage());
        }
        try (AutoCloseable again = new CheckpointStore(tmp, 2).lock()) {
            assertTrue(Files.exists(tmp.resolve(CheckpointStore.LOCK)));
        }
    }

    /** The lock is the operating system's: a process killed while holding it leaves the folder free. */
    @Test void aKilledHolderLeavesNoStuckLock() throws Exception {
        Path ck = tmp.resolve("ck");
        new CheckpointStore(ck, 2);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), ck.toString())
                .redirectErrorStream(true).start();
        assertEquals("locked", new String(p.getInputStream().readNBytes(6)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CheckpointStore(ck, 2).lock());
        assertTrue(e.getMessage().contains("in use by process " + p.pid()), e.getMessage());
        p.destroyForcibly().waitFor();
        try (AutoCloseable mine = new CheckpointStore(ck, 2).lock()) {
            assertEquals(ProcessHandle.current().pid() + "", Files.readString(ck.resolve(CheckpointStore.LOCK)).strip());
        }
    }

    /** Child process of {@link #aKilledHolderLeavesNoStuckLock}: takes the lock and waits to be killed. */
    public static final class LockHolder {
        public static void main(String[] args) throws Exception {
            AutoCloseable lock = new CheckpointStore(Path.of(args[0]), 2).lock();
            System.out.print("locked");
            System.out.flush();
            Thread.sleep(60_000);
            lock.close();
        }
    }

    @Test void saveRefusesLinksDevicesAndFolders() throws IOException {
        Path precious = tmp.resolve("precious.txt");
        Files.writeString(precious, "keep");
        Path link = tmp.resolve("m.safetensors");
        Files.createSymbolicLink(link, precious);
        for (Path target : new Path[] {link, Path.of("/dev/null"), tmp}) {
            IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, new byte[] {1}));
            assertTrue(e.getMessage().startsWith("cannot write " + target), e.getMessage());
        }
        assertEquals("keep", Files.readString(precious));
        assertTrue(Files.isSymbolicLink(link));
    }
}
