package convlab.kernels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a benchmark figure needs beside it so figures from different machines are never mixed: the CPU model,
 * its vector extensions (AVX2 / AVX-512), the vector width the kernels use ({@link Vectors}), the caches, the
 * measured FMA peak and {@code OPENBLAS_CORETYPE} (PyTorch's BLAS kernel choice). Linux files (and {@code getconf}
 * for the caches where sysfs has none); where one is missing the field says "unknown".
 */
public final class MachineInfo {
    private MachineInfo() {}

    /** The model name from /proc/cpuinfo. */
    public static String cpuModel() {
        for (String line : lines(Path.of("/proc/cpuinfo")))
            if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
        return System.getProperty("os.arch", "unknown");
    }

    /** "AVX-512", "AVX2+FMA", "AVX" or "none" (the widest float extension the CPU flags name). */
    public static String vectorFlags() {
        String flags = "";
        for (String line : lines(Path.of("/proc/cpuinfo")))
            if (line.startsWith("flags")) { flags = " " + line.substring(line.indexOf(':') + 1).trim() + " "; break; }
        if (flags.contains(" avx512f ")) return "AVX-512";
        if (flags.contains(" avx2 ")) return flags.contains(" fma ") ? "AVX2+FMA" : "AVX2";
        if (flags.contains(" avx ")) return "AVX";
        return flags.isEmpty() ? "unknown" : "none";
    }

    /**
     * Cache sizes of cpu0 as "L1d 48K, L2 1024K, L3 32768K" (sysfs); where a VM shows no sysfs caches, the sizes glibc
     * reads from the CPU's CPUID cache leaves ({@code getconf -a}), marked "(CPUID)": a hypervisor may report an L3
     * that is not the one this VM's cores share. "caches unknown" when neither says.
     */
    public static String caches() {
        String sysfs = sysfsCaches(Path.of("/sys/devices/system/cpu/cpu0/cache"));
        if (sysfs != null) return sysfs;
        String cpuid = getconfCaches(getconfAll());
        return cpuid != null ? cpuid : "caches unknown";
    }

    /** The data and unified caches listed under a sysfs cache directory of one CPU, or null if none. */
    static String sysfsCaches(Path dir) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            Path idx = dir.resolve("index" + i);
            String level = first(idx.resolve("level")), type = first(idx.resolve("type")), size = first(idx.resolve("size"));
            if (level == null || size == null || "Instruction".equals(type)) continue;
            if (!sb.isEmpty()) sb.append(", ");
            sb.append('L').append(level).append("Data".equals(type) ? "d" : "").append(' ').append(size);
        }
        return sb.isEmpty() ? null : sb.toString();
    }

    /** The data caches named in {@code getconf -a} output (sizes in bytes), in sysfs's notation, or null if none. */
    static String getconfCaches(List<String> getconfLines) {
        String[][] wanted = {{"LEVEL1_DCACHE_SIZE", "L1d"}, {"LEVEL2_CACHE_SIZE", "L2"}, {"LEVEL3_CACHE_SIZE", "L3"}};
        StringBuilder sb = new StringBuilder();
        for (String[] w : wanted) {
            long bytes = -1;
            for (String line : getconfLines) {
                String[] kv = line.trim().split("\\s+");
                if (kv.length == 2 && kv[0].equals(w[0])) {
                    try { bytes = Long.parseLong(kv[1]); } catch (NumberFormatException e) { bytes = -1; }
                }
            }
            if (bytes < 1024) continue;   // absent, 0 or unreadable: say nothing rather than a wrong size
            if (!sb.isEmpty()) sb.append(", ");
            sb.append(w[1]).append(' ').append(bytes / 1024).append('K');
        }
        return sb.isEmpty() ? null : sb.append(" (CPUID)").toString();
    }

    /** {@code getconf -a}'s lines (a few KB, read to the end), or none if getconf is missing or fails. */
    private static List<String> getconfAll() {
        try {
            Process p = new ProcessBuilder("getconf", "-a").redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            byte[] out = p.getInputStream().readAllBytes();   // a few KB; getconf exits after writing it
            if (!p.waitFor(2, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroy();
                return List.of();
            }
            return new String(out, java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** OPENBLAS_CORETYPE of this process's environment, or "unset". */
    public static String openblasCoreType() {
        String v = System.getenv("OPENBLAS_CORETYPE");
        return v == null || v.isBlank() ? "unset" : v;
    }

    /** All fields, the FMA peak measured now (a fraction of a second): for JSON output. */
    public static Map<String, Object> describe(double fmaPeakPerCore) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpu", cpuModel());
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("vector_flags", vectorFlags());
        m.put("vector_bits_used", Vectors.FLOAT.vectorBitSize());
        m.put("caches", caches());
        m.put("fma_peak_gflops_per_core", Math.round(fmaPeakPerCore * 10) / 10.0);
        m.put("openblas_coretype", openblasCoreType());
        return m;
    }

    /** One line for a benchmark's header. */
    public static String line(double fmaPeakPerCore) {
        return String.format(Locale.ROOT, "%s, %d CPUs, %s (kernels use %d-bit vectors), %s; FMA peak %.1f GFLOP/s per core (measured); OPENBLAS_CORETYPE=%s",
                cpuModel(), Runtime.getRuntime().availableProcessors(), vectorFlags(), Vectors.FLOAT.vectorBitSize(), caches(),
                fmaPeakPerCore, openblasCoreType());
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static String first(Path p) {
        List<String> l = lines(p);
        return l.isEmpty() ? null : l.get(0).trim();
    }
}
