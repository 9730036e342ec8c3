package convlab.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import convlab.Version;
import convlab.data.DataLoader;
import convlab.tensor.Tensor;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything needed to continue a training run exactly where it stopped. One checkpoint is one folder:
 * <pre>
 *   model.safetensors       parameters and buffers (a normal model file: spec and version in its metadata)
 *   optimizer.safetensors   optimizer state tensors (momentum buffers, Adam moments, ...), by the optimizer's names
 *   state.json              step, epoch, optimizer scalars, generator states, data-loader position, metrics
 * </pre>
 * Folders are written and published by {@link CheckpointStore}, which never lets a partial one look complete.
 * The optimizer's own state is passed as plain tensors and JSON scalars, so this class does not depend
 * on any optimizer.
 *
 * @param step             optimizer steps taken so far
 * @param epoch            epochs completed so far
 * @param model            parameters and buffers by dotted name (see {@link ModelFile#stateOf})
 * @param spec             architecture spec ("" if none)
 * @param optimizerState   optimizer tensors by name
 * @param optimizerScalars optimizer numbers (learning rate, step count, ...) as a JSON object
 * @param rngStates        named generator states ({@link convlab.tensor.Rng#state()}), e.g. "dropout"
 * @param loader           data-loader position, or null
 * @param metrics          named numbers to show on resume (loss, accuracy, ...); NaN and infinities allowed
 */
public record Checkpoint(long step, int epoch, Map<String, Tensor> model, String spec,
                         Map<String, Tensor> optimizerState, JsonObject optimizerScalars,
                         Map<String, long[]> rngStates, DataLoader.State loader, Map<String, Double> metrics) {

    static final String MODEL_FILE = "model.safetensors";
    static final String OPTIMIZER_FILE = "optimizer.safetensors";
    static final String STATE_FILE = "state.json";
    static final String FORMAT = "convlab-checkpoint-1";

    public Checkpoint {
        if (step < 0 || epoch < 0) throw new IllegalArgumentException("checkpoint step and epoch must be >= 0, got " + step + ", " + epoch);
        model = Collections.unmodifiableMap(new LinkedHashMap<>(model));
        spec = spec == null ? "" : spec;
        optimizerState = Collections.unmodifiableMap(new LinkedHashMap<>(optimizerState));
        optimizerScalars = optimizerScalars == null ? new JsonObject() : optimizerScalars.deepCopy();
        rngStates = Collections.unmodifiableMap(new LinkedHashMap<>(rngStates));
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** Writes the three files into an existing, empty folder, each forced to disk. */
    void writeTo(Path folder) throws IOException {
        Safetensors.write(folder.resolve(MODEL_FILE), model, ModelFile.metadata(spec));
        Safetensors.write(folder.resolve(OPTIMIZER_FILE), optimizerState, Map.of());
        AtomicFiles.write(folder.resolve(STATE_FILE), stateJson().getBytes(StandardCharsets.UTF_8));
    }

    private String stateJson() {
        JsonObject s = new JsonObject();
        s.addProperty("format", FORMAT);
        s.addProperty("convlab_version", Version.STRING);
        s.addProperty("step", step);
        s.addProperty("epoch", epoch);
        s.add("optimizer", optimizerScalars);
        JsonObject rngs = new JsonObject();
        rngStates.forEach((name, words) -> rngs.add(name, longs(words)));
        s.add("rng", rngs);
        if (loader != null) {
            JsonObject l = new JsonObject();
            l.addProperty("epoch", loader.epoch());
            l.addProperty("position", loader.position());
            l.add("rng_at_epoch_start", longs(loader.rngStateAtEpochStart()));
            s.add("loader", l);
        }
        JsonObject m = new JsonObject();
        metrics.forEach((k, v) -> m.add(k, Double.isFinite(v) ? new JsonPrimitive(v) : new JsonPrimitive(v.toString())));
        s.add("metrics", m);
        return s + "\n";
    }

    /** 64-bit words as decimal strings: JSON tools that read numbers as doubles would round them. */
    private static JsonArray longs(long[] words) {
        JsonArray a = new JsonArray();
        for (long w : words) a.add(Long.toString(w));
        return a;
    }

    /** Reads a checkpoint folder; a damaged one gives an IllegalArgumentException naming the file and the problem. */
    public static Checkpoint readFrom(Path folder) throws IOException {
        Path statePath = folder.resolve(STATE_FILE);
        String text;
        try {
            text = Files.readString(statePath, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(folder + " is not a checkpoint: it has no " + STATE_FILE);
        }
        StateReader s = new StateReader(parse(text, statePath), statePath);
        if (!FORMAT.equals(s.string("format")))
            throw new IllegalArgumentException(statePath + ": format is '" + s.string("format") + "', expected '" + FORMAT + "'");
        long step = s.longValue("step");
        int epoch = s.integer("epoch");
        Safetensors.Contents model = Safetensors.read(folder.resolve(MODEL_FILE));
        Safetensors.Contents optimizer = Safetensors.read(folder.resolve(OPTIMIZER_FILE));
        Map<String, long[]> rngs = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : s.object("rng").entrySet()) rngs.put(e.getKey(), s.longs(e.getValue(), "rng." + e.getKey()));
        DataLoader.State loader = null;
        if (s.root.has("loader")) {
            StateReader l = new StateReader(s.object("loader"), statePath);
            loader = new DataLoader.State(l.integer("epoch"), l.integer("position"), s.longs(l.root.get("rng_at_epoch_start"), "loader.rng_at_epoch_start"));
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : s.object("metrics").entrySet()) metrics.put(e.getKey(), s.number(e.getValue(), "metrics." + e.getKey()));
        return new Checkpoint(step, epoch, model.tensors(),
                model.metadata().getOrDefault(ModelFile.SPEC_KEY, ""), optimizer.tensors(), s.object("optimizer"),
                rngs, loader, metrics);
    }

    private static JsonObject parse(String text, Path file) {
        try {
            JsonReader r = new JsonReader(new StringReader(text));
            r.setStrictness(Strictness.STRICT);
            JsonElement e = JsonParser.parseReader(r);
            if (!e.isJsonObject()) throw new IllegalArgumentException(file + " is not a JSON object");
            return e.getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + SafetensorsHeader.gsonMessage(e));
        }
    }

    /** Typed access to state.json with errors that name the file and the field. */
    private record StateReader(JsonObject root, Path file) {
        JsonElement field(String name) {
            JsonElement e = root.get(name);
            if (e == null) throw new IllegalArgumentException(file + " lacks the field '" + name + "'");
            return e;
        }

        String string(String name) {
            JsonElement e = field(name);
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) throw wrong(name, "a string", e);
            return e.getAsString();
        }

        JsonObject object(String name) {
            JsonElement e = field(name);
            if (!e.isJsonObject()) throw wrong(name, "an object", e);
            return e.getAsJsonObject();
        }

        long longValue(String name) {
            JsonElement e = field(name);
            try {
                return Long.parseLong(e.getAsJsonPrimitive().getAsString());
            } catch (RuntimeException ex) {
                throw wrong(name, "an integer", e);
            }
        }

        int integer(String name) {
            long v = longValue(name);
            if (v < 0 || v > Integer.MAX_VALUE) throw wrong(name, "an integer from 0 to " + Integer.MAX_VALUE, field(name));
            return (int) v;
        }

        long[] longs(JsonElement e, String name) {
            if (e == null || !e.isJsonArray()) throw wrong(name, "a list of 64-bit integers as strings", e);
            JsonArray a = e.getAsJsonArray();
            long[] out = new long[a.size()];
            try {
                for (int i = 0; i < out.length; i++) out[i] = Long.parseLong(a.get(i).getAsString());
            } catch (RuntimeException ex) {
                throw wrong(name, "a list of 64-bit integers as strings", e);
            }
            return out;
        }

        double number(JsonElement e, String name) {
            try {
                JsonPrimitive p = e.getAsJsonPrimitive();
                return p.isString() ? Double.parseDouble(p.getAsString()) : p.getAsDouble();
            } catch (RuntimeException ex) {
                throw wrong(name, "a number", e);
            }
        }

        IllegalArgumentException wrong(String name, String expected, JsonElement got) {
            String shown = got == null ? "nothing" : SafetensorsHeader.clip(got.toString());
            return new IllegalArgumentException(file + ": field '" + name + "' should be " + expected + ", found " + shown);
        }
    }
}
