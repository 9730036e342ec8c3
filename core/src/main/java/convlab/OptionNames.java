package convlab;

import java.util.function.UnaryOperator;

/**
 * How a library message names one of its caller's options. The library's calculators refuse bad input with
 * messages such as "lr must be positive" or "outputPadding applies only to transposed convolution (transpose)":
 * a Java caller reads the name of the parameter or setting it passed ({@link #JAVA}, the default). A client with
 * its own names for them supplies its naming for the calls it makes ({@link #call}); the command line runs every
 * command with {@link #COMMAND_LINE}, so the same messages say "--lr", "--output-padding", "--transpose".
 *
 * <p>Keys are the command line's option names without the dashes ("lr", "output-padding", "checkpoint-dir").
 * The naming is carried by a {@link ScopedValue}: it holds for the calls made inside {@link #call} on that thread
 * (records check their components in their constructors, and some checks sit deep in a calculator, where a
 * parameter could not reach). {@link convlab.train.TrainSettings#validate} and {@link convlab.train.TrainRun#open}
 * take their naming as a parameter instead.
 */
public final class OptionNames {
    private OptionNames() {}

    /** The default: the name a Java caller gave the value, the key in camelCase ("output-padding" is "outputPadding"). */
    public static final UnaryOperator<String> JAVA = OptionNames::camelCase;

    /** A command line's flags: "--" and the key ("--output-padding"). */
    public static final UnaryOperator<String> COMMAND_LINE = key -> "--" + key;

    private static final ScopedValue<UnaryOperator<String>> NAMES = ScopedValue.newInstance();

    /** The name of option {@code key} in the current caller's naming. */
    public static String of(String key) {
        return NAMES.orElse(JAVA).apply(key);
    }

    /**
     * The name of option {@code key} in the current caller's naming, or {@code javaName} for a Java caller, where the
     * parameter is not called after the key ("expect" is the answer, "exact" is {@code requireExact}).
     */
    public static String of(String key, String javaName) {
        return NAMES.isBound() ? NAMES.get().apply(key) : javaName;
    }

    /** Runs {@code op} with messages naming options by {@code names}; returns its result, passes on its exceptions. */
    public static <R, X extends Throwable> R call(UnaryOperator<String> names, ScopedValue.CallableOp<? extends R, X> op) throws X {
        return ScopedValue.where(NAMES, names).call(op);
    }

    /** {@link #call} for an action that throws no checked exception. */
    public static void run(UnaryOperator<String> names, Runnable op) {
        ScopedValue.where(NAMES, names).run(op);
    }

    /**
     * {@code op} as it would run here, for running on another thread: a scoped naming is not inherited by a new
     * thread, so without this a message made there would name options the Java way ("folder" instead of "--data").
     */
    public static <R> java.util.concurrent.Callable<R> carried(java.util.concurrent.Callable<R> op) {
        if (!NAMES.isBound()) return op;
        UnaryOperator<String> names = NAMES.get();
        return () -> ScopedValue.where(NAMES, names).call(op::call);
    }

    static String camelCase(String key) {
        StringBuilder b = new StringBuilder(key.length());
        boolean upper = false;
        for (char c : key.toCharArray()) {
            if (c == '-') { upper = true; continue; }
            b.append(upper ? Character.toUpperCase(c) : c);
            upper = false;
        }
        return b.toString();
    }
}
