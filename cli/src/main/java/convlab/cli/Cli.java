package convlab.cli;

import convlab.OptionNames;
import convlab.io.UserMessages;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shared CLI behaviour, inherited by every subcommand: an error of any kind ends with ONE line on standard
 * error and exit code {@link #EXIT_ERROR}, never a stack trace (unless --debug is given anywhere on the command
 * line, or CONVLAB_DEBUG=1). Exit codes mean one thing each: {@link #EXIT_OK}, {@link #EXIT_NOT_CORRECT} (only
 * a --check/--expect answer that is wrong), {@link #EXIT_ERROR} (bad input, a file problem, out of memory, or an
 * internal error).
 */
final class Cli {
    private Cli() {}

    static final int EXIT_OK = 0;
    static final int EXIT_NOT_CORRECT = 1;
    static final int EXIT_ERROR = 2;
    /** The old name of {@link #EXIT_ERROR}. */
    static final int EXIT_BAD_INPUT = EXIT_ERROR;

    static boolean debug(boolean debugFlag) {
        return debugFlag || "1".equals(System.getenv("CONVLAB_DEBUG"));
    }

    static CommandLine newCommandLine(Object root, boolean debugFlag) {
        return configure(new CommandLine(root), debugFlag);
    }

    /**
     * The command line that runs args: the whole tree of {@link Main}, or, when args[0] names one of Main's
     * subcommands (not help), a root named convlab with only that subcommand. Building picocli's model of a
     * command reflects over all its options and nested commands; for all twenty subcommands that was most of
     * a calculator's own run time (and of each block of a sheet). The subcommand sees the same command line
     * either way (its qualified name, options, help and errors); help, --version, no argument or a name that
     * is not a subcommand (picocli's "did you mean") get the whole tree.
     */
    static CommandLine forArgs(String[] args, boolean debugFlag) {
        Class<?> sub = args.length == 0 ? null : subcommand(args[0]);
        if (sub == null) return newCommandLine(new Main(), debugFlag);
        CommandLine.Command main = Main.class.getAnnotation(CommandLine.Command.class);
        CommandLine.Model.CommandSpec spec = CommandLine.Model.CommandSpec.wrapWithoutInspection(new Main());
        spec.name(main.name());
        CommandLine cl = new CommandLine(spec);
        cl.addSubcommand(new CommandLine(sub));
        return configure(cl, debugFlag);
    }

    /** The class of Main's subcommand called name (or one of its aliases), null if none or help. */
    static Class<?> subcommand(String name) {
        for (Class<?> c : Main.class.getAnnotation(CommandLine.Command.class).subcommands()) {
            if (c == CommandLine.HelpCommand.class) continue;
            CommandLine.Command command = c.getAnnotation(CommandLine.Command.class);
            if (command == null) continue;
            if (command.name().equals(name) || java.util.Arrays.asList(command.aliases()).contains(name)) return c;
        }
        return null;
    }

    private static CommandLine configure(CommandLine cl, boolean debugFlag) {
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUsageHelpAutoWidth(true);
        // "@file" is convlab's own syntax for values (conv --input @m.txt, --check @answer.txt): picocli must not
        // expand it into arguments itself (it did for "--input @m.txt", and read /dev/zero forever).
        cl.setExpandAtFiles(false);
        // The library's messages name options the way this command line spells them ("--lr", not "lr").
        cl.setExecutionStrategy(parsed -> OptionNames.call(OptionNames.COMMAND_LINE, () -> new CommandLine.RunLast().execute(parsed)));
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (debug(debugFlag)) ex.printStackTrace(err);
            err.println(name(commandLine) + ": " + describe(ex));
            err.flush();
            return EXIT_ERROR;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            if (debug(debugFlag)) ex.printStackTrace(err);
            String name = name(ex.getCommandLine());
            err.println(name + ": " + UserMessages.oneLine(ex.getMessage()) + " (see: " + name + " --help)");
            err.flush();
            return EXIT_ERROR;
        });
        return cl;
    }

    /** "convlab fp8 round": the command as typed, for the start of a message. */
    static String name(CommandLine cl) {
        return cl.getCommandSpec().qualifiedName(" ");
    }

    /** The one line that describes a failure: the message of a user error, or what kind of failure it is. */
    static String describe(Throwable ex) {
        if (ex instanceof OutOfMemoryError) return outOfMemory();
        if (ex instanceof StackOverflowError)
            return "the input is nested too deeply to process (stack overflow); simplify it";
        boolean userError = ex instanceof IllegalArgumentException || ex instanceof java.io.IOException
                || ex instanceof java.io.UncheckedIOException || ex instanceof IllegalStateException
                || ex instanceof UnsupportedOperationException;
        String msg = ex.getMessage();
        if (userError && msg != null && !msg.isBlank()) return UserMessages.of(ex);
        if (ex instanceof ArithmeticException && msg != null && msg.contains("overflow"))
            return "a size or count in this input passes what 64-bit integers hold (9.2·10^18): too large to compute";
        if (ex.getCause() instanceof OutOfMemoryError || ex.getCause() instanceof StackOverflowError) return describe(ex.getCause());
        String what = ex.getClass().getSimpleName().replaceAll("(?<=[a-z])(?=[A-Z])", " ").toLowerCase(Locale.ROOT);
        StackTraceElement[] where = ex.getStackTrace();
        String at = where.length == 0 ? "" : " at " + where[0].getClassName().replaceAll(".*\\.", "") + "." + where[0].getMethodName()
                + ":" + where[0].getLineNumber();
        return UserMessages.oneLine("internal error (" + what + at + (msg == null || msg.isBlank() ? "" : ": " + msg)
                + "); please report it with the command line (--debug shows the stack trace)");
    }

    static String outOfMemory() {
        long max = Runtime.getRuntime().maxMemory();
        return "out of memory: the heap is " + convlab.train.MemoryCheck.bytes(max) + " and this needs more; give Java more with "
                + "CONVLAB_JAVA_OPTS=-Xmx" + 2 * (long) Math.ceil(max / (double) (1L << 30)) + "g (or use a smaller model, batch or input)";
    }
}
