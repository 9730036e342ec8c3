package convlab.cli;

import convlab.experiment.Experiment;
import convlab.experiment.ExperimentProgress;
import convlab.experiment.Experiments;
import convlab.kernels.Parallel;
import convlab.report.Results;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Locale;

/** {@code convlab experiment list | NAME}: runs one of the course's experiments and writes its report folder. */
@Command(name = "experiment", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run one of the course's experiments: it writes figures (PNG), raw numbers (CSV files and results.json) "
                        + "and an index.html report in the output folder. 'convlab experiment list' names them.",
                "The same --seed and --threads give the same numbers."})
public final class ExperimentCommand implements Runnable {
    @Parameters(index = "0", paramLabel = "NAME", description = "An experiment name, or 'list'.")
    String name;

    @Option(names = "--quick", description = "The small version (seconds instead of minutes), as the test suite runs it.")
    boolean quick;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", description = "Output folder (default: reports/NAME).")
    Path out;

    @Option(names = "--threads", description = "Threads for the kernels (default: min(2, processors) = ${DEFAULT-VALUE}).")
    int threads = Parallel.threads();

    @Option(names = "--kernel", paramLabel = "MATRIX", description = "hand-filters only: your own kernel (square, odd side), "
            + "applied to the images after the built-in ones, e.g. \"[[0,-1,0],[-1,5,-1],[0,-1,0]]\" or @file.")
    String kernel;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @Override
    public void run() {
        if (name.equals("list")) {
            for (Experiment e : Experiments.all()) System.out.printf(Locale.ROOT, "%-22s %s%n", e.name(), e.description());
            return;
        }
        Experiment e = Experiments.byName(name);
        if (kernel != null) {
            if (!e.name().equals("hand-filters"))
                throw new IllegalArgumentException("--kernel applies only to the hand-filters experiment, not " + e.name());
            e = new convlab.experiment.HandFilters(kernel);
        }
        if (threads < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        Parallel.setThreads(threads);
        Path dir = out != null ? out : Path.of("reports", e.name());
        convlab.io.OutputFolders.check(dir, out != null ? "--out" : "the output folder");   // before any work: never lose a run to a bad folder
        System.out.println("convlab experiment " + e.name() + (quick ? " (quick)" : "") + ", seed " + seed + ", " + threads
                + " thread" + (threads == 1 ? "" : "s") + " -> " + dir);
        long start = System.nanoTime();
        Results r;
        try (Bars bars = new Bars(!noProgress && System.console() != null)) {
            r = e.run(dir, quick, seed, bars);
        }
        System.out.printf(Locale.ROOT, "done in %.1f s; open %s%n", (System.nanoTime() - start) / 1e9, dir.resolve("index.html"));
        r.asMap().forEach((k, v) -> {
            if (v instanceof Double d) System.out.printf(Locale.ROOT, "  %-36s %.6g%n", k, d);
        });
    }

    /** One progress bar per phase on a terminal; otherwise one line per phase. */
    private static final class Bars implements ExperimentProgress, AutoCloseable {
        private final boolean bar;
        private ProgressBar current;

        Bars(boolean bar) { this.bar = bar; }

        @Override public void phase(String name, int units) {
            close();
            if (!bar) { System.out.println("  " + name + " (" + units + " steps)"); return; }
            current = new ProgressBarBuilder().setTaskName(name).setInitialMax(units).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250).setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
        }

        @Override public void step(String note) {
            if (current == null) return;
            current.step();
            current.setExtraMessage(note.isEmpty() ? "" : " " + note);
        }

        @Override public void close() {
            if (current != null) { current.close(); current = null; }
        }
    }
}
