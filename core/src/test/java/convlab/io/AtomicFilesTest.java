package convlab.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class AtomicFilesTest {
    @TempDir Path tmp;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) { return s.map(p -> p.getFileName().toString()).sorted().toList(); }
    }

    @Test void writesAndReplacesLeavingNoTemporaryFile() throws IOException {
        Path f = tmp.resolve("out.bin");
        AtomicFiles.write(f, new byte[] {1, 2, 3});
        AtomicFiles.write(f, new byte[] {4});
        assertArrayEquals(new byte[] {4}, Files.readAllBytes(f));
        assertEquals(List.of("out.bin"), names());
    }

    @Test void aFailingWriteLeavesTheOldFileWholeAndNoTemporaryFile() throws IOException {
        Path f = tmp.resolve("model.safetensors");
        AtomicFiles.write(f, new byte[] {7, 7});
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(new byte[1000]);   // half written, then the disk "fills up"
            throw new IOException("No space left on device");
        }));
        assertEquals("No space left on device", e.getMessage());
        assertArrayEquals(new byte[] {7, 7}, Files.readAllBytes(f));
        assertEquals(List.of("model.safetensors"), names());
    }

    @Test void missingFolderAndFolderTargetGiveClearErrors() {
        var e = assertThrows(IOException.class, () -> AtomicFiles.write(tmp.resolve("no/such/dir/f"), new byte[0]));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        var f = assertThrows(IOException.class, () -> AtomicFiles.write(tmp, new byte[0]));
        assertTrue(f.getMessage().contains("it is a folder"), f.getMessage());
    }

    /** A SIGKILL mid-write leaves ".NAME.tmp-PID-…" (no shutdown hook runs); the next write of NAME removes it once PID is gone. */
    @Test void theNextWriteRemovesWhatAKilledWriterLeft() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        long deadPid = gone.pid();
        org.junit.jupiter.api.Assumptions.assumeTrue(ProcessHandle.of(deadPid).isEmpty(), "the pid was reused at once");
        Path target = tmp.resolve("model.safetensors");
        Path killed = tmp.resolve(".model.safetensors.tmp-" + deadPid + "-123");
        Path live = tmp.resolve(".model.safetensors.tmp-" + ProcessHandle.current().pid() + "-456");
        Path mine = tmp.resolve(".model.safetensors.tmp-notes");        // not convlab's naming: never touched
        Path other = tmp.resolve(".other.bin.tmp-" + deadPid + "-7");   // another target's: left to that target's writes
        for (Path p : new Path[] {killed, live, mine, other}) Files.writeString(p, "partial");
        AtomicFiles.write(target, "new".getBytes());
        assertFalse(Files.exists(killed), "the killed writer's leftover");
        for (Path p : new Path[] {live, mine, other}) assertTrue(Files.exists(p), p.toString());
        assertEquals("new", Files.readString(target));
    }
}
