package convlab.sweep;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SparkJvmTest {
    /** The pom's copy (the test JVMs' flags) is the resource file's list (the launcher's and the executors'). */
    @Test
    void thePomAndTheFlagsFileListTheSameFlags() {
        String pom = System.getProperty("convlab.spark.jvm.flags");
        assertTrue(pom != null && !pom.isBlank(), "surefire passes sweep/pom.xml's spark.jvm.flags");
        assertEquals(SparkJvm.sparkFlags(), List.of(pom.strip().split("\\s+")));
        assertTrue(SparkJvm.sparkFlags().contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"));
        assertTrue(SparkJvm.executorOptions().contains("-XX:+UseSerialGC"));
    }
}
