package convlab.jmh;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report's arithmetic on a hand-made JMH result (no benchmark runs here). */
class KernelReportTest {
    private static String result(String benchmark, String params, double ms, double cpuMs, String unit) {
        return """
                {"benchmark": "%s", "mode": "avgt", "params": {%s},
                 "primaryMetric": {"score": %s, "scoreUnit": "%s"},
                 "secondaryMetrics": {"cpu": {"score": %s, "scoreUnit": "ms/op"}}}""".formatted(benchmark, params, ms, unit, cpuMs);
    }

    private static JsonArray results(String... rows) {
        return JsonParser.parseString("[" + String.join(",", rows) + "]").getAsJsonArray();
    }

    @Test
    void ratesAndFractionsOfPeakFollowTheWorkOfEachBenchmark() {
        double fmaFlops = PeakBench.work("fma", Map.of()).amount();
        List<KernelReport.Row> rows = KernelReport.rows(results(
                // FMA peak 100 GFLOP/s per CPU-second (wall twice as slow: the machine was busy)
                result("convlab.jmh.PeakBench.fma", "", 2 * fmaFlops / 1e8, fmaFlops / 1e8, "ms/op"),
                // 1024³ in 42.95 ms of CPU: 50 GFLOP/s, half the peak; 2 threads
                result("convlab.jmh.GemmBench.square", "\"size\": \"1024\", \"threads\": \"2\"", 25, 2.0 * 1024 * 1024 * 1024 / 5e7, "ms/op"),
                // 8 bytes per float: 12.8 MB in 0.32 ms = 40 GB/s, the streaming peak
                result("convlab.jmh.PeakBench.stream", "\"n\": \"1600000\"", 0.32, 0.32, "ms/op"),
                // BN+ReLU forward on 64x32x28x28 floats: 2 tensors × 4 bytes × 1,605,632 = 12.85 MB in 0.642 ms = 20 GB/s
                result("convlab.jmh.PoolNormBench.forward", "\"layer\": \"BATCHNORM_RELU\", \"shape\": \"64x32x28x28\", \"threads\": \"1\"",
                        0.6422528, 0.6422528, "ms/op")));
        assertEquals(100, KernelReport.peak(rows, "fma"), 1e-9);
        assertEquals(40, KernelReport.peak(rows, "stream"), 1e-9);
        // the table order: ceilings first, then the GEMM, then the layers
        assertEquals(List.of("PeakBench.fma", "PeakBench.stream", "GemmBench.square", "PoolNormBench.forward"),
                rows.stream().map(KernelReport.Row::name).toList());
        KernelReport.Row gemm = rows.get(2), bn = rows.get(3);
        assertEquals(2, gemm.threads());
        assertEquals(50, gemm.cpuRate(), 1e-9);
        assertEquals(20, bn.cpuRate(), 1e-9);
        String md = KernelReport.markdown(rows, null, null, "test machine", Double.NaN, "bench/kernels.sh");
        assertTrue(md.contains("| GemmBench.square | 1024×1024×1024 | 2 | 25.00 | 42.95 | 85.9 GFLOP/s | 50.0 | 0.50 |"), md);
        assertTrue(md.contains("| PoolNormBench.forward | BatchNorm2d+ReLU 64x32x28x28 | 1 | 0.642 | 0.642 | 20.0 GB/s | 20.0 | 0.50 |"), md);
        assertTrue(md.contains("FMA 100.0 GFLOP/s (Vector API, 12 independent accumulators)"), md);
        // PeakBench's own rate wins over the machine line's
        assertTrue(KernelReport.markdown(rows, null, null, "test machine", 80, "c").contains("| 50.0 | 0.50 |"));
    }

    @Test
    void withoutPeakBenchTheMachineLinesPeakGivesTheFraction() {
        // one class alone (bench/kernels.sh ConvBench ...): GEMM at 50 GFLOP/s per CPU-second, machine peak 125
        List<KernelReport.Row> rows = KernelReport.rows(results(
                result("convlab.jmh.GemmBench.square", "\"size\": \"1024\", \"threads\": \"1\"", 42.95, 2.0 * 1024 * 1024 * 1024 / 5e7, "ms/op")));
        assertTrue(Double.isNaN(KernelReport.peak(rows, "fma")));
        String without = KernelReport.markdown(rows, null, null, "m", Double.NaN, "c");
        assertTrue(without.contains("| 50.0 | – |"), without);
        String with = KernelReport.markdown(rows, null, null, "m", 125, "c");
        assertTrue(with.contains("| 50.0 | 0.40 |"), with);
        assertTrue(with.contains("FMA 125.0 GFLOP/s (Vector API, 12 independent accumulators, measured by `convlab bench machine`"), with);
    }

    @Test
    void aPeakThatIsNotAPositiveNumberIsRefused() {
        assertEquals(113.5, KernelReport.gflops("113.5"));
        for (String bad : new String[] {"0", "-3", "NaN", "Infinity", "fast", ""})
            assertThrows(IllegalArgumentException.class, () -> KernelReport.gflops(bad), bad);
    }

    @Test
    void convWorkCountsTheInputGradientOnlyWhereTheNetworkNeedsIt() {
        // wide conv2: 2 · 64 · 32 · 28² · 32 · 9 per pass; backward = weight + input gradient
        double forward = 2.0 * 64 * 32 * 784 * 32 * 9;
        assertEquals(forward, ConvBench.work("forward", Map.of("layer", "WIDE_CONV2")).amount());
        assertEquals(2 * forward, ConvBench.work("backward", Map.of("layer", "WIDE_CONV2")).amount());
        // the first layer has no input gradient
        assertEquals(CnnLayer.COURSE_CONV1.forwardFlops(), ConvBench.work("backward", Map.of("layer", "COURSE_CONV1")).amount());
        assertEquals("wide conv2 32->32 28x28", ConvBench.shape("forward", Map.of("layer", "WIDE_CONV2")));
        assertEquals("course conv1 1->10 28x28 +ReLU", ConvBench.shape("forward", Map.of("layer", "COURSE_CONV1")));
    }

    @Test
    void resultsInAnotherUnitAreRefusedRatherThanMisread() {
        JsonArray r = results(result("convlab.jmh.PeakBench.fma", "", 120, 120, "us/op"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelReport.rows(r));
        assertTrue(e.getMessage().contains("us/op"), e.getMessage());
    }
}
