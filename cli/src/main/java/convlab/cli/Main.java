package convlab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the convlab command line. Each subcommand lives in its own class in this package. */
@Command(name = "convlab", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Convolutional neural networks on the JVM: train, inspect, and compute exactly.",
        subcommands = {
                CommandLine.HelpCommand.class,
                TrainCommand.class,
                ExperimentCommand.class,
                EvalCommand.class,
                SummaryCommand.class,
                ReceptiveFieldCommand.class,
                Fp8Command.class,
                NewtonSchulzCommand.class,
                ConvCommand.class,
                GradCommand.class,
                ForwardCommand.class,
                SolveFilterCommand.class,
                ParamsCommand.class,
                CostCommand.class,
                OptimizeCommand.class,
                StepSizeCommand.class,
                SheetCommand.class,
                BenchCommand.class,
                ServeCommand.class,
                SweepCommand.class,
        })
public final class Main implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the CLI and returns the exit code (tests call this instead of main). {@code --debug} anywhere on
     * the line makes errors print their stack trace; it is taken out before the subcommand sees the line.
     */
    public static int run(String... args) {
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
        String[] rest = java.util.Arrays.stream(args).filter(a -> !a.equals("--debug")).toArray(String[]::new);
        try {
            int code = Cli.forArgs(rest, debug).execute(rest);
            // Exit codes mean one thing each (Cli): a command returns 0, 1 (a checked answer is not correct) or 2.
            return code == Cli.EXIT_OK || code == Cli.EXIT_NOT_CORRECT ? code : Cli.EXIT_ERROR;
        } catch (Throwable e) {   // errors picocli does not hand to the handler (OutOfMemoryError, StackOverflowError, ...)
            if (Cli.debug(debug)) e.printStackTrace();
            String command = rest.length > 0 && !rest[0].startsWith("-") ? " " + convlab.io.UserMessages.oneLine(rest[0]) : "";
            System.err.println("convlab" + command + ": " + Cli.describe(e));
            System.err.flush();
            return Cli.EXIT_ERROR;
        }
    }

    @Override public void run() { spec.commandLine().usage(System.out); }

    static final class Version implements CommandLine.IVersionProvider {
        @Override public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"convlab " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }
}
