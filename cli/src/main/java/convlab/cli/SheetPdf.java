package convlab.cli;

import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.File;
import java.io.OutputStream;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/**
 * The PDF of a sheet, made in-process from the sheet's HTML by openhtmltopdf (PDFBox) with a MathML
 * drawer on JEuclid ({@link SheetMathDrawer}): matrices as matrices, fractions as fractions; no TeX installation and no browser.
 * DejaVu fonts are embedded when installed (scripts/install-deps.sh), so ×, ≫, ✓ and Greek letters print.
 */
final class SheetPdf {
    private SheetPdf() {}

    private static final String XHTML_NS = "http" + "://www.w3.org/1999/xhtml";
    private static final String MATHML_NS = "http" + "://www.w3.org/1998/Math/MathML";
    private static final String FONTS = "/usr/share/fonts/truetype/dejavu/";

    /**
     * The MathML drawer typesets with the fonts of @font-face rules only; with these, formulas are drawn as
     * text in the embedded DejaVu fonts (selectable, searchable, extractable) instead of as outlines.
     */
    private static final String MATH_FONTS = mathFonts();

    private static String mathFonts() {
        StringBuilder css = new StringBuilder();
        String[][] faces = {{"DejaVuSerif.ttf", "normal", "normal"}, {"DejaVuSerif-Italic.ttf", "normal", "italic"},
                {"DejaVuSerif-Bold.ttf", "bold", "normal"}, {"DejaVuSerif-BoldItalic.ttf", "bold", "italic"}};
        boolean any = false;
        for (String[] f : faces) {
            File file = new File(FONTS + f[0]);
            if (!file.isFile()) continue;
            any = true;
            css.append("@font-face { font-family: \"DejaVu Serif\"; src: url(\"").append(file.toURI()).append("\"); font-weight: ")
                    .append(f[1]).append("; font-style: ").append(f[2]).append("; }\n");
        }
        if (any) css.append("math { font-family: \"DejaVu Serif\"; }\n");
        css.append("math { max-width: 100%; }\n");
        css.append(".math-wrap { position: relative; display: inline-block; } .math-text { position: absolute; left: 0; top: 0; z-index: -1; color: #fff; font-size: 7pt; white-space: nowrap; }\n");
        return css.toString();
    }

    /** The renderer's and PDFBox's progress messages (CSS it skips, font cache) are not the user's business. */
    private static final java.util.logging.Logger[] QUIET = {
            java.util.logging.Logger.getLogger("org.apache.pdfbox"), java.util.logging.Logger.getLogger("org.apache.fontbox"),
            // JEuclid (the MathML drawer) logs a warning with a web address for every symbol the embedded fonts lack
            java.util.logging.Logger.getLogger("net.sourceforge.jeuclid")};

    static {
        com.openhtmltopdf.util.XRLog.setLoggingEnabled(false);
        for (java.util.logging.Logger l : QUIET) l.setLevel(java.util.logging.Level.SEVERE);
    }

    /**
     * Loads the math renderer's classes (JEuclid's DOM of a small formula) and the system's font list on another
     * thread, so that it overlaps with running the blocks.
     */
    static java.util.concurrent.Future<?> warmUp() {
        java.util.concurrent.FutureTask<Object> task = new java.util.concurrent.FutureTask<>(() -> {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            Document doc = f.newDocumentBuilder().parse(new InputSource(new StringReader("<math xmlns=\"" + MATHML_NS
                    + "\"><mrow><mfrac><mi>x</mi><mn>2</mn></mfrac><mo>=</mo><msqrt><mn>2</mn></msqrt></mrow></math>")));
            SheetMathDrawer.jeuclidDom(doc.getDocumentElement());
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
        String xhtml = html.replaceFirst("<html ", "<html xmlns=\"" + XHTML_NS + "\" ").replace("<math ", "<math xmlns=\"" + MATHML_NS + "\" ")
                .replace("</style>", MATH_FONTS + "</style>");
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setExpandEntityReferences(false);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        Document doc = f.newDocumentBuilder().parse(new InputSource(new StringReader(xhtml)));
        addTextLayer(doc);
        PdfRendererBuilder b = new PdfRendererBuilder();
        b.useFastMode();
        b.useMathMLDrawer(new SheetMathDrawer());
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

    /**
     * The MathML drawer paints formulas as outlines, which no PDF reader can search, copy or extract. Each
     * formula gets its linear text ("y = [-4 -4; -4 -4]", "1/2") laid over it in invisible text, as scanned
     * PDFs carry their OCR layer.
     */
    static void addTextLayer(Document doc) {
        org.w3c.dom.NodeList maths = doc.getElementsByTagNameNS(MATHML_NS, "math");
        List<Element> all = new ArrayList<>();
        for (int i = 0; i < maths.getLength(); i++) all.add((Element) maths.item(i));
        for (Element math : all) {
            Element wrap = doc.createElementNS(XHTML_NS, "span");
            wrap.setAttribute("class", "math-wrap");
            Element text = doc.createElementNS(XHTML_NS, "span");
            text.setAttribute("class", "math-text");
            text.setTextContent(linear(math).replaceAll("\\s+", " ").strip());
            math.getParentNode().replaceChild(wrap, math);
            wrap.appendChild(math);
            wrap.appendChild(text);
        }
    }

    /** A formula as one line of text. */
    static String linear(Node n) {
        if (n.getNodeType() == Node.TEXT_NODE) return n.getNodeValue();
        if (n.getNodeType() != Node.ELEMENT_NODE) return "";
        List<String> kids = new ArrayList<>();
        for (Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) if (c.getNodeType() != Node.COMMENT_NODE) kids.add(linear(c));
        String name = n.getLocalName() == null ? n.getNodeName() : n.getLocalName();
        Element e = (Element) n;
        if (e.getAttribute("class").equals("fence")) return String.join("", kids);
        return switch (name) {
            case "mfrac" -> kids.size() == 2 ? group(kids.get(0)) + "/" + group(kids.get(1)) : String.join(" ", kids);
            case "msup" -> kids.size() == 2 ? kids.get(0) + "^" + group(kids.get(1)) : String.join("", kids);
            case "msub" -> kids.size() == 2 ? kids.get(0) + "_" + group(kids.get(1)) : String.join("", kids);
            case "msubsup" -> kids.size() == 3 ? kids.get(0) + "_" + group(kids.get(1)) + "^" + group(kids.get(2)) : String.join("", kids);
            case "msqrt" -> "√" + group(String.join("", kids));
            case "mtable" -> String.join("; ", kids);
            case "mtr" -> String.join(" ", kids);
            case "mo" -> {   // spaces around operators and relations, none inside brackets or before a minus sign
                String op = String.join("", kids);
                yield "()[]{},−-|".contains(op) && op.length() == 1 ? op : " " + op + " ";
            }
            case "mspace" -> " ";
            default -> String.join("", kids);
        };
    }

    private static String group(String s) {
        String t = s.strip();
        return t.matches("[\\p{L}\\p{N}.′]+") ? t : "(" + t + ")";
    }

    private static void font(PdfRendererBuilder b, String file, String family, int weight, PdfRendererBuilder.FontStyle style) {
        File f = new File(FONTS + file);
        if (f.isFile()) b.useFont(f, family, weight, style, true);
    }
}
