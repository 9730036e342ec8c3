package convlab.jmh;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;
import org.openjdk.jmh.runner.options.TimeValue;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * CPU time per operation, next to JMH's wall-clock time: the process's CPU time over each iteration divided
 * by the operations it ran, reported as the secondary result {@value #LABEL} in the benchmark's time unit.
 * On a machine shared with other jobs, wall time mostly measures the share of the CPU the fork happened to
 * get; CPU time measures the work (kernel threads, plus the GC and JIT threads they cause). Enable with
 * {@code -prof convlab.jmh.CpuTimeProfiler}.
 */
public final class CpuTimeProfiler implements InternalProfiler {
    public static final String LABEL = "cpu";

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long startNanos;

    @Override public String getDescription() { return "process CPU time per operation"; }

    @Override public void beforeIteration(BenchmarkParams benchmark, IterationParams iteration) {
        startNanos = OS.getProcessCpuTime();
    }

    @Override public Collection<? extends Result> afterIteration(BenchmarkParams benchmark, IterationParams iteration,
                                                                 IterationResult result) {
        long cpu = OS.getProcessCpuTime() - startNanos;
        long ops = result.getMetadata().getAllOps();
        if (ops <= 0 || cpu <= 0) return List.of();
        TimeUnit unit = benchmark.getTimeUnit();
        double perOp = (double) cpu / ops / TimeUnit.NANOSECONDS.convert(1, unit);
        return List.of(new ScalarResult(LABEL, perOp, TimeValue.tuToString(unit) + "/op", AggregationPolicy.AVG));
    }
}
