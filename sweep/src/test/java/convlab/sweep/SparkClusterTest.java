package convlab.sweep;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real standalone Spark cluster on this machine: a master and two workers (one core each), started from the Spark
 * jars as separate processes bound to 127.0.0.1 on free ports, work folders under target/. A 6-trial sweep on the
 * embedded sample runs on it; one worker (with its executor) is killed once the first trial has finished; every
 * trial still finishes, with the numbers of a local run bit for bit. Tagged slow: CI runs it (about a minute here).
 */
@Tag("slow")
class SparkClusterTest {
    static final String GRID = "lr=0.02,0.05,0.1; seed=1..2";
    static String LOG_CONFIG;

    @Test
    @Timeout(value = 1500, unit = TimeUnit.SECONDS)   // a hang guard only: the waits below allow for a heavily loaded machine
    void aSweepSurvivesAWorkerKilledMidSweepWithTheNumbersOfALocalRun() throws Exception {
        Path root = Path.of("target", "spark-it").toAbsolutePath();
        deleteTree(root);
        Path home = Files.createDirectories(root.resolve("spark-home").resolve("jars"));   // the executor launcher wants SPARK_HOME/jars
        String cp = System.getProperty("java.class.path");
        // The master and workers log at INFO (the test reads "Successfully registered with master"); the sweep's own
        // log4j2.properties on this class path would keep them at WARN.
        Path logConfig = root.resolve("log4j2-info.properties");
        Files.writeString(logConfig, "rootLogger.level = info\nrootLogger.appenderRef.stderr.ref = console\nappender.console.type = Console\n"
                + "appender.console.name = console\nappender.console.target = SYSTEM_ERR\nappender.console.layout.type = PatternLayout\n"
                + "appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n%ex\n");
        LOG_CONFIG = logConfig.toString();
        int port = freePort();
        List<Process> started = new ArrayList<>();
        try {
            Process master = start(root, "master", home.getParent(), cp, "org.apache.spark.deploy.master.Master",
                    "--host", "127.0.0.1", "--port", Integer.toString(port), "--webui-port", Integer.toString(freePort()));
            started.add(master);
            waitFor(() -> answers(port), 150, "the master to listen on port " + port, root.resolve("master.log"));
            Process[] workers = new Process[2];
            for (int w = 0; w < 2; w++) {
                Path work = Files.createDirectories(root.resolve("work-" + w));
                workers[w] = start(root, "worker-" + w, home.getParent(), cp, "org.apache.spark.deploy.worker.Worker",
                        "--host", "127.0.0.1", "--cores", "1", "--memory", "1g", "--work-dir", work.toString(),
                        "--webui-port", Integer.toString(freePort()), "spark://127.0.0.1:" + port);
                started.add(workers[w]);
            }
            for (int w = 0; w < 2; w++) {
                Path log = root.resolve("worker-" + w + ".log");
                waitFor(() -> read(log).contains("Successfully registered with master"), 150, "worker " + w + " to register", log);
            }

            Path clusterOut = root.resolve("cluster-sweep");
            Map<String, String> conf = new LinkedHashMap<>();
            conf.put("spark.executor.extraClassPath", cp);   // the workers run the convlab classes from this class path
            conf.put("spark.driver.host", "127.0.0.1");
            conf.put("spark.driver.bindAddress", "127.0.0.1");
            conf.put("spark.executor.memory", "768m");
            Sweep.Plan cluster = plan("spark://127.0.0.1:" + port, conf, clusterOut);
            Sweep.check(cluster);
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            PrintStream print = new PrintStream(log, true, StandardCharsets.UTF_8);
            CompletableFuture<List<TrialResult>> running = CompletableFuture.supplyAsync(() -> Sweep.run(cluster, print));
            // Mid-sweep: the first trial is written, the others are queued or running on both workers.
            waitFor(() -> trialFiles(clusterOut) >= 1 || running.isDone(), 600, "the first trial", root.resolve("worker-1.log"));
            int doneWhenKilled = trialFiles(clusterOut);
            workers[1].descendants().forEach(ProcessHandle::destroyForcibly);   // its executor dies with it
            workers[1].destroyForcibly().waitFor();
            List<TrialResult> onCluster = running.get(600, TimeUnit.SECONDS);
            String printed = log.toString(StandardCharsets.UTF_8);
            System.out.println("SparkClusterTest: worker 1 killed after " + doneWhenKilled + " of 6 trials\n" + printed);
            assertTrue(doneWhenKilled < 6, "the kill came mid-sweep");
            assertEquals(6, onCluster.size(), printed);
            assertEquals(6, trialFiles(clusterOut));

            List<TrialResult> local = Sweep.run(plan("local[2]", Map.of(), root.resolve("local-sweep")), new PrintStream(OutputStreamNull.INSTANCE));
            assertEquals(6, local.size());
            for (int i = 0; i < 6; i++)
                assertTrue(onCluster.get(i).sameNumbers(local.get(i)), "trial " + i + ": cluster " + onCluster.get(i).toJson() + " local " + local.get(i).toJson());
            assertTrue(onCluster.stream().map(TrialResult::executor).distinct().count() >= 1);
        } finally {
            for (Process p : started) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }

    static Sweep.Plan plan(String master, Map<String, String> conf, Path out) {
        Map<String, String> base = new LinkedHashMap<>();
        base.put("model", "mlp");
        base.put("data", Trials.SAMPLE);
        base.put("epochs", "1");
        base.put("batch", "64");
        base.put("optimizer", "sgd");
        base.put("lr", "0.01");
        base.put("momentum", "0.9");
        base.put("weight-decay", "0.0");
        base.put("lr-schedule", "none");
        base.put("unit-scaled", "false");
        base.put("fp8-params", "none");
        base.put("seed", "1");
        base.put("threads", "1");
        base.put("on-nan", "stop");
        Grid g = Grid.parse(GRID);
        return new Sweep.Plan(base, GRID, g, g.indices(0, 1), master, conf, out);
    }

    static Process start(Path root, String name, Path sparkHome, String cp, String main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dlog4j2.configurationFile=" + LOG_CONFIG));
        cmd.addAll(SparkJvm.sparkFlags());
        cmd.addAll(List.of("-cp", cp, main));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(root.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        return pb.start();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static boolean answers(int port) {
        try (Socket s = new Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static String read(Path f) {
        try {
            return Files.isRegularFile(f) ? Files.readString(f, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    static int trialFiles(Path out) {
        Path t = out.resolve("trials");
        if (!Files.isDirectory(t)) return 0;
        try (Stream<Path> s = Files.list(t)) {
            return (int) s.filter(p -> p.getFileName().toString().matches("[0-9a-f]{16}\\.json")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    interface Check { boolean ok() throws Exception; }

    static void waitFor(Check c, int seconds, String what, Path log) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (!c.ok()) {
            if (System.nanoTime() > end) throw new AssertionError("waited " + seconds + " s for " + what + "; log " + log + ":\n" + read(log));
            Thread.sleep(200);
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
        }
    }

    static final class OutputStreamNull extends java.io.OutputStream {
        static final OutputStreamNull INSTANCE = new OutputStreamNull();
        @Override public void write(int b) {}
    }
}
