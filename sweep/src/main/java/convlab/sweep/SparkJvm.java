package convlab.sweep;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The JVM flags Spark needs on Java 17+ (its own list, {@code JavaModuleOptions} of Spark 4.2.0), kept in one file
 * ({@code convlab/sweep/spark-jvm-flags.txt}) that the launcher reads too, and the flags convlab's kernels need
 * on every executor (the Vector API module, the launcher's collector and loop flags).
 */
public final class SparkJvm {
    private SparkJvm() {}

    /** Spark's flags, one element each. */
    public static List<String> sparkFlags() {
        try (InputStream in = SparkJvm.class.getResourceAsStream("spark-jvm-flags.txt")) {
            if (in == null) throw new IllegalStateException("spark-jvm-flags.txt is missing from the sweep jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What convlab's kernels need in an executor JVM beside Spark's flags: the launcher's serial collector (Spark 4.2
     * notes a G1 bug in JDK 25.0.0-25.0.2) and the loop-strip-mining flags without which the Vector API GEMM runs at
     * half speed under SerialGC.
     */
    public static List<String> convlabFlags() {
        return List.of("--add-modules=jdk.incubator.vector", "-XX:+UseSerialGC", "-XX:+UseCountedLoopSafepoints",
                "-XX:LoopStripMiningIter=1000", "-Djava.awt.headless=true");
    }

    /** Spark's and convlab's flags as one spark.executor.extraJavaOptions value. */
    public static String executorOptions() {
        return String.join(" ", sparkFlags()) + " " + String.join(" ", convlabFlags());
    }
}
