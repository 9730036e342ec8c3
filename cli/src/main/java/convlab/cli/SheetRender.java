package convlab.cli;

import convlab.explain.MathML;
import convlab.sheet.ProseMath;
import convlab.sheet.SheetSource;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Image;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The two text renderings of a run sheet: Markdown (the document as written, each convlab block followed by
 * its result from {@link convlab.explain.Worksheet#toMarkdown()}) and one self-contained HTML file (prose
 * through CommonMark, math as MathML, results from {@link convlab.explain.Worksheet#toHtml()}; no script, no
 * font, image or style fetched from anywhere). The HTML is well-formed XML, which {@link SheetPdf} reads.
 */
final class SheetRender {
    private SheetRender() {}

    /** A run sheet: its parts and, for each convlab block in order, the outcome. */
    record Run(String title, List<SheetSource.Part> parts, List<SheetRunner.Outcome> outcomes) {
        int failed() { return (int) outcomes.stream().filter(o -> o.status() == SheetRunner.Status.FAILED).count(); }
        int wrong() { return (int) outcomes.stream().filter(o -> o.status() == SheetRunner.Status.WRONG).count(); }
        int checked() { return (int) outcomes.stream().filter(SheetRunner.Outcome::checked).count(); }
        int exitCode() { return failed() > 0 ? 2 : wrong() > 0 ? 1 : 0; }
    }

    static Run run(String title, String markdown) {
        return run(title, markdown, SheetRunner::run);
    }

    /** As above, each block run by the given runner (the workbench's refuses some blocks and stops at a deadline). */
    static Run run(String title, String markdown, java.util.function.Function<SheetSource.Block, SheetRunner.Outcome> runner) {
        List<SheetSource.Part> parts = SheetSource.parse(markdown);
        List<SheetRunner.Outcome> outcomes = new ArrayList<>();
        for (SheetSource.Part p : parts) if (p instanceof SheetSource.Block b) outcomes.add(runner.apply(b));
        return new Run(title, parts, outcomes);
    }

    // ---- Markdown ----

    static String markdown(Run run) {
        StringBuilder sb = new StringBuilder();
        int k = 0;
        for (SheetSource.Part p : run.parts()) {
            switch (p) {
                case SheetSource.Prose pr -> sb.append(pr.markdown());
                case SheetSource.Code c -> sb.append(c.markdown());
                case SheetSource.Block b -> {
                    SheetRunner.Outcome o = run.outcomes().get(k++);
                    sb.append(b.markdown());
                    if (!b.markdown().endsWith("\n")) sb.append('\n');
                    sb.append('\n');
                    if (o.status() == SheetRunner.Status.FAILED) {
                        sb.append("> **Error:** ").append(o.error().replace("*", "\\*").replace("_", "\\_")).append("\n\n");
                    } else {
                        sb.append(o.worksheet().toMarkdown());
                        if (o.checked() && o.verdict() == null)
                            sb.append(o.status() == SheetRunner.Status.OK ? "**✓ Correct.**\n\n" : "**✗ Not correct.**\n\n");
                    }
                }
            }
        }
        return sb.toString();
    }

    // ---- HTML ----

    private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create());
    private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).build();
    private static final HtmlRenderer HTML = HtmlRenderer.builder().extensions(EXTENSIONS).escapeHtml(true).sanitizeUrls(true).build();
    private static final Pattern SCHEME = Pattern.compile("(?i)\\b(https?|ftp)://");

    static String html(Run run) {
        StringBuilder body = new StringBuilder();
        int k = 0;
        for (SheetSource.Part p : run.parts()) {
            switch (p) {
                case SheetSource.Prose pr -> body.append(prose(pr.markdown()));
                case SheetSource.Code c -> body.append(commonMark(c.markdown()));
                case SheetSource.Block b -> {
                    SheetRunner.Outcome o = run.outcomes().get(k++);
                    String cls = switch (o.status()) { case OK -> "ok"; case WRONG -> "wrong"; case FAILED -> "failed"; };
                    body.append("<section class=\"block ").append(cls).append("\">\n<pre class=\"cmd\"><code>")
                            .append(MathML.escape(unlink("convlab " + (b.command() == null ? "" : b.command())))).append("</code></pre>\n");
                    if (o.status() == SheetRunner.Status.FAILED) {
                        body.append("<p class=\"error\"><strong>Error:</strong> ").append(MathML.escape(unlink(o.error()))).append("</p>\n");
                    } else {
                        body.append(unlinkHtml(o.worksheet().toHtml()));
                        if (o.checked() && o.verdict() == null)
                            body.append(o.status() == SheetRunner.Status.OK ? "<p class=\"correct\"><strong>✓ Correct.</strong></p>\n"
                                    : "<p class=\"wrong\"><strong>✗ Not correct.</strong></p>\n");
                    }
                    body.append("</section>\n");
                }
            }
        }
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
                + "<title>" + MathML.escape(run.title()) + "</title>\n<style>\n" + CSS + "</style>\n</head>\n<body>\n<main>\n"
                + body + "</main>\n</body>\n</html>\n";
    }

    /** Prose: math pulled out first (so CommonMark does not read \\ or _ inside it), typeset as MathML after. */
    static String prose(String markdown) {
        List<String> math = new ArrayList<>();
        StringBuilder md = new StringBuilder();
        for (ProseMath.Piece piece : ProseMath.split(markdown)) {
            switch (piece) {
                case ProseMath.Text t -> md.append(t.markdown());
                case ProseMath.Math m -> {
                    String key = "CONVLABMATH" + math.size() + "X";
                    math.add(mathHtml(m.latex(), m.display()));
                    md.append(m.display() ? "\n\n" + key + "\n\n" : key);
                }
            }
        }
        String html = commonMark(md.toString());
        for (int i = math.size() - 1; i >= 0; i--) {   // from the end, so CONVLABMATH1X does not match inside CONVLABMATH12X
            String key = "CONVLABMATH" + i + "X";
            html = html.replace("<p>" + key + "</p>", math.get(i)).replace(key, math.get(i));
        }
        return html;
    }

    private static String mathHtml(String latex, boolean display) {
        try {
            String m = MathML.of(latex, display);
            return display ? "<div class=\"math\">" + m + "</div>" : m;
        } catch (IllegalArgumentException e) {   // notation the converter does not know: the source, marked
            String src = MathML.escape((display ? "$$" : "$") + latex + (display ? "$$" : "$"));
            return display ? "<pre class=\"tex\">" + src + "</pre>" : "<code class=\"tex\">" + src + "</code>";
        }
    }

    private static String commonMark(String markdown) {
        Node doc = PARSER.parse(markdown);
        doc.accept(new Offline());
        return HTML.render(doc);
    }

    /**
     * The file must work offline and reference nothing: a link keeps its text and shows the address without
     * its scheme; an image becomes a note (a sheet is one file: nothing is loaded from beside it either).
     */
    private static final class Offline extends AbstractVisitor {
        @Override public void visit(Link link) {
            String dest = link.getDestination();
            if (dest != null && SCHEME.matcher(dest).lookingAt()) {
                visitChildren(link);
                Node after = link;
                for (Node c = link.getFirstChild(); c != null; ) {
                    Node next = c.getNext();
                    after.insertAfter(c);
                    after = c;
                    c = next;
                }
                after.insertAfter(new Text(" (" + unlink(dest) + ")"));
                link.unlink();
                return;
            }
            visitChildren(link);
        }

        @Override public void visit(Image image) {
            String dest = image.getDestination() == null ? "" : image.getDestination();
            image.insertAfter(new Text("[image not included: " + unlink(dest) + "]"));
            image.unlink();
        }

        @Override public void visit(Text text) { text.setLiteral(unlink(text.getLiteral())); }
        @Override public void visit(Code code) { code.setLiteral(unlink(code.getLiteral())); }
        @Override public void visit(FencedCodeBlock code) { code.setLiteral(unlink(code.getLiteral())); }
        @Override public void visit(IndentedCodeBlock code) { code.setLiteral(unlink(code.getLiteral())); }
    }

    /** "https://example.org/x" shown as "example.org/x". */
    static String unlink(String s) { return SCHEME.matcher(s).replaceAll(""); }

    private static String unlinkHtml(String s) { return s.contains("://") ? unlink(s) : s; }

    static final String CSS = """
            html { -webkit-text-size-adjust: 100%; }
            body { margin: 0; color: #111; background: #fff; font-family: "DejaVu Serif", Georgia, "Times New Roman", serif, "DejaVu Sans"; font-size: 17px; line-height: 1.5; }
            main { max-width: 46em; margin: 0 auto; padding: 1.2em 1.2em 3em; }
            h1 { font-size: 1.7em; line-height: 1.2; } h2 { font-size: 1.35em; } h3 { font-size: 1.15em; } h4 { font-size: 1em; margin: 0.8em 0 0.3em; }
            pre, code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.86em; }
            pre { background: #f5f5f5; padding: 0.5em 0.7em; white-space: pre-wrap; word-wrap: break-word; overflow-wrap: anywhere; }
            .block { border-left: 4px solid #7a9cc6; padding: 0.1em 0 0.1em 0.9em; margin: 1.2em 0; }
            .block.wrong { border-left-color: #d08770; } .block.failed { border-left-color: #c62828; }
            pre.cmd { background: #eef2f8; margin: 0.4em 0; }
            .math { overflow-x: auto; overflow-y: hidden; margin: 0.5em 0; text-align: center; }
            math { font-size: 1.05em; }
            /* Matrix brackets drawn with borders: stretching a bracket glyph needs a math font, which many systems lack. */
            math mo.fence { display: none; }
            math mtable.fenced-b, math mtable.fenced-p, math mtable.fenced-v, math mtable.fenced-c { padding: 0.1em 0.4em; margin: 0 0.15em; }
            math mtable.fenced-v { border-left: 0.07em solid; border-right: 0.07em solid; }
            math mtable.fenced-b { border-left: 0.07em solid; border-right: 0.07em solid;
              background: linear-gradient(currentColor, currentColor) left top / 0.3em 0.07em no-repeat,
                linear-gradient(currentColor, currentColor) left bottom / 0.3em 0.07em no-repeat,
                linear-gradient(currentColor, currentColor) right top / 0.3em 0.07em no-repeat,
                linear-gradient(currentColor, currentColor) right bottom / 0.3em 0.07em no-repeat; }
            math mtable.fenced-p { border-left: 0.07em solid; border-right: 0.07em solid; border-radius: 0.6em / 50%; }
            math mtable.fenced-c { border-left: 0.07em solid; border-radius: 0.5em 0 0 0.5em / 50% 0 0 50%; }
            .table { overflow-x: auto; margin: 0.6em 0; }
            table { border-collapse: collapse; font-size: 0.92em; }
            th, td { border: 1px solid #c8c8c8; padding: 0.2em 0.45em; vertical-align: middle; }
            th { background: #f0f0f0; } .num { text-align: right; }
            p.correct { color: #1b6e34; } p.wrong { color: #b3261e; }
            .error { color: #b3261e; background: #fdecea; padding: 0.4em 0.6em; }
            .tex { color: #555; }
            @media (max-width: 600px) { body { font-size: 16px; } main { padding: 0.7em 0.7em 2em; } .block { padding-left: 0.6em; } }
            @page { size: A4; margin: 16mm 15mm; }
            @media print { body { font-size: 11pt; } main { max-width: none; padding: 0; } .math, .table { overflow: visible; }
              table { font-size: 8.5pt; } pre, .math, tr { page-break-inside: avoid; } h1, h2, h3, h4, pre.cmd { page-break-after: avoid; } }
            """;
}
