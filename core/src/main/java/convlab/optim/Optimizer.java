package convlab.optim;

import convlab.nn.Parameter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Base of all optimizers, PyTorch-shaped: {@link #step()} updates the parameters in place from their
 * gradients, {@link #zeroGrad()} clears the gradients. Parameters live in {@link ParamGroup}s, each with
 * its own learning rate and weight decay (schedules change the learning rates between steps).
 *
 * <p>Per-parameter state (momentum buffers, moment estimates, step counts) is kept in {@link #slots}, keyed
 * by the parameter's position in {@link #parameters()}; {@link #state()} / {@link #loadState} expose it as
 * named float arrays ("3.exp_avg") so a checkpoint can save and restore it.
 */
public abstract class Optimizer {
    protected final List<ParamGroup> groups;
    protected final List<Parameter> params;
    /** slots.get(i): named state arrays of parameter i (created lazily on its first step). */
    protected final List<Map<String, float[]>> slots;

    protected Optimizer(List<Parameter> params, double lr) {
        this(List.of(new ParamGroup(nonEmpty(params), lr, 0)));
    }

    protected Optimizer(List<ParamGroup> groups) {
        if (groups.isEmpty()) throw new IllegalArgumentException("optimizer given no parameter groups");
        this.groups = List.copyOf(groups);
        List<Parameter> all = new ArrayList<>();
        for (ParamGroup g : groups) for (Parameter p : g.params()) {
            for (Parameter q : all) if (q == p)
                throw new IllegalArgumentException("parameter '" + g.names().get(g.params().indexOf(p)) + "' appears in more than one place");
            all.add(p);
        }
        this.params = List.copyOf(all);
        this.slots = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) slots.add(new LinkedHashMap<>());
    }

    private static List<Parameter> nonEmpty(List<Parameter> params) {
        if (params.isEmpty()) throw new IllegalArgumentException("optimizer given no parameters");
        return params;
    }

    /** One update of every parameter that has a gradient. */
    public abstract void step();

    public void zeroGrad() { for (Parameter p : params) p.zeroGrad(); }

    /**
     * {@link #zeroGrad()} for a loop that keeps no gradient past the update: the next backward may overwrite the
     * gradients' storage instead of allocating new ({@link Parameter#releaseGrad()}).
     */
    public void releaseGrads() { for (Parameter p : params) p.releaseGrad(); }

    /** Learning rate of the first group. */
    public double lr() { return groups.get(0).lr(); }

    /**
     * Sets the first group's learning rate to lr and every other group's so that all keep the ratios of
     * their initial learning rates (the per-layer rates of {@link UnitScaling}, Muon's auxiliary group).
     * With equal initial rates this sets every group to lr. Schedules use {@link LrSchedule#apply} instead.
     */
    public void setLr(double lr) {
        ParamGroup.checkLr(lr);
        double base = groups.get(0).initialLr();
        for (ParamGroup g : groups) g.setLr(base == 0 ? lr : g.initialLr() * (lr / base));
    }

    public List<ParamGroup> groups() { return groups; }

    public List<Parameter> parameters() { return params; }

    /** The gradient values of p as a float array, or null if p received no gradient this step. */
    protected static float[] gradOf(Parameter p) {
        return p.grad() == null ? null : p.grad().contiguous().data();
    }

    /** The state array `name` of parameter index pi, created (zero-filled, length n) on first use. */
    protected float[] slot(int pi, String name, int n) {
        return slots.get(pi).computeIfAbsent(name, k -> new float[n]);
    }

    protected boolean hasSlot(int pi, String name) { return slots.get(pi).containsKey(name); }

    /** Increments and returns the step count of parameter pi (stored exactly, see {@link StateCodec}). */
    protected long nextStep(int pi) {
        Map<String, float[]> s = slots.get(pi);
        long step = s.containsKey("step") ? StateCodec.decodeCount(s.get("step")) + 1 : 1;
        s.put("step", StateCodec.encodeCount(step));
        return step;
    }

    /** Runs body for each parameter with a gradient: (global index, group, parameter, gradient). */
    protected void forEachWithGrad(ParamBody body) {
        int pi = 0;
        for (ParamGroup g : groups) for (Parameter p : g.params()) {
            float[] grad = gradOf(p);
            if (grad != null) body.apply(pi, g, p, grad);
            pi++;
        }
    }

    @FunctionalInterface
    protected interface ParamBody { void apply(int index, ParamGroup group, Parameter p, float[] grad); }

    /** A copy of all optimizer state as named float arrays: "&lt;param index&gt;.&lt;buffer&gt;". */
    public Map<String, float[]> state() {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (int i = 0; i < slots.size(); i++)
            for (var e : slots.get(i).entrySet()) out.put(i + "." + e.getKey(), e.getValue().clone());
        return out;
    }

    /** Restores state saved by {@link #state()} of an optimizer of the same kind over parameters of the same shapes. */
    public void loadState(Map<String, float[]> state) {
        List<Map<String, float[]>> fresh = new ArrayList<>();
        for (int i = 0; i < slots.size(); i++) fresh.add(new LinkedHashMap<>());
        for (var e : state.entrySet()) {
            String key = e.getKey();
            int dot = key.indexOf('.');
            int pi;
            try {
                pi = dot < 0 ? -1 : Integer.parseInt(key.substring(0, dot));
            } catch (NumberFormatException ex) {
                pi = -1;
            }
            if (pi < 0 || pi >= slots.size())
                throw new IllegalArgumentException("optimizer state key '" + key + "' does not name one of the "
                        + slots.size() + " parameters (expected '<index>.<buffer>')");
            String name = key.substring(dot + 1);
            float[] v = e.getValue();
            int n = params.get(pi).numel();
            if (!name.equals("step") && v.length != n)
                throw new IllegalArgumentException("optimizer state '" + key + "' has " + v.length + " values, parameter " + pi + " has " + n);
            fresh.get(pi).put(name, v.clone());
        }
        for (int i = 0; i < slots.size(); i++) { slots.get(i).clear(); slots.get(i).putAll(fresh.get(i)); }
    }
}
