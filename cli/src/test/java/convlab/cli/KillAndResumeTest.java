package convlab.cli;

import convlab.io.CheckpointStore;
import convlab.tensor.Rng;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 9's promise end to end: a real {@code convlab train} process is killed with SIGKILL at random
 * moments (checkpoints are written every few steps, so kills land during writes too), restarted with
 * {@code --resume} each time, and the model it finally saves is byte for byte the model of a run that
 * was never interrupted.
 */
class KillAndResumeTest {
    private static final String[] RUN = {"train", "--model", "CONV3-4 POOL2 FLATTEN DROPOUT0.3 FC-10", "--epochs", "2",
            "--batch", "16", "--threads", "1", "--seed", "11", "--optimizer", "adam", "--lr", "0.002", "--no-progress"};

    @Test void killedAndResumedRunsEndBitwiseIdenticalToAnUninterruptedOne() throws Exception {
        String data = CliTestSupport.sampleDir().toString();
        Path tmp = Files.createTempDirectory("kill-resume");
        Path reference = tmp.resolve("reference.safetensors"), resumed = tmp.resolve("resumed.safetensors");
        var straight = CliTestSupport.run(CliTestSupport.concat(RUN, "--data", data, "--save-model", reference.toString()));
        assertEquals(0, straight.exitCode(), straight.err());

        Path ckpt = tmp.resolve("ckpt");
        Rng rng = new Rng(2026);
        int kills = 0, resumes = 0;
        for (int round = 0; round < 5; round++) {
            boolean resume = Files.exists(ckpt.resolve("latest"));
            List<String> args = new ArrayList<>(List.of(CliTestSupport.concat(RUN, "--data", data, "--checkpoint-dir", ckpt.toString(),
                    "--checkpoint-every", "4", "--keep", "2", "--save-model", resumed.toString())));
            if (resume) { args.add("--resume"); resumes++; }
            String before = latest(ckpt);
            Process p = child(args, tmp.resolve("child-" + round + ".log"));
            // Let it write at least one new checkpoint, then kill it at a random moment of the next few.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (p.isAlive() && latest(ckpt).equals(before) && System.nanoTime() < deadline) Thread.sleep(5);
            if (p.waitFor(rng.nextInt(300), TimeUnit.MILLISECONDS)) break;   // it reached the end before its kill
            p.destroyForcibly();            // SIGKILL: no shutdown hooks, no flushing
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            kills++;
            if (Files.exists(ckpt))         // whatever moment the kill hit, the newest checkpoint loads
                new CheckpointStore(ckpt, 2).loadLatest().ifPresent(c -> assertTrue(c.step() > 0));
        }
        // Finish in this process (resuming if any checkpoint was left) and compare with the reference.
        List<String> last = new ArrayList<>(List.of(CliTestSupport.concat(RUN, "--data", data, "--checkpoint-dir", ckpt.toString(),
                "--checkpoint-every", "4", "--keep", "2", "--save-model", resumed.toString())));
        if (Files.exists(ckpt.resolve("latest"))) last.add("--resume");
        var finish = CliTestSupport.run(last.toArray(String[]::new));
        boolean alreadyDone = finish.exitCode() == 2 && finish.err().contains("already finished");
        assertTrue(finish.exitCode() == 0 || alreadyDone, finish.err());
        System.out.println("KillAndResumeTest: " + kills + " kills, " + resumes + " resumes");
        assertTrue(kills >= 1, "no run was killed, so the test proved nothing");
        assertArrayEquals(Files.readAllBytes(reference), Files.readAllBytes(resumed),
                "the killed-and-resumed model differs from the uninterrupted one");
    }

    /** The name the checkpoint folder's latest pointer holds, or "" when there is none yet. */
    private static String latest(Path ckpt) {
        try {
            return Files.readString(ckpt.resolve("latest"));
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /** A child JVM running the CLI with this test's class path. */
    private static Process child(List<String> args, Path log) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

}
