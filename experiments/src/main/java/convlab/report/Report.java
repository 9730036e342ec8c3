package convlab.report;

import convlab.io.StrictJson;
import org.knowm.xchart.internal.chartpart.Chart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The output folder of one experiment (or training run): PNG figures, CSV tables, {@code results.json} with
 * the headline numbers and the settings, and an {@code index.html} that shows each figure with the sentence
 * or two that says what was measured and what it shows.
 *
 * <p>Usage: add figures, tables and numbers while the study runs, then {@link #write()} once at the end.
 */
public final class Report {
    private sealed interface Item permits Figure, Text, TableRef, ShownTable {}
    private record Figure(String file, String caption) implements Item {}
    private record Text(String heading, String html) implements Item {}
    private record TableRef(String file, String caption) implements Item {}
    private record ShownTable(String file, String caption, List<String> header, List<List<String>> rows) implements Item {}

    private final Path dir;
    private final String title;
    private final String summary;
    private final List<Item> items = new ArrayList<>();
    private final Results results = new Results();
    private final Map<String, Object> settings = new LinkedHashMap<>();

    /** dir is created if needed; title and summary head the HTML page. */
    public Report(Path dir, String title, String summary) {
        this.dir = dir;
        this.title = title;
        this.summary = summary;
        convlab.io.OutputFolders.claim(dir, "the report folder");   // new, empty or an earlier convlab output only
    }

    public Path dir() { return dir; }

    /** The numbers this run measured (written to results.json; tests read them). */
    public Results results() { return results; }

    /** A setting of the run (seed, quick, sizes), listed on the page and in results.json. */
    public Report setting(String key, Object value) { settings.put(key, value); return this; }

    /** A section heading with a paragraph (plain text; HTML special characters are escaped). */
    public Report section(String heading, String text) { items.add(new Text(heading, escape(text))); return this; }

    /** Saves a chart as NAME.png and shows it with its caption. */
    public Report figure(String name, Chart<?, ?> chart, String caption) {
        String file = name + ".png";
        io(() -> Charts.savePng(chart, dir.resolve(file)));
        items.add(new Figure(file, caption));
        return this;
    }

    /** Saves an image grid as NAME.png and shows it with its caption. */
    public Report figure(String name, ImageGrid grid, String caption) {
        String file = name + ".png";
        io(() -> grid.savePng(dir.resolve(file)));
        items.add(new Figure(file, caption));
        return this;
    }

    /** Saves stem plots of signals on one time axis (from … to) as NAME.png and shows them with its caption. */
    public Report figure(String name, List<StemPlot.Signal> signals, int from, int to, String caption) {
        String file = name + ".png";
        StemPlot.write(dir.resolve(file), signals, from, to);
        items.add(new Figure(file, caption));
        return this;
    }

    /** Writes NAME.csv (header, then rows) and links it from the page. */
    public Report table(String name, List<String> header, List<? extends List<?>> rows, String caption) {
        StringBuilder sb = new StringBuilder(csvLine(header));
        for (List<?> r : rows) {
            if (r.size() != header.size())
                throw new IllegalArgumentException("table " + name + ": a row has " + r.size() + " cells, the header " + header.size());
            sb.append(csvLine(r));
        }
        String file = name + ".csv";
        io(() -> Files.writeString(dir.resolve(file), sb, StandardCharsets.UTF_8));
        items.add(new TableRef(file, caption));
        return this;
    }

    /** As {@link #table}, and the table is also shown on the page (numbers to 4 significant digits). */
    public Report shownTable(String name, List<String> header, List<? extends List<?>> rows, String caption) {
        table(name, header, rows, caption);
        items.removeLast();
        List<List<String>> cells = new ArrayList<>();
        for (List<?> r : rows) {
            List<String> line = new ArrayList<>();
            for (Object c : r) line.add(c instanceof Double d ? String.format(Locale.ROOT, "%.4g", d) : String.valueOf(c));
            cells.add(line);
        }
        items.add(new ShownTable(name + ".csv", caption, List.copyOf(header), cells));
        return this;
    }

    /** Writes results.json and index.html. */
    public void write() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("title", title);
        json.put("settings", settings);
        json.put("results", results.asMap());
        String text = StrictJson.write(json);
        io(() -> Files.writeString(dir.resolve("results.json"), text, StandardCharsets.UTF_8));
        io(() -> Files.writeString(dir.resolve("index.html"), html(), StandardCharsets.UTF_8));
    }

    private String html() {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(escape(title)).append("</title>\n")
                .append("<style>body{font-family:sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}")
                .append("figure{margin:1.5em 0}figure img{max-width:100%;border:1px solid #ddd}figcaption{margin-top:.4em}")
                .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}")
                .append("code{background:#f4f4f4;padding:0 3px}</style></head><body>\n");
        h.append("<h1>").append(escape(title)).append("</h1>\n<p>").append(escape(summary)).append("</p>\n");
        for (Item it : items) {
            switch (it) {
                case Text t -> h.append("<h2>").append(escape(t.heading())).append("</h2>\n<p>").append(t.html()).append("</p>\n");
                case Figure f -> h.append("<figure><img src=\"").append(f.file()).append("\" alt=\"").append(escape(f.caption()))
                        .append("\"><figcaption>").append(escape(f.caption())).append("</figcaption></figure>\n");
                case TableRef t -> h.append("<p>Raw numbers: <a href=\"").append(t.file()).append("\">").append(t.file())
                        .append("</a> — ").append(escape(t.caption())).append("</p>\n");
                case ShownTable t -> {
                    h.append("<p>").append(escape(t.caption())).append(" (<a href=\"").append(t.file()).append("\">").append(t.file())
                            .append("</a>)</p>\n<table>\n<tr>");
                    for (String c : t.header()) h.append("<th>").append(escape(c)).append("</th>");
                    h.append("</tr>\n");
                    for (List<String> r : t.rows()) {
                        h.append("<tr>");
                        for (String c : r) h.append("<td>").append(escape(c)).append("</td>");
                        h.append("</tr>\n");
                    }
                    h.append("</table>\n");
                }
            }
        }
        h.append("<h2>Numbers</h2>\n<table>\n");
        results.asMap().forEach((k, v) -> h.append("<tr><td><code>").append(escape(k)).append("</code></td><td>")
                .append(escape(format(v))).append("</td></tr>\n"));
        h.append("</table>\n<h2>Settings</h2>\n<table>\n");
        settings.forEach((k, v) -> h.append("<tr><td><code>").append(escape(k)).append("</code></td><td>")
                .append(escape(format(v))).append("</td></tr>\n"));
        h.append("</table>\n<p>All numbers are also in <a href=\"results.json\">results.json</a>.</p>\n</body></html>\n");
        return h.toString();
    }

    static String format(Object v) {
        if (v instanceof Double d) return String.format(Locale.ROOT, "%.6g", d);
        if (v instanceof double[] a) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < a.length; i++) { if (i > 0) sb.append(", "); sb.append(String.format(Locale.ROOT, "%.4g", a[i])); }
            return sb.append(']').toString();
        }
        return String.valueOf(v);
    }

    private static String csvLine(List<?> cells) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) sb.append(',');
            Object c = cells.get(i);
            String s = c instanceof Double d ? Double.toString(d) : String.valueOf(c);
            if (s.contains(",") || s.contains("\"") || s.contains("\n")) s = '"' + s.replace("\"", "\"\"") + '"';
            sb.append(s);
        }
        return sb.append('\n').toString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private interface IoAction { void run() throws IOException; }

    private void io(IoAction a) {
        try {
            a.run();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the report folder " + dir + ": " + e.getMessage(), e);
        }
    }
}
