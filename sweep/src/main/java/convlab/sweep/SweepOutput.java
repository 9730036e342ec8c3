package convlab.sweep;

import com.google.gson.JsonObject;
import convlab.io.AtomicFiles;
import convlab.io.OutputFolders;
import convlab.io.StrictJson;
import convlab.report.Charts;
import convlab.report.Report;
import org.knowm.xchart.XYChart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A sweep's output folder (the rules of {@link OutputFolders}: new, empty or an earlier convlab output, nothing of the
 * user's overwritten): {@code sweep.json} (the sweep's settings), {@code trials/ID.json} (one per finished trial,
 * written atomically the moment it finishes: what a resumed sweep skips), and from them {@code trials.csv},
 * {@code trials.json} (strict JSON), {@code results.json} and the report {@code index.html} with its charts.
 */
public final class SweepOutput {
    static final String OPTION = "--out";
    private static final Pattern TRIAL_FILE = Pattern.compile("[0-9a-f]{16}\\.json");

    private final Path dir;

    public SweepOutput(Path dir) { this.dir = dir; }

    public Path dir() { return dir; }

    /** Throws (one line) unless the folder can be created or is ours; nothing is written. */
    public void check() { OutputFolders.check(dir, OPTION); }

    /** Creates the folder (with its marker) and trials/, and writes sweep.json. */
    public void claim(Map<String, Object> description) {
        OutputFolders.claim(dir, OPTION);
        try {
            Path trials = dir.resolve("trials");
            if (Files.exists(trials, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(trials, LinkOption.NOFOLLOW_LINKS))
                throw new IllegalArgumentException(OPTION + " " + dir + ": trials is not a folder; convlab did not write it and leaves it alone");
            Files.createDirectories(trials);
            AtomicFiles.write(dir.resolve("sweep.json"), StrictJson.write(description).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException(OPTION + " " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The finished trials on disk, by id (a file that does not read as one is left alone and its trial run again). */
    public Map<String, TrialResult> finished() {
        Map<String, TrialResult> out = new HashMap<>();
        Path trials = dir.resolve("trials");
        if (!Files.isDirectory(trials, LinkOption.NOFOLLOW_LINKS)) return out;
        try (Stream<Path> files = Files.list(trials)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (!TRIAL_FILE.matcher(name).matches() || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) || Files.size(f) > 10_000_000) continue;
                try {
                    TrialResult r = TrialResult.fromJson(StrictJson.parse(Files.readString(f)).getAsJsonObject());
                    if (name.equals(r.id() + ".json") && r.id().equals(Trials.id(r.settings()))) out.put(r.id(), r);
                } catch (IOException | RuntimeException e) {
                    // not a finished trial: the sweep runs it again and replaces the file
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Writes one finished trial atomically: after a crash it is either there whole or not at all. */
    public synchronized void write(TrialResult r) {
        try {
            AtomicFiles.write(dir.resolve("trials").resolve(r.id() + ".json"), StrictJson.write(r.toJson()).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write trial " + r.id() + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the table (trials.csv, trials.json) and the report (index.html: final test accuracy against each swept
     * setting, the best trials' curves; results.json) of these trials, in grid order.
     */
    public void writeTable(List<TrialResult> results, List<String> swept, Map<String, Object> description) {
        List<TrialResult> rs = new ArrayList<>(results);
        rs.sort(Comparator.comparingLong(TrialResult::index));
        try {
            List<Map<String, Object>> json = rs.stream().map(TrialResult::toJson).toList();
            AtomicFiles.write(dir.resolve("trials.json"), StrictJson.write(json).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Report report = new Report(dir, "Sweep: " + rs.size() + " trials over " + String.join(", ", swept),
                rs.isEmpty() || !rs.getFirst().settings().containsKey("study")
                        ? "Every trial is one convlab train run on " + (rs.isEmpty() ? "?" : rs.getFirst().settings().get("data"))
                        + " with the settings below, the grid's values put in. Accuracy is on the test set after the last epoch."
                        : "Every trial is one training of the data-efficiency part of experiment " + rs.getFirst().settings().get("study")
                        + ", run by the experiment's own code; accuracy is its validation accuracy after the last step (as in its sweep.csv), "
                        + "'epochs' below are its evaluation points.");
        description.forEach(report::setting);
        List<String> header = new ArrayList<>(List.of("index", "id"));
        List<String> keys = rs.isEmpty() ? Trials.SETTINGS : List.copyOf(rs.getFirst().settings().keySet());
        header.addAll(keys);
        header.addAll(List.of("parameters", "final_test_acc", "best_test_acc", "final_test_loss", "final_train_loss", "seconds", "executor"));
        List<List<?>> rows = new ArrayList<>();
        for (TrialResult r : rs) {
            List<Object> row = new ArrayList<>(List.of(r.index(), r.id()));
            for (String k : keys) row.add(r.settings().get(k));
            row.addAll(List.of(r.parameters(), r.finalTestAccuracy(), r.bestTestAccuracy(), r.finalTestLoss(), r.finalTrainLoss(), r.seconds(), r.executor()));
            rows.add(row);
        }
        report.table("trials", header, rows, "every trial: its settings, final and best test accuracy, losses, seconds and where it ran "
                + "(trials.json has the same with every epoch's numbers)");
        if (!rs.isEmpty()) {
            for (String key : swept) accuracyAgainst(report, rs, key);
            bestCurves(report, rs);
            TrialResult best = rs.stream().max(Comparator.comparingDouble(TrialResult::finalTestAccuracy)).orElseThrow();
            report.results().put("trials", rs.size()).put("best_final_test_acc", best.finalTestAccuracy()).put("best_trial", best.id())
                    .put("best_trial_settings", swept.stream().map(k -> k + "=" + best.settings().get(k)).reduce((a, b) -> a + "; " + b).orElse(""));
        }
        report.write();
    }

    /** Final test accuracy against one swept setting: the mean per value, every trial as a point. */
    private static void accuracyAgainst(Report report, List<TrialResult> rs, String key) {
        boolean numeric = rs.stream().allMatch(r -> isNumber(r.settings().get(key)));
        Map<String, List<Double>> byValue = numeric ? new TreeMap<>(Comparator.comparingDouble(Double::parseDouble)) : new LinkedHashMap<>();
        for (TrialResult r : rs) byValue.computeIfAbsent(r.settings().get(key), v -> new ArrayList<>()).add(r.finalTestAccuracy());
        List<String> values = new ArrayList<>(byValue.keySet());
        double[] x = new double[values.size()];
        double[][] runs = new double[values.size()][];
        for (int i = 0; i < x.length; i++) {
            x[i] = numeric ? Double.parseDouble(values.get(i)) : i + 1;
            runs[i] = byValue.get(values.get(i)).stream().mapToDouble(Double::doubleValue).toArray();
        }
        boolean log = numeric && x.length > 1 && x[0] > 0 && x[x.length - 1] / x[0] >= 20;
        String title = "Final test accuracy against " + key;
        XYChart c = log ? Charts.logX(title, key, "test accuracy") : Charts.line(title, numeric ? key : key + " (see caption)", "test accuracy");
        Charts.meanWithRuns(c, "mean over the trials", x, runs, Charts.PALETTE[0]);
        StringBuilder caption = new StringBuilder("Each point is a trial; the line joins the means per value of " + key + ".");
        if (!numeric) {
            caption.append(" Values: ");
            for (int i = 0; i < values.size(); i++) caption.append(i == 0 ? "" : ", ").append(i + 1).append(" = ").append(values.get(i));
            caption.append('.');
        }
        report.figure("accuracy-vs-" + key.replaceAll("[^a-z0-9-]", "-"), c, caption.toString());
    }

    /** The test accuracy per epoch of the five best trials. */
    private static void bestCurves(Report report, List<TrialResult> rs) {
        List<TrialResult> best = rs.stream().sorted(Comparator.comparingDouble(TrialResult::finalTestAccuracy).reversed()).limit(5).toList();
        XYChart c = Charts.line("Test accuracy per epoch, the best trials", "epoch", "test accuracy");
        for (TrialResult r : best) {
            double[] epochs = new double[r.testAccuracy().length];
            for (int e = 0; e < epochs.length; e++) epochs[e] = e + 1;
            Charts.series(c, r.id() + String.format(Locale.ROOT, " (%.4f)", r.finalTestAccuracy()), epochs, r.testAccuracy());
        }
        report.figure("best-trials", c, "The " + best.size() + " trials with the highest final test accuracy, by id (trials.csv has their settings).");
    }

    private static boolean isNumber(String s) {
        try {
            return Double.isFinite(Double.parseDouble(s));
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
