package convlab.train;

import convlab.data.DataLoader;
import convlab.data.Dataset;
import convlab.data.FashionMnist;
import convlab.kernels.Parallel;
import convlab.nn.Module;
import convlab.optim.SGD;
import convlab.spec.ModelBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A warm-up on a throwaway copy leaves the caller's training bitwise unchanged, even while it runs alongside. */
class JitWarmupTest {
    private static final String SPEC = System.getProperty("warmupSpec", "CONV3-4 POOL2 CONV3-4 BN RELU POOL2 FLATTEN FC-10");
    private final int savedThreads = Parallel.threads();

    @AfterEach void restoreThreads() { Parallel.setThreads(savedThreads); }

    @Test void warmupBeforeOrDuringTrainingChangesNoBit() throws Exception {
        Dataset data = FashionMnist.loadSample().train().subset(IntStream.range(0, 256).toArray(), "first 256");
        Parallel.setThreads(2);
        Map<String, float[]> plain = train(data, null);

        JitWarmup before = warmup(5_000);
        before.finish();
        Map<String, float[]> afterWarmup = train(data, null);

        JitWarmup during = warmup(200);   // runs while the model below trains
        Map<String, float[]> alongside = train(data, null);
        during.finish();

        for (String name : plain.keySet()) {
            assertArrayEquals(plain.get(name), afterWarmup.get(name), name + " after a warm-up");
            assertArrayEquals(plain.get(name), alongside.get(name), name + " with a warm-up alongside");
        }
        // The comparison can fail: a warm-up that trained the caller's own model would change its weights.
        Module shared = ModelBuilder.build(SPEC, "28x28x1", 3);
        new JitWarmup(() -> shared, new int[] {8, 1, 28, 28}, 10, 3, 5_000).finish();
        Map<String, float[]> touched = train(data, shared);
        assertFalse(java.util.Arrays.equals(plain.get("0.weight"), touched.get("0.weight")));
        assertTrue(plain.containsKey("0.weight"));
    }

    @Test void aWarmUpOnTheCallingThreadLeavesTheTrainingBitwiseUnchanged() throws Exception {
        Dataset data = FashionMnist.loadSample().train().subset(IntStream.range(0, 256).toArray(), "first 256");
        Parallel.setThreads(2);
        Map<String, float[]> plain = train(data, null);
        JitWarmup.runHere(() -> ModelBuilder.build(SPEC, "28x28x1", 99), new int[] {16, 1, 28, 28}, 40, 10, 50, 5_000,
                CompletableFuture.completedFuture(null));
        Map<String, float[]> afterWarmup = train(data, null);
        for (String name : plain.keySet()) assertArrayEquals(plain.get(name), afterWarmup.get(name), name);
    }

    @Test void aWarmUpGoesOnWhileTheCallerWaitsAndStopsWhenItsWorkFails() {
        Parallel.setThreads(1);
        CompletableFuture<Void> work = new CompletableFuture<>();
        // The caller's work fails after a while: the warm-up, which would go on for a minute while it waits, stops.
        CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS).execute(() -> work.completeExceptionally(new IllegalStateException("no data")));
        long start = System.nanoTime();
        JitWarmup.runHere(() -> ModelBuilder.build(SPEC, "28x28x1", 99), new int[] {4, 1, 28, 28}, 8, 10, 1, 60_000, work);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(work.isDone(), "returned before the caller's work ended, after " + seconds + " s");
        // A hang guard, not a speed check: without the stop the warm-up would run to its 60 s deadline.
        assertTrue(seconds < 30, "went on after the caller's work failed: " + seconds + " s");
    }

    @Test void aFailedDataLoadIsReportedAsTheLoadsError() throws Exception {
        TrainSettings settings = TrainSettings.builder().model("FLATTEN FC-10").epochs(1).threads(1).build();
        try (TrainRun run = TrainRun.open(settings)) {
            run.useData(() -> { throw new java.io.IOException("disk on fire"); });
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, run::load);
            assertEquals("cannot read Fashion-MNIST: disk on fire", e.getMessage());
        }
    }

    @Test void theWarmUpIsNeverLongerThanTheTraining() {
        // TrainRun's minimum: WARMUP_STEPS, or the training's own steps when it has fewer; no overflow at the extremes.
        assertEquals(TrainRun.WARMUP_STEPS, TrainRun.warmupSteps(3, 60_000, 64));
        assertEquals(16, TrainRun.warmupSteps(1, 1_000, 64));
        assertEquals(32, TrainRun.warmupSteps(2, 1_000, 64));
        assertEquals(TrainRun.WARMUP_STEPS, TrainRun.warmupSteps(Integer.MAX_VALUE, Integer.MAX_VALUE, 1));
        assertEquals(0, TrainRun.warmupSteps(1, 0, 64));
    }

    private static JitWarmup warmup(int steps) {
        return new JitWarmup(() -> ModelBuilder.build(SPEC, "28x28x1", 99), new int[] {16, 1, 28, 28}, 10, steps, 5_000);
    }

    /** One epoch of SGD from seed 3 (or on the given model); the weights afterwards. */
    private static Map<String, float[]> train(Dataset data, Module given) {
        Module net = given != null ? given : ModelBuilder.build(SPEC, "28x28x1", 3);
        var loader = new DataLoader(data, 32, true, false, 5, true);
        new Trainer(net, new SGD(net.parameters(), 0.05, 0.9, 0), null).fit(new LoaderBatches(loader), LoaderBatches.inOrder(data, 128), 1, 10);
        Map<String, float[]> weights = new TreeMap<>();
        for (var e : net.namedParameters().entrySet()) weights.put(e.getKey(), e.getValue().data().clone());
        return weights;
    }
}
