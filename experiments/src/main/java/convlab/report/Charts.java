package convlab.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The charts of the reports, drawn by XChart in one consistent style: white background, grid, legend
 * inside the plot, a colour-blind-friendly palette. Every chart has a title and labelled axes.
 */
public final class Charts {
    private Charts() {}

    public static final int WIDTH = 760, HEIGHT = 520;

    /** Okabe–Ito palette: distinguishable with the common forms of colour blindness. */
    public static final Color[] PALETTE = {
            new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115), new Color(204, 121, 167),
            new Color(230, 159, 0), new Color(86, 180, 233), new Color(0, 0, 0), new Color(240, 228, 66)};

    /** A line chart with linear axes. */
    public static XYChart line(String title, String xLabel, String yLabel) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel)
                .theme(Styler.ChartTheme.Matlab).build();
        var s = c.getStyler();
        s.setSeriesColors(PALETTE);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setLegendPosition(Styler.LegendPosition.OutsideS);   // below the plot: never hides a curve
        s.setLegendBackgroundColor(new Color(255, 255, 255, 220));
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setPlotGridLinesColor(new Color(220, 220, 220));
        s.setMarkerSize(7);
        s.setAntiAlias(true);
        s.setXAxisDecimalPattern("#,##0.###");   // no long binary-fraction tick labels, and "0.01" not ".01"
        s.setYAxisDecimalPattern("#,##0.####");
        return c;
    }

    /** A line chart with logarithmic x and y axes. */
    public static XYChart logLog(String title, String xLabel, String yLabel) {
        XYChart c = logX(title, xLabel, yLabel);
        c.getStyler().setYAxisLogarithmic(true);   // decade labels only: a y axis over several decades would crowd them
        return c;
    }

    /** Labels 2, 3, …, 20, 30, … on log axes too, not only powers of ten (for data spanning up to ~2 decades). */
    public static XYChart fineLogTicks(XYChart c) {
        c.getStyler().setXAxisLogarithmicDecadeOnly(false);
        c.getStyler().setYAxisLogarithmicDecadeOnly(false);
        return c;
    }

    /** A line chart with a logarithmic x axis (sizes, counts). */
    public static XYChart logX(String title, String xLabel, String yLabel) {
        XYChart c = line(title, xLabel, yLabel);
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setXAxisLogarithmicDecadeOnly(false);   // a label on every tick (2, 3, 5, 20, ...), not only 10, 100
        return c;
    }

    /** Adds a series drawn as a line with markers. */
    public static XYSeries series(XYChart c, String name, double[] x, double[] y) {
        check(name, x, y);
        XYSeries s = c.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.CIRCLE);
        return s;
    }

    /** Adds a series drawn as a line only (for long curves such as training loss per step). */
    public static XYSeries curve(XYChart c, String name, double[] x, double[] y) {
        check(name, x, y);
        XYSeries s = c.addSeries(name, x, y);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineWidth(1.8f);
        return s;
    }

    /** Adds a series drawn as markers only. */
    public static XYSeries points(XYChart c, String name, double[] x, double[] y) {
        check(name, x, y);
        XYSeries s = c.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.DIAMOND);
        return s;
    }

    /**
     * A mean over repeated runs drawn as a line with markers, and every single run as a small point of the same colour
     * (no legend entry): the spread that a mean alone hides. repeats[i] holds the runs at x[i]; returns the means.
     */
    public static double[] meanWithRuns(XYChart c, String name, double[] x, double[][] repeats, Color color) {
        if (repeats.length != x.length) throw new IllegalArgumentException("series '" + name + "': " + x.length + " x values but "
                + repeats.length + " groups of runs");
        double[] mean = new double[x.length];
        List<Double> px = new ArrayList<>(), py = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            for (double v : repeats[i]) { mean[i] += v / repeats[i].length; px.add(x[i]); py.add(v); }
        }
        XYSeries m = series(c, name, x, mean);
        m.setLineColor(color);
        m.setMarkerColor(color);
        if (repeats.length > 0 && repeats[0].length > 1) {
            XYSeries runs = points(c, name + " (runs)", px.stream().mapToDouble(Double::doubleValue).toArray(),
                    py.stream().mapToDouble(Double::doubleValue).toArray());
            runs.setMarker(SeriesMarkers.CIRCLE);
            runs.setMarkerColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 110));
            runs.setShowInLegend(false);
        }
        return mean;
    }

    /** Adds a dashed line (a prediction or reference beside measured points). */
    public static XYSeries dashed(XYChart c, String name, double[] x, double[] y) {
        XYSeries s = curve(c, name, x, y);
        s.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {7f, 5f}, 0f));
        return s;
    }

    /** A horizontal reference line across the given x range. */
    public static XYSeries hline(XYChart c, String name, double y, double xFrom, double xTo) {
        return dashed(c, name, new double[] {xFrom, xTo}, new double[] {y, y});
    }

    /**
     * A confusion matrix as a heat map with the count in each cell: rows are the true classes (top to bottom),
     * columns the predicted ones.
     */
    public static HeatMapChart confusion(String title, long[][] counts, List<String> classNames) {
        int k = counts.length;
        HeatMapChart c = new HeatMapChartBuilder().width(Math.max(520, 90 + 52 * k)).height(Math.max(460, 90 + 44 * k))
                .title(title).xAxisTitle("predicted class").yAxisTitle("true class").build();
        var s = c.getStyler();
        s.setShowValue(true);
        s.setHeatMapValueDecimalPattern("0");
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotContentSize(1.0);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setValueFont(new Font(Font.SANS_SERIF, Font.BOLD, k > 8 ? 11 : 13));
        // light colours only, so the black counts stay readable in every cell
        s.setRangeColors(new Color[] {new Color(255, 255, 255), new Color(198, 219, 239), new Color(66, 146, 198)});
        s.setValueFontColor(Color.BLACK);
        s.setLegendVisible(false);
        s.setXAxisLabelRotation(k > 4 ? 40 : 0);
        long max = 1;
        for (long[] row : counts) for (long v : row) max = Math.max(max, v);
        s.setMin(0);
        s.setMax(max);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < k; i++) names.add(i < classNames.size() ? shortName(classNames.get(i)) : Integer.toString(i));
        List<String> yNames = new ArrayList<>(names);
        java.util.Collections.reverse(yNames);        // heat maps count y upwards; put the first class on top
        List<Number[]> cells = new ArrayList<>();
        for (int p = 0; p < k; p++)
            for (int t = 0; t < k; t++) cells.add(new Number[] {p, k - 1 - t, counts[t][p]});
        c.addSeries("counts", names, yNames, cells);
        return c;
    }

    private static String shortName(String n) { return n.length() > 12 ? n.substring(0, 11) + "…" : n; }

    /** Writes a chart as a PNG file. */
    public static void savePng(Chart<?, ?> chart, Path file) throws IOException {
        if (chart instanceof XYChart xy) roundXTicks(xy);
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
    }

    static final String TICK_GUARD = "\u200bround-ticks";

    /**
     * XChart 3.8 puts the x ticks of a linear axis on every n-th data value when the x values of all series, in the
     * order they were added, are equally spaced (within 1e-4): a curve over every training step then gets ticks
     * "0.001 0.107 0.212 …". A hidden first series whose two x values run backwards (the axis maximum, then the
     * minimum) breaks that equal spacing without drawing anything or moving the axis range, so the ticks are chosen
     * as usual (0, 0.2, 0.4, …).
     */
    static void roundXTicks(XYChart c) {
        var series = c.getSeriesMap();
        if (c.getStyler().isXAxisLogarithmic() && !series.isEmpty()) {
            // Every log tick labelled (2, 3, …, 20, 30, …) reads well over a decade and a half; over more, the labels at
            // the top of each decade run into each other ("8090100"), so only the decades are labelled.
            double lo = Double.POSITIVE_INFINITY, hi = 0;
            for (XYSeries s : series.values()) for (double v : s.getXData()) if (v > 0) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
            if (hi > 40 * lo) c.getStyler().setXAxisLogarithmicDecadeOnly(true);
        }
        if (c.getStyler().isXAxisLogarithmic() || series.isEmpty() || series.containsKey(TICK_GUARD)) return;
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY, y = Double.NaN;
        for (XYSeries s : series.values()) {
            for (double v : s.getXData()) { min = Math.min(min, v); max = Math.max(max, v); }
            for (double v : s.getYData()) if (Double.isNaN(y) && Double.isFinite(v)) y = v;
        }
        if (!(max > min) || Double.isNaN(y)) return;
        var others = new java.util.LinkedHashMap<>(series);
        int i = 0;
        for (XYSeries s : others.values()) {   // the colours XChart would have given them by position, before the guard shifts it
            Color color = c.getStyler().getSeriesColors()[i++ % c.getStyler().getSeriesColors().length];
            if (s.getLineColor() == null) s.setLineColor(color);
            if (s.getMarkerColor() == null) s.setMarkerColor(s.getLineColor());
            if (s.getFillColor() == null) s.setFillColor(color);
        }
        series.clear();
        XYSeries guard = c.addSeries(TICK_GUARD, new double[] {max, min}, new double[] {y, y});
        guard.setShowInLegend(false);
        guard.setMarker(SeriesMarkers.NONE);
        guard.setLineColor(new Color(0, 0, 0, 0));
        guard.setLineWidth(0f);
        series.putAll(others);
    }

    private static void check(String name, double[] x, double[] y) {
        if (x.length != y.length)
            throw new IllegalArgumentException("series '" + name + "' has " + x.length + " x values but " + y.length + " y values");
        if (x.length == 0) throw new IllegalArgumentException("series '" + name + "' is empty");
    }
}
