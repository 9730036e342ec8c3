package convlab.web;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard's run log: what it writes, how a run is stopped, and what it costs a training step. */
class RunLogTest {
    @TempDir Path tmp;

    @Test void writesStepsAndRecoversEachStepsOwnLoss() throws Exception {
        RunLog log = RunLog.create(tmp, Map.of("model", "mlp"), null);
        log.epochStarted(0, 3);
        // Running means of losses 3, 1, 2 and accuracies 1, 0, 1/2: the log recovers each step's own value.
        log.stepFinished(0, 1, 3.0, 1.0, 100);
        log.stepFinished(0, 2, 2.0, 0.5, 100);
        log.stepFinished(0, 3, 2.0, 0.5, 100);
        log.end("done", null);
        List<String> lines = Files.readAllLines(log.dir().resolve("events.jsonl"));
        assertEquals(6, lines.size());
        JsonObject start = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertEquals("start", start.get("type").getAsString());
        assertEquals(ProcessHandle.current().pid(), start.get("pid").getAsLong());
        double[] losses = lines.subList(2, 5).stream().mapToDouble(l -> JsonParser.parseString(l).getAsJsonObject().get("loss").getAsDouble()).toArray();
        assertEquals(3.0, losses[0], 1e-12);
        assertEquals(1.0, losses[1], 1e-12);
        assertEquals(2.0, losses[2], 1e-12);
        assertEquals(0.5, JsonParser.parseString(lines.get(4)).getAsJsonObject().get("acc").getAsDouble(), 1e-12);
        assertTrue(lines.get(5).contains("\"type\":\"end\",\"status\":\"done\""), lines.get(5));
        assertTrue(TrainJobs.RUN_ID.matcher(log.id()).matches(), log.id());
    }

    @Test void aStopFileStopsTheRunAtAStep() throws Exception {
        RunLog log = RunLog.create(tmp, Map.of(), null);
        log.epochStarted(0, 1000);
        Files.writeString(log.dir().resolve("stop"), "");
        Thread.sleep(300);   // the log looks for the file at most 4 times a second
        assertThrows(RunLog.Stopped.class, () -> { for (int s = 1; s <= 1000; s++) log.stepFinished(0, s, 1, 1, 1); });
    }

    /**
     * The cost the dashboard adds to training: one stepFinished call (a JSON line into a buffer, a flush at most
     * 5 times a second, a look for the stop file at most 4 times a second). Printed; must stay under 1% of the
     * fastest step convlab takes on the course's models (the MLP: ~1 ms for a batch of 64 at ~62k images/s).
     */
    @Test void aStepCostsMicroseconds() throws Exception {
        RunLog log = RunLog.create(tmp, Map.of(), null);
        log.epochStarted(0, 1_000_000);
        int n = 200_000;
        for (int s = 1; s <= n; s++) log.stepFinished(0, s, 0.5 + 1.0 / s, 0.8, 12345);   // warm-up
        long best = Long.MAX_VALUE;
        for (int rep = 0; rep < 3; rep++) {
            long t0 = System.nanoTime();
            for (int s = 1; s <= n; s++) log.stepFinished(0, s, 0.5 + 1.0 / s, 0.8, 12345);
            best = Math.min(best, System.nanoTime() - t0);
        }
        log.end("done", null);
        double nsPerStep = best / (double) n;
        System.out.printf("RunLog.stepFinished: %.0f ns per step (%.3f%% of a 1 ms training step)%n", nsPerStep, nsPerStep / 1e6 * 100);
        assertTrue(nsPerStep < 10_000, "a logged step costs " + nsPerStep + " ns");
    }
}
