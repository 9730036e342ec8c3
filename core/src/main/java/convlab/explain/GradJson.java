package convlab.explain;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import java.util.Arrays;

/**
 * The JSON of the gradient calculators (keys documented in docs/EXACT.md). Every array appears twice: under
 * its name with exact values (integers as numbers, fractions as "p/q" strings; an irrational value as its
 * float64) and under name_float as float64 numbers only, so a script can compare with PyTorch directly.
 */
public final class GradJson {
    private GradJson() {}

    public static JsonObject conv(ExactConvGrad.Result r, boolean explain) {
        JsonObject j = new JsonObject();
        put(j, "output", r.forward().output());
        put(j, "grad_input", r.gradInput());
        put(j, "grad_kernel", r.gradKernel());
        j.add("grad_bias", Render.json(r.gradBias()));
        j.addProperty("grad_bias_float", r.gradBias().toDouble());
        JsonObject id = new JsonObject();
        id.addProperty("grad_kernel", String.join(" ", ConvGradExplain.kernelIdentity(r.spec())));
        id.addProperty("grad_input", String.join(" ", ConvGradExplain.inputIdentity(r.spec())));
        j.add("identity", id);
        if (explain) {
            JsonObject w = new JsonObject();
            w.add("grad_kernel", strings(r.kernelEntries().stream().map(ConvGradExplain::entryText).toList()));
            w.add("grad_input", strings(r.inputEntries().stream().map(ConvGradExplain::entryText).toList()));
            j.add("working", w);
        }
        return j;
    }

    public static JsonObject pool(ExactPoolGrad.Result r, boolean explain) {
        JsonObject j = new JsonObject();
        put(j, "output", r.output());
        put(j, "grad_input", r.gradInput());
        JsonArray windows = new JsonArray();
        ExactArray x = r.input().asChannels();
        for (ExactPoolGrad.Window w : r.windows()) {
            JsonObject o = new JsonObject();
            o.add("window", Render.json(w.outIndex()));
            JsonArray cells = new JsonArray();
            for (int c : w.cells()) cells.add(Render.json(index(r, c)));
            o.add("inputs", cells);
            o.add("value", Render.json(w.value()));
            o.add("grad", Render.json(w.grad()));
            if (r.kind() == ExactPoolGrad.Kind.MAX) {
                o.add("winner", Render.json(index(r, w.winner())));
                JsonArray ties = new JsonArray();
                for (int t : w.tiedLosers()) ties.add(Render.json(index(r, t)));
                o.add("tied_with", ties);
            } else {
                o.addProperty("divisor", w.divisor());
            }
            windows.add(o);
        }
        j.add("windows", windows);
        if (r.kind() == ExactPoolGrad.Kind.MAX) j.addProperty("tie_rule", "first maximum in row-major order within the window (PyTorch)");
        if (explain) j.add("working", strings(r.entries().stream().map(e -> ExactPoolGrad.entryText(r, e)).toList()));
        return j;
    }

    private static int[] index(ExactPoolGrad.Result r, int flat) {
        ExactArray x = r.input().asChannels();
        return ExactPoolGrad.inIndex(flat, x.dim(0), x.dim(1), x.dim(2), r.oneD());
    }

    public static JsonObject norm(ExactNormGrad.Result r, boolean explain) {
        JsonObject j = new JsonObject();
        int n = r.rows(), d = r.cols();
        j.add("shape", Render.json(new int[] {n, d}));
        j.addProperty("exact", r.exact());
        JsonArray mean = new JsonArray(), var = new JsonArray(), v = new JsonArray();
        for (ExactNormGrad.Group g : r.groups()) {
            mean.add(Render.json(g.mean()));
            var.add(Render.json(g.variance()));
            v.add(Render.json(g.v()));
        }
        j.add("mean", mean);
        if (!r.meanOnly()) {
            j.add("variance", var);
            j.add("variance_plus_eps", v);
        }
        surds(j, "x_hat", r.xHat(), n, d);
        surds(j, "output", r.output(), n, d);
        surds(j, "grad_input", r.gradInput(), n, d);
        surds(j, "grad_gamma", r.gradGamma(), 0, d);
        surds(j, "grad_beta", Arrays.stream(r.gradBeta()).map(Surd::of).toArray(Surd[]::new), 0, d);
        if (explain) j.add("working", strings(r.inputWorking()));
        return j;
    }

    /** name (exact or float), name_float, and name_symbolic when some value is irrational; rows = 0 for a flat vector. */
    private static void surds(JsonObject j, String name, Surd[] v, int rows, int cols) {
        boolean exact = Arrays.stream(v).allMatch(Surd::isRational);
        j.add(name, nest(v, rows, cols, s -> s.isRational() ? Render.json(s.rational()) : new JsonPrimitive(s.toDouble())));
        j.add(name + "_float", nest(v, rows, cols, s -> new JsonPrimitive(s.toDouble())));
        if (!exact) j.add(name + "_symbolic", nest(v, rows, cols, s -> new JsonPrimitive(s.symbol())));
    }

    private static JsonArray nest(Surd[] v, int rows, int cols, java.util.function.Function<Surd, JsonElement> f) {
        JsonArray out = new JsonArray();
        if (rows == 0) { for (Surd s : v) out.add(f.apply(s)); return out; }
        for (int i = 0; i < rows; i++) {
            JsonArray row = new JsonArray();
            for (int k = 0; k < cols; k++) row.add(f.apply(v[i * cols + k]));
            out.add(row);
        }
        return out;
    }

    private static void put(JsonObject j, String name, ExactArray a) {
        j.add(name, Render.json(a));
        j.add(name + "_float", floats(a, 0, 0));
        j.add(name + "_shape", Render.json(a.shape()));
    }

    private static JsonElement floats(ExactArray a, int axis, int offset) {
        if (axis == a.rank()) return new JsonPrimitive(a.flat(offset).toDouble());
        JsonArray arr = new JsonArray();
        int stride = 1;
        for (int k = axis + 1; k < a.rank(); k++) stride *= a.dim(k);
        for (int i = 0; i < a.dim(axis); i++) arr.add(floats(a, axis + 1, offset + i * stride));
        return arr;
    }

    private static JsonArray strings(java.util.List<String> l) {
        JsonArray a = new JsonArray();
        l.forEach(a::add);
        return a;
    }
}
