package convlab.cli;

import com.openhtmltopdf.mathmlsupport.MathMLDrawer;
import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.File;
import java.io.OutputStream;
import java.io.StringReader;

/**
 * The PDF of a sheet, made in-process from the sheet's HTML by openhtmltopdf (PDFBox) with its MathML
 * drawer (JEuclid): matrices as matrices, fractions as fractions; no TeX installation and no browser.
 * DejaVu fonts are embedded when installed (scripts/install-deps.sh), so ×, ≫, ✓ and Greek letters print.
 */
final class SheetPdf {
    private SheetPdf() {}

    private static final String XHTML_NS = "http" + "://www.w3.org/1999/xhtml";
    private static final String MATHML_NS = "http" + "://www.w3.org/1998/Math/MathML";
    private static final String FONTS = "/usr/share/fonts/truetype/dejavu/";

    /** The renderer's and PDFBox's progress messages (CSS it skips, font cache) are not the user's business. */
    private static final java.util.logging.Logger[] QUIET = {
            java.util.logging.Logger.getLogger("org.apache.pdfbox"), java.util.logging.Logger.getLogger("org.apache.fontbox")};

    static {
        com.openhtmltopdf.util.XRLog.setLoggingEnabled(false);
        for (java.util.logging.Logger l : QUIET) l.setLevel(java.util.logging.Level.SEVERE);
    }

    /**
     * Loads the math renderer (JEuclid compiles two XSLT stylesheets when first used, about a second) on
     * another thread, so that it overlaps with running the blocks.
     */
    static java.util.concurrent.Future<?> warmUp() {
        java.util.concurrent.FutureTask<Object> task = new java.util.concurrent.FutureTask<>(() -> {
            net.sourceforge.jeuclid.DOMBuilder.getInstance();
            java.awt.GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames();
            return null;
        });
        Thread t = new Thread(task, "sheet-pdf-warm-up");
        t.setDaemon(true);
        t.start();
        return task;
    }

    static void write(String html, OutputStream out) throws Exception {
        // The HTML file names no namespace (HTML5 needs none); the XML reader behind the PDF does.
        String xhtml = html.replaceFirst("<html ", "<html xmlns=\"" + XHTML_NS + "\" ").replace("<math ", "<math xmlns=\"" + MATHML_NS + "\" ");
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setExpandEntityReferences(false);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        Document doc = f.newDocumentBuilder().parse(new InputSource(new StringReader(xhtml)));
        PdfRendererBuilder b = new PdfRendererBuilder();
        b.useFastMode();
        b.useMathMLDrawer(new MathMLDrawer());
        font(b, "DejaVuSerif.ttf", "DejaVu Serif", 400, PdfRendererBuilder.FontStyle.NORMAL);
        font(b, "DejaVuSerif-Bold.ttf", "DejaVu Serif", 700, PdfRendererBuilder.FontStyle.NORMAL);
        font(b, "DejaVuSerif-Italic.ttf", "DejaVu Serif", 400, PdfRendererBuilder.FontStyle.ITALIC);
        font(b, "DejaVuSerif-BoldItalic.ttf", "DejaVu Serif", 700, PdfRendererBuilder.FontStyle.ITALIC);
        font(b, "DejaVuSans.ttf", "DejaVu Sans", 400, PdfRendererBuilder.FontStyle.NORMAL);
        font(b, "DejaVuSans-Bold.ttf", "DejaVu Sans", 700, PdfRendererBuilder.FontStyle.NORMAL);
        font(b, "DejaVuSansMono.ttf", "DejaVu Sans Mono", 400, PdfRendererBuilder.FontStyle.NORMAL);
        font(b, "DejaVuSansMono-Bold.ttf", "DejaVu Sans Mono", 700, PdfRendererBuilder.FontStyle.NORMAL);
        b.withW3cDocument(doc, null);
        b.toStream(out);
        b.run();
    }

    private static void font(PdfRendererBuilder b, String file, String family, int weight, PdfRendererBuilder.FontStyle style) {
        File f = new File(FONTS + file);
        if (f.isFile()) b.useFont(f, family, weight, style, true);
    }
}
