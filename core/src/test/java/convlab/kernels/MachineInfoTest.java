package convlab.kernels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MachineInfoTest {

    @Test
    void getconfSizesAreTheDataCachesInKibibytesMarkedAsCpuid() {
        // getconf -a of a 2-vCPU Zen 5 VM without sysfs cache directories (instruction cache and line sizes not wanted)
        List<String> lines = List.of(
                "LEVEL1_ICACHE_SIZE                 32768",
                "LEVEL1_DCACHE_SIZE                 49152",
                "LEVEL1_DCACHE_ASSOC                12",
                "LEVEL1_DCACHE_LINESIZE             64",
                "LEVEL2_CACHE_SIZE                  1048576",
                "LEVEL2_CACHE_LINESIZE              64",
                "LEVEL3_CACHE_SIZE                  33554432",
                "LEVEL4_CACHE_SIZE                  ");
        assertEquals("L1d 48K, L2 1024K, L3 32768K (CPUID)", MachineInfo.getconfCaches(lines));
    }

    @Test
    void absentZeroOrGarbledSizesAreLeftOutNotGuessed() {
        assertNull(MachineInfo.getconfCaches(List.of()));
        assertNull(MachineInfo.getconfCaches(List.of("LEVEL1_DCACHE_SIZE 0", "LEVEL2_CACHE_SIZE", "LEVEL3_CACHE_SIZE lots")));
        assertEquals("L2 512K (CPUID)", MachineInfo.getconfCaches(List.of("LEVEL1_DCACHE_SIZE 0", "LEVEL2_CACHE_SIZE 524288")));
    }

    @Test
    void sysfsListsDataAndUnifiedCachesAndSkipsInstructionCaches(@TempDir Path dir) throws IOException {
        cache(dir, 0, "1", "Data", "32K");
        cache(dir, 1, "1", "Instruction", "32K");
        cache(dir, 2, "2", "Unified", "512K");
        cache(dir, 3, "3", "Unified", "32768K");
        assertEquals("L1d 32K, L2 512K, L3 32768K", MachineInfo.sysfsCaches(dir));
        assertNull(MachineInfo.sysfsCaches(dir.resolve("missing")));
    }

    @Test
    void theLineForABenchmarkAlwaysNamesTheCaches() {
        String caches = MachineInfo.caches();
        assertTrue(caches.equals("caches unknown") || caches.startsWith("L"), caches);
        assertTrue(MachineInfo.line(100).contains(caches));
    }

    private static void cache(Path dir, int index, String level, String type, String size) throws IOException {
        Path d = Files.createDirectories(dir.resolve("index" + index));
        Files.writeString(d.resolve("level"), level + "\n");
        Files.writeString(d.resolve("type"), type + "\n");
        Files.writeString(d.resolve("size"), size + "\n");
    }
}
