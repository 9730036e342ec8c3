package convlab.io;

import convlab.data.Batch;
import com.google.gson.JsonObject;
import convlab.data.DataLoader;
import convlab.data.Dataset;
import convlab.nn.Flatten;
import convlab.nn.Linear;
import convlab.nn.Parameter;
import convlab.nn.Sequential;
import convlab.nn.functional.F;
import convlab.optim.SGD;
import convlab.tensor.DType;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class CheckpointTest {
    @TempDir Path tmp;

    static Checkpoint sample(long step) {
        Map<String, Tensor> model = new LinkedHashMap<>();
        model.put("0.weight", Tensor.full(step, DType.F32, 3, 2));
        model.put("0.bias", Tensor.full(-step, DType.F32, 3));
        JsonObject scalars = new JsonObject();
        scalars.addProperty("lr", 0.05);
        scalars.addProperty("steps", step);
        Rng rng = new Rng(step);
        rng.nextGaussian();   // leaves a cached spare: part of the state
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("loss", 0.25 + step);
        metrics.put("grad_norm", Double.NaN);
        metrics.put("ratio", Double.NEGATIVE_INFINITY);
        return new Checkpoint(step, (int) step / 3, model, "FC-3", Map.of("0.weight.momentum", Tensor.full(0.5, DType.F64, 3, 2)),
                scalars, Map.of("dropout", rng.state()), new DataLoader.State(2, 8, new Rng(9).state()), metrics);
    }

    static void assertSame(Checkpoint a, Checkpoint b) {
        assertEquals(a.step(), b.step());
        assertEquals(a.epoch(), b.epoch());
        assertEquals(a.spec(), b.spec());
        assertEquals(a.model().keySet(), b.model().keySet());
        a.model().forEach((k, v) -> assertArrayEquals(v.toDoubleArray(), b.model().get(k).toDoubleArray(), k));
        assertEquals(a.optimizerState().keySet(), b.optimizerState().keySet());
        a.optimizerState().forEach((k, v) -> assertEquals(v.dtype(), b.optimizerState().get(k).dtype()));
        assertEquals(a.optimizerScalars(), b.optimizerScalars());
        assertEquals(a.rngStates().keySet(), b.rngStates().keySet());
        a.rngStates().forEach((k, v) -> assertArrayEquals(v, b.rngStates().get(k), k));
        assertEquals(a.loader().epoch(), b.loader().epoch());
        assertEquals(a.loader().position(), b.loader().position());
        assertArrayEquals(a.loader().rngStateAtEpochStart(), b.loader().rngStateAtEpochStart());
        assertEquals(a.metrics(), b.metrics());   // Double.equals: NaN equals NaN
    }

    @Test void everyFieldSurvivesTheRoundTrip() throws IOException {
        Checkpoint c = sample(7);
        CheckpointStore store = new CheckpointStore(tmp.resolve("ckpt"), 3);
        Path folder = store.save(c);
        assertEquals("step-000000000007", folder.getFileName().toString());
        assertSame(c, store.loadLatest().orElseThrow());
        assertEquals("step-000000000007\n", Files.readString(store.dir().resolve("latest")));
        // The model inside a checkpoint is an ordinary model file.
        assertEquals("FC-3", ModelFile.readHeader(folder.resolve("model.safetensors")).spec());
    }

    @Test void keepsTheNewestAndCleansCrashLeftovers() throws IOException {
        CheckpointStore store = new CheckpointStore(tmp, 2);
        assertTrue(store.loadLatest().isEmpty());
        Files.createDirectories(tmp.resolve(".tmp-step-000000000009-123/sub"));   // a write that crashed (marked as convlab's)
        Files.createFile(tmp.resolve(".tmp-step-000000000009-123/" + CheckpointStore.PARTIAL_MARK));
        Files.createDirectories(tmp.resolve(".old-step-000000000002-77"));          // an empty set-aside folder
        Files.writeString(tmp.resolve(".latest.tmp-42"), "step-");
        for (long s = 1; s <= 4; s++) store.save(sample(s));
        assertEquals(List.of(tmp.resolve("step-000000000003"), tmp.resolve("step-000000000004")), store.checkpoints());
        try (var files = Files.list(tmp)) {
            assertEquals(3, files.count(), "two checkpoints and the pointer, no leftovers");
        }
        assertEquals(4, store.loadLatest().orElseThrow().step());
    }

    @Test void missingPointerFallsBackToTheHighestCompleteStep() throws IOException {
        CheckpointStore store = new CheckpointStore(tmp, 5);
        store.save(sample(1));
        store.save(sample(2));
        Files.delete(tmp.resolve("latest"));
        assertEquals(2, store.loadLatest().orElseThrow().step());
    }

    @Test void resumingFromAnEarlierStepReplacesItAndLeavesLaterHistoryAlone() throws IOException {
        CheckpointStore store = new CheckpointStore(tmp, 1);
        store.save(sample(1));
        store.save(sample(2));
        store.save(sample(3));
        Path two = store.save(sample(2));   // a run resumed from step 2 saves step 2 again
        assertEquals(two, store.latestFolder().orElseThrow());
        assertTrue(Files.isDirectory(tmp.resolve("step-000000000003")), "later steps are another history: not deleted");
        assertFalse(Files.exists(tmp.resolve("step-000000000001")));
    }

    @Test void damagedFilesGiveClearErrors() throws IOException {
        CheckpointStore store = new CheckpointStore(tmp, 2);
        Path folder = store.save(sample(5));
        Files.writeString(tmp.resolve("latest"), "../../etc\n");
        var p = assertThrows(IllegalArgumentException.class, store::loadLatest);
        assertTrue(p.getMessage().contains("should name a checkpoint folder"), p.getMessage());
        Files.writeString(tmp.resolve("latest"), folder.getFileName() + "\n");

        Files.writeString(folder.resolve("state.json"), "{\"format\": \"convlab-checkpoint-1\", \"step\": \"x\"}");
        var s = assertThrows(IllegalArgumentException.class, store::loadLatest);
        assertTrue(s.getMessage().contains("field 'step' should be an integer"), s.getMessage());
        Files.writeString(folder.resolve("state.json"), "{not json");
        var j = assertThrows(IllegalArgumentException.class, store::loadLatest);
        assertTrue(j.getMessage().contains("state.json is not valid JSON") && !j.getMessage().contains("\n"), j.getMessage());

        assertThrows(IllegalArgumentException.class, () -> new CheckpointStore(tmp, 0));
        Files.writeString(tmp.resolve("afile"), "x");
        var f = assertThrows(IllegalArgumentException.class, () -> new CheckpointStore(tmp.resolve("afile"), 1));
        assertTrue(f.getMessage().contains("is a file"), f.getMessage());
    }

    // ---------------------------------------------------------------- exact resume

    /** One training run's objects; seed changes every initial value, so a resume must restore them all. */
    record Run(Sequential model, SGD sgd, DataLoader loader) {
        static Run fresh(long seed) {
            Rng data = new Rng(100);
            Dataset ds = new Dataset(Tensor.randn(data, 10, 1, 2, 2), new int[] {0, 1, 2, 0, 1, 2, 0, 1, 2, 2}, List.of("a", "b", "c"), "synthetic");
            Sequential m = new Sequential(new Flatten(), new Linear(4, 3, new Rng(seed)));
            return new Run(m, new SGD(m.parameters(), 0.1, 0.9, 0.01), new DataLoader(ds, 4, true, false, seed));
        }

        void train(int steps) {
            for (int i = 0; i < steps; i++) {
                if (!loader.hasNext()) loader.nextEpoch();
                Batch b = loader.next();
                sgd.zeroGrad();
                F.crossEntropy(model.forward(b.inputs()), b.labels()).backward();
                sgd.step();
            }
        }

        Checkpoint checkpoint(long step) {
            Map<String, Tensor> momentum = new LinkedHashMap<>();
            for (var e : sgd.state().entrySet()) momentum.put(e.getKey(), Tensor.of(e.getValue(), e.getValue().length));
            return new Checkpoint(step, loader.epoch(), ModelFile.stateOf(model), "", momentum, new JsonObject(), Map.of(), loader.state(), Map.of());
        }

        void restore(Checkpoint c) {
            ModelFile.loadState(model, c.model(), "checkpoint");
            Map<String, float[]> state = new LinkedHashMap<>();
            for (var e : c.optimizerState().entrySet()) state.put(e.getKey(), e.getValue().toFloatArray());
            sgd.loadState(state);
            loader.restore(c.loader());
        }
    }

    @Test void resumeIsBitwiseIdenticalToAnUninterruptedRun() throws IOException {
        Run straight = Run.fresh(1);
        straight.train(11);

        Run first = Run.fresh(1);
        first.train(5);   // stops mid-epoch (batches of 4, 4, 2)
        CheckpointStore store = new CheckpointStore(tmp, 2);
        store.save(first.checkpoint(5));
        Run resumed = Run.fresh(77);
        resumed.restore(store.loadLatest().orElseThrow());
        resumed.train(6);

        for (String name : straight.model().namedParameters().keySet())
            assertArrayEquals(straight.model().namedParameters().get(name).toFloatArray(),
                    resumed.model().namedParameters().get(name).toFloatArray(), 0f, name + " bitwise");
    }
}
