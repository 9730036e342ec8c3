package convlab.cli;

import convlab.web.Sheets;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The workbench's sheet renderer: convlab sheet's own output, calculator blocks only, no files, a deadline. */
class SheetServiceTest {
    static final String CONV = "```convlab\nconv --input \"1 2 3; 4 5 6; 7 8 9\" --kernel \"1 0; 0 -1\" --check \"-4 -4; -4 -4\"\n```\n";

    @Test void rendersAsConvlabSheetDoes() {
        String md = "# Set\n\nThe size $\\frac{n-k}{s}+1$.\n\n" + CONV;
        Sheets.Rendered r = new SheetService().render("Set", md, System.nanoTime() + 60_000_000_000L);
        SheetRender.Run run = SheetRender.run("Set", md);
        assertEquals(SheetRender.markdown(run), r.markdown(), "the same Markdown as convlab sheet");
        assertEquals(SheetRender.html(run), r.html(), "the same HTML as convlab sheet");
        assertEquals(1, r.blocks().size());
        assertEquals("ok", r.blocks().getFirst().status());
        assertEquals(0, r.exitCode());
        assertTrue(r.html().contains("<math") && !r.html().contains("http"), "MathML, no address");
    }

    @Test void blocksThatReachFilesOrRunLongAreRefusedInPlace() {
        String md = "```convlab\ntrain --epochs 1\n```\n\n```convlab\nconv --input @/etc/passwd --kernel 1\n```\n\n"
                + "```convlab\nconv --input=@/etc/hostname --kernel 1\n```\n\n```convlab\nconv --input \"1 2 3\" --kernel \"1 1\" --plot /tmp/x.png\n```\n\n"
                + "```convlab\nforward --weights=/etc/passwd --spec \"FC-1\" --input \"1\"\n```\n\n```convlab\nserve --port 1\n```\n\n" + CONV;
        Sheets.Rendered r = new SheetService().render("t", md, System.nanoTime() + 60_000_000_000L);
        assertEquals(7, r.blocks().size());
        for (int i = 0; i < 6; i++) assertEquals("failed", r.blocks().get(i).status(), r.blocks().get(i).toString());
        assertTrue(r.blocks().get(0).message().contains("'train' runs with convlab sheet in a terminal"), r.blocks().get(0).message());
        assertTrue(r.blocks().get(1).message().contains("reads no files"), r.blocks().get(1).message());
        assertTrue(r.blocks().get(2).message().contains("reads no files"), r.blocks().get(2).message());
        assertTrue(r.blocks().get(3).message().contains("--plot"), r.blocks().get(3).message());
        assertTrue(r.blocks().get(4).message().contains("--weights"), r.blocks().get(4).message());
        assertEquals("ok", r.blocks().get(6).status(), "the other blocks still run");
        assertTrue(r.html().contains("reads no files"), "the error is shown in place");
        assertEquals(2, r.exitCode());
    }

    @Test void blocksAfterTheDeadlineAreNotRun() {
        Sheets.Rendered r = new SheetService().render("t", CONV + "\n" + CONV, System.nanoTime() - 1);
        assertEquals(2, r.blocks().size());
        for (Sheets.Block b : r.blocks()) assertTrue(b.message().startsWith("not run:"), b.message());
    }

    @Test void thePdfIsAPdf() throws Exception {
        Sheets.Rendered r = new SheetService().render("t", "# T\n\n" + CONV, System.nanoTime() + 60_000_000_000L);
        byte[] pdf = new SheetService().pdf(r.html());
        assertEquals("%PDF-", new String(pdf, 0, 5, java.nio.charset.StandardCharsets.US_ASCII));
    }
}
