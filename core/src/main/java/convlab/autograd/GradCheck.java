package convlab.autograd;

import convlab.tensor.DType;
import convlab.tensor.Tensor;

import java.util.function.Function;

/**
 * Finite-difference gradient check in float64: compares the autograd gradient of
 * sum(f(inputs) · r) (r a fixed random projection, so every output element matters) with central
 * differences (f(x+h) − f(x−h)) / 2h for every input element.
 */
public final class GradCheck {
    private GradCheck() {}

    /** Result of a check: the largest error found and where. */
    public record Result(double maxError, String where) {
        public boolean passed(double tolerance) { return maxError <= tolerance; }
    }

    /**
     * @param f      the function under test; it must accept float64 inputs and be deterministic
     * @param inputs float64 tensors; each gets requiresGrad and is perturbed in place
     * @return the maximum of |analytic − numeric| / max(1, |numeric|) over all input elements
     */
    public static Result check(Function<Tensor[], Tensor> f, Tensor... inputs) {
        for (Tensor t : inputs)
            if (t.dtype() != DType.F64 || !t.isContiguous())
                throw new IllegalArgumentException("GradCheck needs contiguous float64 inputs");
        Tensor probe;
        try (var s = GradMode.noGrad()) { probe = f.apply(inputs); }
        Tensor proj = Tensor.uniform(new convlab.tensor.Rng(12345), -1, 1, DType.F64, probe.shape());

        for (Tensor t : inputs) { t.zeroGrad(); t.requiresGrad(true); }
        Tensor out = f.apply(inputs);
        out.mul(proj).sum().backward();

        double worst = 0;
        String where = "none";
        double h = 1e-6;
        for (int ti = 0; ti < inputs.length; ti++) {
            Tensor t = inputs[ti];
            double[] x = t.dataF64();
            Tensor g = t.grad();
            for (int i = 0; i < x.length; i++) {
                double orig = x[i];
                double plus, minus;
                try (var s = GradMode.noGrad()) {
                    x[i] = orig + h;
                    plus = f.apply(inputs).mul(proj).sum().item();
                    x[i] = orig - h;
                    minus = f.apply(inputs).mul(proj).sum().item();
                }
                x[i] = orig;
                double numeric = (plus - minus) / (2 * h);
                double analytic = g == null ? 0 : g.getFlat(i);
                double err = Math.abs(analytic - numeric) / Math.max(1, Math.abs(numeric));
                if (err > worst || Double.isNaN(err)) {
                    worst = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
                    where = "input " + ti + " element " + i + ": autograd " + analytic + ", numeric " + numeric;
                }
            }
        }
        return new Result(worst, where);
    }
}
