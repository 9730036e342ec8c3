package convlab.sweep;

import convlab.io.UserMessages;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The settings a sweep varies: {@code "lr=0.01,0.05,0.1; optimizer=sgd,adam; seed=1..5"}. Entries are separated by
 * {@code ;}, values by {@code ,} (commas inside parentheses, as in {@code CONV3-10(s2, p0)}, belong to the value);
 * {@code a..b} is every integer from a to b for the integer settings. The trials are the product of the value lists,
 * the first key varying slowest. Every value is checked here, before any trial starts.
 */
public final class Grid {
    /** Longest grid text read. */
    public static final int MAX_CHARS = 100_000;
    /** Most values of one key, and most trials of one grid. */
    public static final int MAX_VALUES = 10_000;
    public static final long MAX_TRIALS = 1_000_000;

    /** The settings a grid may vary, and what their values are. */
    enum Kind { TEXT, POSITIVE_INT, INT, POSITIVE_NUMBER, FRACTION, NON_NEGATIVE_NUMBER, BOOLEAN }

    static final Map<String, Kind> KEYS = known();

    private static Map<String, Kind> known() {
        Map<String, Kind> k = new LinkedHashMap<>();
        k.put("model", Kind.TEXT);
        k.put("optimizer", Kind.TEXT);
        k.put("lr", Kind.POSITIVE_NUMBER);
        k.put("momentum", Kind.FRACTION);
        k.put("weight-decay", Kind.NON_NEGATIVE_NUMBER);
        k.put("lr-schedule", Kind.TEXT);
        k.put("batch", Kind.POSITIVE_INT);
        k.put("epochs", Kind.POSITIVE_INT);
        k.put("seed", Kind.INT);
        k.put("unit-scaled", Kind.BOOLEAN);
        k.put("fp8-params", Kind.TEXT);
        // the inductive-bias study's data-efficiency trainings (convlab sweep --study inductive-bias)
        k.put("images-per-class", Kind.POSITIVE_INT);
        k.put("arch", Kind.TEXT);
        k.put("rep", Kind.INT);
        return Collections.unmodifiableMap(k);
    }

    private final Map<String, List<String>> values;

    private Grid(Map<String, List<String>> values) { this.values = values; }

    /** Each key with its values, in the order written. */
    public Map<String, List<String>> values() { return Collections.unmodifiableMap(values); }

    /** The keys in the order written. */
    public List<String> keys() { return List.copyOf(values.keySet()); }

    /** Number of trials (the product of the value counts; at most {@link #MAX_TRIALS}, checked by {@link #parse}). */
    public long size() {
        long n = 1;
        for (List<String> v : values.values()) n *= v.size();
        return n;
    }

    /** The settings of trial i (0 ≤ i < size()), the first key varying slowest. */
    public Map<String, String> trial(long i) {
        if (i < 0 || i >= size()) throw new IndexOutOfBoundsException("trial " + i + " of " + size());
        List<String> ks = keys();
        String[] chosen = new String[ks.size()];
        long rest = i;
        for (int k = ks.size() - 1; k >= 0; k--) {
            List<String> v = values.get(ks.get(k));
            chosen[k] = v.get((int) (rest % v.size()));
            rest /= v.size();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (int k = 0; k < ks.size(); k++) out.put(ks.get(k), chosen[k]);
        return out;
    }

    /** Every trial's index, or with random &gt; 0 that many distinct ones drawn from the generator seeded with seed, in order. */
    public List<Long> indices(int random, long seed) {
        long n = size();
        List<Long> out = new ArrayList<>();
        if (random <= 0 || random >= n) {
            for (long i = 0; i < n; i++) out.add(i);
            return out;
        }
        SplittableRandom r = new SplittableRandom(seed);
        TreeSet<Long> picked = new TreeSet<>();
        while (picked.size() < random) picked.add(r.nextLong(n));
        out.addAll(picked);
        return out;
    }

    /** Reads a grid; throws IllegalArgumentException with one line saying what is wrong and where. */
    public static Grid parse(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("the grid is empty; write it as \"lr=0.01,0.1; seed=1..3\"");
        if (text.length() > MAX_CHARS) throw new IllegalArgumentException("the grid is longer than " + MAX_CHARS + " characters");
        Map<String, List<String>> values = new LinkedHashMap<>();
        long trials = 1;
        for (String entry : split(text, ';')) {
            if (entry.isBlank()) continue;
            int eq = entry.indexOf('=');
            if (eq < 0) throw new IllegalArgumentException("grid entry " + UserMessages.quote(entry.strip()) + " has no '=': write key=value,value,...");
            String key = entry.substring(0, eq).strip();
            Kind kind = KEYS.get(key);
            if (kind == null)
                throw new IllegalArgumentException("unknown grid setting " + UserMessages.quote(key) + " (a grid varies: " + String.join(", ", KEYS.keySet()) + ")");
            if (values.containsKey(key)) throw new IllegalArgumentException("grid setting " + key + " is given twice");
            List<String> vs = new ArrayList<>();
            for (String raw : split(entry.substring(eq + 1), ',')) {
                String v = raw.strip();
                if (v.isEmpty()) throw new IllegalArgumentException("grid setting " + key + " has an empty value");
                if (v.contains("..") && (kind == Kind.INT || kind == Kind.POSITIVE_INT)) range(key, kind, v, vs);
                else vs.add(checked(key, kind, v));
                if (vs.size() > MAX_VALUES) throw new IllegalArgumentException("grid setting " + key + " has more than " + MAX_VALUES + " values");
            }
            if (vs.isEmpty()) throw new IllegalArgumentException("grid setting " + key + " has no values");
            if (vs.size() != new TreeSet<>(vs).size()) throw new IllegalArgumentException("grid setting " + key + " lists a value twice");
            trials *= vs.size();   // both at most MAX_VALUES and MAX_TRIALS: no overflow
            if (trials > MAX_TRIALS) throw new IllegalArgumentException("the grid has more than " + MAX_TRIALS + " trials");
            values.put(key, vs);
        }
        if (values.isEmpty()) throw new IllegalArgumentException("the grid is empty; write it as \"lr=0.01,0.1; seed=1..3\"");
        return new Grid(values);
    }

    private static void range(String key, Kind kind, String v, List<String> out) {
        int dots = v.indexOf("..");
        long from = integer(key, v.substring(0, dots).strip()), to = integer(key, v.substring(dots + 2).strip());
        if (to < from) throw new IllegalArgumentException("grid setting " + key + ": the range " + UserMessages.quote(v) + " is empty");
        if (to - from >= MAX_VALUES || to - from < 0)   // to - from < 0: the difference overflowed
            throw new IllegalArgumentException("grid setting " + key + " has more than " + MAX_VALUES + " values");
        for (long x = from; x <= to; x++) out.add(checked(key, kind, Long.toString(x)));
    }

    private static long integer(String key, String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("grid setting " + key + ": " + UserMessages.quote(s) + " is not a whole number");
        }
    }

    private static String checked(String key, Kind kind, String v) {
        switch (kind) {
            case TEXT -> { return v; }
            case BOOLEAN -> {
                if (!v.equals("true") && !v.equals("false"))
                    throw new IllegalArgumentException("grid setting " + key + ": " + UserMessages.quote(v) + " is not true or false");
                return v;
            }
            case INT, POSITIVE_INT -> {
                long x = integer(key, v);
                if (kind == Kind.POSITIVE_INT && (x < 1 || x > Integer.MAX_VALUE))
                    throw new IllegalArgumentException("grid setting " + key + " must be a whole number from 1 to " + Integer.MAX_VALUE + ", got " + UserMessages.quote(v));
                return Long.toString(x);
            }
            default -> {
                double x;
                try {
                    x = Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("grid setting " + key + ": " + UserMessages.quote(v) + " is not a number");
                }
                boolean ok = Double.isFinite(x) && switch (kind) {
                    case POSITIVE_NUMBER -> x > 0;
                    case FRACTION -> x >= 0 && x < 1;
                    default -> x >= 0;
                };
                if (!ok) throw new IllegalArgumentException("grid setting " + key + ": " + UserMessages.quote(v) + " must be "
                        + (kind == Kind.POSITIVE_NUMBER ? "a positive number" : kind == Kind.FRACTION ? "in [0, 1)" : "a number >= 0"));
                return Double.toString(x);
            }
        }
    }

    /** Splits at sep outside parentheses and brackets. */
    private static List<String> split(String s, char sep) {
        List<String> out = new ArrayList<>();
        int depth = 0, start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(' || c == '[') depth++;
            else if ((c == ')' || c == ']') && depth > 0) depth--;
            else if (c == sep && depth == 0) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        return out;
    }
}
