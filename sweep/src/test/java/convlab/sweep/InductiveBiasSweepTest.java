package convlab.sweep;

import convlab.experiment.ExperimentProgress;
import convlab.experiment.InductiveBias;
import convlab.io.StrictJson;
import convlab.report.Results;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The inductive-bias study's data-efficiency part run as a sweep gives the experiment's numbers: for every training-set
 * size of the quick plan and each of the four models, the sweep trial's final validation accuracy equals, bit for bit,
 * what {@code experiment inductive-bias --quick --seed 1} reports (results.json: sweep_cnn_acc, sweep_mlp_acc,
 * frozen_random_acc, frozen_edge_acc; the quick plan has one repetition, so these means are the single runs).
 * Tagged slow (the whole quick experiment runs first).
 */
@Tag("slow")
class InductiveBiasSweepTest {
    @Test
    void theDataEfficiencySweepGivesTheExperimentsNumbers(@TempDir Path tmp) throws Exception {
        Results experiment = new InductiveBias().run(tmp.resolve("experiment"), true, 1, ExperimentProgress.NONE);
        SweepLocalTest.Run r = SweepLocalTest.cli("--study", "inductive-bias", "--quick", "--seed", "1", "--master", "local[2]",
                "--grid", "images-per-class=2,10,50; arch=cnn,mlp,frozen-random,frozen-edges; rep=0", "--out", tmp.resolve("sweep").toString());
        assertEquals(0, r.code(), r.err());
        List<TrialResult> trials = StrictJson.parse(Files.readString(tmp.resolve("sweep").resolve("trials.json"))).getAsJsonArray().asList()
                .stream().map(e -> TrialResult.fromJson(e.getAsJsonObject())).toList();
        Map<String, String> keys = Map.of("cnn", "sweep_cnn_acc", "mlp", "sweep_mlp_acc", "frozen-random", "frozen_random_acc", "frozen-edges", "frozen_edge_acc");
        int[] sizes = InductiveBias.dataEfficiencySizes(true);
        assertEquals(12, trials.size());
        for (TrialResult t : trials) {
            int i = Trials.studyPoint(true, Integer.parseInt(t.settings().get("images-per-class")));
            double expected = experiment.array(keys.get(t.settings().get("arch")))[i];
            assertEquals(expected, t.finalTestAccuracy(), 0.0, t.settings() + " (size " + sizes[i] + ")");
        }
    }
}
