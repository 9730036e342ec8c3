package convlab.experiment;

import convlab.data.Dataset;
import convlab.report.ImageGrid;
import convlab.report.ImageGrid.Style;
import convlab.report.ImageGrid.Tile;
import convlab.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turning tensors into image-grid tiles: convolution filters and dataset examples. */
final class Figures {
    private Figures() {}

    /**
     * The filters of a convolution weight (out, in, k, k) as tiles (input channel 0, or the mean over input
     * channels when there are several), blue negative / red positive, each scaled by its own largest |value|.
     */
    static List<Tile> filters(Tensor weight, String captionPrefix) {
        int out = weight.size(0), in = weight.size(1), kh = weight.size(2), kw = weight.size(3);
        double[] w = weight.toDoubleArray();
        List<Tile> tiles = new ArrayList<>();
        for (int o = 0; o < out; o++) {
            double[] v = new double[kh * kw];
            for (int c = 0; c < in; c++)
                for (int i = 0; i < kh * kw; i++) v[i] += w[(o * in + c) * kh * kw + i] / in;
            tiles.add(new Tile(v, kh, kw, captionPrefix + (o + 1), Style.DIVERGING));
        }
        return tiles;
    }

    /** The first count examples of a dataset (channel 0) as grey tiles captioned with their class names. */
    static List<Tile> examples(Dataset d, int count, Style style) {
        int h = d.height(), w = d.width();
        float[] px = new float[d.imageSize()];
        List<Tile> tiles = new ArrayList<>();
        for (int i = 0; i < Math.min(count, d.size()); i++) {
            d.copyImage(i, px, 0);
            double[] v = new double[h * w];
            for (int j = 0; j < h * w; j++) v[j] = px[j];
            tiles.add(new Tile(v, h, w, d.classNames().get(d.label(i)), style));
        }
        return tiles;
    }

    /** A 2-D array (rows × cols) as one tile. */
    static Tile tile(double[][] a, String caption, Style style) {
        int h = a.length, w = a[0].length;
        double[] v = new double[h * w];
        for (int i = 0; i < h; i++) System.arraycopy(a[i], 0, v, i * w, w);
        return new Tile(v, h, w, caption, style);
    }

    static ImageGrid grid(int cellPixels, String title) { return new ImageGrid(cellPixels).title(title); }

    static String pct(double accuracy) { return String.format(Locale.ROOT, "%.1f%%", 100 * accuracy); }
}
