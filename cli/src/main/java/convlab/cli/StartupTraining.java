package convlab.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The training run of the launcher's ahead-of-time cache (JDK 25, JEP 483/514/515): {@code ./convlab} runs this
 * once with {@code -XX:AOTCacheOutput} after each build, and every later start maps the classes it loaded and
 * linked and the method profiles it gathered. So it runs a mix of the short commands people run (the course's
 * calculators, optimize, step-size and a sheet rendered to Markdown, HTML and PDF), with their output discarded.
 * Its exit status is 0 whatever the commands answer (a wrong checked answer is part of the mix); a command that
 * throws is reported on stderr and the rest still run.
 */
final class StartupTraining {
    private StartupTraining() {}

    /** Command lines as typed, one per command: what the cache is trained on. */
    static final List<String[]> COMMANDS = List.of(
            new String[] {"--help"},
            new String[] {"optimize", "--features", "1 0.1 0.01", "--targets", "1", "--method", "sgd", "--limit"},
            new String[] {"optimize", "--features", "1 0.1 0.01", "--targets", "1", "--method", "sgd", "--preconditioner", "1 10 100", "--limit", "--check", "[1, 1, 1]"},
            new String[] {"optimize", "--features", "1 0.1 0.01", "--targets", "1", "--method", "adagrad", "--steps", "2", "--limit"},
            new String[] {"optimize", "--features", "1 0.1 0.01", "--targets", "1", "--method", "signsgd", "--lr", "0.01", "--limit", "--json"},
            new String[] {"step-size", "--d-in", "784", "--d-out", "256", "--optimizer", "muon", "--unit-scaled"},
            new String[] {"step-size", "FC-256 FC-10", "--input", "784", "--unit-scaled", "--json"},
            new String[] {"conv", "--input", "1 2 3; 4 5 6; 7 8 9", "--kernel", "1 2; 3 4", "--flip", "--padding", "1", "--stride", "2", "--explain"},
            new String[] {"conv", "--input", "1 2; 3 4", "--kernel", "1/2", "--markdown"},
            new String[] {"conv", "--input", "1 2 3; 4 5 6; 7 8 9", "--kernel", "1 2; 3 4", "--flip", "--check", "\\frac{1}{2} \\begin{bmatrix} 46 & 66 \\\\ 106 & 126 \\end{bmatrix}"},
            new String[] {"solve-filter", "--input", "1 2 3; 4 5 6; 7 8 9", "--output", "37 47; 67 77", "--size", "2"},
            new String[] {"params", "--kind", "separable", "--in-channels", "3", "--out-channels", "4", "--kernel-size", "3", "--check", "43"},
            new String[] {"params", "--in-channels", "10", "--out-channels", "10", "--kernel-size", "3", "--check", "K^2 C F"},
            new String[] {"cost", "1/2 (3I - W W^T) W", "--dims", "W: d_out x d_in", "--assume", "d_out >> d_in", "--sizes", "d_out=4096,d_in=256"},
            new String[] {"summary", "CONV3-10 POOL2 CONV3-10 POOL2 FLATTEN FC-3", "--input", "28x28x1"},
            new String[] {"summary", "CONV3-10 POOL2 FLATTEN FC-10", "--input", "28x28x1", "--unit-scaled", "1", "--json"},
            new String[] {"receptive-field", "CONV3-8 POOL2 CONV3-8 POOL2", "--check", "1, 3, 4, 8, 11"},
            new String[] {"grad", "conv", "--input", "1 2 3; 4 5 6; 7 8 9", "--kernel", "1 0; 0 -1", "--grad-output", "1 2; 3 4", "--explain"},
            new String[] {"grad", "batchnorm", "--input", "1; 2; 6", "--grad-output", "1; 0; 2", "--gamma", "2", "--mean-only", "--explain"},
            new String[] {"fp8", "round", "e4m3", "0.3", "1.0625", "448", "500"});

    /** The sheet rendered to all three formats: one block of each kind of output (matrices, tables, fractions, a check). */
    static final String SHEET = """
            # Training sheet

            Text with $x^2$ and a list:

            - one
            - two

            ```convlab
            conv --input "1 2 3; 4 5 6; 7 8 9" --kernel "1 2; 3 4" --flip --explain --check "37 47; 67 77"
            ```

            ```convlab
            summary "CONV3-10 POOL2 FLATTEN FC-3" --input 28x28x1
            ```

            ```convlab
            cost "W^T W" --dims "W: d_out x d_in" --check "\\Theta(d_{out} d_{in}^2)"
            ```

            ```convlab
            grad maxpool --input "1 3 2 1; 4 4 0 1; 5 6 7 8; 1 2 8 0" --size 2 --grad-output "1 2; 3 4" --explain
            ```

            ```convlab
            optimize --features "1 0.1 0.01" --targets 1 --method adagrad --steps 2 --limit
            ```

            ```convlab
            step-size --d-in 784 --d-out 256 --optimizer signsgd --unit-scaled
            ```

            ```convlab
            receptive-field "CONV3-8 POOL2" --markdown
            ```

            ```convlab
            fp8 round e4m3 0.3
            ```

            ```convlab
            conv --input "1 2" --kernel "oops"
            ```
            """;

    /** The sheet command of the mix: FILE rendered to s.md, s.html and s.pdf in dir. */
    static String[] sheetCommand(Path sheet, Path dir) {
        return new String[] {"sheet", sheet.toString(), "--html", dir.resolve("s.html").toString(),
                "--pdf", dir.resolve("s.pdf").toString(), "--md", dir.resolve("s.md").toString()};
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out, err = System.err;
        PrintStream none = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        Path dir = Files.createTempDirectory("convlab-training");
        try {
            Path sheet = dir.resolve("sheet.md");
            Files.writeString(sheet, SHEET, StandardCharsets.UTF_8);
            List<String[]> all = new java.util.ArrayList<>(COMMANDS);
            all.add(sheetCommand(sheet, dir));
            System.setOut(none);
            System.setErr(none);
            for (String[] command : all) {
                try {
                    Main.run(command);
                } catch (RuntimeException | Error e) {
                    err.println("convlab start-up training: " + String.join(" ", command) + ": " + e);
                }
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
        System.exit(0);
    }
}
