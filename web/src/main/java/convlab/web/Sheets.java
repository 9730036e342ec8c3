package convlab.web;

import java.util.List;

/**
 * The Sheets page's renderer: {@code convlab sheet}'s library (its block runner and its Markdown and HTML/PDF
 * renderers live in the CLI module, which runs every block through the CLI's own command tree), handed to the
 * server by {@code convlab serve}. The server bounds what reaches it: body size, number of blocks
 * ({@link #MAX_BLOCKS}), time per render ({@link #TIME_LIMIT_MS}).
 */
public interface Sheets {
    /** At most this many ```convlab blocks in one sheet sent to the workbench. */
    int MAX_BLOCKS = 60;
    /** A render stops running blocks after this long; the rest are shown as not run. */
    long TIME_LIMIT_MS = 10_000;

    /** One block's outcome: the line of its fence, "ok", "wrong" or "failed", the one-line error or verdict. */
    record Block(int line, String status, String message) {}

    /** The rendered sheet: the Markdown and the self-contained HTML, with every block's outcome. */
    record Rendered(String markdown, String html, List<Block> blocks, int exitCode) {}

    /**
     * Runs the blocks and renders the sheet. Blocks the workbench does not run (those that read or write files,
     * train, serve) fail in place with a message; blocks not started by deadlineNanos (System.nanoTime()) are
     * shown as not run.
     */
    Rendered render(String title, String markdown, long deadlineNanos);

    /** The PDF of a rendered sheet's HTML. */
    byte[] pdf(String html) throws Exception;
}
