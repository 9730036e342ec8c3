package convlab.cli;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** {@code convlab sheet}: the three renderings of every calculator's result, exit codes, errors in place, safe writing. */
class SheetCommandTest {
    /** One block per calculator (and one command without a worksheet), each followed by a marker paragraph. */
    static final String EVERY_CALCULATOR = """
            # Every calculator

            Inline $\\frac{1}{2}$ and display math:

            $$y = \\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}$$

            ```convlab
            conv --input "1 2 3; 4 5 6; 7 8 9" --kernel "1 0; 0 -1" --explain
            ```

            ```convlab
            convlab solve-filter --input "1 2 3 4" --output "5 8 11" --size 2
            ```

            ```convlab
            params --in-channels 3 --out-channels 10 --kernel-size 3 --input-size 32,32 --padding 1
            ```

            ```convlab
            cost "1/2 (3I - W W^T) W" --dims "W: d_out x d_in" --assume "d_out >> d_in" --sizes d_out=4096,d_in=256
            ```

            ```convlab
            summary "CONV3-10 POOL2 CONV3-10 POOL2 FLATTEN FC-3" --input 28x28x1
            ```

            ```convlab
            receptive-field "CONV3-10 POOL2 CONV3-10" --input 28x28x1
            ```

            ```convlab
            fp8 round e4m3 0.3
            ```
            """;

    static String md, html, pdfText;
    static int exit;

    @BeforeAll static void renderOnce(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("every.md");
        Files.writeString(in, EVERY_CALCULATOR);
        var r = CliTestSupport.run("sheet", in.toString(), "--out", dir.resolve("out").toString());
        exit = r.exitCode();
        assertEquals(0, exit, r.err());
        md = Files.readString(dir.resolve("out/every.md"));
        html = Files.readString(dir.resolve("out/every.html"));
        try (PDDocument pdf = Loader.loadPDF(dir.resolve("out/every.pdf").toFile())) {
            pdfText = new PDFTextStripper().getText(pdf);
        }
    }

    @Test void markdownHasTheLatexOfEveryCalculator() {
        assertTrue(md.contains("$$y = \\begin{bmatrix} -4 & -4 \\\\ -4 & -4 \\end{bmatrix}$$"), md);            // conv
        assertTrue(md.contains("$$w = \\begin{bmatrix} 1 & 2 \\end{bmatrix}$$"), md);                           // solve-filter
        assertTrue(md.contains("$$\\text{parameters: } 3 \\times 3 \\times 3 \\times 10 + 10 = 280$$"), md);                                                   // params
        assertTrue(md.contains("\\frac{3}{2}W - \\frac{1}{2}\\left(W \\, \\left(W^{T} \\, W\\right)\\right)"), md); // cost
        assertTrue(md.contains("| 1 | CONV3-10 | 3×3 s1 p1 | $28 \\times 28 \\times 10$ | 100 | $3 \\times 3 \\times 1 \\times 10 + 10$ |"), md); // summary
        assertTrue(md.contains("\\left(\\frac{k_{\\text{eff}} - 1}{2} - p\\right)"), md);                         // receptive-field
        assertTrue(md.contains("0.3 -> 0x2A 0.0101.010 = 0.3125"), md);                                          // fp8: printed text kept
    }

    @Test void markdownDisplayMathIsWholeAndSeparated() {
        for (String line : md.split("\n")) {
            if (!line.startsWith("$$")) continue;
            assertTrue(line.endsWith("$$") && line.length() > 4, "display math on one line, opened and closed: " + line);
            assertEquals(count(line, "\\begin{"), count(line, "\\end{"), "complete environments only: " + line);
        }
        assertFalse(Pattern.compile("\\$\\$\n\\$\\$").matcher(md).find(), "display blocks are separated by a blank line");
    }

    @Test void htmlIsSelfContainedTypesetAndHasNoNetworkReference() {
        assertFalse(html.toLowerCase().contains("http"), "no http(s) reference of any kind");
        assertFalse(html.contains("<script") || html.contains("<link") || html.contains("src="), "nothing loaded");
        assertTrue(html.contains("<meta name=\"viewport\""), "readable on a phone");
        assertTrue(html.contains("@media print"), "printable");
        assertTrue(html.contains("<mfrac><mrow><mn>1</mn></mrow><mrow><mn>2</mn></mrow></mfrac>"), "fractions as fractions");
        assertTrue(html.contains("<mtable class=\"fenced-b\"><mtr><mtd><mrow><mo>−</mo><mn>4</mn></mrow></mtd>"), "matrices as tables");
        assertFalse(html.contains("\\begin{") || html.contains("\\frac") || html.contains("$$"), "no LaTeX source left");
        assertTrue(html.contains("<td class=\"num\">70560</td>"), "summary table");
    }

    @Test void pdfTextHoldsTheNumbersAndNoLatex() {
        for (String s : new String[] {"y = [−4 −4; −4 −4]", "280", "2c d_out d_in^2", "70560", "2483 trainable parameters", "0.3125", "490"})
            assertTrue(pdfText.contains(s), "PDF text holds " + s + ":\n" + pdfText);
        for (String s : new String[] {"\\begin", "\\frac", "\\text", "$$", "bmatrix"})
            assertFalse(pdfText.contains(s), "no raw LaTeX " + s + " in the PDF text");
    }

    @Test void exitCodesFailingBlockInPlaceAndWrongAnswerNamed(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("mixed.md");
        Files.writeString(in, """
                ```convlab
                conv --input "1 2 3; 4 5 6; 7 8 9" --kernel "1 0; 0 -1" --flip --check "-4 -4; -4 -4"
                ```

                Between the blocks.

                ```convlab
                conv --input "1 2; 3" --kernel "1"
                ```

                After the failing block.

                ```convlab
                params --in-channels 10 --out-channels 10 --kernel-size 3 --check "3x3x10x10 + 10"
                ```
                """);
        var r = CliTestSupport.run("sheet", in.toString(), "--md", dir.resolve("a.md").toString(), "--html", dir.resolve("a.html").toString());
        assertEquals(2, r.exitCode(), "a failing block makes the exit code 2: " + r.err());
        assertTrue(r.err().contains("mixed.md:7: convlab conv:"), r.err());
        String out = Files.readString(dir.resolve("a.md"));
        int fail = out.indexOf("> **Error:** convlab conv:");
        assertTrue(fail > out.indexOf("Between the blocks.") && fail < out.indexOf("After the failing block."), "the error is shown in place:\n" + out);
        assertTrue(out.contains("**✗ Not correct.**") && out.contains("flipped"), "the wrong answer is marked and the mistake named:\n" + out);
        assertTrue(out.contains("**✓ Correct.** params: correct (910)"), out);
        String h = Files.readString(dir.resolve("a.html"));
        assertTrue(h.contains("<p class=\"error\"><strong>Error:</strong> convlab conv:"), h);

        Files.writeString(in, """
                ```convlab
                params --in-channels 10 --out-channels 10 --kernel-size 3 --check "3x3x10x10"
                ```
                """);
        var wrong = CliTestSupport.run("sheet", in.toString());
        assertEquals(1, wrong.exitCode(), "a wrong checked answer: exit 1");
        assertTrue(wrong.out().contains("**✗ Not correct.** params: not correct: given 900, right 910"), wrong.out());
        assertTrue(wrong.out().contains("diagnosis: "), "the mistake is named: " + wrong.out());

        Files.writeString(in, "```convlab\nreceptive-field \"[CONV3-8]x4\"\n```\n");
        assertEquals(0, CliTestSupport.run("sheet", in.toString()).exitCode());
    }

    @Test void blockLinesAreSplitAsAShellWouldAndBadBlocksAreErrorsInPlace(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("q.md");
        Files.writeString(in, """
                ```convlab
                conv --input '1 2 3' \\
                     --kernel "1 \\"1\\"" --check=3
                ```

                ```convlab
                conv --input "1 2
                ```

                ```convlab
                sheet other.md
                ```

                ```convlab
                no-such-command
                ```
                """);
        var r = CliTestSupport.run("sheet", in.toString());
        assertEquals(2, r.exitCode());
        String out = r.out();
        assertTrue(out.contains("unterminated \" quote"), out);
        assertTrue(out.contains("a sheet cannot run convlab sheet inside a block"), out);
        assertTrue(out.contains("> **Error:** "), out);
        assertEquals(4, count(out, "> **Error:**") + count(out, "Not correct") + count(out, "✓ Correct."), out);
    }

    @Test void refusesToOverwriteItsInputOrANonRegularTarget(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("hw.md");
        String text = "```convlab\nreceptive-field \"CONV3-8\"\n```\n";
        Files.writeString(in, text);
        var same = CliTestSupport.run("sheet", in.toString(), "--md", in.toString());
        assertEquals(2, same.exitCode());
        assertTrue(same.err().contains("refusing to overwrite the input"), same.err());
        var sameDir = CliTestSupport.run("sheet", in.toString(), "--out", dir.toString());
        assertEquals(2, sameDir.exitCode(), "--out beside the input would write hw.md over it");
        assertEquals(text, Files.readString(in), "the input is untouched");
        Files.createDirectory(dir.resolve("x.html"));
        var notFile = CliTestSupport.run("sheet", in.toString(), "--html", dir.resolve("x.html").toString());
        assertEquals(2, notFile.exitCode());
        assertTrue(notFile.err().contains("not a regular file"), notFile.err());
        var both = CliTestSupport.run("sheet", in.toString(), "--out", dir.resolve("o").toString(), "--md", dir.resolve("m.md").toString());
        assertEquals(2, both.exitCode());
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left behind");
        }
    }

    @Test void goldenRenderingsOfThreeCalculators() throws Exception {
        assertAll(
                () -> golden("conv-explain", "conv", "--input", "1 2; 3 4", "--kernel", "1/2 -1", "--padding", "0,1", "--explain", "--markdown"),
                () -> golden("cost", "cost", "1/2 (3I - W W^T) W", "--dims", "W: d_out x d_in", "--assume", "d_out >> d_in", "--markdown"),
                () -> golden("receptive-field", "receptive-field", "CONV3-10 POOL2 CONV3-10", "--markdown"));
    }

    /** The command's --markdown output equals src/test/resources/convlab/cli/sheet/NAME.md, and its HTML NAME.html. */
    private static void golden(String name, String... args) throws Exception {
        var r = CliTestSupport.run(args);
        assertEquals(0, r.exitCode(), r.err());
        Path dir = Path.of("src/test/resources/convlab/cli/sheet");
        Path doc = Files.createTempFile("golden", ".md");
        Files.writeString(doc, "```convlab\n" + String.join(" ", java.util.Arrays.stream(args).filter(a -> !a.equals("--markdown"))
                .map(a -> a.contains(" ") ? "'" + a + "'" : a).toList()) + "\n```\n");
        Path htmlOut = Files.createTempFile("golden", ".html");
        assertEquals(0, CliTestSupport.run("sheet", doc.toString(), "--html", htmlOut.toString()).exitCode());
        String h = Files.readString(htmlOut);
        String fragment = h.substring(h.indexOf("<section"), h.indexOf("</section>") + "</section>".length());
        Path target = Path.of("target/sheet-golden");
        Files.createDirectories(target);
        Files.writeString(target.resolve(name + ".md"), r.out());
        Files.writeString(target.resolve(name + ".html"), fragment + "\n");
        assertEquals(Files.readString(dir.resolve(name + ".md"), StandardCharsets.UTF_8), r.out(), name + ".md (actual output in target/sheet-golden)");
        assertEquals(Files.readString(dir.resolve(name + ".html"), StandardCharsets.UTF_8), fragment + "\n", name + ".html (actual output in target/sheet-golden)");
        Files.delete(doc);
        Files.delete(htmlOut);
    }

    private static int count(String s, String part) {
        Matcher m = Pattern.compile(Pattern.quote(part)).matcher(s);
        int n = 0;
        while (m.find()) n++;
        return n;
    }
}
