package convlab.cli;

import convlab.explain.Worksheet;

/**
 * Where a calculator's result goes when {@code convlab sheet} runs it in-process: instead of printing text,
 * Markdown or JSON, the command hands its {@link Worksheet} over here. Outside a sheet nothing is captured.
 */
final class WorksheetSink {
    private WorksheetSink() {}

    private static final ThreadLocal<Worksheet[]> CAPTURE = new ThreadLocal<>();

    /** Starts capturing on this thread. */
    static void start() { CAPTURE.set(new Worksheet[1]); }

    /** Stops capturing and returns what was offered (null if the command printed instead). */
    static Worksheet stop() {
        Worksheet[] slot = CAPTURE.get();
        CAPTURE.remove();
        return slot == null ? null : slot[0];
    }

    /** True if a sheet takes the result (the command then prints nothing); a second offer is appended. */
    static boolean offer(Worksheet ws) {
        Worksheet[] slot = CAPTURE.get();
        if (slot == null) return false;
        slot[0] = slot[0] == null ? ws : slot[0].append(ws);
        return true;
    }
}
