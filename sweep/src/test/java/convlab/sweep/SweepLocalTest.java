package convlab.sweep;

import convlab.io.StrictJson;
import convlab.train.EpochStats;
import convlab.train.TrainResult;
import convlab.train.TrainRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sweeps with Spark in local mode: a trial is a train run, the same numbers on a rerun, resume, refusals. */
class SweepLocalTest {
    static final String[] BASE = {"--model", "FLATTEN FC-10", "--epochs", "1", "--data", "sample"};
    static final String[] SMALL = with(BASE, "--master", "local[2]");

    record Run(int code, String out, String err) {}

    static Run cli(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = SweepCli.run(args);
            // (Jazzer's agent, when a fuzz test ran first in this JVM, notes each class it instruments on stderr)
            String e = err.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("INFO: Instrumented"))
                    .map(l -> l + "\n").reduce("", String::concat);
            return new Run(code, out.toString(StandardCharsets.UTF_8), e);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static String[] with(String[] base, String... more) {
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void helpNamesTheCommandAsTyped() {
        Run help = cli("--help");
        assertEquals(0, help.code(), help.err());
        assertTrue(help.out().startsWith("Usage: convlab sweep "), help.out());
        assertFalse(help.err().contains("picocli"), help.err());
    }

    @Test
    void aTrialIsATrainRunAndAResumedSweepRunsOnlyWhatIsMissingWithTheSameNumbers(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("sweep");
        Run first = cli(with(SMALL, "--grid", "lr=0.01,0.05", "--out", out.toString()));
        assertEquals(0, first.code(), first.err());
        assertEquals(2, first.out().lines().filter(l -> l.startsWith("trial ")).count(), first.out());
        List<TrialResult> results = StrictJson.parse(Files.readString(out.resolve("trials.json"))).getAsJsonArray().asList().stream()
                .map(e -> TrialResult.fromJson(e.getAsJsonObject())).toList();
        assertEquals(2, results.size());
        for (String f : List.of("trials.csv", "index.html", "results.json", "sweep.json", "accuracy-vs-lr.png", "best-trials.png", ".convlab-output"))
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        assertEquals(3, Files.readAllLines(out.resolve("trials.csv")).size(), "header and two trials");

        // The trial's numbers are those of the library's train run with its settings, outside Spark.
        TrialResult second = results.get(1);
        assertEquals("0.05", second.settings().get("lr"));
        TrainResult direct = TrainRun.run(Trials.trainSettings(second.settings()));
        assertArrayEquals(direct.history().stream().mapToDouble(EpochStats::testAccuracy).toArray(), second.testAccuracy());
        assertArrayEquals(direct.history().stream().mapToDouble(EpochStats::testLoss).toArray(), second.testLoss());
        assertArrayEquals(direct.history().stream().mapToDouble(EpochStats::trainLoss).toArray(), second.trainLoss());
        assertTrue(second.finalTestAccuracy() > 0.5, "FC-10 learns something in one epoch: " + second.finalTestAccuracy());

        // Interrupted sweep: one trial's file is gone (it never finished). The rerun runs that one only, with the same numbers.
        TrialResult lost = results.get(0);
        Path lostFile = out.resolve("trials").resolve(lost.id() + ".json"), keptFile = out.resolve("trials").resolve(second.id() + ".json");
        Files.delete(lostFile);
        FileTime kept = Files.getLastModifiedTime(keptFile);
        byte[] keptBytes = Files.readAllBytes(keptFile);
        Run resumed = cli(with(SMALL, "--grid", "lr=0.01,0.05", "--out", out.toString()));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("2 trials, 1 finished before (skipped)"), resumed.out());
        assertEquals(1, resumed.out().lines().filter(l -> l.startsWith("trial ")).count(), resumed.out());
        assertEquals(kept, Files.getLastModifiedTime(keptFile), "a finished trial is not written again");
        assertArrayEquals(keptBytes, Files.readAllBytes(keptFile));
        TrialResult again = TrialResult.fromJson(StrictJson.parse(Files.readString(lostFile)).getAsJsonObject());
        assertTrue(again.sameNumbers(lost), "rerun trial: the same numbers bit for bit");
    }

    @Test
    void badInputIsRefusedBeforeAnyTrialInOneLine(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("never");
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Map<String[], String> cases = new java.util.LinkedHashMap<>();
        cases.put(with(SMALL, "--grid", "rate=0.1,0.2"), "unknown grid setting");
        cases.put(with(SMALL, "--grid", "seed=5..1"), "is empty");
        cases.put(with(BASE, "--grid", "lr=0.1", "--master", "spark://127.0.0.1:" + closed), "does not answer");
        cases.put(with(BASE, "--grid", "lr=0.1", "--master", "yarn"), "neither local");
        cases.put(with(SMALL, "--grid", "seed=1..101"), "more than --max-trials 100: add --yes");
        cases.put(with(SMALL, "--grid", "seed=1..3", "--max-trials", "2"), "more than --max-trials 2");
        cases.put(with(SMALL, "--grid", "lr=0.1", "--threads", "3"), "more than the 2 cores");
        cases.put(with(SMALL, "--grid", "model=mlp,CONV3-"), "CONV3-");
        cases.put(with(SMALL, "--grid", "optimizer=sgd,adamm"), "adamm");
        cases.put(with(SMALL, "--grid", "lr-schedule=cosine:x"), "--lr-schedule");
        cases.put(new String[] {"--model", "mlp"}, "--grid");
        for (var c : cases.entrySet()) {
            Run r = cli(with(c.getKey(), "--out", out.toString()));
            String what = String.join(" ", c.getKey());
            assertEquals(2, r.code(), what + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), what + ": one line: " + r.err());
            assertTrue(r.err().startsWith("convlab sweep: ") && r.err().contains(c.getValue()), what + ": " + r.err());
            assertEquals("", r.out(), what);
            assertFalse(Files.exists(out), what + ": nothing written");
        }
        Files.createDirectories(out);
        Files.writeString(out.resolve("index.html"), "mine");
        Run r = cli(with(SMALL, "--grid", "lr=0.1", "--out", out.toString()));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--out"), r.err());
        assertEquals("mine", Files.readString(out.resolve("index.html")), "the user's file is left alone");
    }
}
