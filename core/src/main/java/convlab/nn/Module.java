package convlab.nn;

import convlab.tensor.Rng;
import convlab.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Base of all layers and models, shaped like PyTorch's nn.Module: {@link #forward}, {@link #parameters()},
 * {@link #train()}/{@link #eval()}, {@link #zeroGrad()}, and named parameters/buffers for saving.
 * Subclasses register their parameters, buffers and child modules in their constructor.
 */
public abstract class Module {
    private final Map<String, Parameter> params = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final Map<String, Rng> generators = new LinkedHashMap<>();
    private boolean training = true;

    public abstract Tensor forward(Tensor input);

    /** Output shape for one input shape (without the batch dimension is NOT assumed: shapes include it). */
    public int[] outputShape(int[] inputShape) {
        try (var scope = convlab.autograd.GradMode.noGrad()) {
            return forward(Tensor.zeros(inputShape)).shape();
        }
    }

    protected Parameter registerParameter(String name, Tensor init) {
        Parameter p = new Parameter(DefaultDType.isFloat64() ? init.to(convlab.tensor.DType.F64) : init);
        params.put(name, p);
        return p;
    }

    /** A buffer is state saved with the model but not trained (e.g. batch-norm running statistics). */
    protected Tensor registerBuffer(String name, Tensor value) {
        if (DefaultDType.isFloat64()) value = value.to(convlab.tensor.DType.F64);
        buffers.put(name, value);
        return value;
    }

    /**
     * A random generator the layer draws from while training (dropout masks): its state belongs to a
     * checkpoint, so that a resumed run draws the same masks as an uninterrupted one.
     */
    protected Rng registerGenerator(String name, Rng rng) {
        generators.put(name, rng);
        return rng;
    }

    protected <M extends Module> M registerModule(String name, M child) {
        children.put(name, child);
        return child;
    }

    public List<Parameter> parameters() { return new ArrayList<>(namedParameters().values()); }

    /** Parameters by dotted path ("0.weight", "2.bias"), in registration order. */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out, null);
        return out;
    }

    public Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", null, out);
        return out;
    }

    /** Random generators by dotted path ("5.rng"), in registration order. */
    public Map<String, Rng> namedGenerators() {
        Map<String, Rng> out = new LinkedHashMap<>();
        collectGenerators("", out);
        return out;
    }

    private void collect(String prefix, Map<String, Parameter> ps, Map<String, Tensor> bs) {
        if (ps != null) params.forEach((k, v) -> ps.put(prefix + k, v));
        if (bs != null) buffers.forEach((k, v) -> bs.put(prefix + k, v));
        children.forEach((k, m) -> m.collect(prefix + k + ".", ps, bs));
    }

    private void collectGenerators(String prefix, Map<String, Rng> out) {
        generators.forEach((k, v) -> out.put(prefix + k, v));
        children.forEach((k, m) -> m.collectGenerators(prefix + k + ".", out));
    }

    public Map<String, Module> children() { return java.util.Collections.unmodifiableMap(children); }

    public Module train() { setTraining(true); return this; }

    public Module eval() { setTraining(false); return this; }

    private void setTraining(boolean t) {
        training = t;
        children.values().forEach(c -> c.setTraining(t));
    }

    public boolean isTraining() { return training; }

    public void zeroGrad() { for (Parameter p : parameters()) p.zeroGrad(); }

    public long parameterCount() {
        long n = 0;
        for (Parameter p : parameters()) n += p.numel();
        return n;
    }

    /** Short description used in summaries and error messages, e.g. "Linear(784 -> 256)". */
    @Override public String toString() { return getClass().getSimpleName(); }
}
