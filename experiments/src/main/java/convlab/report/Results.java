package convlab.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Named numbers an experiment measured, in the order they were put (written to results.json). */
public final class Results {
    private final Map<String, Object> values = new LinkedHashMap<>();

    public Results put(String key, double v) { values.put(key, v); return this; }
    public Results put(String key, double[] v) { values.put(key, v.clone()); return this; }
    public Results put(String key, String v) { values.put(key, v); return this; }

    public double number(String key) {
        if (!(values.get(key) instanceof Double d))
            throw new IllegalArgumentException("no number named '" + key + "' in the results; have " + values.keySet());
        return d;
    }

    public double[] array(String key) {
        if (!(values.get(key) instanceof double[] a))
            throw new IllegalArgumentException("no array named '" + key + "' in the results; have " + values.keySet());
        return a.clone();
    }

    public boolean has(String key) { return values.containsKey(key); }

    public Map<String, Object> asMap() { return Collections.unmodifiableMap(values); }
}
