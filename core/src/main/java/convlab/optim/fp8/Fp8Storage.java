package convlab.optim.fp8;

import convlab.nn.Parameter;
import convlab.optim.Optimizer;
import convlab.optim.fp8.Fp8Format.Rounding;
import convlab.tensor.Rng;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stores parameters in fp8: wraps an optimizer so that after every step each parameter holds only values
 * of the fp8 format (the forward and backward passes see fp8 weights). Two modes:
 * <ul>
 * <li>master copy: the optimizer updates a float32 copy and the parameter is that copy rounded, so small
 *     updates accumulate (mixed-precision training);</li>
 * <li>no master copy: the rounded parameter is all there is; an update smaller than half the grid
 *     spacing is lost (with nearest rounding) or kept only in expectation (with stochastic rounding).</li>
 * </ul>
 * Parameters are rounded once at construction. Stochastic rounding draws from a seeded {@link Rng}.
 */
public final class Fp8Storage extends Optimizer {
    private final Optimizer inner;
    private final Fp8Format format;
    private final Rounding rounding;
    private final boolean saturate;
    private final float[][] master;    // null entries without a master copy
    private final Rng rng;

    public Fp8Storage(Optimizer inner, Fp8Format format, boolean masterCopy, Rounding rounding, boolean saturate, long seed) {
        super(inner.groups());
        this.inner = inner;
        this.format = format;
        this.rounding = rounding;
        this.saturate = saturate;
        this.rng = new Rng(seed);
        List<Parameter> ps = inner.parameters();
        this.master = new float[ps.size()][];
        for (int i = 0; i < ps.size(); i++) {
            if (masterCopy) master[i] = ps.get(i).data().clone();
            quantize(ps.get(i).data());
        }
    }

    private void quantize(float[] v) { format.roundInPlace(v, rounding, saturate, rng::nextDouble); }

    public Optimizer inner() { return inner; }
    public boolean hasMasterCopy() { return master.length > 0 && master[0] != null; }

    @Override
    public void step() {
        List<Parameter> ps = inner.parameters();
        for (int i = 0; i < ps.size(); i++) if (master[i] != null) System.arraycopy(master[i], 0, ps.get(i).data(), 0, master[i].length);
        inner.step();
        for (int i = 0; i < ps.size(); i++) {
            float[] w = ps.get(i).data();
            if (master[i] != null) System.arraycopy(w, 0, master[i], 0, w.length);
            quantize(w);
        }
    }

    /** The inner optimizer's state plus the master copies ("&lt;i&gt;.fp8_master"). */
    @Override
    public Map<String, float[]> state() {
        Map<String, float[]> out = new LinkedHashMap<>(inner.state());
        for (int i = 0; i < master.length; i++) if (master[i] != null) out.put(i + ".fp8_master", master[i].clone());
        return out;
    }

    @Override
    public void loadState(Map<String, float[]> state) {
        Map<String, float[]> rest = new LinkedHashMap<>();
        for (var e : state.entrySet()) {
            String k = e.getKey();
            if (k.endsWith(".fp8_master")) {
                int i = Integer.parseInt(k.substring(0, k.indexOf('.')));
                if (i < 0 || i >= master.length || master[i] == null || master[i].length != e.getValue().length)
                    throw new IllegalArgumentException("optimizer state '" + k + "' does not fit this fp8 storage (master copy off, or wrong size)");
                System.arraycopy(e.getValue(), 0, master[i], 0, master[i].length);
            } else rest.put(k, e.getValue());
        }
        inner.loadState(rest);
    }
}
