package convlab.sweep;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one trial measured: its settings (every one, swept or not) and, per epoch, the test accuracy and loss and the
 * training loss. The numbers depend only on the settings (seed and thread count included); {@code seconds} and
 * {@code executor} say where and how long it ran.
 */
public record TrialResult(String id, long index, Map<String, String> settings, long parameters, double[] testAccuracy,
                          double[] testLoss, double[] trainLoss, double[] trainAccuracy, double seconds, String executor)
        implements Serializable {

    public TrialResult {
        settings = new LinkedHashMap<>(settings);
    }

    public double finalTestAccuracy() { return testAccuracy[testAccuracy.length - 1]; }

    public double bestTestAccuracy() {
        double b = Double.NEGATIVE_INFINITY;
        for (double a : testAccuracy) b = Math.max(b, a);
        return b;
    }

    public double finalTestLoss() { return testLoss[testLoss.length - 1]; }

    public double finalTrainLoss() { return trainLoss[trainLoss.length - 1]; }

    /** True when the numbers (not the time or the executor) are the same bit for bit. */
    public boolean sameNumbers(TrialResult o) {
        return id.equals(o.id) && parameters == o.parameters && java.util.Arrays.equals(testAccuracy, o.testAccuracy)
                && java.util.Arrays.equals(testLoss, o.testLoss) && java.util.Arrays.equals(trainLoss, o.trainLoss)
                && java.util.Arrays.equals(trainAccuracy, o.trainAccuracy);
    }

    /** The trial as one strict-JSON object (trials/ID.json, and an element of trials.json). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("index", index);
        m.put("settings", settings);
        m.put("parameters", parameters);
        m.put("final_test_acc", finalTestAccuracy());
        m.put("best_test_acc", bestTestAccuracy());
        m.put("final_test_loss", finalTestLoss());
        m.put("final_train_loss", finalTrainLoss());
        m.put("test_acc", testAccuracy);
        m.put("test_loss", testLoss);
        m.put("train_loss", trainLoss);
        m.put("train_acc", trainAccuracy);
        m.put("seconds", seconds);
        m.put("executor", executor);
        return m;
    }

    /** Reads {@link #toJson()}'s form back; throws IllegalArgumentException when it is not one. */
    public static TrialResult fromJson(com.google.gson.JsonObject o) {
        try {
            Map<String, String> settings = new LinkedHashMap<>();
            o.getAsJsonObject("settings").entrySet().forEach(e -> settings.put(e.getKey(), e.getValue().getAsString()));
            return new TrialResult(o.get("id").getAsString(), o.get("index").getAsLong(), settings, o.get("parameters").getAsLong(),
                    array(o, "test_acc"), array(o, "test_loss"), array(o, "train_loss"), array(o, "train_acc"),
                    o.get("seconds").getAsDouble(), o.get("executor").getAsString());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a trial result: " + e.getMessage(), e);
        }
    }

    private static double[] array(com.google.gson.JsonObject o, String key) {
        var a = o.getAsJsonArray(key);
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).isJsonNull() ? Double.NaN : a.get(i).getAsDouble();   // StrictJson writes NaN as null
        if (out.length == 0 && key.startsWith("test")) throw new IllegalArgumentException(key + " is empty");
        return out;
    }

    /** Per-epoch lists for charts. */
    public List<Double> testAccuracyList() { return java.util.Arrays.stream(testAccuracy).boxed().toList(); }
}
