package convlab.train;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The training's compiler directives added at run time, for programs that start their own JVM (the launcher's
 * own file and what HotSpot makes of it: the CLI's JitDirectivesTest).
 */
class JitDirectivesTest {
    @Test void theJarCarriesTheLaunchersFile() throws Exception {
        assertEquals(Files.readString(Path.of("..", "scripts", "jit-directives-training.json")), JitDirectives.text(),
                "core's build copies scripts/jit-directives-training.json into the jar");
    }

    @Test void thePropertyTurnsThemOffAndAFileGivenAtStartWins() {
        List<String> plain = List.of("-Xmx2g"), withFile = List.of("-Xmx2g", "-XX:CompilerDirectivesFile=/x/d.json");
        assertNull(JitDirectives.plan(null, plain));
        assertNull(JitDirectives.plan("true", plain));
        assertNull(JitDirectives.plan(" TRUE ", plain));
        assertEquals(JitDirectives.Outcome.TURNED_OFF, JitDirectives.plan("false", plain));
        assertEquals(JitDirectives.Outcome.TURNED_OFF, JitDirectives.plan("False", withFile));
        assertEquals(JitDirectives.Outcome.GIVEN_AT_START, JitDirectives.plan(null, withFile));
        assertEquals(JitDirectives.Outcome.GIVEN_AT_START, JitDirectives.plan("true", withFile));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JitDirectives.plan("no", plain));
        assertEquals("-Dconvlab.jit.directives=no: expected true or false", e.getMessage());
    }

    @Test void theyAreAddedToThisJvmOnce() throws Exception {
        assumeTrue(ManagementFactory.getRuntimeMXBean().getInputArguments().stream().noneMatch(a -> a.startsWith("-XX:CompilerDirectivesFile=")),
                "this test JVM was started with a directives file");
        assumeTrue(System.getProperty(JitDirectives.PROPERTY) == null, "-Dconvlab.jit.directives is set");
        assertEquals(JitDirectives.Outcome.ADDED, JitDirectives.addForTraining());
        String printed = JitDirectives.diagnosticCommand("compilerDirectivesPrint");
        assertTrue(printed.contains("convlab/train/*") && printed.contains("convlab/nn/functional/F"), printed);
        assertEquals(JitDirectives.Outcome.ADDED, JitDirectives.addForTraining());
        assertEquals(printed, JitDirectives.diagnosticCommand("compilerDirectivesPrint"), "a second call added them again");
    }
}
