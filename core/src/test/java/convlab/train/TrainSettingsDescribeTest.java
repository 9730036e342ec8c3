package convlab.train;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The one description of a run that the report, the dashboard, the workbench and a sweep's trials show. */
class TrainSettingsDescribeTest {
    @Test void everySettingThatMakesTheNumbersByOptionNameInOrder() {
        TrainSettings s = TrainSettings.builder().model("course-cnn").data(Path.of("/d")).epochs(2).batch(32).optimizer("adam")
                .lr(0.05).momentum(0.8).weightDecay(1e-4).lrSchedule("cosine").seed(7).threads(1).skipNonFinite(true).build();
        Map<String, Object> want = new LinkedHashMap<>();
        want.put("model", "course-cnn");
        want.put("data", "/d");
        want.put("epochs", 2);
        want.put("batch", 32);
        want.put("optimizer", "adam");
        want.put("lr", 0.05);
        want.put("momentum", 0.8);
        want.put("weight-decay", 1e-4);
        want.put("lr-schedule", "cosine");
        want.put("unit-scaled", false);
        want.put("fp8-params", "none");
        want.put("seed", 7L);
        want.put("threads", 1);
        want.put("on-nan", "skip");
        assertEquals(want, s.describe());
        assertEquals(TrainSettings.DESCRIBED, List.copyOf(s.describe().keySet()));
        assertEquals("sample", s.toBuilder().sampleData().build().describe().get("data"));
        assertEquals("default", s.toBuilder().data(null).build().describe().get("data"));
        assertEquals("stop", TrainSettings.builder().build().describe().get("on-nan"));
    }

    @Test void aPageAboutTheTrainedModelShowsItsSpecParametersAndDataSource() {
        var d = TrainSettings.builder().model("mlp").threads(1).build().describe("FLATTEN FC-256 RELU FC-10", 203_530, "embedded sample");
        assertEquals(List.of("model", "parameters", "data", "epochs", "batch", "optimizer", "lr", "momentum", "weight-decay",
                "lr-schedule", "unit-scaled", "fp8-params", "seed", "threads", "on-nan"), List.copyOf(d.keySet()));
        assertEquals("FLATTEN FC-256 RELU FC-10", d.get("model"));
        assertEquals(203_530L, d.get("parameters"));
        assertEquals("embedded sample", d.get("data"));
        assertEquals(0.01, d.get("lr"));
    }

    /** What every checkpoint records for a resume to compare, exactly as checkpoints always wrote it. */
    @Test void resumeSettingsKeepTheCheckpointFormat() {
        TrainSettings s = TrainSettings.builder().model("mlp").lr(0.05).momentum(0.8).weightDecay(1e-4).batch(32).seed(7).threads(1).build();
        assertEquals("{\"model\":\"FC-10\",\"optimizer\":\"sgd\",\"lr\":0.05,\"momentum\":0.8,\"weight-decay\":1.0E-4,"
                + "\"lr-schedule\":\"constant\",\"batch\":32,\"seed\":7,\"unit-scaled\":false,\"fp8-params\":\"none\"}",
                s.resumeSettings("FC-10").toString());
        assertEquals("cosine", s.toBuilder().lrSchedule("cosine").build().resumeSettings("FC-10").get("lr-schedule").getAsString());
        assertEquals("e4m3", s.toBuilder().fp8Params("e4m3").build().resumeSettings("FC-10").get("fp8-params").getAsString());
    }
}
