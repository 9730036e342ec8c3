package convlab.sweep;

import convlab.data.FashionMnist;
import convlab.train.TrainSettings;
import convlab.io.UserMessages;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code convlab sweep}: many {@code convlab train} runs over a grid of settings, on Apache Spark. The CLI's
 * {@code sweep} command hands its arguments to {@link #run} (the launcher puts this module on the class path).
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Hyperparameter and architecture sweeps on Apache Spark: each trial is one train run (same options,",
                "same determinism), local (default: Spark inside this process) or on a standalone cluster (--master spark://host:7077).",
                "Results go to --out per trial as they finish (a rerun resumes, skipping finished trials), then a table",
                "(trials.csv, trials.json) and a report (index.html) that ./convlab serve shows. See docs/SWEEPS.md."})
public final class SweepCli implements Callable<Integer> {
    @Option(names = "--grid", required = true, paramLabel = "GRID",
            description = "What to vary: \"lr=0.01,0.05,0.1; optimizer=sgd,adam; seed=1..5\" (keys: model, optimizer, lr, momentum, "
                    + "weight-decay, lr-schedule, batch, epochs, seed, unit-scaled, fp8-params; a..b = every integer from a to b).")
    String grid;

    @Option(names = "--model", defaultValue = "mlp", description = "A named model or an architecture spec (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--data", paramLabel = "DIR|sample",
            description = "Fashion-MNIST folder (it must exist at the same path on every worker), or 'sample' for the embedded "
                    + "sample (default: the Debian package when installed, else the sample).")
    String data;

    @Option(names = "--epochs", defaultValue = "3", description = "Passes over the training set (default: ${DEFAULT-VALUE}).") int epochs;
    @Option(names = "--batch", defaultValue = "64", description = "Mini-batch size (default: ${DEFAULT-VALUE}).") int batch;
    @Option(names = "--optimizer", defaultValue = "sgd", description = "Optimizer (default: ${DEFAULT-VALUE}).") String optimizer;
    @Option(names = "--lr", defaultValue = "0.01", description = "Learning rate (default: ${DEFAULT-VALUE}).") double lr;
    @Option(names = "--momentum", defaultValue = "0.9", description = "Momentum (default: ${DEFAULT-VALUE}).") double momentum;
    @Option(names = "--weight-decay", defaultValue = "0", description = "L2 weight decay (default: ${DEFAULT-VALUE}).") double weightDecay;
    @Option(names = "--lr-schedule", paramLabel = "SPEC", description = "Learning-rate schedule, as for train.") String lrSchedule;
    @Option(names = "--unit-scaled", description = "Unit-scaled parametrization, as for train.") boolean unitScaled;
    @Option(names = "--fp8-params", paramLabel = "FORMAT", description = "fp8 parameter storage, as for train.") String fp8Params;
    @Option(names = "--seed", defaultValue = "1", description = "Seed of every trial unless the grid varies it (default: ${DEFAULT-VALUE}).") long seed;
    @Option(names = "--threads", defaultValue = "1",
            description = "Kernel threads per trial; Spark gives each trial as many cores (spark.task.cpus), so trials x threads "
                    + "never exceed an executor's cores (default: ${DEFAULT-VALUE}).") int threads;
    @Option(names = "--on-nan", defaultValue = "stop", description = "stop or skip, as for train (default: ${DEFAULT-VALUE}).") String onNan;

    @Option(names = "--study", paramLabel = "NAME",
            description = "Sweep a study's own trainings instead of train runs: inductive-bias (its data-efficiency part; grid keys "
                    + "images-per-class, arch = cnn, mlp, frozen-random, frozen-edges, rep; --seed and --quick as for experiment).")
    String study;
    @Option(names = "--quick", description = "With --study: the study's quick plan.") boolean quick;

    @Option(names = "--random", paramLabel = "N", description = "Run N trials drawn at random from the grid (without repeats) instead of all.")
    int random;
    @Option(names = "--random-seed", defaultValue = "1", description = "Seed of the --random draw (default: ${DEFAULT-VALUE}).") long randomSeed;
    @Option(names = "--master", defaultValue = "local[*]",
            description = "local[N] (Spark in this process, N cores; * = all) or spark://host:port of a standalone cluster (default: ${DEFAULT-VALUE}).")
    String master;
    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting (repeatable), e.g. spark.executor.memory=2g.")
    Map<String, String> conf = new LinkedHashMap<>();
    @Option(names = "--out", defaultValue = "reports/sweep", paramLabel = "DIR",
            description = "Output folder (new, empty or an earlier convlab output; default: ${DEFAULT-VALUE}, which ./convlab serve shows).")
    Path out;
    @Option(names = "--max-trials", defaultValue = "100", paramLabel = "N",
            description = "More trials than this are refused without --yes (default: ${DEFAULT-VALUE}).") long maxTrials;
    @Option(names = "--yes", description = "Run however many trials the grid has (up to " + Grid.MAX_TRIALS + ").") boolean yes;

    /** The command as typed: its usage line and its one-line errors start with it, as every other command's do. */
    static final String NAME = "convlab sweep";

    /** Runs the command line; returns the exit code (0 done, 2 refused or failed, with one line on stderr). */
    public static int run(String... args) {
        boolean debug = List.of(args).contains("--debug");
        String[] rest = java.util.Arrays.stream(args).filter(a -> !a.equals("--debug")).toArray(String[]::new);
        CommandLine cl = new CommandLine(new SweepCli()).setCommandName(NAME);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            if (debug) e.printStackTrace();
            System.err.println(NAME + ": " + UserMessages.oneLine(e instanceof IllegalArgumentException || e instanceof IllegalStateException
                    ? String.valueOf(e.getMessage()) : UserMessages.of(e)));
            return 2;
        });
        cl.setParameterExceptionHandler((e, a) -> {
            System.err.println(NAME + ": " + UserMessages.oneLine(e.getMessage()) + " (see: " + NAME + " --help)");
            return 2;
        });
        int code = cl.execute(rest);
        return code == 0 ? 0 : 2;
    }

    @Override
    public Integer call() {
        Sweep.Plan plan = plan();
        Sweep.check(plan);
        Sweep.run(plan, System.out);
        return 0;
    }

    /** The sweep these options ask for; refuses a bad grid or too many trials. */
    Sweep.Plan plan() {
        if (!onNan.equals("stop") && !onNan.equals("skip")) throw new IllegalArgumentException("--on-nan must be stop or skip, got " + UserMessages.quote(onNan));
        if (random < 0) throw new IllegalArgumentException("--random must be >= 1, got " + random);
        if (maxTrials < 1) throw new IllegalArgumentException("--max-trials must be >= 1, got " + maxTrials);
        Grid g = Grid.parse(grid);
        List<String> allowed = study == null ? Trials.SETTINGS : List.of("seed", "images-per-class", "arch", "rep");
        for (String k : g.keys())
            if (!allowed.contains(k))
                throw new IllegalArgumentException("grid setting " + k + " does not apply " + (study == null ? "to train runs (it is for --study)"
                        : "to --study " + study) + "; a grid here varies: " + String.join(", ", allowed.stream().filter(Grid.KEYS::containsKey).toList()));
        List<Long> indices = g.indices(random, randomSeed);
        if (indices.size() > maxTrials && !yes)
            throw new IllegalArgumentException("the sweep has " + indices.size() + " trials, more than --max-trials " + maxTrials
                    + ": add --yes to run them all, or --random N to draw N of them");
        return new Sweep.Plan(base(), grid, g, indices, master, conf, out);
    }

    /** Every trial's settings before the grid's values are put in. */
    Map<String, String> base() {
        Map<String, String> b = new LinkedHashMap<>();
        if (study != null) {
            b.put("study", study);
            b.put("quick", Boolean.toString(quick));
            b.put("seed", Long.toString(seed));
            b.put("images-per-class", "10");
            b.put("arch", "cnn");
            b.put("rep", "0");
            b.put("threads", Integer.toString(threads));
            return b;
        }
        String data = dataSetting();
        b.putAll(Trials.text(TrainSettings.builder().model(model).data(data.equals(Trials.SAMPLE) ? null : Path.of(data))
                .sampleData(data.equals(Trials.SAMPLE)).epochs(epochs).batch(batch).optimizer(optimizer).lr(lr).momentum(momentum)
                .weightDecay(weightDecay).lrSchedule(lrSchedule).unitScaled(unitScaled).fp8Params(fp8Params).seed(seed)
                .threads(threads).skipNonFinite(onNan.equals("skip")).build()));
        return b;
    }

    /** sample, or an absolute folder: resolved here so every executor reads the same data. */
    private String dataSetting() {
        if (data == null) {
            Path debian = Path.of(FashionMnist.DEBIAN_DIR);
            return Files.isRegularFile(debian.resolve("train-images-idx3-ubyte.gz")) || Files.isRegularFile(debian.resolve("train-images-idx3-ubyte"))
                    ? debian.toString() : Trials.SAMPLE;
        }
        if (data.equals(Trials.SAMPLE)) return data;
        Path d = Path.of(data).toAbsolutePath().normalize();
        if (!Files.isDirectory(d)) throw new IllegalArgumentException("--data " + d + " is not a folder (or use --data sample)");
        return d.toString();
    }
}
