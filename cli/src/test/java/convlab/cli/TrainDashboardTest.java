package convlab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code convlab train --dashboard}: the run's live log for the workbench, from its start line to its end line. */
class TrainDashboardTest {
    @TempDir Path tmp;

    @Test void logsEveryStepAndTheEnd() throws Exception {
        var r = CliTestSupport.run("train", "--model", "mlp", "--epochs", "1", "--data", CliTestSupport.sampleDir().toString(),
                "--threads", "1", "--no-progress", "--dashboard", tmp.toString());
        assertEquals(0, r.exitCode(), r.err());
        Path run;
        try (Stream<Path> s = Files.list(tmp.resolve("runs"))) { run = s.findFirst().orElseThrow(); }
        assertTrue(r.out().contains("dashboard: run " + run.getFileName()), r.out());
        List<String> lines = Files.readAllLines(run.resolve("events.jsonl"));
        assertTrue(lines.getFirst().contains("\"type\":\"start\"") && lines.getFirst().contains("\"origin\":\"convlab train --dashboard\""), lines.getFirst());
        // The start line carries the library's one description of the run (TrainSettings.describe), then the dashboard's own.
        var start = com.google.gson.JsonParser.parseString(lines.getFirst()).getAsJsonObject();
        assertEquals(List.of("model", "parameters", "data", "epochs", "batch", "optimizer", "lr", "momentum", "weight-decay",
                "lr-schedule", "unit-scaled", "fp8-params", "seed", "threads", "on-nan", "classes", "origin", "type", "id", "pid", "time"),
                List.copyOf(start.keySet()));
        assertEquals(203_530, start.get("parameters").getAsLong());
        long steps = lines.stream().filter(l -> l.contains("\"type\":\"step\"")).count();
        assertEquals(94, steps, "6,000 sample images in batches of 64");
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"type\":\"test\"") && l.contains("\"confusion\"") && l.contains("\"filters\"")));
        assertTrue(lines.getLast().contains("\"type\":\"end\",\"status\":\"done\""), lines.getLast());
    }
}
