package convlab.train;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import convlab.OptionNames;
import convlab.data.DataLoader;
import convlab.data.FashionMnist;
import convlab.io.Checkpoint;
import convlab.io.CheckpointStore;
import convlab.io.ModelFile;
import convlab.io.OutputFolders;
import convlab.io.UserMessages;
import convlab.kernels.Parallel;
import convlab.nn.Module;
import convlab.optim.LrSchedule;
import convlab.optim.Optimizer;
import convlab.optim.Optimizers;
import convlab.optim.UnitScaling;
import convlab.optim.fp8.Fp8Storage;
import convlab.spec.Analysis;
import convlab.spec.FeatureShape;
import convlab.spec.NamedModels;
import convlab.spec.Spec;
import convlab.tensor.Rng;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.UnaryOperator;

/**
 * One training run of {@link TrainSettings} on Fashion-MNIST: the set-up {@code convlab train}, the workbench and
 * the sweeps share (model from a spec or name, data, optimizer, schedule, unit scaling, fp8 storage, seeds,
 * threads, checkpoints and resume, saving the model) around the one loop, {@link Trainer}.
 *
 * <p>In one call: {@code TrainResult r = TrainRun.run(settings);}. In steps, for a client that adds listeners or
 * prints between them: {@link #open} (checks the settings, the model's memory, the output file; locks the
 * checkpoint folder), {@link #load} (data; optional), {@link #start} (model, optimizer, data order, trainer,
 * checkpoints, resume, schedule), {@link #trainer()}{@code .listen(...)}, {@link #fit}, {@link #close}.
 *
 * <p>A result depends only on the settings (and the data): one seed drives the initial weights ({@code seed}),
 * dropout, unit scaling ({@code seed ^ 0x756E6974}) and the data order ({@code seed ^ 0x5DEECE66D}); with the same
 * thread count it is bitwise the same on every run and machine of the same kind.
 */
public final class TrainRun implements AutoCloseable {
    /** Batch size of the evaluation pass after each epoch. */
    public static final int EVAL_BATCH = 1000;
    /**
     * Warm-up: at least this many steps (or as many as the training will take, if fewer), then until the steps run at a
     * steady speed and the compilers have settled (JitWarmup), bounded in time (WARMUP_MILLIS) for big models and busy
     * machines. A step's glue (autograd, the GEMM's dispatch, the optimizer's loops) runs a few times a step, and C2
     * takes a method after 1,000 calls under the launcher's thresholds (5,000 by default), counted from C1's profiling
     * tier (after about 200 calls, later while C2 is busy) in steps of 1,024: a warm-up of at least 60 steps ended after
     * 300-850 and left C2 compiling the glue in the first two epochs, on a core the steps run on. MLP, 3 epochs, 2
     * threads, 8 alternating runs each (2026-12-06, AMD EPYC Zen 5): a minimum of 1,200 steps gave 129.9k against
     * 117.9k images/s, the command 0.5 s longer. Once the warm-up's evaluations became cheaper it reached 1,200 steps
     * and ended about 0.5 s earlier, with the glue still queued for C2: hence 2,000 (the MLP's warm-up then runs to its
     * time bound, as before).
     */
    static final int WARMUP_STEPS = 2000;
    private static final long WARMUP_MILLIS = 4_000;

    private final TrainSettings s;
    private final UnaryOperator<String> names;
    private final CheckpointStore store;
    private final AutoCloseable lock;
    private Consumer<String> notes = line -> {};
    private FashionMnist data;
    private String spec;
    private Module net;
    private Optimizer opt;
    private DataLoader loader;
    private BatchSource testBatches;
    private Trainer trainer;
    private TrainingCheckpoints checkpoints;
    private boolean builtBeforeData;
    private DataSource source;

    private TrainRun(TrainSettings s, UnaryOperator<String> names, CheckpointStore store, AutoCloseable lock) {
        this.s = s;
        this.names = names;
        this.store = store;
        this.lock = lock;
        this.spec = NamedModels.specOf(s.model());
    }

    /** Trains with these settings from start to end (or from the checkpoint, with resume) and returns the result. */
    public static TrainResult run(TrainSettings settings) {
        try (TrainRun r = open(settings)) {
            return r.start(TrainingListener.NONE).fit();
        }
    }

    /** {@link #open(TrainSettings, UnaryOperator)} naming settings by their keys ("lr", "weight-decay", ...). */
    public static TrainRun open(TrainSettings settings) { return open(settings, UnaryOperator.identity()); }

    /**
     * Checks everything that could fail after training, before any of it: the settings, that the model fits the heap
     * for 28×28×1 images, the model file's folder; opens and locks the checkpoint folder. Errors are
     * IllegalArgumentExceptions naming settings through {@code names} (a command line maps "lr" to "--lr").
     */
    public static TrainRun open(TrainSettings settings, UnaryOperator<String> names) {
        settings.validate(names);
        if (settings.saveModel() != null) OutputFolders.checkFile(settings.saveModel(), names.apply("save-model"));
        requireTrainable(settings.model(), 1, 28, 28, settings.batch(), EVAL_BATCH);
        if (settings.checkpointDir() == null) return new TrainRun(settings, names, null, null);
        CheckpointStore store;
        try {
            store = new CheckpointStore(settings.checkpointDir(), settings.keep());
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        try {
            return new TrainRun(settings, names, store, store.lock());
        } catch (IOException e) {
            throw new IllegalArgumentException(names.apply("checkpoint-dir") + " " + settings.checkpointDir() + ": " + e.getMessage(), e);
        }
    }

    /** Where this run's notes go ("resumed from ..."); none by default. */
    public TrainRun notes(Consumer<String> to) { this.notes = to; return this; }

    /** Where a client's data comes from (a cache, say), read by {@link #load}. */
    @FunctionalInterface
    public interface DataSource {
        FashionMnist get() throws IOException;
    }

    /** Trains on this client's data instead of the settings' (a client that runs many trainings loads it once). */
    public TrainRun useData(DataSource source) {
        if (data != null) throw new IllegalStateException("the data is loaded already");
        this.source = source;
        return this;
    }

    /**
     * Sets the kernel threads, adds the training's compiler directives to this JVM ({@link JitDirectives}) and loads the
     * data (TrainSettings.data, else the Debian package, else the embedded sample), while the JIT compiles the kernels on
     * a throwaway copy of the model. Called by {@link #start} when not before.
     * The data loads on a background thread and the warm-up runs on this one, the thread that trains, for as long as
     * the data takes (at least until the steps run steady, at most WARMUP_MILLIS): the kernels' per-thread buffers and
     * the compiled code then fit the training from its first step ({@link JitWarmup}). A failed load ends the warm-up
     * at its next step.
     */
    public FashionMnist load() {
        Parallel.setThreads(s.threads());
        JitDirectives.addForTraining();
        if (data != null) return data;
        if (!s.jitWarmup()) return data = readData();
        FutureTask<FashionMnist> reading = new FutureTask<>(OptionNames.carried(this::readData));   // its messages name options as the caller does
        Thread reader = new Thread(reading, "convlab-data-load");
        reader.setDaemon(true);
        reader.start();
        // Never longer than the training itself: once the data is read, the minimum drops to the training's steps.
        IntSupplier minSteps = () -> reading.isDone() && reading.state() == Future.State.SUCCESS
                ? warmupSteps(s.epochs(), reading.resultNow().train().size(), s.batch()) : WARMUP_STEPS;
        JitWarmup.runHere(() -> buildModel(s.model(), 1, 28, 28, 10, new Rng(s.seed() + 1)), new int[] {s.batch(), 1, 28, 28},
                EVAL_BATCH, 10, minSteps, WARMUP_MILLIS, reading);
        try {
            return data = reading.get();
        } catch (InterruptedException e) {
            reading.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading Fashion-MNIST", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The warm-up's minimum steps: WARMUP_STEPS, or the training's own steps if it has fewer. */
    static int warmupSteps(int epochs, int trainExamples, int batch) {
        long steps = (long) epochs * ((trainExamples + (long) batch - 1) / Math.max(1, batch));
        return (int) Math.min(WARMUP_STEPS, steps);
    }

    private FashionMnist readData() {
        try {
            return source != null ? source.get() : s.sampleData() ? FashionMnist.loadSample() : FashionMnist.load(s.data());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read Fashion-MNIST: " + e.getMessage(), e);
        }
    }

    /** The model (built from the seed for the loaded data's image shape; for 28×28×1 images and 10 classes before {@link #load}). */
    public Module model() {
        if (net == null) {
            if (data == null) {
                builtBeforeData = true;
                net = buildModel(s.model(), 1, 28, 28, 10, new Rng(s.seed()));
            } else {
                var train = data.train();
                requireTrainable(s.model(), train.channels(), train.height(), train.width(), s.batch(), EVAL_BATCH);
                net = buildModel(s.model(), train.channels(), train.height(), train.width(), train.numClasses(), new Rng(s.seed()));
            }
        }
        return net;
    }

    /**
     * Builds what the training steps need (model, optimizer, fp8 storage, seeded data order, trainer with {@code first}
     * as its first listener, checkpoints, the resume, the learning-rate schedule). Listeners added to {@link #trainer()}
     * afterwards are called after these.
     */
    public TrainRun start(TrainingListener first) {
        if (trainer != null) throw new IllegalStateException("the run has started already");
        FashionMnist fm = load();
        if (builtBeforeData && (fm.train().channels() != 1 || fm.train().height() != 28 || fm.train().width() != 28))
            throw new IllegalArgumentException("the model was built for 28×28×1 images, the data has "
                    + fm.train().height() + "×" + fm.train().width() + "×" + fm.train().channels());
        Module model = model();
        if (s.unitScaled()) UnitScaling.apply(model, new Rng(s.seed() ^ 0x756E6974L));   // own stream: the model's generators stay as they are
        Optimizer o = Optimizers.create(s.optimizer(), model, s.lr(), s.momentum(), s.weightDecay(), s.unitScaled());
        if (s.fp8Params() != null) o = Fp8Storage.fromSpec(s.fp8Params(), o, s.seed());
        opt = o;
        // The data order gets its own stream of the seed, so changing the model does not change the order.
        loader = new DataLoader(fm.train(), s.batch(), true, false, s.seed() ^ 0x5DEECE66DL, true);
        trainer = new Trainer(model, opt, first).skipNonFinite(s.skipNonFinite());
        if (store != null) {
            checkpoints = new TrainingCheckpoints(store, s.checkpointEvery(), model, spec, opt, loader, trainer::position);
            JsonObject settings = s.resumeSettings(spec);
            if (s.resume()) settings = resumeFrom(settings);
            checkpoints.settings(settings);
            trainer.listen(checkpoints);
        }
        if (s.lrSchedule() != null) {   // lr of step t = initial lr · factor(t), also right after a resume
            LrSchedule schedule = LrSchedule.parse(s.lrSchedule());
            Optimizer scheduled = opt;
            Trainer t = trainer;
            schedule.apply(scheduled, t.position().steps());
            trainer.listen(new TrainingListener() {
                @Override public void stepFinished(int epoch, int step, double loss, double acc, double imagesPerSecond) {
                    schedule.apply(scheduled, t.position().steps());
                }
            });
        }
        testBatches = LoaderBatches.inOrder(fm.test(), EVAL_BATCH);
        // One full collection now moves the data set, the evaluation batches (31 MB for Fashion-MNIST's test set) and
        // whatever the warm-up left into the old generation before the first step. Otherwise the first young
        // collection of the training copies them there: an 87 ms pause in the MLP's second epoch (a sixth of it).
        System.gc();
        return this;
    }

    /**
     * Trains until the settings' epochs are done, evaluating on the test set after each, then saves the model when asked.
     * A non-finite loss or gradient ends it with an IllegalStateException (its cause the {@link Trainer.NonFiniteException})
     * naming the last good checkpoint.
     */
    public TrainResult fit() {
        if (trainer == null) start(TrainingListener.NONE);
        List<EpochStats> history;
        try {
            history = trainer.fit(new LoaderBatches(loader), testBatches, s.epochs(), data.train().numClasses());
        } catch (Trainer.NonFiniteException e) {
            // The advice names the learning rate the way the client does (a command line's "--lr").
            String lr = names.apply("lr");
            String advice = lr.equals("lr") ? e.getMessage() : e.diagnosis() + " (try a smaller " + lr + ")";
            String last = checkpoints != null && checkpoints.last() != null ? "; last good checkpoint: " + checkpoints.last() : "";
            throw new IllegalStateException(advice + last, e);
        }
        if (s.saveModel() != null) {
            try {
                ModelFile.save(s.saveModel(), net, spec);
            } catch (IOException e) {
                throw new IllegalArgumentException(names.apply("save-model") + ": cannot write " + s.saveModel() + ": " + e.getMessage(), e);
            }
        }
        return new TrainResult(spec, net.parameterCount(), data.source(), history);
    }

    public TrainSettings settings() { return s; }
    /** The architecture spec trained (a named model's spec). */
    public String spec() { return spec; }
    /** The data (after {@link #load}). */
    public FashionMnist data() { return data; }
    public Optimizer optimizer() { return opt; }
    public DataLoader loader() { return loader; }
    /** The trainer (after {@link #start}); add listeners with {@code trainer().listen(...)}. */
    public Trainer trainer() { return trainer; }
    /** The checkpoints listener, or null without a checkpoint folder. */
    public TrainingCheckpoints checkpoints() { return checkpoints; }

    @Override
    public void close() {
        if (lock == null) return;
        try {
            lock.close();
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Throws when training the model on height×width×channels inputs in this batch would not fit the heap. */
    public static void requireTrainable(String model, int channels, int height, int width, int batch, int evalBatch) {
        Analysis a = Analysis.of(Spec.parse(NamedModels.specOf(model)), FeatureShape.image(height, width, channels));
        MemoryCheck.requireFits(MemoryCheck.trainingBytes(a, batch, evalBatch),
                "training " + UserMessages.quote(NamedModels.specOf(model)) + " with batch " + batch);
    }

    /**
     * Builds the model for inputs of shape channels×height×width with one logit per class, refused before a single
     * weight is allocated when the parameters alone would not fit the heap. Spec errors point at the offending token.
     */
    public static Module buildModel(String model, int channels, int height, int width, int classes, Rng rng) {
        Analysis analysis = NamedModels.analyze(model, channels, height, width, classes);
        MemoryCheck.requireFits(MemoryCheck.evaluationBytes(analysis, 1), "the model " + UserMessages.quote(NamedModels.specOf(model)));
        return NamedModels.build(model, channels, height, width, classes, rng);
    }

    /**
     * Restores the newest checkpoint. Settings that differ from the checkpoint's are refused, each named, unless
     * resumeChange allows them; allowed changes are applied and listed under "changes" in the returned settings
     * (which later checkpoints record).
     */
    private JsonObject resumeFrom(JsonObject now) {
        try {
            Checkpoint c = store.loadLatest().orElseThrow(() ->
                    new IllegalArgumentException(names.apply("resume") + ": no checkpoint in " + s.checkpointDir() + " yet"));
            JsonObject then = TrainingCheckpoints.settingsOf(c);
            List<String> changed = new ArrayList<>(), refused = new ArrayList<>();
            JsonArray history = new JsonArray();
            if (then != null) {
                if (then.has("changes") && then.get("changes").isJsonArray()) history = then.getAsJsonArray("changes");
                for (String key : now.keySet()) {
                    JsonElement old = then.get(key), cur = now.get(key);
                    if (old == null || sameValue(old, cur)) continue;
                    String d = names.apply(key) + " " + shown(old) + " in the checkpoint, " + shown(cur) + " now";
                    if (s.resumeChange().contains(key)) changed.add(key + " " + shown(old) + " -> " + shown(cur));
                    else refused.add(d);
                }
            }
            if (!refused.isEmpty())
                throw new IllegalArgumentException(names.apply("resume") + ": the settings differ from the checkpoint's: " + String.join("; ", refused)
                        + ". Give the checkpoint's settings, or " + names.apply("resume-change") + " with the names to change (possible: "
                        + String.join(", ", TrainSettings.CHANGEABLE) + "; model, batch, seed, unit-scaled and fp8-params cannot change)");
            boolean freshOptimizer = changed.stream().anyMatch(x -> x.startsWith("optimizer "));
            TrainingCheckpoints.restore(c, spec, net, opt, loader, trainer, !freshOptimizer);
            if (changed.stream().anyMatch(x -> x.startsWith("lr "))) opt.setLr(s.lr());
            JsonObject out = now.deepCopy();
            if (!changed.isEmpty()) {
                JsonObject entry = new JsonObject();
                entry.addProperty("step", c.step());
                entry.addProperty("changes", String.join(", ", changed));
                history.add(entry);
            }
            if (!history.isEmpty()) out.add("changes", history);
            notes.accept("resumed from " + store.latestFolder().orElseThrow() + " (epoch " + c.epoch() + " done, step " + c.step() + ")"
                    + (changed.isEmpty() ? "" : "; changed: " + String.join(", ", changed)));
            return out;
        } catch (IOException e) {
            throw new IllegalArgumentException(names.apply("resume") + ": cannot read the checkpoint in " + s.checkpointDir() + ": " + e.getMessage(), e);
        }
    }

    private static boolean sameValue(JsonElement a, JsonElement b) {
        if (a.isJsonPrimitive() && b.isJsonPrimitive() && a.getAsJsonPrimitive().isNumber() && b.getAsJsonPrimitive().isNumber())
            return a.getAsDouble() == b.getAsDouble();
        return a.equals(b);
    }

    private static String shown(JsonElement e) {
        if (e.isJsonPrimitive() && !e.getAsJsonPrimitive().isString()) return e.getAsString();   // numbers and booleans as they are
        return UserMessages.quote(e.isJsonPrimitive() ? e.getAsString() : e.toString());
    }
}
