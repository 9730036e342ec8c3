package convlab.report;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Stem plots of several discrete-time signals, one panel each, stacked on one shared time axis (the way a
 * signals course draws x[n], h[n] and y[n]). Plain Java2D, headless; written as PNG. Used by {@code convlab conv --plot}
 * and the conv1d-shift experiment.
 */
public final class StemPlot {
    private StemPlot() {}

    /**
     * One signal: its name, the time of each value, the values, and optionally a label per value (e.g. the exact
     * fraction), drawn upright above its stem; null or empty labels are not drawn.
     */
    public record Signal(String name, int[] times, double[] values, String[] labels) {
        public Signal(String name, int[] times, double[] values) { this(name, times, values, null); }
    }

    public static void write(Path file, List<Signal> signals, int from, int to) {
        int w = 900, panelH = 190, top = 20, left = 130, right = 30;   // left: room for the panel names
        int h = top + signals.size() * panelH + 40;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        double span = Math.max(1, to - from);
        int plotW = w - left - right;
        Color[] colors = {new Color(31, 119, 180), new Color(214, 39, 40), new Color(44, 160, 44)};
        for (int s = 0; s < signals.size(); s++) {
            Signal sig = signals.get(s);
            int y0 = top + s * panelH, y1 = y0 + panelH - 30;
            double lo = 0, hi = 0;
            for (double v : sig.values()) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
            if (hi == lo) hi = lo + 1;
            double pad = (hi - lo) * (sig.labels() != null ? 0.55 : 0.12);   // room for upright labels above the stems
            double vlo = lo - (lo < 0 ? pad : 0), vhi = hi + pad;
            final double fvlo = vlo, fvhi = vhi;
            java.util.function.DoubleUnaryOperator ypix = v -> y1 - (v - fvlo) / (fvhi - fvlo) * (y1 - y0);
            java.util.function.IntUnaryOperator xpix = t -> (int) Math.round(left + (t - from) / span * plotW);
            g.setColor(new Color(235, 235, 235));
            for (int t = from; t <= to; t++) g.drawLine(xpix.applyAsInt(t), y0, xpix.applyAsInt(t), y1);
            g.setColor(Color.GRAY);
            int zero = (int) Math.round(ypix.applyAsDouble(0));
            g.drawLine(left, zero, w - right, zero);
            g.drawLine(left, y0, left, y1);
            g.setColor(Color.BLACK);
            g.drawString(sig.name(), 8, (y0 + y1) / 2);
            java.util.List<Double> ticks = new java.util.ArrayList<>(java.util.List.of(vlo < 0 ? lo : 0));
            for (int k = 1; k <= Math.floor(hi) && Math.floor(hi) <= 5; k++) ticks.add((double) k);   // round ticks 1, 2, … as well
            if (hi != Math.rint(hi) || hi > 5) ticks.add(hi);
            for (double tick : ticks) {
                int py = (int) Math.round(ypix.applyAsDouble(tick));
                g.drawLine(left - 4, py, left, py);
                String label = tick == Math.rint(tick) ? String.valueOf((long) tick) : String.format("%.3g", tick);
                g.drawString(label, left - 8 - g.getFontMetrics().stringWidth(label), py + 4);
            }
            int every = (int) Math.ceil(span / 25);
            for (int t = from; t <= to; t++) {
                if (Math.floorMod(t, every) != 0) continue;
                String label = String.valueOf(t);
                g.drawString(label, xpix.applyAsInt(t) - g.getFontMetrics().stringWidth(label) / 2, y1 + 15);
            }
            g.setColor(colors[s % colors.length]);
            g.setStroke(new BasicStroke(2f));
            for (int i = 0; i < sig.times().length; i++) {
                if (sig.times()[i] < from || sig.times()[i] > to) continue;
                int px = xpix.applyAsInt(sig.times()[i]), py = (int) Math.round(ypix.applyAsDouble(sig.values()[i]));
                g.drawLine(px, zero, px, py);
                g.fillOval(px - 4, py - 4, 9, 9);
                String label = sig.labels() == null ? null : sig.labels()[i];
                if (label != null && !label.isEmpty()) {
                    var saved = g.getTransform();
                    g.setColor(Color.BLACK);
                    g.rotate(-Math.PI / 2, px + 4, py - 8);
                    g.drawString(label, px + 4, py - 8);
                    g.setTransform(saved);
                    g.setColor(colors[s % colors.length]);
                }
            }
            g.setStroke(new BasicStroke(1f));
        }
        g.setColor(Color.BLACK);
        g.drawString("n", w / 2, h - 10);
        g.dispose();
        try {
            if (!ImageIO.write(img, "png", file.toFile())) throw new IOException("no PNG writer");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the plot " + file + ": " + e.getMessage(), e);
        }
    }
}
