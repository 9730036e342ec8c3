package convlab.testing;

/**
 * The contract every fuzz target checks: a parser given arbitrary bytes either succeeds or rejects
 * them with an {@link IllegalArgumentException} whose message is one short, non-empty line. Anything
 * else escaping (NullPointerException, ArrayIndexOutOfBoundsException, OutOfMemoryError, a raw
 * IOException, a multi-line message) is a finding: the user would see a stack trace or a crash.
 *
 * <p>A new fuzz target is one small class: a {@code @FuzzTest} method that calls
 * {@code Fuzzing.parse(() -> TheParser.parse(bytes))}, plus a seed corpus folder
 * {@code src/test/resources/<package>/<Class>Inputs/<method>/} (see docs/RELIABILITY.md).
 */
public final class Fuzzing {
    private Fuzzing() {}

    /** Longest acceptable error message: long enough for a path and a reason, short enough to read. */
    public static final int MAX_MESSAGE = 600;

    @FunctionalInterface
    public interface Parse<T> {
        T run() throws Exception;
    }

    /** Runs a parse; returns its result, or null when it rejected the input cleanly. */
    public static <T> T parse(Parse<T> parse) {
        try {
            return parse.run();
        } catch (IllegalArgumentException e) {
            checkMessage(e);
            return null;
        } catch (RuntimeException | Error e) {
            throw e;   // a finding: Jazzer reports it with the input that caused it
        } catch (Exception e) {
            throw new AssertionError("parser let a checked exception escape instead of a clear IllegalArgumentException: " + e, e);
        }
    }

    public static void checkMessage(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) throw new AssertionError("rejection without a message", e);
        if (m.contains("\n") || m.contains("\r")) throw new AssertionError("message of more than one line: " + m, e);
        if (m.length() > MAX_MESSAGE) throw new AssertionError("message of " + m.length() + " characters: " + m.substring(0, 200) + "...", e);
    }
}
