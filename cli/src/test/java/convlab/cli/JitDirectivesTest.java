package convlab.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's compiler directives (scripts/jit-directives.json, passed by ./convlab to the training commands). A
 * file HotSpot cannot parse stops the JVM before main, so every `convlab train` would fail: this runs a JVM with the
 * file as the launcher passes it and checks that it starts, that the directive excludes the Vector API's methods
 * from C2 only, and that nothing reaches stdout (where `--json` prints).
 */
class JitDirectivesTest {
    private static final Path FILE = Path.of("..", "scripts", "jit-directives.json");

    @Test void theLauncherPassesTheFileWithItsOutputSilenced() throws Exception {
        String launcher = Files.readString(Path.of("..", "convlab"));
        String line = launcher.lines().filter(l -> l.contains("-XX:CompilerDirectivesFile=")).findFirst().orElse("");
        assertTrue(line.contains("-XX:CompilerDirectivesFile=\"$ROOT/scripts/jit-directives.json\""), line);
        assertTrue(line.contains("-XX:+UnlockDiagnosticVMOptions") && line.contains("-XX:-DisplayVMOutput"), line);
    }

    @Test void hotSpotParsesTheFileAndExcludesTheVectorApiFromC2Only() throws Exception {
        String out = java("-XX:CompilerDirectivesFile=" + FILE, "-XX:+CompilerDirectivesPrint", "-version");
        assertTrue(out.startsWith("1 compiler directives added"), out);
        String directive = out.substring(out.indexOf("matching:"));
        String matching = directive.lines().findFirst().orElseThrow();
        assertTrue(matching.contains("jdk/incubator/vector/*.*") && matching.contains("jdk/internal/vm/vector/VectorSupport.*"), matching);
        String c1 = directive.substring(directive.indexOf("c1 directives:"), directive.indexOf("c2 directives:"));
        String c2 = directive.substring(directive.indexOf("c2 directives:"));
        assertTrue(c1.contains("Enable:false"), "the directive must leave C1 alone: " + c1);
        assertTrue(c2.contains("Enable:true Exclude:true"), c2);
    }

    @Test void withTheLaunchersFlagsNothingReachesStdout() throws Exception {
        assertEquals("", java("-XX:CompilerDirectivesFile=" + FILE, "-XX:-DisplayVMOutput", "-version"));
    }

    /** Runs this JVM's java with diagnostic options unlocked; returns stdout after checking exit 0. */
    private static String java(String... args) throws Exception {
        assertTrue(Files.isRegularFile(FILE), FILE + " is missing");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-XX:+UnlockDiagnosticVMOptions"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "java did not finish");
        assertEquals(0, p.exitValue(), "java " + String.join(" ", args) + ": " + out);
        return out;
    }
}
