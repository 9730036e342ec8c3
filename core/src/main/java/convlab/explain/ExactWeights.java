package convlab.explain;

import convlab.spec.Analysis;
import convlab.spec.FeatureShape;
import convlab.spec.Layer;
import convlab.spec.LayerStats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The weights of a network of the architecture language, exact, as {@code convlab forward --weights FILE}
 * reads them (docs/EXACT.md, "forward"). One entry per parameter, named by the layer's row number in
 * {@code convlab summary} and PyTorch's parameter name, the value a matrix as the other calculators read it:
 * <pre>
 *   # a comment
 *   1.weight[1] = 1 1; 0 0          one slice along the first axis (filter 1 of layer 1), 1-based
 *   1.bias = -1 -1 0
 *   6.weight =                      a value may continue on the following indented lines
 *     1 0 0
 *     0 1 0
 * </pre>
 * Shapes are PyTorch's: conv weight F×(C/g)×k×k (1-d F×(C/g)×k), transposed conv C×(F/g)×k×k, FC K×n,
 * biases and batch-norm vectors C, layer norm C×H×W. A value is accepted when it has the expected shape
 * up to dimensions of size 1 (so a k×k matrix is a 1×1×k×k weight, channels separated by '|' are C×k×k);
 * a parameter is given whole or slice by slice, never both. Batch-norm buffers running_mean and running_var
 * may be given; otherwise they hold PyTorch's initial 0 and 1.
 */
public final class ExactWeights {
    /** One parameter a layer needs: its name ("1.weight"), PyTorch shape and, for buffers, the default value. */
    public record Param(String name, int row, String layer, int[] shape, Rational fallback) {
        public int size() { return Arrays.stream(shape).reduce(1, Math::multiplyExact); }
    }

    private static final Pattern ENTRY = Pattern.compile("^(\\d{1,6})\\.([A-Za-z_]+)(?:\\[(\\d{1,7})])?\\s*[=:](.*)$");
    private static final int MAX_TEXT = 4_000_000;

    private final Map<String, ExactArray> values;

    private ExactWeights(Map<String, ExactArray> values) { this.values = values; }

    /** The value of a parameter (present for every {@link #expected} name once read). */
    public ExactArray get(String name) {
        ExactArray v = values.get(name);
        if (v == null) throw new IllegalStateException("no weights for " + name);
        return v;
    }

    public Map<String, ExactArray> all() { return java.util.Collections.unmodifiableMap(values); }

    /** The parameters each row of the analysis needs, in row order. */
    public static List<Param> expected(Analysis a) {
        List<Param> out = new ArrayList<>();
        for (LayerStats s : a.layers()) {
            int row = s.index();
            String name = s.name();
            FeatureShape in = s.input();
            int cin = in.channels(), cout = s.output().channels();
            switch (s.layer()) {
                case Layer.Conv c -> {
                    int groups = c.groups() == 0 ? cin : c.groups();
                    int[] k = in.spatial().size() == 1 ? new int[] {c.kernel()} : new int[] {c.kernel(), c.kernel()};
                    int[] lead = c.kind() == Layer.ConvKind.TRANSPOSED ? new int[] {cin, cout / groups} : new int[] {cout, cin / groups};
                    int[] shape = new int[2 + k.length];
                    System.arraycopy(lead, 0, shape, 0, 2);
                    System.arraycopy(k, 0, shape, 2, k.length);
                    out.add(new Param(row + ".weight", row, name, shape, null));
                    if (c.bias()) out.add(new Param(row + ".bias", row, name, new int[] {cout}, null));
                }
                case Layer.Fc fc -> {
                    out.add(new Param(row + ".weight", row, name, new int[] {fc.outputs(), cin}, null));
                    if (fc.bias()) out.add(new Param(row + ".bias", row, name, new int[] {fc.outputs()}, null));
                }
                case Layer.BatchNorm bn -> {
                    if (bn.affine()) {
                        out.add(new Param(row + ".weight", row, name, new int[] {cin}, null));
                        out.add(new Param(row + ".bias", row, name, new int[] {cin}, null));
                    }
                    out.add(new Param(row + ".running_mean", row, name, new int[] {cin}, Rational.ZERO));
                    if (!bn.meanOnly()) out.add(new Param(row + ".running_var", row, name, new int[] {cin}, Rational.ONE));
                }
                case Layer.LayerNorm ln when ln.affine() -> {
                    int[] dims = in.withBatch(1);
                    int[] shape = Arrays.copyOfRange(dims, 1, dims.length);
                    out.add(new Param(row + ".weight", row, name, shape, null));
                    out.add(new Param(row + ".bias", row, name, shape, null));
                }
                case Layer.GroupNorm gn when gn.affine() -> {
                    out.add(new Param(row + ".weight", row, name, new int[] {cin}, null));
                    out.add(new Param(row + ".bias", row, name, new int[] {cin}, null));
                }
                default -> { }
            }
        }
        return out;
    }

    /** Reads the text of a weights file for the analysed network; any mismatch is one line naming the parameter. */
    public static ExactWeights parse(String text, Analysis a) {
        if (text.length() > MAX_TEXT) throw new IllegalArgumentException("the weights file has " + text.length() + " characters, more than " + MAX_TEXT);
        List<Param> expected = expected(a);
        Map<String, Param> byName = new LinkedHashMap<>();
        for (Param p : expected) byName.put(p.name(), p);
        Map<String, ExactArray> whole = new LinkedHashMap<>();
        Map<String, Map<Integer, ExactArray>> slices = new LinkedHashMap<>();
        for (Entry e : entries(text)) {
            Param p = byName.get(e.name());
            if (p == null) throw unknown(e, expected);
            ExactArray v;
            try {
                v = MatrixParser.parseInput(e.value()).value();   // values only: no "@file" inside a weights file
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("weights line " + e.line() + " (" + e.label() + "): " + ex.getMessage(), ex);
            }
            if (e.slice() == null) {
                if (whole.containsKey(e.name()) || slices.containsKey(e.name()))
                    throw new IllegalArgumentException("weights line " + e.line() + ": " + e.name() + " is given twice");
                whole.put(e.name(), fit(v, p.shape(), e, p));
            } else {
                int first = p.shape()[0];
                if (p.shape().length < 2 || e.slice() < 1 || e.slice() > first)
                    throw new IllegalArgumentException("weights line " + e.line() + ": " + e.label() + " selects slice " + e.slice() + " of "
                            + e.name() + ", which has shape " + shapeText(p.shape()) + (p.shape().length < 2 ? " (give it whole)" : " (slices 1 to " + first + ")"));
                Map<Integer, ExactArray> m = slices.computeIfAbsent(e.name(), k -> new LinkedHashMap<>());
                if (whole.containsKey(e.name()) || m.containsKey(e.slice()))
                    throw new IllegalArgumentException("weights line " + e.line() + ": " + e.label() + " is given twice");
                m.put(e.slice(), fit(v, Arrays.copyOfRange(p.shape(), 1, p.shape().length), e, p));
            }
        }
        Map<String, ExactArray> values = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (Param p : expected) {
            if (whole.containsKey(p.name())) { values.put(p.name(), whole.get(p.name())); continue; }
            Map<Integer, ExactArray> m = slices.get(p.name());
            if (m != null && m.size() == p.shape()[0]) { values.put(p.name(), stack(m, p.shape())); continue; }
            if (m != null) {
                List<Integer> lacking = new ArrayList<>();
                for (int i = 1; i <= p.shape()[0]; i++) if (!m.containsKey(i)) lacking.add(i);
                missing.add(p.name() + lacking);
                continue;
            }
            if (p.fallback() != null) {
                Rational[] data = new Rational[p.size()];
                Arrays.fill(data, p.fallback());
                values.put(p.name(), new ExactArray(p.shape(), data));
                continue;
            }
            missing.add(p.name() + " (" + shapeText(p.shape()) + ", layer " + p.row() + " " + p.layer() + ")");
        }
        if (!missing.isEmpty())
            throw new IllegalArgumentException("the weights file lacks " + String.join(", ", missing.subList(0, Math.min(4, missing.size())))
                    + (missing.size() > 4 ? " and " + (missing.size() - 4) + " more" : "")
                    + "; write e.g. " + missing.getFirst().replaceAll("[ \\[].*", "") + " = ... (see docs/EXACT.md, forward)");
        return new ExactWeights(values);
    }

    /** A name = value entry of the file, with the line it starts on. */
    private record Entry(String name, Integer slice, String value, int line) {
        String label() { return name + (slice == null ? "" : "[" + slice + "]"); }
    }

    private static List<Entry> entries(String text) {
        List<Entry> out = new ArrayList<>();
        String[] lines = text.split("\\R", -1);
        String name = null;
        Integer slice = null;
        StringBuilder value = null;
        int start = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            String content = (hash >= 0 ? line.substring(0, hash) : line).stripTrailing();
            if (content.isBlank()) continue;
            Matcher m = ENTRY.matcher(content.strip());
            boolean indented = Character.isWhitespace(content.charAt(0));
            if (m.matches() && !(indented && value != null)) {
                if (name != null) out.add(new Entry(name, slice, value.toString(), start));
                name = m.group(1) + "." + m.group(2);
                slice = m.group(3) == null ? null : Integer.parseInt(m.group(3));
                value = new StringBuilder(m.group(4).strip());
                start = i + 1;
            } else if (indented && value != null) {
                value.append('\n').append(content.strip());
            } else {
                throw new IllegalArgumentException("weights line " + (i + 1) + ": expected 'ROW.NAME = values' (as in 1.weight = 1 0; 0 1, ROW being the layer's row in"
                        + " convlab summary) or an indented continuation, got " + MatrixParser.quote(content.strip()));
            }
        }
        if (name != null) out.add(new Entry(name, slice, value.toString(), start));
        for (Entry e : out)
            if (e.value().isBlank()) throw new IllegalArgumentException("weights line " + e.line() + ": " + e.label() + " has no values");
        return out;
    }

    private static IllegalArgumentException unknown(Entry e, List<Param> expected) {
        StringBuilder have = new StringBuilder();
        int row = -1;
        int rows = 0;
        for (Param p : expected) {
            if (p.row() != row) {
                if (++rows > 6) { have.append("; …"); break; }
                have.append(have.isEmpty() ? "" : "; ").append(p.row()).append(" ").append(p.layer()).append(":");
                row = p.row();
            }
            have.append(' ').append(p.name().substring(p.name().indexOf('.') + 1));
        }
        return new IllegalArgumentException("weights line " + e.line() + ": this network has no parameter " + e.name() + " (parameters by row: "
                + (have.isEmpty() ? "none" : have) + ")");
    }

    /** The value reshaped to shape when the two agree up to dimensions of size 1. */
    private static ExactArray fit(ExactArray v, int[] shape, Entry e, Param p) {
        if (!Arrays.equals(squeeze(v.shape()), squeeze(shape)))
            throw new IllegalArgumentException("weights line " + e.line() + ": " + e.label() + " of layer " + p.row() + " " + p.layer() + " must be "
                    + shapeText(shape) + " (PyTorch's layout), got " + v.shapeText());
        return v.reshape(shape);
    }

    private static int[] squeeze(int[] shape) { return Arrays.stream(shape).filter(d -> d != 1).toArray(); }

    private static ExactArray stack(Map<Integer, ExactArray> slices, int[] shape) {
        int per = slices.get(1).size();
        Rational[] data = new Rational[per * shape[0]];
        for (int i = 0; i < shape[0]; i++) {
            ExactArray s = slices.get(i + 1);
            for (int k = 0; k < per; k++) data[i * per + k] = s.flat(k);
        }
        return new ExactArray(shape, data);
    }

    static String shapeText(int[] shape) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shape.length; i++) sb.append(i == 0 ? "" : "×").append(shape[i]);
        return sb.toString();
    }
}
