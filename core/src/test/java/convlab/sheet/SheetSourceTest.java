package convlab.sheet;

import convlab.explain.MathML;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SheetSourceTest {
    @Test void blocksProseAndOtherFences() {
        List<SheetSource.Part> parts = SheetSource.parse("""
                # Title

                ````markdown
                ```convlab
                not a block: inside another fence
                ```
                ````

                ```convlab
                convlab conv --input '1 2' \\
                   --kernel "1 \\"x\\""
                ```
                tail
                """);
        assertEquals(5, parts.size(), parts.toString());
        assertInstanceOf(SheetSource.Prose.class, parts.get(0));
        assertInstanceOf(SheetSource.Code.class, parts.get(1));
        assertEquals("\n", ((SheetSource.Prose) parts.get(2)).markdown());
        SheetSource.Block b = (SheetSource.Block) parts.get(3);
        assertEquals(List.of("conv", "--input", "1 2", "--kernel", "1 \"x\""), b.words());
        assertEquals(9, b.line());
        assertNull(b.error());
        assertEquals("tail\n", ((SheetSource.Prose) parts.get(4)).markdown());
    }

    @Test void badBlocksCarryAnErrorNotAnException() {
        assertTrue(block("```convlab\n```\n").error().startsWith("empty convlab block"));
        assertTrue(block("```convlab\nconv a\nconv b\n```\n").error().contains("holds one command line"));
        assertTrue(block("```convlab\nconv --input \"1 2\n```\n").error().startsWith("unterminated \" quote"));
        assertTrue(block("```convlab\nconvlab\n```\n").error().contains("names no command"));
        assertEquals(List.of("conv"), block("```convlab\n# a comment\n\nconv\n```").words(), "comments and blank lines are skipped; an unclosed fence runs to the end");
    }

    private static SheetSource.Block block(String md) {
        return (SheetSource.Block) SheetSource.parse(md).getFirst();
    }

    @Test void wordsAsAShellSplitsThem() {
        assertEquals(List.of("a b", "c$d", "e\\f", "g'h", "i j"), ShellWords.split("'a b' \"c\\$d\" \"e\\f\" g\\'h i\\ j"));
        assertEquals(List.of("\\begin{bmatrix}1 & 2\\\\3 & 4\\end{bmatrix}"), ShellWords.split("\"\\begin{bmatrix}1 & 2\\\\\\\\3 & 4\\end{bmatrix}\""));
        assertEquals(List.of("a", "b"), ShellWords.split("a\\\nb".replace("\\\n", " \\\n")));
        assertThrows(IllegalArgumentException.class, () -> ShellWords.split("'open"));
    }

    @Test void proseMathAsViewersFindIt() {
        List<ProseMath.Piece> p = ProseMath.split("cost $5 and $6, code `$x$`, escaped \\$, math $x_1$ and $$\\frac{a}{b}$$.");
        List<ProseMath.Math> math = p.stream().filter(x -> x instanceof ProseMath.Math).map(x -> (ProseMath.Math) x).toList();
        assertEquals(List.of(new ProseMath.Math("x_1", false), new ProseMath.Math("\\frac{a}{b}", true)), math);
    }

    @Test void mathmlOfTheNotationConvlabWrites() {
        assertEquals("<math display=\"inline\"><mrow><mfrac><mrow><mn>3</mn></mrow><mrow><mn>2</mn></mrow></mfrac></mrow></math>", MathML.of("\\frac{3}{2}", false));
        String m = MathML.of("y = \\begin{bmatrix} 1 & -2 \\\\ 3 & 4 \\end{bmatrix}", true);
        assertTrue(m.contains("<mtr><mtd><mrow><mn>1</mn></mrow></mtd><mtd><mrow><mo>−</mo><mn>2</mn></mrow></mtd></mtr>"), m);
        assertTrue(MathML.of("\\text{cost } 2c", false).contains("<mtext>cost\u00a0</mtext>"), "spaces at the ends of text are kept");
        assertTrue(MathML.of("d_{\\text{out}}^{2} \\gg x \\le \\mathbb{R}", false).contains("<msubsup><mi>d</mi>"));
        assertFalse(MathML.of("a < b", false).contains("a < b"), "markup characters are escaped");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MathML.of("\\foo{x}", false));
        assertEquals("unknown LaTeX command \\foo", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MathML.of("{".repeat(200), false));
        assertThrows(IllegalArgumentException.class, () -> MathML.of("\\begin{bmatrix} 1 \\end{pmatrix}", false));
    }
}
