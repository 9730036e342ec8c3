package convlab.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** {@code convlab sheet FILE.md}: a whole problem set worked in one document, out as Markdown, HTML and PDF. */
@Command(name = "sheet", mixinStandardHelpOptions = true,
        description = {"Run every ```convlab block of a Markdown document (one convlab command line each, e.g.",
                "conv --input \"1 2; 3 4\" --kernel \"1 0; 0 1\" --explain) and write the document with each result after its block:",
                "Markdown with LaTeX, one self-contained HTML file (MathML; works offline, on a phone, in print) and a PDF.",
                "A block with --check ANSWER is marked correct or not, with the mistake named. A failing block shows its error in place.",
                "Without an output option the Markdown goes to standard output.",
                "Exit status: 0 all blocks ran and every checked answer is correct, 1 a checked answer is wrong, 2 a block failed or bad input."})
final class SheetCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE.md", description = "The sheet: Markdown with ```convlab blocks.")
    Path file;

    @Option(names = "--out", paramLabel = "DIR", description = "Write DIR/NAME.md, DIR/NAME.html and DIR/NAME.pdf (NAME = the input's name without .md).")
    Path out;

    @Option(names = "--html", paramLabel = "F", description = "Write the HTML here.") Path html;
    @Option(names = "--pdf", paramLabel = "F", description = "Write the PDF here.") Path pdf;
    @Option(names = "--md", paramLabel = "F", description = "Write the Markdown here.") Path md;

    @Option(names = "--watch", description = "Render again whenever FILE.md changes (until interrupted).")
    boolean watch;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec command;

    private java.util.concurrent.Future<?> warmUp;

    @Override public Integer call() throws Exception {
        Map<String, Path> targets = targets();
        if (!watch) return render(targets);
        if (targets.isEmpty()) throw new IllegalArgumentException("--watch needs --out DIR or --html/--pdf/--md files to write");
        render(targets);
        watch(targets);
        return 0;
    }

    /** Output kind ("md", "html", "pdf") to path, checked: no input overwritten, no directory or link replaced. */
    private Map<String, Path> targets() throws IOException {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("no such file: " + file);
        if (out != null && (html != null || pdf != null || md != null))
            throw new IllegalArgumentException("give either --out DIR or --html/--pdf/--md files, not both");
        Map<String, Path> t = new LinkedHashMap<>();
        if (out != null) {
            if (Files.exists(out) && !Files.isDirectory(out)) throw new IllegalArgumentException("--out " + out + " is not a directory");
            Files.createDirectories(out);
            String name = file.getFileName().toString().replaceFirst("(?i)\\.(md|markdown)$", "");
            t.put("md", out.resolve(name + ".md"));
            t.put("html", out.resolve(name + ".html"));
            t.put("pdf", out.resolve(name + ".pdf"));
        } else {
            if (md != null) t.put("md", md);
            if (html != null) t.put("html", html);
            if (pdf != null) t.put("pdf", pdf);
        }
        List<Path> seen = new ArrayList<>();
        for (Map.Entry<String, Path> e : t.entrySet()) {
            Path p = e.getValue().toAbsolutePath().normalize();
            if (p.equals(file.toAbsolutePath().normalize()) || Files.exists(p) && Files.isSameFile(p, file))
                throw new IllegalArgumentException("refusing to overwrite the input " + file + " with the " + e.getKey() + " output");
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                throw new IllegalArgumentException("refusing to replace " + p + ": it is not a regular file");
            if (seen.contains(p)) throw new IllegalArgumentException("two outputs go to the same file " + p);
            if (p.getParent() != null && !Files.isDirectory(p.getParent())) throw new IllegalArgumentException("no such directory: " + p.getParent());
            seen.add(p);
        }
        return t;
    }

    private int render(Map<String, Path> targets) throws Exception {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (targets.containsKey("pdf") && warmUp == null) warmUp = SheetPdf.warmUp();
        SheetRender.Run run = SheetRender.run(title(text), text);
        String markdown = SheetRender.markdown(run);
        PrintWriter err = command.commandLine().getErr();
        if (targets.isEmpty()) {
            PrintWriter o = command.commandLine().getOut();
            o.print(markdown);
            o.flush();
        }
        if (targets.containsKey("md")) write(targets.get("md"), markdown.getBytes(StandardCharsets.UTF_8));
        if (targets.containsKey("html") || targets.containsKey("pdf")) {
            String h = SheetRender.html(run);
            if (targets.containsKey("html")) write(targets.get("html"), h.getBytes(StandardCharsets.UTF_8));
            if (targets.containsKey("pdf")) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                SheetPdf.write(h, bytes);
                write(targets.get("pdf"), bytes.toByteArray());
            }
        }
        for (SheetRunner.Outcome o : run.outcomes())
            if (o.status() == SheetRunner.Status.FAILED) err.println("convlab sheet: " + file + ":" + o.block().line() + ": " + o.error());
        err.println("convlab sheet: " + run.outcomes().size() + " blocks, " + run.failed() + " failed; " + run.checked() + " answers checked, "
                + run.wrong() + " not correct" + (targets.isEmpty() ? "" : "; wrote " + String.join(", ", targets.values().stream().map(Path::toString).toList())));
        err.flush();
        return run.exitCode();
    }

    /** The document's first heading, else the file name. */
    private String title(String text) {
        return convlab.sheet.SheetSource.title(text, file.getFileName().toString());
    }

    /** Written beside the target, then renamed over it: a reader never sees half a file. */
    static void write(Path target, byte[] bytes) throws IOException {
        Path abs = target.toAbsolutePath();
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
        try {
            Files.write(tmp, bytes);
            try {   // as an ordinary new file (createTempFile makes it private)
                Files.setPosixFilePermissions(tmp, Files.exists(abs) ? Files.getPosixFilePermissions(abs)
                        : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the default permissions stay
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Waits for changes to the input (events on its directory), lets a burst of writes settle, renders again. */
    private void watch(Map<String, Path> targets) throws Exception {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        PrintWriter err = command.commandLine().getErr();
        err.println("convlab sheet: watching " + file + " (Ctrl-C to stop)");
        err.flush();
        try (WatchService ws = FileSystems.getDefault().newWatchService()) {
            dir.register(ws, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE);
            while (true) {
                WatchKey key = ws.take();
                boolean changed = concernsInput(key, abs);
                // debounce: editors write in several steps; wait until 200 ms pass without another event
                WatchKey more;
                while ((more = ws.poll(200, TimeUnit.MILLISECONDS)) != null) changed |= concernsInput(more, abs);
                if (!changed) continue;
                try {
                    if (Files.isRegularFile(file)) render(targets);
                } catch (IOException | IllegalArgumentException e) {
                    err.println("convlab sheet: " + e.getMessage());
                    err.flush();
                }
            }
        }
    }

    private static boolean concernsInput(WatchKey key, Path input) {
        boolean hit = false;
        for (WatchEvent<?> e : key.pollEvents())
            if (e.context() instanceof Path p && p.getFileName().equals(input.getFileName())) hit = true;
        key.reset();
        return hit;
    }
}
