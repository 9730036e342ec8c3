package convlab.train;

import com.google.gson.JsonObject;
import convlab.kernels.Parallel;
import convlab.optim.LrSchedule;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;
import java.util.function.UnaryOperator;

/**
 * Everything one training run on Fashion-MNIST is made of, with the defaults of {@code convlab train}; run it with
 * {@link TrainRun}. Build with {@link #builder()} (or change one with {@link #toBuilder()}):
 * <pre>{@code
 * TrainResult r = TrainRun.run(TrainSettings.builder().model("course-cnn").lr(0.05).epochs(1).sampleData().build());
 * }</pre>
 *
 * @param model          a named model ({@code mlp}, {@code course-cnn}, {@code wide-bn}) or an architecture spec
 * @param data           a folder with the four IDX files, or null: the Debian package when installed, else the embedded sample
 * @param sampleData     always the sample embedded in convlab (6,000 train / 1,000 test images), whatever is installed
 * @param epochs         passes over the training set
 * @param batch          mini-batch size
 * @param optimizer      optimizer name ({@link convlab.optim.Optimizers#NAMES})
 * @param lr             learning rate
 * @param momentum       momentum (or the first-moment decay of the optimizers that have one)
 * @param weightDecay    L2 weight decay
 * @param lrSchedule     a schedule over optimizer steps ({@link LrSchedule#parse}), or null for a constant rate
 * @param unitScaled     unit-scaled parametrization (docs/OPTIMIZERS.md)
 * @param fp8Params      fp8 parameter storage ({@code e4m3[:master][:stochastic][:saturate]}), or null
 * @param seed           the one seed of the run: weights, dropout, data order
 * @param threads        kernel threads (the same seed and thread count give bitwise identical results)
 * @param checkpointDir  save a checkpoint after every epoch (and every checkpointEvery steps) here, or null
 * @param checkpointEvery also checkpoint every N optimizer steps (0: epoch ends only)
 * @param keep           checkpoints kept
 * @param resume         continue from the newest checkpoint in checkpointDir
 * @param resumeChange   settings allowed to differ from the checkpoint's on resume ({@link #CHANGEABLE})
 * @param saveModel      write the trained model here (safetensors), or null
 * @param skipNonFinite  on a non-finite loss or gradient: skip the step and halve the learning rate instead of stopping
 * @param jitWarmup      let the JIT compile the kernels on a throwaway copy while the data loads (no effect on results)
 */
public record TrainSettings(String model, Path data, boolean sampleData, int epochs, int batch, String optimizer, double lr,
                            double momentum, double weightDecay, String lrSchedule, boolean unitScaled, String fp8Params,
                            long seed, int threads, Path checkpointDir, int checkpointEvery, int keep, boolean resume,
                            List<String> resumeChange, Path saveModel, boolean skipNonFinite, boolean jitWarmup) {

    /** Settings a resume may change (by the names a resume compares, {@link #resumeSettings}). */
    public static final List<String> CHANGEABLE = List.of("lr", "momentum", "weight-decay", "lr-schedule", "optimizer");

    public TrainSettings {
        resumeChange = resumeChange == null ? List.of() : List.copyOf(resumeChange);
    }

    /** The defaults of {@code convlab train}. */
    public static Builder builder() { return new Builder(); }

    /** A builder holding these settings. */
    public Builder toBuilder() { return new Builder(this); }

    /**
     * Throws IllegalArgumentException naming the first setting out of range. Settings are named by
     * {@code names} (the keys "epochs", "batch", "lr", "momentum", "weight-decay", "lr-schedule", "threads",
     * "checkpoint-every", "keep", "resume", "resume-change", "checkpoint-dir"; a command line may map "lr" to "--lr").
     */
    public void validate(UnaryOperator<String> names) {
        if (model == null || model.isBlank()) throw new IllegalArgumentException(names.apply("model") + " is empty");
        if (epochs < 1) throw new IllegalArgumentException(names.apply("epochs") + " must be >= 1, got " + epochs);
        if (lrSchedule != null) {
            try {
                LrSchedule.parse(lrSchedule);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(names.apply("lr-schedule") + ": " + e.getMessage(), e);
            }
        }
        if (batch < 1) throw new IllegalArgumentException(names.apply("batch") + " must be >= 1, got " + batch);
        if (!(lr > 0) || !Double.isFinite(lr)) throw new IllegalArgumentException(names.apply("lr") + " must be a positive number, got " + lr);
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException(names.apply("momentum") + " must be in [0, 1), got " + momentum);
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay))
            throw new IllegalArgumentException(names.apply("weight-decay") + " must be >= 0, got " + weightDecay);
        if (threads < 1) throw new IllegalArgumentException(names.apply("threads") + " must be >= 1, got " + threads);
        if (threads > Parallel.MAX_THREADS)
            throw new IllegalArgumentException(names.apply("threads") + " must be at most " + Parallel.MAX_THREADS + ", got " + threads);
        if (resume && checkpointDir == null) throw new IllegalArgumentException(names.apply("resume") + " needs " + names.apply("checkpoint-dir"));
        if (checkpointEvery < 0) throw new IllegalArgumentException(names.apply("checkpoint-every") + " must be >= 0, got " + checkpointEvery);
        if (keep < 1) throw new IllegalArgumentException(names.apply("keep") + " must be >= 1, got " + keep);
        for (String c : resumeChange)
            if (!CHANGEABLE.contains(c))
                throw new IllegalArgumentException(names.apply("resume-change") + " " + convlab.io.UserMessages.quote(c)
                        + " is not a setting that can change on resume (" + String.join(", ", CHANGEABLE) + ")");
        if (!resumeChange.isEmpty() && !resume) throw new IllegalArgumentException(names.apply("resume-change") + " applies only with " + names.apply("resume"));
    }

    /** The settings a resume compares, by name, in the order every checkpoint records them (a part of {@link #describe()}). */
    static final List<String> RESUMED = List.of("model", "optimizer", "lr", "momentum", "weight-decay", "lr-schedule", "batch",
            "seed", "unit-scaled", "fp8-params");

    /**
     * The settings a resume compares, by name (recorded in every checkpoint): {@link #describe()}'s {@link #RESUMED}
     * ones, with the model's spec, and "constant" for no learning-rate schedule (as checkpoints always said).
     */
    public JsonObject resumeSettings(String spec) {
        SequencedMap<String, Object> d = describe();
        d.put("model", spec);
        if (lrSchedule == null) d.put("lr-schedule", "constant");
        JsonObject s = new JsonObject();
        for (String k : RESUMED) {
            switch (d.get(k)) {
                case Number n -> s.addProperty(k, n);
                case Boolean b -> s.addProperty(k, b);
                case Object o -> s.addProperty(k, o.toString());
            }
        }
        return s;
    }

    /** The settings that make a run's numbers, by option name, in the order {@link #describe()} lists them. */
    public static final List<String> DESCRIBED = List.of("model", "data", "epochs", "batch", "optimizer", "lr", "momentum",
            "weight-decay", "lr-schedule", "unit-scaled", "fp8-params", "seed", "threads", "on-nan");

    /**
     * The run's settings by option name, in {@link #DESCRIBED}'s order: the one description of a run that the training
     * report, the dashboard, the workbench's runs and a sweep's trials show. Values are strings, numbers and booleans;
     * a setting not given reads "none" ({@code lr-schedule}, {@code fp8-params}); {@code data} is "sample" (the embedded
     * sample), the folder, or "default" (the Debian package when installed, else the sample); {@code on-nan} is "skip"
     * ({@link #skipNonFinite()}) or "stop". Where the run goes (checkpoints, model file, resume) is not part of it.
     */
    public SequencedMap<String, Object> describe() {
        LinkedHashMap<String, Object> d = new LinkedHashMap<>();
        d.put("model", model);
        d.put("data", sampleData ? "sample" : data == null ? "default" : data.toString());
        d.put("epochs", epochs);
        d.put("batch", batch);
        d.put("optimizer", optimizer);
        d.put("lr", lr);
        d.put("momentum", momentum);
        d.put("weight-decay", weightDecay);
        d.put("lr-schedule", lrSchedule == null ? "none" : lrSchedule);
        d.put("unit-scaled", unitScaled);
        d.put("fp8-params", fp8Params == null ? "none" : fp8Params);
        d.put("seed", seed);
        d.put("threads", threads);
        d.put("on-nan", skipNonFinite ? "skip" : "stop");
        return d;
    }

    /**
     * {@link #describe()} for a page about the trained model: {@code model} is its architecture spec, followed by its
     * {@code parameters}, and {@code data} says where the images came from (a data set's source line).
     */
    public SequencedMap<String, Object> describe(String spec, long parameters, String dataSource) {
        LinkedHashMap<String, Object> d = new LinkedHashMap<>();
        describe().forEach((k, v) -> {
            switch (k) {
                case "model" -> { d.put("model", spec); d.put("parameters", parameters); }
                case "data" -> d.put("data", dataSource);
                default -> d.put(k, v);
            }
        });
        return d;
    }

    /** Named settings with the defaults of {@code convlab train}. */
    public static final class Builder {
        private String model = "mlp";
        private Path data;
        private boolean sampleData;
        private int epochs = 3, batch = 64;
        private String optimizer = "sgd";
        private double lr = 0.01, momentum = 0.9, weightDecay = 0;
        private String lrSchedule, fp8Params;
        private boolean unitScaled, resume, skipNonFinite, jitWarmup = true;
        private long seed = 1;
        private int threads = Parallel.threads(), checkpointEvery = 0, keep = 2;
        private Path checkpointDir, saveModel;
        private List<String> resumeChange = List.of();

        private Builder() {}

        private Builder(TrainSettings s) {
            model = s.model; data = s.data; sampleData = s.sampleData; epochs = s.epochs; batch = s.batch; optimizer = s.optimizer;
            lr = s.lr; momentum = s.momentum; weightDecay = s.weightDecay; lrSchedule = s.lrSchedule; unitScaled = s.unitScaled;
            fp8Params = s.fp8Params; seed = s.seed; threads = s.threads; checkpointDir = s.checkpointDir;
            checkpointEvery = s.checkpointEvery; keep = s.keep; resume = s.resume; resumeChange = s.resumeChange;
            saveModel = s.saveModel; skipNonFinite = s.skipNonFinite; jitWarmup = s.jitWarmup;
        }

        public Builder model(String v) { model = v; return this; }
        public Builder data(Path v) { data = v; return this; }
        /** Train on the sample embedded in convlab, whatever is installed. */
        public Builder sampleData() { sampleData = true; return this; }
        public Builder sampleData(boolean v) { sampleData = v; return this; }
        public Builder epochs(int v) { epochs = v; return this; }
        public Builder batch(int v) { batch = v; return this; }
        public Builder optimizer(String v) { optimizer = v; return this; }
        public Builder lr(double v) { lr = v; return this; }
        public Builder momentum(double v) { momentum = v; return this; }
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        public Builder lrSchedule(String v) { lrSchedule = v; return this; }
        public Builder unitScaled(boolean v) { unitScaled = v; return this; }
        public Builder fp8Params(String v) { fp8Params = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder threads(int v) { threads = v; return this; }
        public Builder checkpointDir(Path v) { checkpointDir = v; return this; }
        public Builder checkpointEvery(int v) { checkpointEvery = v; return this; }
        public Builder keep(int v) { keep = v; return this; }
        public Builder resume(boolean v) { resume = v; return this; }
        public Builder resumeChange(List<String> v) { resumeChange = v; return this; }
        public Builder saveModel(Path v) { saveModel = v; return this; }
        public Builder skipNonFinite(boolean v) { skipNonFinite = v; return this; }
        public Builder jitWarmup(boolean v) { jitWarmup = v; return this; }

        public TrainSettings build() {
            return new TrainSettings(model, data, sampleData, epochs, batch, optimizer, lr, momentum, weightDecay, lrSchedule,
                    unitScaled, fp8Params, seed, threads, checkpointDir, checkpointEvery, keep, resume, resumeChange, saveModel,
                    skipNonFinite, jitWarmup);
        }
    }
}
