package convlab.train;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The HotSpot compiler directives of a training, for programs that use the library without the launcher. The launcher
 * starts the JVM of its training commands with them ({@code -XX:CompilerDirectivesFile}, scripts/jit-directives-training.json):
 * the Vector API's own methods and the step's glue (autograd, the modules, the trainer, SGD) never reach C2 as methods of
 * their own, so C1 compiles the glue at its optimizing level at once and C2's time goes to the kernels, where before it
 * compiled the glue in the first epoch on a core the steps need (bench/GEMM.md, "The training's glue as C1 code"; MLP,
 * 3 epochs, 2 cores: 145k-151k against 136k-138k images/s with AVX2 code). A program that trains through the library,
 * or a Spark executor running a sweep's trials, starts its JVM itself: {@link TrainRun#load} adds the same file's
 * directives to the running JVM through HotSpot's diagnostic command {@code Compiler.directives_add} (what
 * {@code jcmd <pid> Compiler.directives_add} does), before its warm-up.
 *
 * <p>It changes how the whole JVM compiles those packages and the Vector API's own methods (C2 still inlines the Vector API
 * into every method it compiles, the program's own too). {@code -Dconvlab.jit.directives=false} turns it off; it is also
 * left out when the JVM was started with a directives file of its own (the launcher's, or the program's), which then
 * applies alone. Best effort: on a JVM without the command (not HotSpot) nothing changes but the speed of the first epoch.
 */
public final class JitDirectives {
    /** The system property that turns the directives off ({@code false}); {@code true}, the default, leaves them on. */
    public static final String PROPERTY = "convlab.jit.directives";

    /** The launcher's file, in the jar beside this class (core's build copies it from scripts/). */
    static final String RESOURCE = "jit-directives-training.json";

    /** What {@link #addForTraining} did (the same on every call in a JVM). */
    public enum Outcome {
        /** Added to this JVM's directives. */
        ADDED,
        /** Not added: the JVM was started with {@code -XX:CompilerDirectivesFile}, whose directives apply. */
        GIVEN_AT_START,
        /** Not added: {@code -Dconvlab.jit.directives=false}. */
        TURNED_OFF,
        /** Not added: this JVM has no such diagnostic command, or refused the file. */
        UNAVAILABLE
    }

    private static Outcome outcome;

    private JitDirectives() {}

    /**
     * Adds the training's directives to this JVM, once (later calls return the first call's outcome). A value of
     * {@code convlab.jit.directives} other than true or false is refused with an IllegalArgumentException.
     */
    public static synchronized Outcome addForTraining() {
        if (outcome != null) return outcome;
        Outcome planned = plan(System.getProperty(PROPERTY), ManagementFactory.getRuntimeMXBean().getInputArguments());
        return outcome = planned != null ? planned : add();
    }

    /**
     * Whether to add the directives, from the property's value and the JVM's arguments: null to add them, else why not.
     */
    static Outcome plan(String property, List<String> jvmArguments) {
        if (property != null) {
            switch (property.strip().toLowerCase(Locale.ROOT)) {
                case "false" -> { return Outcome.TURNED_OFF; }
                case "true" -> { }
                default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + property + ": expected true or false");
            }
        }
        return jvmArguments.stream().anyMatch(a -> a.startsWith("-XX:CompilerDirectivesFile=")) ? Outcome.GIVEN_AT_START : null;
    }

    /** The directives file's text, as the launcher passes it. */
    static String text() {
        try (InputStream in = JitDirectives.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is not in the jar beside " + JitDirectives.class.getName());
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs one of HotSpot's diagnostic commands (its MBean operation's name, e.g. compilerDirectivesPrint) and returns its output. */
    static String diagnosticCommand(String operation, String... arguments) throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        return (String) server.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), operation,
                new Object[] {arguments}, new String[] {String[].class.getName()});
    }

    /** Hands the file to Compiler.directives_add (it reads a file, not a text); its output says how many it added. */
    private static Outcome add() {
        Path file = null;
        try {
            file = Files.createTempFile("convlab-jit-directives", ".json");
            Files.writeString(file, text());
            String out = diagnosticCommand("compilerDirectivesAdd", file.toString());
            return out != null && out.contains("compiler directives added") ? Outcome.ADDED : Outcome.UNAVAILABLE;
        } catch (JMException | IOException | RuntimeException e) {
            return Outcome.UNAVAILABLE;
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temporary file left behind in the temp folder; nothing else to do
                }
            }
        }
    }
}
