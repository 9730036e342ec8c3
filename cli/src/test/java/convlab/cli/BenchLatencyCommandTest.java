package convlab.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import convlab.kernels.Vectors;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code convlab bench latency} and {@code bench machine}: options, and the fields bench/compare.py reads. */
class BenchLatencyCommandTest {
    @Test void badOptionsExitWithCode2() {
        assertEquals(Cli.EXIT_BAD_INPUT, Main.run("bench", "latency", "--iters", "0"));
        assertEquals(Cli.EXIT_BAD_INPUT, Main.run("bench", "latency", "--warmup", "-1"));
        assertEquals(Cli.EXIT_BAD_INPUT, Main.run("bench", "latency", "--threads", "0"));
        assertEquals(Cli.EXIT_BAD_INPUT, Main.run("bench", "latency", "--warmup-seconds", "-1"));
        assertEquals(Cli.EXIT_BAD_INPUT, Main.run("bench", "latency", "--warmup-seconds", "NaN"));
        assertEquals(Cli.EXIT_BAD_INPUT, Main.run("bench", "latency", "--model", "CONV3-10 POOL2"));
    }

    @Test void latencyJsonHasMedianBelowP99AndTheMachine() {
        CliTestSupport.Result r = CliTestSupport.run("bench", "latency", "--iters", "20", "--warmup", "2", "--warmup-seconds", "0.2", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        double median = o.get("median_us").getAsDouble(), p99 = o.get("p99_us").getAsDouble();
        assertTrue(median > 0 && median <= p99, r.out());
        assertTrue(o.get("warmup").getAsInt() >= 2, r.out());   // the untimed calls actually run, at least --warmup
        JsonObject m = o.getAsJsonObject("machine");
        assertEquals(Vectors.FLOAT.vectorBitSize(), m.get("vector_bits_used").getAsInt());
        assertTrue(m.get("fma_peak_gflops_per_core").getAsDouble() > 0, r.out());
        assertTrue(m.has("cpu") && m.has("vector_flags") && m.has("openblas_coretype"), r.out());
    }

    @Test void untimedCallsGoOnForTheWarmupSeconds() {
        // --warmup 0 asks for no untimed call by count: any that ran were run for the time floor
        CliTestSupport.Result r = CliTestSupport.run("bench", "latency", "--iters", "1", "--warmup", "0", "--warmup-seconds", "0.5", "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(JsonParser.parseString(r.out()).getAsJsonObject().get("warmup").getAsInt() >= 1, r.out());
        CliTestSupport.Result none = CliTestSupport.run("bench", "latency", "--iters", "1", "--warmup", "0", "--warmup-seconds", "0", "--json");
        assertEquals(0, JsonParser.parseString(none.out()).getAsJsonObject().get("warmup").getAsInt(), none.out());
    }

    @Test void machineLineNamesPeakAndCoreType() {
        CliTestSupport.Result r = CliTestSupport.run("bench", "machine");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("FMA peak") && r.out().contains("OPENBLAS_CORETYPE="), r.out());
        assertTrue(r.out().contains(Vectors.FLOAT.vectorBitSize() + "-bit vectors"), r.out());
    }
}
