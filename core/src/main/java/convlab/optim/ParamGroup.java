package convlab.optim;

import convlab.nn.Parameter;

import java.util.ArrayList;
import java.util.List;

/**
 * A set of parameters that share a learning rate and a weight decay (PyTorch's param_groups).
 * Schedules scale {@link #lr()} relative to {@link #initialLr()}. Names are used by routing rules and
 * in error messages; unnamed parameters are called "param&lt;i&gt;".
 */
public final class ParamGroup {
    private final String name;
    private final List<Parameter> params;
    private final List<String> names;
    private final double initialLr;
    private double lr;
    private double weightDecay;

    public ParamGroup(String name, List<Parameter> params, List<String> names, double lr, double weightDecay) {
        if (params.isEmpty()) throw new IllegalArgumentException("parameter group '" + name + "' has no parameters");
        if (names != null && names.size() != params.size())
            throw new IllegalArgumentException("parameter group '" + name + "': " + names.size() + " names for " + params.size() + " parameters");
        checkLr(lr);
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay))
            throw new IllegalArgumentException("weight decay must be a finite number >= 0, got " + weightDecay + " (group '" + name + "')");
        this.name = name;
        this.params = List.copyOf(params);
        List<String> n = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) n.add(names == null ? "param" + i : names.get(i));
        this.names = List.copyOf(n);
        this.initialLr = lr;
        this.lr = lr;
        this.weightDecay = weightDecay;
    }

    public ParamGroup(List<Parameter> params, double lr, double weightDecay) {
        this("default", params, null, lr, weightDecay);
    }

    static void checkLr(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("learning rate must be a finite number >= 0, got " + lr);
    }

    public String name() { return name; }
    public List<Parameter> params() { return params; }
    public List<String> names() { return names; }
    public double lr() { return lr; }
    public double initialLr() { return initialLr; }
    public double weightDecay() { return weightDecay; }

    public void setLr(double lr) { checkLr(lr); this.lr = lr; }

    public void setWeightDecay(double wd) {
        if (!(wd >= 0) || Double.isInfinite(wd)) throw new IllegalArgumentException("weight decay must be a finite number >= 0, got " + wd);
        this.weightDecay = wd;
    }
}
