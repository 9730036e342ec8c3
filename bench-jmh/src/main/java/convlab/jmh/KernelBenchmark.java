package convlab.jmh;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The settings every kernel benchmark shares (JMH reads these annotations through the subclasses): average
 * time per operation in ms, one fork with the launcher's JVM flags, a short warm-up (C2 compiles the Vector
 * API kernels within a second or two) and a short measurement, so the whole suite takes a few minutes on
 * two cores. bench/kernels.sh may override the counts on the command line.
 *
 * <p>Each subclass also has {@code public static Work work(String method, Map<String, String> params)}: the
 * FLOPs or bytes of one operation, which {@link KernelReport} turns into rates.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(value = 1, jvmArgs = {
        "--add-modules", "jdk.incubator.vector", "--sun-misc-unsafe-memory-access=allow",   // JMH's own use of Unsafe
        // As ./convlab runs: without loop strip mining C2 keeps bounds checks in the Vector API loops under ParallelGC.
        "-XX:+UseParallelGC", "-Xmx2g", "-Xmn256m", "-XX:+UseCountedLoopSafepoints", "-XX:LoopStripMiningIter=1000"})
public abstract class KernelBenchmark {
    /** Seed of every benchmark's random inputs (the timings do not depend on it; repeatability does). */
    static final long SEED = 1;
}
