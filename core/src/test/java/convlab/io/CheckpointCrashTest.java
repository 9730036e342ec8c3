package convlab.io;

import convlab.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Kills a process with SIGKILL at random moments while it writes checkpoints, again and again, and
 * checks after each kill that the newest checkpoint loads whole and that the next process resumes
 * from it; finally lets one run finish.
 */
class CheckpointCrashTest {
    @TempDir Path tmp;

    static final int KILLS = 8;
    static final long LAST_STEP = 1000;

    @Test void sigkillDuringWritesNeverDamagesTheLatestCheckpoint() throws Exception {
        Path dir = tmp.resolve("ckpt");
        Rng rng = new Rng(2026);
        int midWrite = 0;
        long previous = 0;
        List<String> log = new ArrayList<>();
        for (int round = 0; round < KILLS; round++) {
            Process p = child(dir, LAST_STEP);
            List<String> out = new ArrayList<>();
            Thread reader = drain(p, out);
            waitForLine(out, "saved", 20_000);                 // the JVM is up and has written at least one checkpoint
            Thread.sleep(50 + rng.nextInt(400));               // then kill it at a random moment
            p.destroyForcibly();                                // SIGKILL on Unix: no shutdown hooks, no flushing
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
            reader.join();
            assertFalse(String.join("\n", out).contains("DAMAGED"), String.join("\n", out));

            boolean leftovers = hasLeftovers(dir);
            if (leftovers) midWrite++;
            CheckpointStore store = new CheckpointStore(dir, 2);
            Checkpoint c = store.loadLatest().orElseThrow(() -> new AssertionError("no checkpoint after a kill"));
            assertNull(CheckpointKillChild.problem(c));
            for (Path folder : store.checkpoints()) assertNull(CheckpointKillChild.problem(Checkpoint.readFrom(folder)), folder.toString());
            assertTrue(c.step() > previous, "progress after round " + round);
            assertEquals("resumed-from " + previous, out.stream().filter(l -> l.startsWith("resumed-from")).findFirst().orElse(null),
                    "resumed from the last checkpoint");
            log.add("round " + round + ": killed after step " + c.step() + (leftovers ? " (mid-write: temporary files left)" : ""));
            previous = c.step();
        }
        Process last = child(dir, previous + 3);
        List<String> out = new ArrayList<>();
        Thread reader = drain(last, out);
        assertEquals(0, last.waitFor(), String.join("\n", out));
        reader.join();
        assertEquals(previous + 3, new CheckpointStore(dir, 2).loadLatest().orElseThrow().step());
        try (Stream<Path> s = Files.list(dir)) {
            assertFalse(hasLeftovers(dir), "a clean save removes what crashed writes left: " + s.map(p -> p.getFileName().toString()).toList());
        }
        System.out.println("CheckpointCrashTest: " + KILLS + " kills, " + midWrite + " landed mid-write; " + String.join("; ", log));
        assertTrue(midWrite > 0, "no kill landed during a write, so the test proved nothing; log: " + log);
    }

    private static Process child(Path dir, long lastStep) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                CheckpointKillChild.class.getName(), dir.toString(), Long.toString(lastStep));
        pb.redirectErrorStream(true);
        return pb.start();
    }

    private static Thread drain(Process p, List<String> out) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
                for (String line; (line = r.readLine()) != null; ) synchronized (out) { out.add(line); }
            } catch (IOException ignored) {
                // the process was killed
            }
        });
        t.start();
        return t;
    }

    private static void waitForLine(List<String> out, String prefix, long timeoutMs) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < end) {
            synchronized (out) { if (out.stream().anyMatch(l -> l.startsWith(prefix))) return; }
            Thread.sleep(5);
        }
        synchronized (out) { fail("child printed no '" + prefix + "' line in " + timeoutMs + " ms: " + out); }
    }

    private static boolean hasLeftovers(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith("."));
        }
    }
}
