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
                        // Muon's Newton-Schulz settings are public types of convlab.optim, not the kernel's.
                        var muon = new convlab.optim.Muon.Config(0.9, true, convlab.optim.Muon.Poly.CUBIC, 3,
                                convlab.optim.Muon.Form.DIRECT, convlab.optim.MuonLrScaling.ORIGINAL);
                        System.out.println(Shape.str(net.forward(Tensor.zeros(2, 1, 8, 8)).shape()) + " "
                                + PaddingMode.REFLECT.torchName() + " " + muon.poly().a());
                    }
                }
                """);
        Path out = dir.resolve("out");
        Result javac = run(javac(modulePath, good, out));
        assertEquals(0, javac.exit, "the user module does not compile:\n" + javac.output);
        // No --add-modules: on the module path convlab.core's own `requires jdk.incubator.vector` resolves it.
        Result ran = run(List.of(tool("java"), "-p", out + File.pathSeparator + modulePath, "-m", "demo/demo.Main"));
        assertEquals(0, ran.exit, ran.output);
        assertTrue(ran.output.contains("2x10 reflect 1.5"), ran.output);

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

    /**
     * What a module-path user can see, they can use: no public or protected member of an exported public type
     * (fields, constructors, methods with their generic parameter, return and exception types, supertypes, record
     * components) names a type of a package the module does not export to everybody.
     */
    @Test void noExportedSignatureNamesAnUnexportedType() throws Exception {
        Set<String> hidden = Set.of("convlab.kernels");
        List<String> leaks = new ArrayList<>();
        for (String name : mainClasses()) {
            Class<?> c = Class.forName(name, false, ModuleSurfaceTest.class.getClassLoader());
            if (hidden.contains(c.getPackageName()) || !visible(c)) continue;
            List<java.lang.reflect.Type> used = new ArrayList<>();
            if (c.getGenericSuperclass() != null) used.add(c.getGenericSuperclass());
            used.addAll(List.of(c.getGenericInterfaces()));
            for (var f : c.getDeclaredFields()) if (visible(f.getModifiers()) && !f.isSynthetic()) used.add(f.getGenericType());
            for (var k : c.getDeclaredConstructors()) if (visible(k.getModifiers()) && !k.isSynthetic()) {
                used.addAll(List.of(k.getGenericParameterTypes()));
                used.addAll(List.of(k.getGenericExceptionTypes()));
            }
            for (var m : c.getDeclaredMethods()) if (visible(m.getModifiers()) && !m.isSynthetic()) {
                used.add(m.getGenericReturnType());
                used.addAll(List.of(m.getGenericParameterTypes()));
                used.addAll(List.of(m.getGenericExceptionTypes()));
            }
            Set<Class<?>> named = new java.util.LinkedHashSet<>();
            for (var t : used) collect(t, named, new java.util.HashSet<>());
            for (Class<?> n : named) if (hidden.contains(n.getPackageName())) leaks.add(c.getName() + " names " + n.getName());
        }
        assertEquals(List.of(), leaks, "exported signatures naming types a module-path user cannot use");
    }

    /** A class a user outside the package can name: public, and every class around it public. */
    static boolean visible(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass())
            if (!java.lang.reflect.Modifier.isPublic(k.getModifiers()) || k.isAnonymousClass() || k.isLocalClass()) return false;
        return true;
    }

    static boolean visible(int modifiers) {
        return java.lang.reflect.Modifier.isPublic(modifiers) || java.lang.reflect.Modifier.isProtected(modifiers);
    }

    /** The classes a (generic) type names: itself, array components, type arguments, wildcard and variable bounds. */
    static void collect(java.lang.reflect.Type t, Set<Class<?>> out, Set<java.lang.reflect.Type> seen) {
        if (!seen.add(t)) return;
        switch (t) {
            case Class<?> c -> { if (c.isArray()) collect(c.getComponentType(), out, seen); else out.add(c); }
            case java.lang.reflect.ParameterizedType p -> {
                collect(p.getRawType(), out, seen);
                for (var a : p.getActualTypeArguments()) collect(a, out, seen);
            }
            case java.lang.reflect.GenericArrayType g -> collect(g.getGenericComponentType(), out, seen);
            case java.lang.reflect.WildcardType w -> {
                for (var b : w.getUpperBounds()) collect(b, out, seen);
                for (var b : w.getLowerBounds()) collect(b, out, seen);
            }
            case java.lang.reflect.TypeVariable<?> v -> { for (var b : v.getBounds()) collect(b, out, seen); }
            default -> throw new IllegalStateException("a type of kind " + t.getClass());
        }
    }

    static List<String> mainClasses() throws IOException {
        try (Stream<Path> files = Files.walk(CLASSES)) {
            return files.filter(p -> p.toString().endsWith(".class") && !p.getFileName().toString().endsWith("-info.class"))
                    .map(p -> CLASSES.relativize(p).toString().replace(File.separatorChar, '.').replaceAll("\\.class$", ""))
                    .sorted().toList();
        }
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
