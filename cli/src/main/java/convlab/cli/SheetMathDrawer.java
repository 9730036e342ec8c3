package convlab.cli;

import com.openhtmltopdf.css.constants.CSSName;
import com.openhtmltopdf.css.constants.IdentValue;
import com.openhtmltopdf.css.sheet.FontFaceRule;
import com.openhtmltopdf.css.style.CalculatedStyle;
import com.openhtmltopdf.css.style.CssContext;
import com.openhtmltopdf.css.style.FSDerivedValue;
import com.openhtmltopdf.extend.OutputDevice;
import com.openhtmltopdf.extend.SVGDrawer;
import com.openhtmltopdf.layout.SharedContext;
import com.openhtmltopdf.mathmlsupport.MathMLImage;
import com.openhtmltopdf.outputdevice.helper.BaseRendererBuilder;
import com.openhtmltopdf.outputdevice.helper.ExternalResourceType;
import com.openhtmltopdf.render.Box;
import com.openhtmltopdf.render.RenderingContext;
import net.sourceforge.jeuclid.context.Parameter;
import net.sourceforge.jeuclid.elements.generic.DocumentElement;
import net.sourceforge.jeuclid.font.FontFactory;
import net.sourceforge.jeuclid.layout.JEuclidView;
import org.w3c.dom.Element;

import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMResult;
import javax.xml.transform.dom.DOMSource;
import java.awt.Font;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The PDF's MathML drawer: formulas typeset by JEuclid, as openhtmltopdf's own {@code MathMLDrawer} does, but the
 * formula is copied into JEuclid's DOM as it is, without {@code DOMBuilder}. DOMBuilder compiles a 125 KB XSLT
 * stylesheet that turns content MathML into presentation MathML when it is first used (about 1 CPU-second, most of
 * the cost of a sheet's PDF beyond the layout) and runs it on every formula; convlab writes presentation MathML only
 * ({@link convlab.explain.MathML}), for which that stylesheet is a copy. Fonts: the families of a formula's
 * font-family that {@code @font-face} rules or the renderer's fonts name, registered with JEuclid on first use.
 */
final class SheetMathDrawer implements SVGDrawer {
    /** JEuclid's size of a formula's base font (what openhtmltopdf's drawer sets). */
    private static final float MATH_SIZE = 16f;

    private final Map<String, List<Object>> sources = new HashMap<>();   // family -> File or src text
    private final Set<String> loaded = new HashSet<>();
    private SharedContext shared;

    @Override public void importFontFaceRules(List<FontFaceRule> rules, SharedContext sharedContext) {
        shared = sharedContext;
        for (FontFaceRule rule : rules) {
            CalculatedStyle style = rule.getCalculatedStyle();
            FSDerivedValue src = style.valueByName(CSSName.SRC);
            if (src == IdentValue.NONE || !rule.hasFontFamily()) continue;
            sources.computeIfAbsent(style.valueByName(CSSName.FONT_FAMILY).asString(), k -> new ArrayList<>()).add(src.asString());
        }
    }

    @Override public void addFontFile(File file, String family, Integer weight, BaseRendererBuilder.FontStyle style) {
        sources.computeIfAbsent(family, k -> new ArrayList<>()).add(file);
    }

    private void load(String family) {
        if (!loaded.add(family)) return;
        for (Object source : sources.getOrDefault(family, List.of())) {
            try {
                if (source instanceof File f) FontFactory.getInstance().registerFont(Font.TRUETYPE_FONT, f);
                else if (shared != null) {
                    byte[] bytes = shared.getUserAgentCallback().getBinaryResource((String) source, ExternalResourceType.FONT);
                    if (bytes != null) FontFactory.getInstance().registerFont(Font.TRUETYPE_FONT, new ByteArrayInputStream(bytes));
                }
            } catch (java.io.IOException | java.awt.FontFormatException e) {
                // a font that cannot be read: JEuclid falls back to the next family, as with openhtmltopdf's drawer
            }
        }
    }

    @Override public SVGImage buildSVGImage(Element math, Box box, CssContext c, double cssWidth, double cssHeight, double dotsPerPixel) {
        String[] fonts = box.getStyle().asStringArray(CSSName.FONT_FAMILY);
        for (String family : fonts) load(family);
        return new Image(jeuclidDom(math), List.of(fonts), cssWidth, cssHeight,
                CalculatedStyle.getCSSMaxWidth(c, box), CalculatedStyle.getCSSMaxHeight(c, box), dotsPerPixel);
    }

    /** The formula as JEuclid's DOM: an identity copy (what DOMBuilder does for presentation MathML, minus the XSLT). */
    static DocumentElement jeuclidDom(Element math) {
        DocumentElement doc = new DocumentElement();
        try {
            Transformer copy = TransformerFactory.newInstance().newTransformer();
            copy.transform(new DOMSource(math), new DOMResult(doc));
        } catch (TransformerException e) {
            throw new IllegalStateException("cannot typeset a formula for the PDF: " + e.getMessage(), e);
        }
        return doc;
    }

    @Override public void close() {}

    /** One laid-out formula, scaled to the CSS width/height it was given (and its max-width/max-height), drawn as vector graphics. */
    static final class Image implements SVGImage {
        private final JEuclidView view;
        private final double width, height, sx, sy;

        Image(DocumentElement doc, List<String> fonts, double cssWidth, double cssHeight, double maxWidth, double maxHeight, double dotsPerPixel) {
            MathMLImage.MathLayoutContext context = new MathMLImage.MathLayoutContext();
            for (Parameter p : List.of(Parameter.FONTS_SERIF, Parameter.FONTS_DOUBLESTRUCK, Parameter.FONTS_FRAKTUR, Parameter.FONTS_MONOSPACED,
                    Parameter.FONTS_SANSSERIF, Parameter.FONTS_SCRIPT))
                context.setParameter(p, fonts);
            context.setParameter(Parameter.MATHSIZE, MATH_SIZE);
            view = new JEuclidView(doc, context, null);
            double vw = view.getWidth() * dotsPerPixel, vh = (view.getAscentHeight() + view.getDescentHeight()) * dotsPerPixel;
            if (vw <= 0 || vh <= 0) {
                width = height = 0;
                sx = sy = 1;
                return;
            }
            double w, h;
            if (given(cssWidth) && given(cssHeight)) {   // both: each within its maximum, the aspect ratio not kept
                w = within(cssWidth, maxWidth);
                h = within(cssHeight, maxHeight);
            } else if (given(cssWidth)) {   // one: the aspect ratio kept, the other maximum wins
                double scale = within(cssWidth, maxWidth) / vw;
                if (given(maxHeight) && vh * scale > maxHeight) scale = maxHeight / vh;
                w = scale * vw;
                h = scale * vh;
            } else if (given(cssHeight)) {
                double scale = within(cssHeight, maxHeight) / vh;
                if (given(maxWidth) && vw * scale > maxWidth) scale = maxWidth / vw;
                w = scale * vw;
                h = scale * vh;
            } else {   // none: the laid-out size, shrunk to the maxima with the aspect ratio kept
                double scale = Math.min(within(vw, maxWidth) / vw, within(vh, maxHeight) / vh);
                w = scale * vw;
                h = scale * vh;
            }
            width = w;
            height = h;
            sx = w / vw;
            sy = h / vh;
        }

        private static boolean given(double v) { return v >= 0; }

        /** v limited by max, where either may be missing (negative). */
        private static double within(double v, double max) {
            return given(v) && given(max) ? Math.min(v, max) : given(v) ? v : max;
        }

        @Override public int getIntrinsicWidth() { return (int) width; }
        @Override public int getIntrinsicHeight() { return (int) height; }

        @Override public void drawSVG(OutputDevice out, RenderingContext ctx, double x, double y) {
            out.drawWithGraphics((float) x, (float) y, (float) width, (float) height, g -> {
                g.scale(sx, sy);
                view.draw(g, 0, view.getAscentHeight());
            });
        }
    }
}
