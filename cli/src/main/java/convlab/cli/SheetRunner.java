package convlab.cli;

import convlab.explain.Worksheet;
import convlab.sheet.SheetSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Runs one {@code ```convlab} block in-process through the same picocli command tree as the command line,
 * so every registered subcommand works in a sheet without the sheet knowing it. A calculator hands over its
 * {@link Worksheet} ({@link WorksheetSink}); any other command's printed output is kept as preformatted text.
 */
final class SheetRunner {
    private SheetRunner() {}

    enum Status { OK, WRONG, FAILED }

    /**
     * One block's outcome: the worksheet (null when it failed), the one-line error (null unless it failed),
     * whether an answer was checked, and the line naming the verdict.
     */
    record Outcome(SheetSource.Block block, Status status, Worksheet worksheet, String error, boolean checked, String verdict) {}

    static Outcome run(SheetSource.Block b) {
        if (b.error() != null) return failed(b, b.error());
        List<String> words = b.words();
        if (words.getFirst().equals("sheet")) return failed(b, "a sheet cannot run convlab sheet inside a block");
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int exit;
        Worksheet ws;
        synchronized (SheetRunner.class) {   // System.out is process-wide: one block at a time
            PrintStream oldOut = System.out, oldErr = System.err;
            PrintStream capOut = new PrintStream(out, true, StandardCharsets.UTF_8), capErr = new PrintStream(err, true, StandardCharsets.UTF_8);
            System.setOut(capOut);
            System.setErr(capErr);
            WorksheetSink.start();
            try {
                picocli.CommandLine cl = Cli.forArgs(words.toArray(String[]::new), false);
                cl.setOut(new PrintWriter(capOut, true));
                cl.setErr(new PrintWriter(capErr, true));
                exit = cl.execute(words.toArray(String[]::new));
            } catch (Throwable t) {   // a StackOverflowError or OutOfMemoryError in one block must not end the sheet
                exit = Cli.EXIT_BAD_INPUT;
                capErr.println("convlab " + words.getFirst() + ": " + (t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage()));
            } finally {
                ws = WorksheetSink.stop();
                capOut.flush();
                capErr.flush();
                System.setOut(oldOut);
                System.setErr(oldErr);
            }
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        if (ws == null && !printed.isBlank()) ws = new Worksheet().preformatted(printed.stripTrailing());
        boolean asked = words.stream().anyMatch(w -> w.equals("--check") || w.equals("--expect") || w.startsWith("--check=") || w.startsWith("--expect"));
        List<Map.Entry<Boolean, String>> verdicts = ws == null ? List.of() : ws.verdicts();
        boolean wrongVerdict = verdicts.stream().anyMatch(v -> !v.getKey());
        if (exit == 0) {
            String v = verdicts.isEmpty() ? null : verdicts.getFirst().getValue();
            return new Outcome(b, Status.OK, ws == null ? new Worksheet() : ws, null, asked || !verdicts.isEmpty(), v);
        }
        if (exit == 1 && ws != null && (wrongVerdict || asked)) {
            String v = verdicts.stream().filter(e -> !e.getKey()).map(Map.Entry::getValue).findFirst().orElse(null);
            return new Outcome(b, Status.WRONG, ws, null, true, v);
        }
        String message = err.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).findFirst()
                .orElse("convlab " + words.getFirst() + " ended with exit code " + exit);
        return failed(b, message);
    }

    static Outcome failed(SheetSource.Block b, String message) {
        return new Outcome(b, Status.FAILED, null, message, false, null);
    }
}
