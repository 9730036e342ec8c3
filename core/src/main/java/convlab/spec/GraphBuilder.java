package convlab.spec;

import convlab.nn.GraphModel;
import convlab.nn.Module;
import convlab.tensor.Rng;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the {@link GraphModel} of a spec with branches: the modules as {@link ModelBuilder} makes them for
 * a chain (same order, same initialization, same ReLU fusion), a step keeping the output at each label a
 * merge uses, and a merge step at each CONCAT/ADD.
 */
final class GraphBuilder {
    private GraphBuilder() {}

    static GraphModel build(Analysis a, Rng rng, boolean fuseRelu) {
        Set<Integer> used = new HashSet<>();
        for (LayerStats s : a.layers()) if (s.layer() instanceof Layer.Merge m) used.addAll(m.from());
        List<Module> modules = new ArrayList<>();
        List<GraphModel.Step> steps = new ArrayList<>();
        Map<Integer, Integer> slotOfRow = new HashMap<>();
        ModelBuilder.walk(a.layers(), rng, fuseRelu, (row, m) -> {
            steps.add(new GraphModel.Apply(modules.size()));
            modules.add(m);
        }, s -> {
            switch (s.layer()) {
                case Layer.Label l when used.contains(s.index()) -> {
                    slotOfRow.put(s.index(), slotOfRow.size());
                    steps.add(new GraphModel.Keep(slotOfRow.get(s.index())));
                }
                case Layer.Merge m -> steps.add(new GraphModel.Merge(m.concat(),
                        m.from().stream().mapToInt(slotOfRow::get).toArray(), "layer " + s.index() + " (" + m.source() + ")"));
                default -> { }
            }
        });
        return new GraphModel(modules, steps);
    }
}
