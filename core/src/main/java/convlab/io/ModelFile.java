package convlab.io;

import convlab.Version;
import convlab.nn.Module;
import convlab.nn.Parameter;
import convlab.tensor.Ops;
import convlab.tensor.Shape;
import convlab.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained model as a safetensors file: every parameter and buffer under its dotted name
 * ("0.weight", "2.bias": the names PyTorch's state_dict uses for the same nn.Sequential), plus
 * metadata with the architecture spec and the convlab version. PyTorch users load it with
 * {@code safetensors.torch.load_file} and {@code model.load_state_dict}.
 */
public final class ModelFile {
    private ModelFile() {}

    public static final String SPEC_KEY = "convlab.spec";
    public static final String VERSION_KEY = "convlab.version";
    /** Marks the tensors as a PyTorch state dict, as {@code safetensors.torch.save_file} does. */
    public static final String FORMAT_KEY = "format";

    /** What a model file says about itself. spec is "" when the model was saved without one. */
    public record Header(String spec, String version, Map<String, String> metadata) {}

    /** Parameters then buffers of a model, by dotted name (the tensors are shared, not copied). */
    public static Map<String, Tensor> stateOf(Module model) {
        Map<String, Tensor> state = new LinkedHashMap<>();
        model.namedParameters().forEach(state::put);
        model.namedBuffers().forEach((name, t) -> {
            if (state.put(name, t) != null) throw new IllegalStateException("buffer and parameter share the name " + name);
        });
        return state;
    }

    /** The metadata written with a model: spec (may be empty), convlab version, format. */
    public static Map<String, String> metadata(String spec) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(SPEC_KEY, spec == null ? "" : spec);
        meta.put(VERSION_KEY, Version.STRING);
        meta.put(FORMAT_KEY, "pt");
        return meta;
    }

    /** Writes the model atomically: a crash leaves the previous file or the complete new one. */
    public static void save(Path file, Module model, String spec) throws IOException {
        AtomicFiles.write(file, encode(model, spec));
    }

    public static byte[] encode(Module model, String spec) {
        return Safetensors.encode(stateOf(model), metadata(spec));
    }

    /** Reads only what the file says about itself (e.g. the spec, to build the model before loading). */
    public static Header readHeader(Path file) throws IOException {
        return header(Safetensors.read(file).metadata());
    }

    private static Header header(Map<String, String> meta) {
        return new Header(meta.getOrDefault(SPEC_KEY, ""), meta.getOrDefault(VERSION_KEY, ""), meta);
    }

    /**
     * Loads a model file into a model whose architecture matches it. Every name and shape is checked
     * first; on any mismatch nothing is changed and the error lists what is missing, unexpected, or
     * of the wrong shape.
     */
    public static Header load(Path file, Module model) throws IOException {
        Safetensors.Contents c = Safetensors.read(file);
        loadState(model, c.tensors(), file.toString());
        return header(c.metadata());
    }

    /** Copies named tensors into a model's parameters and buffers, all or nothing; source names them in errors. */
    public static void loadState(Module model, Map<String, Tensor> tensors, String source) {
        Map<String, Tensor> targets = stateOf(model);
        List<String> missing = new ArrayList<>(), wrongShape = new ArrayList<>(), unexpected = new ArrayList<>();
        for (Map.Entry<String, Tensor> t : targets.entrySet()) {
            Tensor v = tensors.get(t.getKey());
            if (v == null) missing.add(t.getKey());
            else if (!Shape.same(v.shape(), t.getValue().shape()))
                wrongShape.add(t.getKey() + " is " + Shape.str(v.shape()) + " in the file but " + Shape.str(t.getValue().shape()) + " in the model");
        }
        for (String name : tensors.keySet()) if (!targets.containsKey(name)) unexpected.add(name);
        if (!missing.isEmpty() || !wrongShape.isEmpty() || !unexpected.isEmpty()) {
            StringBuilder msg = new StringBuilder(source).append(" does not fit the model ").append(model).append(':');
            if (!wrongShape.isEmpty()) msg.append(" shapes differ: ").append(listed(wrongShape)).append(';');
            if (!missing.isEmpty()) msg.append(" missing from the file: ").append(listed(missing)).append(';');
            if (!unexpected.isEmpty()) msg.append(" not in the model: ").append(listed(unexpected)).append(';');
            msg.setLength(msg.length() - 1);
            throw new IllegalArgumentException(msg.toString());
        }
        for (Map.Entry<String, Tensor> t : targets.entrySet()) {
            Tensor value = tensors.get(t.getKey());
            if (t.getValue() instanceof Parameter p) p.copyFrom(value);
            else Ops.copyInto(value, t.getValue());   // buffers: same shape, converted to the buffer's dtype
        }
    }

    private static String listed(List<String> items) {
        int shown = Math.min(items.size(), 5);
        String s = String.join(", ", items.subList(0, shown));
        return items.size() > shown ? s + " and " + (items.size() - shown) + " more" : s;
    }
}
