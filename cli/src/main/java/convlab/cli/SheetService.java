package convlab.cli;

import convlab.sheet.SheetSource;
import convlab.web.Sheets;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The workbench's Sheets page, rendered by {@code convlab sheet}'s own library ({@link SheetRender},
 * {@link SheetRunner}, {@link SheetPdf}): the same blocks, the same Markdown, HTML and PDF. A request is not a
 * file on the user's disk, so the workbench runs only the calculators' blocks, and none that names a file (an
 * {@code @file} argument, {@code conv --plot}, {@code forward --weights}); those fail in place, as a bad block
 * does. Blocks not started by the deadline are shown as not run.
 */
final class SheetService implements Sheets {
    /** The calculators (docs/EXACT.md): each bounded by the CLI's own limits, none writes a file except through the options below. */
    static final Set<String> COMMANDS = Set.of("conv", "grad", "forward", "solve-filter", "params", "cost", "optimize", "step-size",
            "receptive-field", "summary", "fp8", "newton-schulz");
    static final Set<String> FILE_OPTIONS = Set.of("--plot", "--weights");

    private volatile java.util.concurrent.Future<?> pdfWarmUp;

    @Override public Rendered render(String title, String markdown, long deadlineNanos) {
        if (pdfWarmUp == null) pdfWarmUp = SheetPdf.warmUp();   // the math typesetter loads in the background: a PDF asked for later is quicker
        SheetRender.Run run = SheetRender.run(title, markdown, b -> {
            String refused = refused(b);
            if (refused != null) return SheetRunner.failed(b, refused);
            if (System.nanoTime() > deadlineNanos)
                return SheetRunner.failed(b, "not run: the workbench stops running blocks after " + Sheets.TIME_LIMIT_MS / 1000
                        + " s per render (convlab sheet in a terminal has no such limit)");
            return SheetRunner.run(b);
        });
        List<Block> blocks = new ArrayList<>();
        for (SheetRunner.Outcome o : run.outcomes()) {
            String status = switch (o.status()) { case OK -> "ok"; case WRONG -> "wrong"; case FAILED -> "failed"; };
            blocks.add(new Block(o.block().line(), status, o.status() == SheetRunner.Status.FAILED ? o.error() : o.verdict()));
        }
        return new Rendered(SheetRender.markdown(run), SheetRender.html(run), blocks, run.exitCode());
    }

    @Override public byte[] pdf(String html) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SheetPdf.write(html, bytes);
        return bytes.toByteArray();
    }

    /** Why the workbench does not run this block, or null. */
    static String refused(SheetSource.Block b) {
        if (b.words() == null) return null;   // the block's own error is shown
        String cmd = b.words().getFirst();
        if (!COMMANDS.contains(cmd))
            return "the workbench runs the calculators' blocks only (" + String.join(", ", COMMANDS.stream().sorted().toList())
                    + "); '" + cmd + "' runs with convlab sheet in a terminal";
        for (String w : b.words()) {
            String option = w.contains("=") ? w.substring(0, w.indexOf('=')) : w;
            String value = w.startsWith("--") && w.contains("=") ? w.substring(w.indexOf('=') + 1) : w;
            if (value.strip().startsWith("@"))
                return "the workbench reads no files: type the numbers instead of " + convlab.io.UserMessages.quote(w) + " (convlab sheet in a terminal reads @file)";
            if (FILE_OPTIONS.contains(option))
                return "the workbench writes and reads no files: " + option + " works with convlab sheet in a terminal";
        }
        return null;
    }
}
