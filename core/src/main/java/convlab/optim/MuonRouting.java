package convlab.optim;

import convlab.nn.Parameter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Which parameters Muon orthogonalizes and which go to the auxiliary AdamW, decided from the model's
 * named parameters (Module.namedParameters(), in registration order = forward order for Sequential models).
 * Muon's authors advise AdamW for everything that is not a hidden-layer matrix:
 * <ul>
 * <li>parameters with fewer than 2 dimensions: biases, norm gains and shifts (always auxiliary);</li>
 * <li>the first layer's weight (the first conv, or the first Linear of an MLP): its input is pixels, not
 *     features, so its "d_in" has no geometry to preserve ({@link #firstLayerToAux}) — unless it is the
 *     only matrix besides the head (a one-hidden-layer MLP), where it stays with Muon so that Muon has
 *     a matrix to train;</li>
 * <li>the classifier head (the last matrix): its outputs are logits ({@link #headToAux});</li>
 * <li>anything whose name matches {@link #extraAux} (a regular expression over the dotted name).</li>
 * </ul>
 */
public record MuonRouting(boolean firstLayerToAux, boolean headToAux, Predicate<String> extraAux) {
    public static final MuonRouting DEFAULT = new MuonRouting(true, true, name -> false);
    /** Every matrix to Muon; only 0-/1-D parameters to AdamW. */
    public static final MuonRouting ALL_MATRICES = new MuonRouting(false, false, name -> false);

    public MuonRouting withExtraAux(String regex) {
        Pattern p = Pattern.compile(regex);
        Predicate<String> prev = extraAux;
        return new MuonRouting(firstLayerToAux, headToAux, n -> prev.test(n) || p.matcher(n).matches());
    }

    /** The names routed to Muon and to AdamW, each in model order. */
    public record Split(List<String> muonNames, List<Parameter> muon, List<String> auxNames, List<Parameter> aux) {}

    public Split split(Map<String, Parameter> named) {
        String first = null, last = null;
        int matrices = 0;
        for (var e : named.entrySet()) if (e.getValue().dim() >= 2) {
            if (first == null) first = e.getKey();
            last = e.getKey();
            matrices++;
        }
        boolean firstToAux = firstLayerToAux && matrices > (headToAux ? 2 : 1);
        Split s = new Split(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (var e : named.entrySet()) {
            String n = e.getKey();
            boolean toAux = e.getValue().dim() < 2 || (firstToAux && n.equals(first))
                    || (headToAux && n.equals(last)) || extraAux.test(n);
            (toAux ? s.auxNames : s.muonNames).add(n);
            (toAux ? s.aux : s.muon).add(e.getValue());
        }
        return s;
    }

    /**
     * Muon over the routed matrices (lr, weightDecay) and AdamW over the rest (auxLr, auxWeightDecay).
     * A model whose matrices all go to AdamW is rejected, since "Muon" would then be plain AdamW.
     */
    public Muon build(Map<String, Parameter> named, double lr, double weightDecay, double auxLr, double auxWeightDecay, Muon.Config cfg) {
        Split s = split(named);
        if (s.muon().isEmpty())
            throw new IllegalArgumentException("Muon: no parameter left for Muon after routing " + s.auxNames()
                    + " to AdamW (a model needs a hidden matrix between its first layer and its head; use ALL_MATRICES routing or another optimizer)");
        List<ParamGroup> aux = s.aux().isEmpty() ? List.of()
                : List.of(new ParamGroup("adamw", s.aux(), s.auxNames(), auxLr, auxWeightDecay));
        return new Muon(List.of(new ParamGroup("muon", s.muon(), s.muonNames(), lr, weightDecay)), aux, cfg);
    }
}
