package convlab.cli;

import com.google.gson.JsonParser;
import convlab.io.CheckpointStore;
import convlab.io.ModelFile;
import convlab.nn.Linear;
import convlab.nn.Sequential;
import convlab.tensor.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14: hostile input to every command ends with exit 2 and ONE line on standard error (no stack trace,
 * no "null", no wrapped-around number), fast, and nothing convlab did not write is deleted or overwritten.
 */
class ReliabilityCommandsTest {
    @TempDir Path tmp;

    /**
     * Runs the CLI and checks the error contract: exit 2, one line starting "convlab", within 20 s of CPU time (the
     * process's, so work on other threads counts and other processes on a loaded machine do not) and 120 s of wall
     * time (a hang); returns the line.
     */
    static String error(String... args) {
        long start = System.nanoTime();
        java.time.Duration cpu0 = processCpu();
        var r = CliTestSupport.run(args);
        double seconds = (System.nanoTime() - start) / 1e9, cpuSeconds = processCpu().minus(cpu0).toNanos() / 1e9;
        assertEquals(2, r.exitCode(), "exit code of " + List.of(args) + "; out: " + clip(r.out()) + " err: " + r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "one line: " + err);
        assertTrue(err.startsWith("convlab"), err);
        assertFalse(err.contains("Exception") || err.contains("\tat ") || err.matches(".*(: null|\\bnull$| null ).*"), err);
        assertFalse(err.chars().anyMatch(c -> c < 0x20), "control characters escaped: " + err);
        assertTrue(cpuSeconds < 20, "took " + cpuSeconds + " CPU-s");
        assertTrue(seconds < 120, "took " + seconds + " s of wall time");
        return err;
    }

    private static java.time.Duration processCpu() {
        return ProcessHandle.current().info().totalCpuDuration().orElseThrow(() -> new AssertionError("no process CPU time on this OS"));
    }

    private static String clip(String s) { return s.length() > 300 ? s.substring(0, 300) + "…" : s; }

    // ---- wrong answers with exit 0 (sizes that overflowed) ----

    @Test void sizesNeverWrapAround() {
        assertTrue(error("params", "--in-channels", "3", "--out-channels", "4", "--kernel-size", "3", "--input-size", "28",
                "--padding", "2147483647", "--expect-shape", "4x24x24").contains("too large"));
        assertTrue(error("params", "--in-channels", "2147483647", "--out-channels", "2147483647", "--kernel-size", "2147483647")
                .contains("too large to compute"));
        assertTrue(error("summary", "CONV10000-1000000 CONV10000-1000000", "--input", "10000x10000x1").contains("too large to compute"));
        assertTrue(error("summary", "FLATTEN FC-10", "--input", "9999999x9999999x9999999").contains("too large to compute"));
        assertTrue(error("receptive-field", "[CONV1000000-1(s9999999)]x10").contains("receptive field passes 2^63"));
        // the exact answer where one exists: padding 1,000,000 on a 28-pixel input is 2,000,026 positions
        var ok = CliTestSupport.run("params", "--in-channels", "1", "--out-channels", "1", "--kernel-size", "3",
                "--input-size", "28", "--padding", "1000000", "--json");
        assertEquals(0, ok.exitCode(), ok.err());
        assertEquals("[1,2000026,2000026]", JsonParser.parseString(ok.out()).getAsJsonObject().get("output_shape").toString());
    }

    // ---- limits: nothing may run out of memory, overflow the stack or loop ----

    @Test void specLimitsAndCalculatorLimits() {
        assertTrue(error("summary", "[".repeat(20_000) + "CONV3-4" + "]x2".repeat(20_000)).contains("nested more than"));
        assertTrue(error("summary", "[[[[CONV3-4]x1000]x1000]x1000]x1000").contains("more than 100000"));
        assertTrue(error("summary", "CONV3-1000000(d9999999)").contains("more than 1000000"));
        assertTrue(error("conv", "--input", "1 2; 3 4", "--kernel", "1 1; 1 1", "--padding", "100000").contains("padded input"));
        assertTrue(error("conv", "--input", "1 2; 3 4", "--kernel", "1 1; 1 1", "--transpose", "--stride", "100000").contains("entries"));
        error("conv", "--input", "1 2; 3 4", "--kernel", "1 1; 1 1", "--dilation", "1000000000");
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 24; i++) big.append(i == 0 ? "" : ";").append("1 2 3 4 5 6 7 8 9 1 2 3 4 5 6 7 8 9 1 2 3 4 5 6");
        assertTrue(error("solve-filter", "--input", big.toString(), "--output", "1 2 3; 4 5 6; 7 8 9", "--size", "16")
                .contains("at most 100"));
        assertTrue(error("summary", "CONV3-4", "--unit-scaled", "0").contains("positive"));
    }

    @Test void modelsTooBigForTheHeapAreRefusedWithAnEstimate() throws IOException {
        String data = CliTestSupport.sampleDir().toString();
        String e = error("train", "--model", "FLATTEN FC-1000000 FC-1000000 FC-10", "--data", data, "--no-progress");
        assertTrue(e.contains("needs about") && e.contains("CONVLAB_JAVA_OPTS=-Xmx"), e);
        // a small model file whose metadata names a huge architecture
        Path file = tmp.resolve("tiny.safetensors");
        ModelFile.save(file, new Sequential(new Linear(2, 2, new Rng(1))), "FLATTEN FC-1000000 FC-1000000 FC-10");
        assertTrue(Files.size(file) < 2_000);
        assertTrue(error("eval", "--model-file", file.toString(), "--data", data).contains("needs about"));
    }

    // ---- @file: regular files only, size-limited, and the space-separated option form ----

    @Test void atFilesWorkInBothFormsAndRefuseDevicesFoldersAndHugeFiles() throws Exception {
        Path m = tmp.resolve("m.txt");
        Files.writeString(m, "1 2 3 4");
        for (String[] args : new String[][] {{"conv", "--input", "@" + m, "--kernel", "1 1"}, {"conv", "--input=@" + m, "--kernel", "1 1"}}) {
            var r = CliTestSupport.run(args);
            assertEquals(0, r.exitCode(), r.err());
            assertTrue(r.out().contains("3 5 7"), r.out());
        }
        assertTrue(error("conv", "--input", "@/dev/zero", "--kernel", "1 1").contains("not a regular file"));
        assertTrue(error("conv", "--input", "@" + tmp, "--kernel", "1 1").contains("folder"));
        assertTrue(error("conv", "--input", "@" + tmp.resolve("missing"), "--kernel", "1 1").contains("no such file"));
        Path huge = tmp.resolve("huge.txt");
        Files.write(huge, new byte[2 << 20]);
        assertTrue(error("conv", "--input", "@" + huge, "--kernel", "1 1").contains("larger than"));
        Path fifo = tmp.resolve("fifo");
        if (new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0)
            assertTrue(error("conv", "--input", "@" + fifo, "--kernel", "1 1").contains("not a regular file"));
    }

    // ---- messages: one line, escaped, cut ----

    @Test void usageErrorsAndHostileTextGiveOneEscapedLine() {
        String e = error("summary", "CONV3-4", "--bogus\u001b[2J\nline2");
        assertTrue(e.contains("\\x1b[2J") && e.contains("⏎") && e.contains("(see: convlab summary --help)"), e);
        assertTrue(error("nosuchcommand").startsWith("convlab: "));
        assertTrue(error("fp8", "round", "e4m3", "1\u0007").startsWith("convlab fp8 round: not a number: '1\\x07'"));
        String longSpec = "CONV3-4 ".repeat(2000) + "POOLL2";
        String spec = error("summary", longSpec);
        assertTrue(spec.length() < 600 && spec.contains("▸POOLL2◂"), spec);
        assertTrue(error("train", "--threads", "100000").contains("at most 1024"));
    }

    @Test void internalErrorsAreExitTwoWithAPlainLine() {
        String d = Cli.describe(new NullPointerException());
        assertTrue(d.startsWith("internal error (null pointer exception at "), d);
        assertFalse(d.contains("java.lang"), d);
        assertTrue(Cli.describe(new OutOfMemoryError("Java heap space")).contains("CONVLAB_JAVA_OPTS=-Xmx"));
        assertTrue(Cli.describe(new StackOverflowError()).contains("nested too deeply"));
        assertTrue(Cli.describe(new ArithmeticException("long overflow")).contains("too large to compute"));
    }

    // ---- fp8 round reads decimals exactly ----

    @Test void fp8RoundDecidesTiesOnTheExactDecimal() {
        var r = CliTestSupport.run("fp8", "round", "e4m3", "1.0625", "1.0625000000000000001", "464", "464.0000000000000001");
        assertEquals(0, r.exitCode(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertTrue(lines[0].endsWith("= 1"), lines[0]);
        assertTrue(lines[1].endsWith("= 1.125"), lines[1]);
        assertTrue(lines[2].endsWith("= 448"), lines[2]);
        assertTrue(lines[3].endsWith("= NaN"), lines[3]);
    }

    // ---- data loss: checkpoint folder, save target, report folder ----

    @Test void checkpointFolderKeepsTheUsersFilesAndResumeRefusesOtherSettings() throws Exception {
        String data = CliTestSupport.sampleDir().toString();
        Path ck = tmp.resolve("ck");
        List<Path> users = List.of(ck.resolve(".tmp-mine/notes.txt"), ck.resolve(".old-x/a"), ck.resolve(".tmp-step-000000000001-5/keep"),
                ck.resolve(".latest.tmp-mine"), ck.resolve("step-notes"));
        for (Path p : users) {
            Files.createDirectories(p.getParent());
            Files.writeString(p, "mine");
        }
        String[] run = {"train", "--model", "FLATTEN FC-10", "--data", data, "--no-progress", "--checkpoint-dir", ck.toString()};
        var first = CliTestSupport.run(CliTestSupport.concat(run, "--epochs", "1"));
        assertEquals(0, first.exitCode(), first.err());
        for (Path p : users) assertEquals("mine", Files.readString(p), p + " survives");

        // Another run on the same folder is refused while this process holds it.
        try (AutoCloseable lock = new CheckpointStore(ck, 2).lock()) {
            String e = error(CliTestSupport.concat(run, "--resume", "--epochs", "2"));
            assertTrue(e.contains("in use by process " + ProcessHandle.current().pid()), e);
        }
        // Different settings: refused, each named; --resume-change applies and records them.
        String e = error(CliTestSupport.concat(run, "--resume", "--epochs", "2", "--lr", "0.05", "--batch", "32"));
        assertTrue(e.contains("--lr 0.01 in the checkpoint, 0.05 now") && e.contains("--batch 64 in the checkpoint, 32 now"), e);
        assertTrue(error(CliTestSupport.concat(run, "--resume", "--epochs", "2", "--lr", "0.05", "--resume-change", "batch"))
                .contains("not a setting that can change"));
        var changed = CliTestSupport.run(CliTestSupport.concat(run, "--resume", "--epochs", "2", "--lr", "0.05", "--resume-change", "lr"));
        assertEquals(0, changed.exitCode(), changed.err());
        assertTrue(changed.out().contains("changed: lr 0.01 -> 0.05"), changed.out());
        String latest = Files.readString(ck.resolve("latest")).strip();
        String state = Files.readString(ck.resolve(latest).resolve("state.json"));
        assertTrue(state.contains("\"lr\":0.05") && state.contains("lr 0.01 -> 0.05"), state);
        for (Path p : users) assertEquals("mine", Files.readString(p), p + " survives");
    }

    @Test void saveTargetsAndReportFoldersAreCheckedBeforeTraining() throws Exception {
        String data = CliTestSupport.sampleDir().toString();
        Path precious = tmp.resolve("precious.txt");
        Files.writeString(precious, "keep me");
        Path link = tmp.resolve("link.safetensors");
        Files.createSymbolicLink(link, precious);
        String[] run = {"train", "--model", "FLATTEN FC-10", "--epochs", "1", "--data", data, "--no-progress"};
        for (String target : new String[] {link.toString(), "/dev/null", tmp.toString(), tmp.resolve("no/such/m.safetensors").toString()}) {
            long start = System.nanoTime();
            error(CliTestSupport.concat(run, "--save-model", target));
            assertTrue((System.nanoTime() - start) / 1e9 < 5, "refused before training: " + target);
        }
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("keep me", Files.readString(precious));
        Path report = tmp.resolve("report");
        Files.createDirectories(report);
        Files.writeString(report.resolve("index.html"), "my page");
        assertTrue(error(CliTestSupport.concat(run, "--report", report.toString())).contains("did not write"));
        assertTrue(error(CliTestSupport.concat(run, "--report", precious.toString())).contains("is a file"));
        assertTrue(error("experiment", "inductive-bias", "--quick", "--out", report.toString()).contains("did not write"));
        assertEquals("my page", Files.readString(report.resolve("index.html")));
        try (var files = Files.list(tmp)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains(".tmp-")), "no temporary files left");
        }
    }

    // ---- data sets ----

    @Test void emptyOrMismatchedDataSetsAreErrorsBeforeTraining() throws IOException {
        Path empty = tmp.resolve("empty");
        writeFashion(empty, 0, 28, 3, 28);
        assertTrue(error("train", "--data", empty.toString(), "--no-progress").contains("0 images"));
        Path noTest = tmp.resolve("notest");
        writeFashion(noTest, 3, 28, 0, 28);
        assertTrue(error("train", "--data", noTest.toString(), "--no-progress").contains("0 images"));
        Path mismatched = tmp.resolve("mismatched");
        writeFashion(mismatched, 3, 28, 3, 14);
        assertTrue(error("train", "--data", mismatched.toString(), "--no-progress").contains("one size"));
    }

    /** Four gzip IDX files: train/test images of the given counts and sizes, labels 0. */
    private static void writeFashion(Path dir, int train, int trainSize, int test, int testSize) throws IOException {
        Files.createDirectories(dir);
        writeIdx(dir.resolve("train-images-idx3-ubyte.gz"), new int[] {train, trainSize, trainSize});
        writeIdx(dir.resolve("train-labels-idx1-ubyte.gz"), new int[] {train});
        writeIdx(dir.resolve("t10k-images-idx3-ubyte.gz"), new int[] {test, testSize, testSize});
        writeIdx(dir.resolve("t10k-labels-idx1-ubyte.gz"), new int[] {test});
    }

    private static void writeIdx(Path file, int[] dims) throws IOException {
        long n = 1;
        for (int d : dims) n *= d;
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + (int) n);
        b.put((byte) 0).put((byte) 0).put((byte) 8).put((byte) dims.length);
        for (int d : dims) b.putInt(d);
        try (var out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(b.array());
        }
    }
}
