package convlab.optim;

import com.google.gson.JsonObject;
import convlab.nn.Parameter;
import convlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LrScheduleTest {

    private static void assertMatches(String key, LrSchedule s) throws Exception {
        JsonObject fx = OptimizerParityTest.load("schedules");
        var lrs = fx.getAsJsonArray(key);
        for (int t = 0; t < lrs.size(); t++) assertEquals(lrs.get(t).getAsDouble(), s.factor(t), 1e-12, key + " t=" + t);
    }

    @Test void matchPyTorchSchedulers() throws Exception {
        assertMatches("step_7_0.5", LrSchedule.step(7, 0.5));
        assertMatches("cosine_20_0.1", LrSchedule.cosine(20, 0.1));
        assertMatches("warmup_5_0.2+cosine_20", LrSchedule.cosine(20, 0).withWarmup(5, 0.2));
        assertMatches("warmup_5_0.2+cosine_20", LrSchedule.parse("warmup:5:0.2+cosine:20"));
    }

    @Test void handValues() {
        assertEquals(0.25, LrSchedule.step(10, 0.5).factor(25));
        assertEquals(0.5, LrSchedule.cosine(10, 0).factor(5), 1e-15);
        assertEquals(1.0 / 4, LrSchedule.parse("warmup:3+constant").factor(0));   // (t+1)/(S+1)
        assertEquals(3.0 / 4, LrSchedule.parse("warmup:3+constant").factor(2));
        assertEquals(1.0, LrSchedule.parse("warmup:3+constant").factor(3));
        assertEquals(0.5 * 0.5, LrSchedule.step(2, 0.5).times(LrSchedule.cosine(4, 0)).factor(2), 1e-15);
    }

    @Test void appliesPerGroupRelativeToInitialLr() {
        var a = new ParamGroup(List.of(new Parameter(Tensor.zeros(1))), 0.1, 0);
        var b = new ParamGroup(List.of(new Parameter(Tensor.zeros(1))), 0.01, 0);
        SGD opt = new SGD(List.of(a, b), 0, 0, false);
        LrSchedule.step(1, 0.5).apply(opt, 2);
        assertEquals(0.025, a.lr(), 1e-15);
        assertEquals(0.0025, b.lr(), 1e-15);
    }

    @Test void badSpecsSayWhatIsExpected() {
        for (String bad : new String[] {"cosin:10", "step:3", "warmup+cosine:10", "cosine:ten", "step:0:0.5"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> LrSchedule.parse(bad), bad);
            assertTrue(e.getMessage().contains("schedule") || e.getMessage().contains("step"), e.getMessage());
        }
    }
}
