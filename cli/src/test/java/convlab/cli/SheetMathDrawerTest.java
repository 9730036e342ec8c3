package convlab.cli;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The PDF's MathML drawer: a formula is copied whole into JEuclid's DOM and laid out with a size, scaled to a max-width. */
class SheetMathDrawerTest {
    private static final String MATHML = "http" + "://www.w3.org/1998/Math/MathML";

    private static org.w3c.dom.Element math(String body) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document d = f.newDocumentBuilder().parse(new InputSource(new StringReader("<math xmlns=\"" + MATHML + "\">" + body + "</math>")));
        return d.getDocumentElement();
    }

    @Test void aFormulaIsCopiedWholeAndLaidOut() throws Exception {
        var doc = SheetMathDrawer.jeuclidDom(math("<mrow><mfrac><mn>1</mn><mn>2</mn></mfrac><mo>=</mo><mn>0.5</mn></mrow>"));
        assertEquals("math", doc.getDocumentElement().getLocalName());
        assertEquals("12=0.5", doc.getDocumentElement().getTextContent().replaceAll("\\s", ""));
        var image = new SheetMathDrawer.Image(doc, List.of("DejaVu Serif"), -1, -1, -1, -1, 1);
        assertTrue(image.getIntrinsicWidth() > 10 && image.getIntrinsicHeight() > 10, image.getIntrinsicWidth() + "x" + image.getIntrinsicHeight());
        // a max-width narrower than the formula scales it down, keeping the aspect ratio
        var narrow = new SheetMathDrawer.Image(SheetMathDrawer.jeuclidDom(math("<mrow><mfrac><mn>1</mn><mn>2</mn></mfrac><mo>=</mo><mn>0.5</mn></mrow>")),
                List.of("DejaVu Serif"), -1, -1, image.getIntrinsicWidth() / 2.0, -1, 1);
        assertEquals(image.getIntrinsicWidth() / 2, narrow.getIntrinsicWidth(), 1);
        assertEquals(image.getIntrinsicHeight() / 2.0, narrow.getIntrinsicHeight(), 1.5);
    }
}
