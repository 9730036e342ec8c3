package convlab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parts of {@code convlab bench gemm} that do not time anything: parsing shapes, options and BLAS files. */
class BenchGemmCommandTest {
    @Test void parsesShapes() {
        assertEquals(new BenchGemmCommand.Shape(256, 256, 256), BenchGemmCommand.Shape.parse("256"));
        assertEquals(new BenchGemmCommand.Shape(32, 50176, 288), BenchGemmCommand.Shape.parse("32x50176x288"));
        assertEquals(new BenchGemmCommand.Shape(2, 3, 4), BenchGemmCommand.Shape.parse(" 2×3×4 "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchGemmCommand.Shape.parse("2x3"));
        assertTrue(e.getMessage().contains("'2x3'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BenchGemmCommand.Shape.parse("0x3x4"));
        assertThrows(IllegalArgumentException.class, () -> BenchGemmCommand.Shape.parse("100000x100000x1"));
    }

    @Test void badOptionsExitWithCode2BeforeTimingAnything() {
        assertEquals(Cli.EXIT_BAD_INPUT, Main.run("bench", "gemm", "--sizes", "12x"));
        assertEquals(Cli.EXIT_BAD_INPUT, Main.run("bench", "gemm", "--ops", "nx"));
        assertEquals(Cli.EXIT_BAD_INPUT, Main.run("bench", "gemm", "--threads", "0"));
        assertEquals(Cli.EXIT_BAD_INPUT, Main.run("bench", "gemm", "--reps", "0"));
        assertEquals(Cli.EXIT_BAD_INPUT, Main.run("bench", "gemm", "--blas", "/nonexistent/blas.json"));
    }

    @Test void readsTheJsonOfGemmNumpy(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("blas.json");
        Files.writeString(f, """
                {"library": "numpy 1.24.2", "blas": "openblas", "results": [
                  {"shape": "1024x1024x1024", "m": 1024, "n": 1024, "k": 1024, "op": "nn", "threads": 2,
                   "median_gflops": 170.5, "best_gflops": 171.0, "median_gflops_per_cpu_s": 88.5},
                  {"shape": "32x288x50176", "m": 32, "n": 288, "k": 50176, "op": "nt", "threads": 1,
                   "median_gflops": 60.0, "best_gflops": 61.0}]}
                """);
        Map<String, double[]> blas = BenchGemmCommand.readBlas(f);
        assertEquals(170.5, blas.get("1024x1024x1024/nn/2")[0]);
        assertEquals(88.5, blas.get("1024x1024x1024/nn/2")[1]);
        assertEquals(60.0, blas.get("32x288x50176/nt/1")[0]);
        assertTrue(Double.isNaN(blas.get("32x288x50176/nt/1")[1]));
        Files.writeString(f, "[1, 2]");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchGemmCommand.readBlas(f));
        assertTrue(e.getMessage().contains("gemm_numpy.py"), e.getMessage());
        Files.writeString(f, "{\"results\": [{\"m\": 1}]}");
        assertThrows(IllegalArgumentException.class, () -> BenchGemmCommand.readBlas(f));
    }
}
