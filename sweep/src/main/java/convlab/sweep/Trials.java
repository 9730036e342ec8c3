package convlab.sweep;

import convlab.data.FashionMnist;
import convlab.experiment.InductiveBias;
import convlab.train.EpochStats;
import convlab.train.TrainResult;
import convlab.train.TrainRun;
import convlab.train.TrainSettings;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A trial is one training run: the sweep's settings with the grid's values put in, as text by setting name (the names
 * of {@code convlab train}'s options). {@link #run} is what an executor does with one: it builds the
 * {@link TrainSettings} and trains through the library's {@link TrainRun}, so a trial is exactly a {@code train} run.
 */
public final class Trials {
    private Trials() {}

    /** Every setting of a trial, in this order; the value "none" means not set. */
    static final List<String> SETTINGS = TrainSettings.DESCRIBED;

    /** Every setting of a trial of {@code --study inductive-bias} (a data-efficiency training of that experiment). */
    static final List<String> STUDY_SETTINGS = List.of("study", "quick", "seed", "images-per-class", "arch", "rep", "threads");

    /** The embedded sample, by its --data value. */
    public static final String SAMPLE = "sample";

    /** Data sets loaded in this JVM (an executor loads each once, whatever number of trials it runs). */
    private static final Map<String, FashionMnist> DATA = new ConcurrentHashMap<>();

    /** The library's settings of a trial (the warm-up is off: the executor's JIT is warm after its first trial). */
    public static TrainSettings trainSettings(Map<String, String> s) {
        for (String k : SETTINGS) if (!s.containsKey(k)) throw new IllegalArgumentException("trial setting " + k + " is missing");
        String data = s.get("data");
        return TrainSettings.builder().model(s.get("model")).data(data.equals(SAMPLE) ? null : Path.of(data)).sampleData(data.equals(SAMPLE))
                .epochs(Integer.parseInt(s.get("epochs"))).batch(Integer.parseInt(s.get("batch"))).optimizer(s.get("optimizer"))
                .lr(Double.parseDouble(s.get("lr"))).momentum(Double.parseDouble(s.get("momentum")))
                .weightDecay(Double.parseDouble(s.get("weight-decay"))).lrSchedule(none(s.get("lr-schedule")))
                .unitScaled(Boolean.parseBoolean(s.get("unit-scaled"))).fp8Params(none(s.get("fp8-params")))
                .seed(Long.parseLong(s.get("seed"))).threads(Integer.parseInt(s.get("threads")))
                .skipNonFinite(s.get("on-nan").equals("skip")).jitWarmup(false).build();
    }

    /** A trial's settings as text: {@link TrainSettings#describe()}, each value as a string ({@link #trainSettings} reads it back). */
    public static Map<String, String> text(TrainSettings ts) {
        Map<String, String> m = new LinkedHashMap<>();
        ts.describe().forEach((k, v) -> m.put(k, String.valueOf(v)));
        return m;
    }

    private static String none(String v) { return v.equals("none") ? null : v; }

    /** A trial's id: the first 16 hex digits of the SHA-256 of its settings (sorted "key=value" lines). */
    public static String id(Map<String, String> settings) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(settings).forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The settings of trial index of the grid over base. */
    public static Map<String, String> settings(Map<String, String> base, Grid grid, long index) {
        Map<String, String> s = new LinkedHashMap<>(base);
        s.putAll(grid.trial(index));
        return s;
    }

    /** A trial to run: its index in the grid and its settings. */
    public record Trial(long index, Map<String, String> settings) implements java.io.Serializable {
        public Trial {
            settings = new LinkedHashMap<>(settings);
        }

        public String id() { return Trials.id(settings); }
    }

    /** Runs one trial in this JVM (on an executor): the library's training run, the data loaded once per JVM. */
    public static TrialResult run(Trial t) {
        if (t.settings().containsKey("study")) return runStudy(t);
        TrainSettings ts = trainSettings(t.settings());
        String data = t.settings().get("data");
        long start = System.nanoTime();
        TrainResult r;
        try (TrainRun run = TrainRun.open(ts)) {
            r = run.useData(() -> data(data)).start(convlab.train.TrainingListener.NONE).fit();
        }
        List<EpochStats> h = r.history();
        double[] acc = h.stream().mapToDouble(EpochStats::testAccuracy).toArray(), loss = h.stream().mapToDouble(EpochStats::testLoss).toArray(),
                trainLoss = h.stream().mapToDouble(EpochStats::trainLoss).toArray(), trainAcc = h.stream().mapToDouble(EpochStats::trainAccuracy).toArray();
        return new TrialResult(t.id(), t.index(), t.settings(), r.parameters(), acc, loss, trainLoss, trainAcc,
                (System.nanoTime() - start) / 1e9, where());
    }

    /**
     * One training of the inductive-bias study's data-efficiency part, through the experiment's own code
     * ({@link InductiveBias#dataEfficiencyTrial}): the validation accuracy and loss at each evaluation.
     */
    static TrialResult runStudy(Trial t) {
        Map<String, String> s = t.settings();
        boolean quick = Boolean.parseBoolean(s.get("quick"));
        convlab.kernels.Parallel.setThreads(Integer.parseInt(s.get("threads")));
        long start = System.nanoTime();
        double[] both = InductiveBias.dataEfficiencyTrial(quick, Long.parseLong(s.get("seed")), studyPoint(quick, Integer.parseInt(s.get("images-per-class"))),
                Integer.parseInt(s.get("rep")), s.get("arch"));
        double[] acc = java.util.Arrays.copyOf(both, both.length / 2), loss = java.util.Arrays.copyOfRange(both, both.length / 2, both.length);
        return new TrialResult(t.id(), t.index(), s, 0, acc, loss, loss, acc, (System.nanoTime() - start) / 1e9, where());
    }

    /** The index of n among the study's training-set sizes; throws naming them when n is not one. */
    static int studyPoint(boolean quick, int n) {
        int[] sizes = InductiveBias.dataEfficiencySizes(quick);
        for (int i = 0; i < sizes.length; i++) if (sizes[i] == n) return i;
        throw new IllegalArgumentException("images-per-class " + n + " is not one of the study's sizes" + (quick ? " (--quick)" : "") + ": "
                + java.util.Arrays.toString(sizes));
    }

    /** Refuses a study trial whose settings the study does not have (before any trial starts). */
    static void checkStudy(Map<String, String> s) {
        if (!"inductive-bias".equals(s.get("study"))) throw new IllegalArgumentException("--study must be inductive-bias, got " + convlab.io.UserMessages.quote(s.get("study")));
        boolean quick = Boolean.parseBoolean(s.get("quick"));
        studyPoint(quick, Integer.parseInt(s.get("images-per-class")));
        int rep = Integer.parseInt(s.get("rep")), reps = InductiveBias.dataEfficiencyRepeats(quick);
        if (rep < 0 || rep >= reps) throw new IllegalArgumentException("rep " + rep + " is not in 0.." + (reps - 1) + " (the study's repetitions" + (quick ? " with --quick" : "") + ")");
        if (!InductiveBias.DATA_EFFICIENCY_MODELS.contains(s.get("arch")))
            throw new IllegalArgumentException("arch " + convlab.io.UserMessages.quote(s.get("arch")) + " is not one of " + String.join(", ", InductiveBias.DATA_EFFICIENCY_MODELS));
    }

    private static FashionMnist data(String which) throws IOException {
        FashionMnist d = DATA.get(which);
        if (d != null) return d;
        synchronized (DATA) {
            d = DATA.get(which);
            if (d == null) {
                d = which.equals(SAMPLE) ? FashionMnist.loadSample() : FashionMnist.loadDirectory(Path.of(which), which);
                DATA.put(which, d);
            }
            return d;
        }
    }

    /** host:pid of this JVM. */
    static String where() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        return host + ":" + ManagementFactory.getRuntimeMXBean().getPid();
    }
}
