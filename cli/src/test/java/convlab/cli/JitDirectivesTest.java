package convlab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's compiler directives: scripts/jit-directives.json (serve, bench) and
 * scripts/jit-directives-training.json (train, eval, experiment, sweep), passed by ./convlab. A file HotSpot cannot
 * parse stops the JVM before main, so every `convlab train` would fail: this runs a JVM with each file as the
 * launcher passes it and checks that it starts, what each directive keeps from C2 (and that it leaves C1 alone), and
 * that nothing reaches stdout (where `--json` prints). And since C1 boxes every vector, that no class the training
 * file keeps from C2 uses the Vector API.
 */
class JitDirectivesTest {
    private static final Path SCRIPTS = Path.of("..", "scripts");
    private static final Path TRAINING = SCRIPTS.resolve("jit-directives-training.json");
    private static final Path CORE_SOURCES = Path.of("..", "core", "src", "main", "java");

    @Test void theLauncherPassesTheTrainingFileToTheTrainingCommandsWithItsOutputSilenced() throws Exception {
        String launcher = Files.readString(Path.of("..", "convlab"));
        String line = launcher.lines().filter(l -> l.contains("-XX:CompilerDirectivesFile=")).findFirst().orElse("");
        assertTrue(line.contains("-XX:CompilerDirectivesFile=\"$ROOT/scripts/$directives\""), line);
        assertTrue(line.contains("-XX:+UnlockDiagnosticVMOptions") && line.contains("-XX:-DisplayVMOutput"), line);
        assertTrue(launcher.contains("    directives=jit-directives.json\n"), "serve and bench: jit-directives.json");
        assertTrue(launcher.contains("case \"$1\" in train|eval|experiment|sweep) directives=jit-directives-training.json ;; esac"),
                "the training commands: jit-directives-training.json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"jit-directives.json", "jit-directives-training.json"})
    void withTheLaunchersFlagsNothingReachesStdout(String file) throws Exception {
        assertEquals("", java("-XX:CompilerDirectivesFile=" + SCRIPTS.resolve(file), "-XX:-DisplayVMOutput", "-version"));
    }

    @Test void hotSpotParsesTheFileAndExcludesTheVectorApiFromC2Only() throws Exception {
        List<Directive> ds = directives(SCRIPTS.resolve("jit-directives.json"));
        assertEquals(1, ds.size(), ds.toString());
        Directive d = ds.getFirst();
        assertTrue(d.matches("jdk/incubator/vector/*") && d.matches("jdk/internal/vm/vector/VectorSupport"), d.matching);
        assertTrue(d.excludedFromC2 && d.leavesC1Alone, d.toString());
    }

    @Test void theTrainingFileKeepsTheGlueFromC2AndTheElementLoopsInIt() throws Exception {
        List<Directive> ds = directives(TRAINING);
        assertEquals(2, ds.size(), ds.toString());
        Directive kept = ds.get(0), excluded = ds.get(1);   // the first directive that matches a method applies
        assertTrue(kept.leavesC1Alone && !kept.excludedFromC2, kept.toString());
        assertTrue(excluded.leavesC1Alone && excluded.excludedFromC2, excluded.toString());
        for (String p : List.of("jdk/incubator/vector/*", "jdk/internal/vm/vector/VectorSupport", "convlab/autograd/*", "convlab/nn/*",
                "convlab/optim/SGD", "convlab/optim/Optimizer", "convlab/train/*"))
            assertTrue(excluded.matches(p), p + " not in " + excluded.matching);
        for (String p : List.of("convlab/nn/functional/F", "convlab/nn/functional/ConvCompute")) assertTrue(kept.matches(p), p);
        // Every class named in the first directive exists: a renamed class would fall to the second and lose C2.
        for (String p : kept.patterns) assertTrue(Files.isRegularFile(CORE_SOURCES.resolve(p + ".java")), p + " has no source file");
    }

    @Test void noClassKeptFromC2UsesTheVectorApi() throws Exception {
        List<Directive> ds = directives(TRAINING);
        List<String> offenders = new ArrayList<>();
        int checked = 0;
        try (Stream<Path> files = Files.walk(CORE_SOURCES)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                String cls = CORE_SOURCES.relativize(f).toString().replace('\\', '/').replaceFirst("\\.java$", "");
                Directive applies = ds.stream().filter(d -> d.matchesClass(cls)).findFirst().orElse(null);
                if (applies == null || !applies.excludedFromC2) continue;
                checked++;
                if (Files.readString(f).contains("jdk.incubator.vector")) offenders.add(cls);
            }
        }
        assertTrue(checked > 20, "the glue's classes were not found: " + checked);
        assertEquals(List.of(), offenders, "classes that use the Vector API but run as C1 code (move the loop to convlab.kernels)");
    }

    /** One directive as HotSpot printed it (-XX:+CompilerDirectivesPrint): its class patterns and its C1 and C2 settings. */
    private record Directive(String matching, List<String> patterns, boolean leavesC1Alone, boolean excludedFromC2) {
        /** Whether a class pattern as HotSpot prints it ("convlab/nn/*", "convlab/optim/SGD") is among this directive's. */
        boolean matches(String pattern) { return patterns.contains(pattern); }

        /** HotSpot's rule for these patterns: a trailing * matches any suffix (subpackages and nested classes too). */
        boolean matchesClass(String cls) {
            return patterns.stream().anyMatch(p -> p.endsWith("*") ? cls.startsWith(p.substring(0, p.length() - 1)) : cls.equals(p));
        }
    }

    /** The file's directives in order, read from what HotSpot printed of them (the default directive left out). */
    private static List<Directive> directives(Path file) throws Exception {
        String out = java("-XX:CompilerDirectivesFile=" + file, "-XX:+CompilerDirectivesPrint", "-version");
        List<Directive> ds = new ArrayList<>();
        for (String block : out.split("\nDirective:")) {
            if (!block.contains(" matching: ") || block.startsWith(" (default)")) continue;
            String matching = block.substring(block.indexOf(" matching: ") + 11).lines().findFirst().orElseThrow();
            List<String> patterns = Stream.of(matching.split(", ")).map(p -> p.replaceFirst("\\.\\*$", "")).toList();
            String c1 = block.substring(block.indexOf("c1 directives:"), block.indexOf("c2 directives:"));
            String c2 = block.substring(block.indexOf("c2 directives:"));
            ds.add(new Directive(matching, patterns, c1.contains("Enable:false"), c2.contains("Enable:true Exclude:true")));
        }
        return ds;
    }

    /** Runs this JVM's java with diagnostic options unlocked; returns stdout after checking exit 0. */
    private static String java(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-XX:+UnlockDiagnosticVMOptions"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "java did not finish");
        assertEquals(0, p.exitValue(), "java " + String.join(" ", args) + ": " + out);
        assertFalse(out.isEmpty() && List.of(args).contains("-XX:+CompilerDirectivesPrint"), "HotSpot printed no directives");
        return out;
    }
}
