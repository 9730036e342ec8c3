package convlab.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's peak resident set as the operating system counts it (Linux: VmHWM in /proc/self/status). */
final class PeakMemory {
    private PeakMemory() {}

    /** Peak resident megabytes (MiB), or -1 where the operating system does not say. */
    static double residentMegabytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status")))
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
