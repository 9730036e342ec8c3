package convlab.cli;

import com.google.gson.GsonBuilder;
import convlab.kernels.FmaPeak;
import convlab.kernels.MachineInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code convlab bench machine}: the machine line every benchmark figure is reported with. */
@Command(name = "machine", mixinStandardHelpOptions = true,
        description = "Print the CPU model, vector extensions, vector width used, caches, measured FMA peak and OPENBLAS_CORETYPE.")
public final class BenchMachineCommand implements Runnable {
    @Option(names = "--json", description = "Print one JSON object instead of a line.")
    boolean json;

    @Override
    public void run() {
        double peak = FmaPeak.perThread();
        if (json) System.out.println(new GsonBuilder().setPrettyPrinting().create().toJson(MachineInfo.describe(peak)));
        else System.out.println(MachineInfo.line(peak));
    }
}
