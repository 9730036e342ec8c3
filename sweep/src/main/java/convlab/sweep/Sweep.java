package convlab.sweep;

import convlab.io.UserMessages;
import convlab.optim.LrSchedule;
import convlab.optim.Optimizers;
import convlab.optim.fp8.Fp8Storage;
import convlab.spec.NamedModels;
import convlab.tensor.Rng;
import convlab.train.TrainRun;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sweep: the trials of a grid over base settings, run on Spark (in this process with {@code local[N]}, or on a
 * standalone cluster with {@code spark://host:port}), each trial one Spark job of one task so its result is written
 * the moment it finishes. Everything that can be wrong is checked by {@link #check} before Spark starts.
 *
 * <p>Threads: a trial's kernels use {@code threads} threads and Spark gives each task {@code spark.task.cpus = threads}
 * cores, so an executor with C cores runs C / threads trials at once and never more threads than cores.
 */
public final class Sweep {
    static final Pattern LOCAL = Pattern.compile("local(\\[(\\*|[1-9][0-9]{0,3})(,([1-9][0-9]{0,2}))?\\])?");
    static final Pattern CLUSTER = Pattern.compile("spark://([^/?#]+)");
    /** How long the master gets to answer a TCP connect. */
    static final int CONNECT_MILLIS = 3_000;

    /** What to run. */
    public record Plan(Map<String, String> base, String gridText, Grid grid, List<Long> indices, String master,
                       Map<String, String> sparkConf, Path out) {
        /** The trials, in grid order. */
        public List<Trials.Trial> trials() {
            List<Trials.Trial> t = new ArrayList<>(indices.size());
            for (long i : indices) t.add(new Trials.Trial(i, Trials.settings(base, grid, i)));
            return t;
        }

        int threads() { return Integer.parseInt(base.get("threads")); }

        Map<String, Object> description() {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("grid", gridText);
            d.put("trials", indices.size());
            d.put("grid_trials", grid.size());
            base.forEach((k, v) -> d.put(k, grid.values().containsKey(k) ? "(swept)" : v));
            d.put("master", master);
            return d;
        }
    }

    private Sweep() {}

    /**
     * Refuses, before anything starts, whatever would fail later: every distinct model (spec, shape, memory), optimizer,
     * schedule and fp8 format of the trials, the thread count against local cores, the master (a TCP connect), the output folder.
     */
    public static void check(Plan p) {
        Set<String> seen = new LinkedHashSet<>();
        for (Trials.Trial t : p.trials()) {
            Map<String, String> s = t.settings();
            if (s.containsKey("study")) {
                Trials.checkStudy(s);
                continue;
            }
            var ts = Trials.trainSettings(s);
            ts.validate(k -> "--" + k);
            if (seen.add("model " + s.get("model") + " batch " + s.get("batch"))) {
                NamedModels.analyze(s.get("model"), 1, 28, 28, 10);
                TrainRun.requireTrainable(s.get("model"), 1, 28, 28, ts.batch(), TrainRun.EVAL_BATCH);
            }
            if (seen.add("optimizer " + s.get("optimizer") + " " + s.get("unit-scaled") + " " + s.get("fp8-params"))) {
                var opt = Optimizers.create(ts.optimizer(), NamedModels.build("FLATTEN FC-10", 1, 28, 28, 10, new Rng(0)), ts.lr(),
                        ts.momentum(), ts.weightDecay(), ts.unitScaled());
                if (ts.fp8Params() != null) Fp8Storage.fromSpec(ts.fp8Params(), opt, 0);
            }
            if (ts.lrSchedule() != null && seen.add("schedule " + ts.lrSchedule())) LrSchedule.parse(ts.lrSchedule());
        }
        checkMaster(p.master(), p.threads());
        new SweepOutput(p.out()).check();
    }

    /** local[N] has at least threads cores; spark://host:port (or host1:port1,host2:port2) answers a TCP connect. */
    static void checkMaster(String master, int threads) {
        Matcher local = LOCAL.matcher(master);
        if (local.matches()) {
            int cores = local.group(2) == null ? 1 : local.group(2).equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(local.group(2));
            if (threads > cores)
                throw new IllegalArgumentException("--threads " + threads + " is more than the " + cores + " core" + (cores == 1 ? "" : "s")
                        + " of --master " + master + ": a trial could never start");
            return;
        }
        Matcher cluster = CLUSTER.matcher(master);
        if (!cluster.matches())
            throw new IllegalArgumentException("--master " + UserMessages.quote(master) + " is neither local[N] nor spark://host:port");
        List<String> tried = new ArrayList<>();
        for (String hp : cluster.group(1).split(",")) {
            int colon = hp.lastIndexOf(':');
            String host = colon < 0 ? hp : hp.substring(0, colon);
            int port;
            try {
                port = colon < 0 ? 7077 : Integer.parseInt(hp.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--master " + UserMessages.quote(master) + ": " + UserMessages.quote(hp) + " has no port number");
            }
            if (host.isEmpty() || port < 1 || port > 65535)
                throw new IllegalArgumentException("--master " + UserMessages.quote(master) + ": " + UserMessages.quote(hp) + " is not host:port");
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), CONNECT_MILLIS);
                return;   // one master of the list answers
            } catch (Exception e) {
                tried.add(hp + " (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
            }
        }
        throw new IllegalArgumentException("--master " + UserMessages.quote(master) + " does not answer: " + String.join(", ", tried)
                + "; is the Spark master running (docs/SWEEPS.md)?");
    }

    /**
     * Runs the trials not finished in the output folder yet, writes each as it finishes, then the table and report.
     * Returns every trial's result (finished before and now), in grid order. A failed trial (Spark gave up on it)
     * is reported at the end; rerunning the same sweep runs only what is missing.
     */
    public static List<TrialResult> run(Plan p, PrintStream log) {
        SweepOutput out = new SweepOutput(p.out());
        out.claim(p.description());
        Map<String, TrialResult> done = new java.util.concurrent.ConcurrentHashMap<>(out.finished());
        List<Trials.Trial> all = p.trials(), pending = new ArrayList<>();
        for (Trials.Trial t : all) if (!done.containsKey(t.id())) pending.add(t);
        log.println("convlab sweep: " + all.size() + " trials" + (all.size() == pending.size() ? "" : ", " + (all.size() - pending.size())
                + " finished before (skipped)") + "; master " + p.master() + ", " + p.threads() + " thread" + (p.threads() == 1 ? "" : "s")
                + " per trial; output " + p.out());
        List<String> failures = new ArrayList<>();
        long t0 = System.nanoTime();
        if (!pending.isEmpty()) {
            try (JavaSparkContext sc = new JavaSparkContext(conf(p))) {
                sc.setLogLevel("WARN");
                AtomicInteger finished = new AtomicInteger(all.size() - pending.size());
                ExecutorService driver = Executors.newFixedThreadPool(Math.min(pending.size(), 256), r -> {
                    Thread th = new Thread(r, "convlab-sweep-job");
                    th.setDaemon(true);
                    return th;
                });
                List<Future<?>> jobs = new ArrayList<>();
                for (Trials.Trial t : pending) {
                    jobs.add(driver.submit(() -> {
                        try {
                            sc.setJobDescription("trial " + t.index() + " " + t.id());
                            TrialResult r = sc.parallelize(List.of(t), 1).map(Trials::run).collect().getFirst();
                            out.write(r);
                            done.put(r.id(), r);
                            log.println(String.format(Locale.ROOT, "trial %d/%d %s %s: test accuracy %.4f (best %.4f), %.1f s on %s",
                                    finished.incrementAndGet(), all.size(), r.id(), swept(p, r.settings()), r.finalTestAccuracy(),
                                    r.bestTestAccuracy(), r.seconds(), r.executor()));
                        } catch (RuntimeException e) {
                            String why = firstLine(e);
                            synchronized (failures) { failures.add("trial " + t.index() + " " + t.id() + ": " + why); }
                            log.println("trial " + t.index() + " " + t.id() + " " + swept(p, t.settings()) + " failed: " + why);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : jobs) {
                    try {
                        f.get();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted; rerun the same command to resume", e);
                    } catch (java.util.concurrent.ExecutionException e) {
                        throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
                    }
                }
                driver.shutdown();
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<TrialResult> results = new ArrayList<>();
        for (Trials.Trial t : all) if (done.containsKey(t.id())) results.add(done.get(t.id()));
        out.writeTable(results, p.grid().keys(), p.description());
        if (!pending.isEmpty())
            log.println(String.format(Locale.ROOT, "%d trials in %.1f s (%.2f trials per minute); table %s, report %s",
                    pending.size() - failures.size(), seconds, (pending.size() - failures.size()) / seconds * 60,
                    p.out().resolve("trials.csv"), p.out().resolve("index.html")));
        if (!failures.isEmpty())
            throw new IllegalStateException(failures.size() + " of " + all.size() + " trials failed (" + failures.getFirst()
                    + "); the others are written, rerun the same command to retry the failed ones");
        return results;
    }

    static SparkConf conf(Plan p) {
        SparkConf c = new SparkConf().setAppName("convlab sweep").setMaster(p.master())
                .set("spark.task.cpus", Integer.toString(p.threads()))
                .set("spark.task.maxFailures", "4")
                .set("spark.ui.enabled", "false")
                .set("spark.executor.extraJavaOptions", SparkJvm.executorOptions());
        if (LOCAL.matcher(p.master()).matches()) {
            c.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        } else {
            List<String> jars = convlabJars();
            if (!jars.isEmpty()) c.setJars(jars.toArray(String[]::new));
        }
        p.sparkConf().forEach(c::set);
        return c;
    }

    /** The jars an executor needs beside Spark's: the sweep's, core's and Gson's (directories, as in tests, are not shipped). */
    static List<String> convlabJars() {
        List<String> out = new ArrayList<>();
        for (Class<?> c : List.of(Sweep.class, TrainRun.class, com.google.gson.Gson.class)) {
            CodeSource src = c.getProtectionDomain().getCodeSource();
            if (src == null) continue;
            try {
                Path path = Path.of(src.getLocation().toURI());
                if (path.toString().endsWith(".jar") && !out.contains(path.toString())) out.add(path.toString());
            } catch (Exception e) {
                // not a file location: nothing to ship
            }
        }
        return out;
    }

    private static String swept(Plan p, Map<String, String> settings) {
        StringBuilder sb = new StringBuilder();
        for (String k : p.grid().keys()) sb.append(sb.isEmpty() ? "" : " ").append(k).append('=').append(settings.get(k));
        return sb.toString();
    }

    /** The first line of the innermost message (Spark wraps a task's exception with its stack trace). */
    static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        Matcher cause = Pattern.compile("(?:java\\.lang\\.|convlab\\.[a-zA-Z.]+)[A-Za-z]*(?:Exception|Error): ([^\\n]*)").matcher(m);
        String line = cause.find() ? cause.group(1) : m.lines().findFirst().orElse(m);
        return UserMessages.oneLine(line);
    }
}
