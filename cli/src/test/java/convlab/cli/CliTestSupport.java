package convlab.cli;

import convlab.data.FashionMnist;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the CLI in-process and captures what it prints. */
final class CliTestSupport {
    private CliTestSupport() {}

    record Result(int exitCode, String out, String err) {}

    static synchronized Result run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static Path sample;

    /** The embedded Fashion-MNIST sample written out once as a directory, so --data is exercised too. */
    static synchronized Path sampleDir() {
        if (sample != null) return sample;
        try {
            Path dir = Files.createTempDirectory("fashion-sample");
            for (String f : new String[] {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                    "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"})
                try (var in = FashionMnist.class.getResourceAsStream("/convlab/data/fashion-mnist-sample/" + f)) {
                    Files.copy(in, dir.resolve(f));
                }
            return sample = dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * Simulates a run interrupted right after the checkpoint of the given step: deletes every later
     * checkpoint folder and points "latest" at that one.
     */
    static void rewindCheckpoints(Path ckpt, long step) throws IOException {
        try (var folders = Files.list(ckpt)) {
            for (Path f : folders.toList()) {
                String n = f.getFileName().toString();
                if (n.startsWith("step-") && Long.parseLong(n.substring(5)) > step) deleteTree(f);
            }
        }
        Files.writeString(ckpt.resolve("latest"), String.format("step-%012d", step) + "\n");
    }

    private static void deleteTree(Path p) throws IOException {
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }
}
