package convlab.cli;

import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * Shared CLI behaviour: bad input gives one line naming the problem and exit code 2, never a stack
 * trace (unless --debug is given anywhere on the command line, or CONVLAB_DEBUG=1).
 */
final class Cli {
    private Cli() {}

    static final int EXIT_BAD_INPUT = 2;

    static CommandLine newCommandLine(Object root, boolean debugFlag) {
        CommandLine cl = new CommandLine(root);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUsageHelpAutoWidth(true);
        cl.setExpandAtFiles(false);  // "@file" is read by convlab itself (MatrixParser.resolveFile), never split into arguments
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (debugFlag || "1".equals(System.getenv("CONVLAB_DEBUG"))) ex.printStackTrace(err);
            String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            err.println("convlab " + commandLine.getCommandName() + ": " + msg);
            err.flush();
            boolean badInput = ex instanceof IllegalArgumentException || ex instanceof java.io.IOException
                    || ex instanceof java.io.UncheckedIOException;
            return badInput ? EXIT_BAD_INPUT : 1;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("convlab " + ex.getCommandLine().getCommandName() + ": " + ex.getMessage());
            err.println("(see: convlab " + ex.getCommandLine().getCommandName() + " --help)");
            err.flush();
            return EXIT_BAD_INPUT;
        });
        return cl;
    }
}
