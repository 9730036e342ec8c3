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

    /** One tile: values in row-major order, its size, a caption (may be empty) and a style. */
    public record Tile(double[] values, int height, int width, String caption, Style style) {
        public Tile {
            if (height <= 0 || width <= 0 || values.length != height * width)
                throw new IllegalArgumentException("tile '" + caption + "' has " + values.length + " values, not "
                        + height + "×" + width);
        }

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
    private static final int GAP = 10;

    public BufferedImage render() {
        if (rows.isEmpty()) throw new IllegalStateException("image grid has no rows");
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        FontMetrics lm = pg.getFontMetrics(LABEL), cm = pg.getFontMetrics(CAPTION), tm = pg.getFontMetrics(TITLE);
        int labelW = 0;   // measured before pg is disposed; tm is used for the title width below
        for (Row r : rows) labelW = Math.max(labelW, lm.stringWidth(r.label()));
        int tileW = 0, tileH = 0;
        boolean captions = false;
        for (Row r : rows)
            for (Tile t : r.tiles()) {
                tileW = Math.max(tileW, Math.max(t.width() * cellPixels, cm.stringWidth(t.caption())));
                tileH = Math.max(tileH, t.height() * cellPixels);
                captions |= !t.caption().isEmpty();
            }
        pg.dispose();
        int maxTiles = rows.stream().mapToInt(r -> r.tiles().size()).max().orElse(1);
        int rowH = tileH + (captions ? cm.getHeight() + 2 : 0) + GAP;
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
                g.setColor(new Color(160, 160, 160));
                g.drawRect(x0 - 1, y - 1, tw + 1, th + 1);
                if (!t.caption().isEmpty()) {
                    g.setColor(Color.BLACK);
                    g.setFont(CAPTION);
                    g.drawString(t.caption(), x + (tileW - cm.stringWidth(t.caption())) / 2, y + tileH + cm.getAscent() + 2);
                }
                x += tileW + GAP;
            }
            y += rowH;
        }
        g.dispose();
        return img;
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
