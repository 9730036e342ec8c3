package convlab.sweep;

import convlab.train.TrainSettings;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A trial's settings are TrainSettings.describe() as text, with the keys and values sweeps always wrote (a trial's id
 * hashes them, so the trials of an existing sweep folder keep their ids), and they read back to the same settings.
 */
class TrialSettingsTest {
    @Test void theTextOfATrialIsTheOneDescriptionAndReadsBack() {
        TrainSettings ts = TrainSettings.builder().model("mlp").data(Path.of("/srv/fashion")).epochs(3).batch(64).optimizer("sgd")
                .lr(0.05).momentum(0.9).weightDecay(0).seed(1).threads(2).jitWarmup(false).build();
        // As SweepCli wrote it before TrainSettings.describe() existed: Double.toString, Integer.toString, "none".
        Map<String, String> old = new LinkedHashMap<>();
        old.put("model", "mlp");
        old.put("data", "/srv/fashion");
        old.put("epochs", "3");
        old.put("batch", "64");
        old.put("optimizer", "sgd");
        old.put("lr", "0.05");
        old.put("momentum", "0.9");
        old.put("weight-decay", "0.0");
        old.put("lr-schedule", "none");
        old.put("unit-scaled", "false");
        old.put("fp8-params", "none");
        old.put("seed", "1");
        old.put("threads", "2");
        old.put("on-nan", "stop");
        Map<String, String> text = Trials.text(ts);
        assertEquals(old, text);
        assertEquals(List.copyOf(old.keySet()), List.copyOf(text.keySet()));
        assertEquals(Trials.id(old), Trials.id(text));
        assertEquals(ts, Trials.trainSettings(text));

        TrainSettings other = ts.toBuilder().data(null).sampleData().lrSchedule("cosine").fp8Params("e4m3").unitScaled(true)
                .skipNonFinite(true).build();
        assertEquals(other, Trials.trainSettings(Trials.text(other)));
    }
}
