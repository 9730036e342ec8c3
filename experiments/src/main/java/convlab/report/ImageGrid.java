package convlab.report;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Small 2-D arrays (images, convolution filters) drawn as an enlarged grid of tiles: one row per group,
 * a label left of each row, a caption under each tile. Each value becomes a square block of pixels
 * (nearest neighbour, no smoothing), so a 3×3 filter stays visibly 3×3.
 */
public final class ImageGrid {

    /** How values map to colours. */
    public enum Style {
        /** Grey from the tile's minimum (black) to its maximum (white). */
        GRAY_AUTO,
        /** Grey with 0 black and 1 white, clipped (images with pixels in [0, 1]). */
        GRAY_UNIT,
        /** Blue for negative, white for zero, red for positive, scaled by the tile's largest |value|. */
        DIVERGING
    }

    /**
     * One tile: values in row-major order, its size, a caption (may be empty) and a style; printValues writes each
     * value inside its cell (for small kernels); block &gt; 1 draws a grid line every block cells (pooling windows).
     * A DIVERGING tile gets a colour bar under it, labelled with the −max|value|, 0 and +max|value| of its scale.
     */
    public record Tile(double[] values, int height, int width, String caption, Style style, boolean printValues, int block) {
        public Tile {
            if (height <= 0 || width <= 0 || values.length != height * width)
                throw new IllegalArgumentException("tile '" + caption + "' has " + values.length + " values, not "
                        + height + "×" + width);
            if (block < 1) throw new IllegalArgumentException("tile '" + caption + "': block size must be >= 1, got " + block);
        }

        public Tile(double[] values, int height, int width, String caption, Style style) {
            this(values, height, width, caption, style, false, 1);
        }

        /** The same tile with each value printed inside its cell. */
        public Tile withValues() { return new Tile(values, height, width, caption, style, true, block); }

        /** The same tile with a grid line every block cells. */
        public Tile withBlocks(int block) { return new Tile(values, height, width, caption, style, printValues, block); }

        public static Tile of(float[] values, int height, int width, String caption, Style style) {
            double[] d = new double[values.length];
            for (int i = 0; i < d.length; i++) d[i] = values[i];
            return new Tile(d, height, width, caption, style);
        }
    }

    private record Row(String label, List<Tile> tiles) {}

    private final int cellPixels;
    private final List<Row> rows = new ArrayList<>();
    private String title = "";

    /** cellPixels: the side of the square each value becomes (tiles of different sizes share it). */
    public ImageGrid(int cellPixels) {
        if (cellPixels < 1) throw new IllegalArgumentException("cell size must be >= 1 pixel, got " + cellPixels);
        this.cellPixels = cellPixels;
    }

    public ImageGrid title(String t) { this.title = t; return this; }

    public ImageGrid row(String label, List<Tile> tiles) {
        if (tiles.isEmpty()) throw new IllegalArgumentException("image grid row '" + label + "' has no tiles");
        rows.add(new Row(label, List.copyOf(tiles)));
        return this;
    }

    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font CAPTION = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    private static final Font VALUE = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
    private static final int GAP = 10;
    /** Height of a diverging tile's colour bar, its minimum width, and the room its labels take under it. */
    private static final int BAR_H = 8, BAR_MIN_W = 90;

    public BufferedImage render() {
        if (rows.isEmpty()) throw new IllegalStateException("image grid has no rows");
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        FontMetrics lm = pg.getFontMetrics(LABEL), cm = pg.getFontMetrics(CAPTION), tm = pg.getFontMetrics(TITLE);
        int labelW = 0;   // measured before pg is disposed; tm is used for the title width below
        for (Row r : rows) labelW = Math.max(labelW, lm.stringWidth(r.label()));
        int tileW = 0, tileH = 0;
        boolean captions = false, bars = false;
        for (Row r : rows)
            for (Tile t : r.tiles()) {
                tileW = Math.max(tileW, Math.max(t.width() * cellPixels, cm.stringWidth(t.caption())));
                tileH = Math.max(tileH, t.height() * cellPixels);
                captions |= !t.caption().isEmpty();
                if (t.style() == Style.DIVERGING) {
                    bars = true;
                    String lab = barLabel(maxAbs(t.values()));
                    tileW = Math.max(tileW, Math.max(BAR_MIN_W, 2 * cm.stringWidth("−" + lab) + cm.stringWidth("0") + 24));
                }
            }
        pg.dispose();
        int maxTiles = rows.stream().mapToInt(r -> r.tiles().size()).max().orElse(1);
        int captionH = captions ? cm.getHeight() + 2 : 0;
        int barH = bars ? 4 + BAR_H + cm.getHeight() : 0;
        int rowH = tileH + captionH + barH + GAP;
        int titleH = title.isEmpty() ? 0 : tm.getHeight() + GAP;
        int w = Math.max(GAP + labelW + GAP + maxTiles * (tileW + GAP), 2 * GAP + tm.stringWidth(title));
        int h = GAP + titleH + rows.size() * rowH;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        if (!title.isEmpty()) { g.setFont(TITLE); g.drawString(title, GAP, GAP + tm.getAscent()); }
        int y = GAP + titleH;
        for (Row r : rows) {
            g.setColor(Color.BLACK);
            g.setFont(LABEL);
            g.drawString(r.label(), GAP, y + tileH / 2 + lm.getAscent() / 2);
            int x = GAP + labelW + GAP;
            for (Tile t : r.tiles()) {
                int tw = t.width() * cellPixels, th = t.height() * cellPixels;
                int x0 = x + (tileW - tw) / 2;
                drawTile(img, t, x0, y);
                if (t.block() > 1) {
                    g.setColor(new Color(230, 120, 0));
                    for (int i = t.block(); i < t.height(); i += t.block()) g.fillRect(x0, y + i * cellPixels - 1, tw, 2);
                    for (int j = t.block(); j < t.width(); j += t.block()) g.fillRect(x0 + j * cellPixels - 1, y, 2, th);
                }
                if (t.printValues()) drawValues(g, t, x0, y);
                g.setColor(new Color(160, 160, 160));
                g.drawRect(x0 - 1, y - 1, tw + 1, th + 1);
                if (!t.caption().isEmpty()) {
                    g.setColor(Color.BLACK);
                    g.setFont(CAPTION);
                    g.drawString(t.caption(), x + (tileW - cm.stringWidth(t.caption())) / 2, y + tileH + cm.getAscent() + 2);
                }
                if (t.style() == Style.DIVERGING) drawBar(img, g, cm, t, x, y + tileH + (t.caption().isEmpty() ? 0 : captionH) + 4, tileW);
                x += tileW + GAP;
            }
            y += rowH;
        }
        g.dispose();
        return img;
    }

    /** A horizontal blue-white-red bar the width of the tile slot, labelled −m, 0 and +m (m = the tile's max |value|). */
    private static void drawBar(BufferedImage img, Graphics2D g, FontMetrics cm, Tile t, int x, int y, int slotW) {
        double m = maxAbs(t.values());
        int bw = slotW - 4, bx = x + (slotW - bw) / 2;
        for (int i = 0; i < bw; i++) {
            int rgb = colour(bw == 1 ? 0 : -1 + 2.0 * i / (bw - 1), Style.DIVERGING, -1, 1, 1);
            for (int j = 0; j < BAR_H; j++) img.setRGB(bx + i, y + j, rgb);
        }
        g.setColor(new Color(160, 160, 160));
        g.drawRect(bx - 1, y - 1, bw + 1, BAR_H + 1);
        g.setColor(Color.BLACK);
        g.setFont(CAPTION);
        String lab = barLabel(m), lo = m > 0 ? "−" + lab : lab, hi = m > 0 ? "+" + lab : lab;
        int ty = y + BAR_H + cm.getAscent();
        g.drawString(lo, bx, ty);
        g.drawString("0", bx + (bw - cm.stringWidth("0")) / 2, ty);
        g.drawString(hi, bx + bw - cm.stringWidth(hi), ty);
    }

    /** Each value printed in the middle of its cell, black on light cells and white on dark ones. */
    private void drawValues(Graphics2D g, Tile t, int x0, int y0) {
        double[] v = t.values();
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY, m = maxAbs(v);
        for (double x : v) { lo = Math.min(lo, x); hi = Math.max(hi, x); }
        g.setFont(VALUE);
        FontMetrics fm = g.getFontMetrics(VALUE);
        for (int i = 0; i < t.height(); i++)
            for (int j = 0; j < t.width(); j++) {
                double x = v[i * t.width() + j];
                int rgb = colour(x, t.style(), lo, hi, m);
                double lum = 0.299 * (rgb >> 16 & 255) + 0.587 * (rgb >> 8 & 255) + 0.114 * (rgb & 255);
                g.setColor(lum < 128 ? Color.WHITE : Color.BLACK);
                String s = valueLabel(x);
                g.drawString(s, x0 + j * cellPixels + (cellPixels - fm.stringWidth(s)) / 2,
                        y0 + i * cellPixels + (cellPixels + fm.getAscent() - fm.getDescent()) / 2);
            }
    }

    static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) if (Double.isFinite(x)) m = Math.max(m, Math.abs(x));
        return m;
    }

    /** A colour-bar end label: 3 significant digits, no trailing zeros. */
    static String barLabel(double m) {
        return new java.math.BigDecimal(m).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /** A cell value: integers as integers, others with 2 significant digits and no leading zero (".25", "−.11", ".015"). */
    public static String valueLabel(double x) {
        if (!Double.isFinite(x)) return Double.toString(x);
        if (x == Math.rint(x) && Math.abs(x) < 1e6) return Long.toString((long) x).replace("-", "−");
        return new java.math.BigDecimal(x).round(new java.math.MathContext(2)).stripTrailingZeros().toPlainString()
                .replace("-", "−").replaceFirst("^0\\.", ".").replaceFirst("^−0\\.", "−.");
    }

    private void drawTile(BufferedImage img, Tile t, int x0, int y0) {
        double[] v = t.values();
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY, maxAbs = 0;
        for (double x : v) { lo = Math.min(lo, x); hi = Math.max(hi, x); maxAbs = Math.max(maxAbs, Math.abs(x)); }
        for (int i = 0; i < t.height(); i++)
            for (int j = 0; j < t.width(); j++) {
                int rgb = colour(v[i * t.width() + j], t.style(), lo, hi, maxAbs);
                for (int dy = 0; dy < cellPixels; dy++)
                    for (int dx = 0; dx < cellPixels; dx++) img.setRGB(x0 + j * cellPixels + dx, y0 + i * cellPixels + dy, rgb);
            }
    }

    static int colour(double x, Style style, double lo, double hi, double maxAbs) {
        return switch (style) {
            case GRAY_UNIT -> grey(x);
            case GRAY_AUTO -> grey(hi > lo ? (x - lo) / (hi - lo) : 0.5);
            case DIVERGING -> {
                double a = maxAbs > 0 ? Math.max(-1, Math.min(1, x / maxAbs)) : 0;
                // white at 0, towards red (178, 24, 43) for +1 and blue (33, 102, 172) for −1
                int[] end = a >= 0 ? new int[] {178, 24, 43} : new int[] {33, 102, 172};
                double f = Math.abs(a);
                int r = (int) Math.round(255 + f * (end[0] - 255)), gg = (int) Math.round(255 + f * (end[1] - 255)),
                        b = (int) Math.round(255 + f * (end[2] - 255));
                yield (r << 16) | (gg << 8) | b;
            }
        };
    }

    private static int grey(double f) {
        int c = (int) Math.round(255 * Math.max(0, Math.min(1, f)));
        return (c << 16) | (c << 8) | c;
    }

    public void savePng(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(render(), "png", file.toFile());
    }
}
