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
 * measured FMA peak and {@code OPENBLAS_CORETYPE} (PyTorch's BLAS kernel choice). Linux files; where one is
 * missing the field says "unknown".
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

    /** Cache sizes of cpu0 as "L1d 48K, L2 1024K, L3 32768K" (sysfs), or "caches unknown" (some VMs show none). */
    public static String caches() {
        Path dir = Path.of("/sys/devices/system/cpu/cpu0/cache");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            Path idx = dir.resolve("index" + i);
            String level = first(idx.resolve("level")), type = first(idx.resolve("type")), size = first(idx.resolve("size"));
            if (level == null || size == null || "Instruction".equals(type)) continue;
            if (!sb.isEmpty()) sb.append(", ");
            sb.append('L').append(level).append("Data".equals(type) ? "d" : "").append(' ').append(size);
        }
        return sb.isEmpty() ? "caches unknown" : sb.toString();
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
