package convlab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code convlab bench ...}: micro-benchmarks of the kernels. Each benchmark is a subcommand in its own class. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark convlab's kernels on this machine.",
        subcommands = {BenchGemmCommand.class, BenchLatencyCommand.class, BenchMachineCommand.class})
public final class BenchCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() { spec.commandLine().usage(System.out); }
}
