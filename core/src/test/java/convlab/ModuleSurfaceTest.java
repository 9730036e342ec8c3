package convlab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The library's public surface as module-info.java declares it: core is the module {@code convlab.core}, every
 * package but {@code convlab.kernels} is exported to everybody, kernels only to the CLI, experiments and benchmarks.
 * A user's module that requires convlab.core compiles and runs against the exported API with no JVM flag (the module
 * requires jdk.incubator.vector itself), and one that names a kernels class does not compile.
 */
class ModuleSurfaceTest {
    static final Path CLASSES = Path.of("target", "classes");
    static final Set<String> KERNEL_CLIENTS = Set.of("convlab.cli", "convlab.experiments", "convlab.bench.jmh");

    /** The compiled descriptor, as a user's module path sees it (core's own tests run on the class path: core's pom). */
    static ModuleDescriptor descriptor() {
        var found = ModuleFinder.of(CLASSES).findAll();
        assertEquals(1, found.size(), "one module in " + CLASSES);
        return found.iterator().next().descriptor();
    }

    @Test void coreIsTheModuleConvlabCore() {
        assertEquals("convlab.core", descriptor().name());
    }

    @Test void everyPackageButKernelsIsExportedToEverybody() throws IOException {
        ModuleDescriptor d = descriptor();
        Set<String> exported = new TreeSet<>(), qualified = new TreeSet<>();
        for (ModuleDescriptor.Exports e : d.exports()) {
            if (e.isQualified()) {
                qualified.add(e.source());
                assertEquals(KERNEL_CLIENTS, e.targets(), "targets of the qualified export of " + e.source());
            } else {
                exported.add(e.source());
            }
        }
        assertEquals(Set.of("convlab.kernels"), qualified);
        Set<String> main = mainPackages();
        main.remove("convlab.kernels");
        assertEquals(main, exported, "every package of core's main code except convlab.kernels is exported");
        assertEquals(main, d.packages().stream().filter(p -> !p.equals("convlab.kernels")).collect(Collectors.toSet()));
        assertTrue(d.requires().stream().anyMatch(r -> r.name().equals("jdk.incubator.vector")));
    }

    @Test void aUserModuleCompilesAndRunsAgainstTheExportedApiAndCannotReachKernels(@TempDir Path dir) throws Exception {
        String modulePath = CLASSES.toAbsolutePath() + File.pathSeparator + gsonJar();

        Path good = dir.resolve("good");
        write(good.resolve("module-info.java"), "module demo { requires convlab.core; }");
        write(good.resolve("demo/Main.java"), """
                package demo;
                import convlab.geometry.PaddingMode;
                import convlab.nn.Sequential;
                import convlab.spec.ModelBuilder;
                import convlab.tensor.Shape;
                import convlab.tensor.Tensor;
                public class Main {
                    public static void main(String[] args) {
                        Sequential net = ModelBuilder.build("CONV3-4 RELU POOL2 FLATTEN FC-10", "8x8x1", 1);
                        System.out.println(Shape.str(net.forward(Tensor.zeros(2, 1, 8, 8)).shape()) + " "
                                + PaddingMode.REFLECT.torchName());
                    }
                }
                """);
        Path out = dir.resolve("out");
        Result javac = run(javac(modulePath, good, out));
        assertEquals(0, javac.exit, "the user module does not compile:\n" + javac.output);
        // No --add-modules: on the module path convlab.core's own `requires jdk.incubator.vector` resolves it.
        Result ran = run(List.of(tool("java"), "-p", out + File.pathSeparator + modulePath, "-m", "demo/demo.Main"));
        assertEquals(0, ran.exit, ran.output);
        assertTrue(ran.output.contains("2x10 reflect"), ran.output);

        Path bad = dir.resolve("bad");
        write(bad.resolve("module-info.java"), "module demo { requires convlab.core; }");
        write(bad.resolve("demo/Main.java"), """
                package demo;
                public class Main {
                    public static void main(String[] args) { System.out.println(convlab.kernels.Parallel.threads()); }
                }
                """);
        Result refused = run(javac(modulePath, bad, dir.resolve("out-bad")));
        assertNotEquals(0, refused.exit, "a user module compiled against convlab.kernels:\n" + refused.output);
        assertTrue(refused.output.contains("package convlab.kernels is declared in module convlab.core, which does not export it"),
                refused.output);
    }

    static Set<String> mainPackages() throws IOException {
        try (Stream<Path> files = Files.walk(CLASSES)) {
            return files.filter(p -> p.toString().endsWith(".class") && !p.getFileName().toString().equals("module-info.class"))
                    .map(p -> CLASSES.relativize(p.getParent()).toString().replace(File.separatorChar, '.'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    static String gsonJar() throws Exception {
        return Path.of(com.google.gson.Gson.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    static List<String> javac(String modulePath, Path src, Path out) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(tool("javac"), "-p", modulePath, "-d", out.toString()));
        try (Stream<Path> files = Files.walk(src)) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(p -> cmd.add(p.toString()));
        }
        return cmd;
    }

    static String tool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    static void write(Path p, String text) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    record Result(int exit, String output) {}

    static Result run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + cmd);
        return new Result(p.exitValue(), output);
    }
}
