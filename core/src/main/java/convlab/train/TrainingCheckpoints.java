package convlab.train;

import com.google.gson.JsonObject;
import convlab.data.DataLoader;
import convlab.io.Checkpoint;
import convlab.io.CheckpointStore;
import convlab.io.ModelFile;
import convlab.nn.Module;
import convlab.optim.Optimizer;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Checkpoints of a training run: a listener that saves one after every epoch and every {@code everySteps}
 * optimizer steps, and {@link #restore} that puts a run back where a checkpoint left it. What is saved is
 * everything the next step depends on: parameters and buffers, optimizer state and learning rate, the
 * model's random generators (dropout), the data loader's position and shuffling state, and the trainer's
 * position with the running sums of the epoch in progress. Resumed with the same thread count, a run ends
 * bitwise identical to one never interrupted.
 */
public final class TrainingCheckpoints implements TrainingListener {
    private final CheckpointStore store;
    private final int everySteps;
    private final Module model;
    private final String spec;
    private final Optimizer optimizer;
    private final DataLoader loader;
    private final Supplier<Trainer.Position> position;
    private Path last;
    private JsonObject settings = new JsonObject();

    public TrainingCheckpoints(CheckpointStore store, int everySteps, Module model, String spec, Optimizer optimizer,
                               DataLoader loader, Supplier<Trainer.Position> position) {
        if (everySteps < 0) throw new IllegalArgumentException("checkpoint interval must be >= 0 steps (0: epoch ends only), got " + everySteps);
        this.store = store;
        this.everySteps = everySteps;
        this.model = model;
        this.spec = spec;
        this.optimizer = optimizer;
        this.loader = loader;
        this.position = position;
    }

    /**
     * The run's settings (lr, batch, optimizer, ... and the changes made on resuming), saved with every checkpoint
     * under the optimizer scalar "settings" so a resume can compare them ({@link #settingsOf}).
     */
    public TrainingCheckpoints settings(JsonObject s) { this.settings = s.deepCopy(); return this; }

    /** The settings a checkpoint was saved with, or null for a checkpoint written before they were recorded. */
    public static JsonObject settingsOf(Checkpoint c) {
        var s = c.optimizerScalars().get("settings");
        return s != null && s.isJsonObject() ? s.getAsJsonObject() : null;
    }

    /** The folder of the newest checkpoint this run saved, or null before the first. */
    public Path last() { return last; }

    @Override public void stepFinished(int epoch, int step, double runningLoss, double runningAccuracy, double imagesPerSecond) {
        // The last step of an epoch is saved by epochFinished, with the epoch counted as done.
        if (everySteps > 0 && position.get().steps() % everySteps == 0 && loader.hasNext()) save();
    }

    @Override public void epochFinished(EpochStats stats) { save(); }

    /** Saves the run as it is now. */
    public Path save() {
        try {
            last = store.save(snapshot());
            return last;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a checkpoint to " + store.dir() + ": " + e.getMessage(), e);
        }
    }

    private Checkpoint snapshot() {
        Trainer.Position p = position.get();
        Map<String, Tensor> optimizerState = new LinkedHashMap<>();
        optimizer.state().forEach((name, values) -> optimizerState.put(name, Tensor.of(values.clone(), values.length)));
        JsonObject scalars = new JsonObject();
        scalars.addProperty("lr", optimizer.lr());
        scalars.add("settings", settings.deepCopy());
        Map<String, long[]> rngs = new LinkedHashMap<>();
        model.namedGenerators().forEach((name, rng) -> rngs.put(name, rng.state()));
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("epoch_loss_sum", p.epochLossSum());
        metrics.put("epoch_correct", (double) p.epochCorrect());
        metrics.put("epoch_seen", (double) p.epochSeen());
        metrics.put("epoch_seconds", p.epochSeconds());
        return new Checkpoint(p.steps(), p.epochsDone(), ModelFile.stateOf(model), spec, optimizerState, scalars, rngs,
                loader.state(), metrics);
    }

    /**
     * Puts a freshly built run (same spec, optimizer kind, data and batch size) where the checkpoint left it.
     * Throws IllegalArgumentException naming what does not fit.
     */
    public static void restore(Checkpoint c, String spec, Module model, Optimizer optimizer, DataLoader loader, Trainer trainer) {
        restore(c, spec, model, optimizer, loader, trainer, true);
    }

    /**
     * As {@link #restore(Checkpoint, String, Module, Optimizer, DataLoader, Trainer)}; with loadOptimizer false the
     * optimizer keeps its fresh state and learning rate (the user changed the optimizer or its settings on resuming).
     */
    public static void restore(Checkpoint c, String spec, Module model, Optimizer optimizer, DataLoader loader, Trainer trainer,
                               boolean loadOptimizer) {
        if (!c.spec().isEmpty() && !c.spec().equals(spec))
            throw new IllegalArgumentException("the checkpoint is of model '" + c.spec() + "', not '" + spec + "'");
        ModelFile.loadState(model, c.model(), "checkpoint");
        if (loadOptimizer) {
            Map<String, float[]> state = new LinkedHashMap<>();
            c.optimizerState().forEach((name, t) -> state.put(name, t.toFloatArray()));
            optimizer.loadState(state);
            if (c.optimizerScalars().has("lr")) {
                double lr;
                try {
                    lr = c.optimizerScalars().get("lr").getAsDouble();
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("the checkpoint's learning rate is not a number");
                }
                if (!(lr > 0) || !Double.isFinite(lr))
                    throw new IllegalArgumentException("the checkpoint's learning rate " + lr + " is not a positive number");
                optimizer.setLr(lr);
            }
        }
        Map<String, Rng> generators = model.namedGenerators();
        for (var e : generators.entrySet()) {
            long[] words = c.rngStates().get(e.getKey());
            if (words == null) throw new IllegalArgumentException("the checkpoint has no state for the generator " + e.getKey());
            e.getValue().setState(words);
        }
        if (c.loader() == null) throw new IllegalArgumentException("the checkpoint has no data-loader position");
        loader.restore(c.loader());
        Map<String, Double> m = c.metrics();
        double seen = m.getOrDefault("epoch_seen", 0.0), correct = m.getOrDefault("epoch_correct", 0.0);
        double lossSum = m.getOrDefault("epoch_loss_sum", 0.0), seconds = m.getOrDefault("epoch_seconds", 0.0);
        // The running sums of the epoch in progress: whole counts within the data set, a finite loss sum and time.
        if (!(seen >= 0 && seen <= loader.examplesPerEpoch() && seen == Math.rint(seen) && correct >= 0 && correct <= seen
                && correct == Math.rint(correct) && Double.isFinite(lossSum) && lossSum >= 0 && Double.isFinite(seconds) && seconds >= 0))
            throw new IllegalArgumentException("the checkpoint's epoch-in-progress metrics are inconsistent (seen " + seen + ", correct "
                    + correct + ", loss sum " + lossSum + ", seconds " + seconds + "): the checkpoint is damaged");
        trainer.resumeFrom(new Trainer.Position(c.epoch(), c.step(), m.getOrDefault("epoch_loss_sum", 0.0),
                Math.round(m.getOrDefault("epoch_correct", 0.0)), Math.round(m.getOrDefault("epoch_seen", 0.0)),
                m.getOrDefault("epoch_seconds", 0.0)));
    }
}
