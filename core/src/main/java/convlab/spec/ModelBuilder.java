package convlab.spec;

import convlab.nn.AbstractBatchNorm;
import convlab.nn.AvgPool1d;
import convlab.nn.AvgPool2d;
import convlab.nn.BatchNorm1d;
import convlab.nn.BatchNorm2d;
import convlab.nn.Conv1d;
import convlab.nn.Conv2d;
import convlab.nn.ConvTranspose1d;
import convlab.nn.ConvTranspose2d;
import convlab.nn.Dropout;
import convlab.nn.Dropout2d;
import convlab.nn.Flatten;
import convlab.nn.GlobalAvgPool2d;
import convlab.nn.GroupNorm;
import convlab.nn.LayerNorm;
import convlab.nn.Linear;
import convlab.nn.MaxPool1d;
import convlab.nn.MaxPool2d;
import convlab.nn.Module;
import convlab.nn.ReLU;
import convlab.nn.Sequential;
import convlab.nn.functional.ConvOptions;
import convlab.tensor.Rng;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds a {@link Sequential} from a spec and an input shape. The spec is first analysed (so a bad shape
 * fails with the layer named, before any module exists), then each layer record becomes its module, in
 * order, with parameters initialized from rng in that order (PyTorch's default initialization per module).
 * Dropout layers get their own generator split off rng, so their masks never disturb the initialization.
 *
 * <p>With fuseRelu (the default), a CONV or BN directly followed by RELU becomes one module with a fused
 * ReLU (same results, one pass: "CONV3-32 BN RELU" is a convolution and a batch norm+ReLU); otherwise
 * there is one module per layer record.
 */
public final class ModelBuilder {
    private ModelBuilder() {}

    public static Sequential build(Spec spec, FeatureShape input, Rng rng) { return build(spec, input, rng, true); }

    public static Sequential build(String spec, String input, long seed) {
        return build(Spec.parse(spec), FeatureShape.parse(input), new Rng(seed), true);
    }

    /**
     * A chain spec as a {@link Sequential}. A spec with branches (CONCAT, ADD) is a graph: build it with
     * {@link #buildModel}.
     */
    public static Sequential build(Spec spec, FeatureShape input, Rng rng, boolean fuseRelu) {
        if (spec.hasBranches())
            throw new IllegalArgumentException("the spec merges branches (CONCAT/ADD), so its model is a graph, not a Sequential; use ModelBuilder.buildModel");
        List<Module> modules = new ArrayList<>();
        walk(Analysis.of(spec, input).layers(), rng, fuseRelu, (row, m) -> modules.add(m), row -> {});
        return new Sequential(modules);
    }

    /** The model of any spec: a {@link Sequential} for a chain, a {@link convlab.nn.GraphModel} when it has branches. */
    public static Module buildModel(Spec spec, FeatureShape input, Rng rng) { return buildModel(spec, input, rng, true); }

    public static Module buildModel(Spec spec, FeatureShape input, Rng rng, boolean fuseRelu) {
        return spec.hasBranches() ? GraphBuilder.build(Analysis.of(spec, input), rng, fuseRelu) : build(spec, input, rng, fuseRelu);
    }

    /** Receives the modules of the layer rows in order; each module with the row (1-based) it starts at. */
    interface ModuleSink { void accept(int row, Module m); }

    /**
     * Turns the rows into modules in order (parameters drawn from rng in that order), fusing a CONV or BN
     * with a directly following RELU when fuseRelu is set. Labels and merges make no module: they go to
     * other, in their place in the order.
     */
    static void walk(List<LayerStats> layers, Rng rng, boolean fuseRelu, ModuleSink modules, java.util.function.Consumer<LayerStats> other) {
        for (int i = 0; i < layers.size(); i++) {
            LayerStats s = layers.get(i);
            boolean reluNext = i + 1 < layers.size() && layers.get(i + 1).layer() instanceof Layer.Relu;
            if (s.layer() instanceof Layer.Label || s.layer() instanceof Layer.Merge) {
                other.accept(s);
            } else if (fuseRelu && reluNext && s.layer() instanceof Layer.Conv c && c.kind() != Layer.ConvKind.TRANSPOSED) {
                modules.accept(s.index(), fusedConv(c, s, rng));
                i++;   // the ReLU is part of the convolution now
            } else if (fuseRelu && reluNext && s.layer() instanceof Layer.BatchNorm) {
                modules.accept(s.index(), ((AbstractBatchNorm) modules(s, rng).getFirst()).enableFusedRelu());
                i++;   // the ReLU is part of the batch norm now
            } else {
                for (Module m : modules(s, rng)) modules.accept(s.index(), m);
            }
        }
    }

    private static boolean oneD(LayerStats s) { return s.input().spatial().size() == 1; }

    private static Module fusedConv(Layer.Conv c, LayerStats s, Rng rng) {
        Module m = conv(c, s, rng);
        return m instanceof Conv2d c2 ? c2.enableFusedRelu() : ((Conv1d) m).enableFusedRelu();
    }

    private static List<Module> modules(LayerStats s, Rng rng) {
        FeatureShape in = s.input();
        return switch (s.layer()) {
            case Layer.Conv c -> List.of(conv(c, s, rng));
            case Layer.Pool p when p.max() -> List.of(oneD(s)
                    ? new MaxPool1d(p.kernel(), p.stride(), p.padding(), p.ceil())
                    : new MaxPool2d(p.kernel(), p.stride(), p.padding(), p.ceil()));
            case Layer.Pool p -> List.of(oneD(s)
                    ? new AvgPool1d(p.kernel(), p.stride(), p.padding(), p.ceil(), p.countIncludePad())
                    : new AvgPool2d(p.kernel(), p.stride(), p.padding(), p.ceil(), p.countIncludePad()));
            // 1-d GAP: an average over the whole length, then drop the length axis.
            case Layer.GlobalAvgPool g -> oneD(s)
                    ? List.of(new AvgPool1d(in.spatial().getFirst(), in.spatial().getFirst(), 0, false, true), new Flatten())
                    : List.of(new GlobalAvgPool2d());
            case Layer.Relu r -> List.of(new ReLU());
            case Layer.BatchNorm b -> List.of(in.spatial().size() == 2
                    ? new BatchNorm2d(in.channels(), b.eps(), b.momentum(), b.affine(), b.meanOnly())
                    : new BatchNorm1d(in.channels(), b.eps(), b.momentum(), b.affine(), b.meanOnly()));
            case Layer.LayerNorm l -> List.of(new LayerNorm(featureDims(in), l.eps(), l.affine()));
            case Layer.GroupNorm g -> List.of(new GroupNorm(g.groups(), in.channels(), g.eps(), g.affine()));
            case Layer.Dropout d -> List.of(d.spatial() ? new Dropout2d(d.p(), new Rng(rng.nextLong()))
                    : new Dropout(d.p(), new Rng(rng.nextLong())));
            case Layer.Flatten f -> List.of(new Flatten());
            case Layer.Fc fc -> List.of(new Linear(in.channels(), fc.outputs(), fc.bias(), rng));
            case Layer.Label l -> List.of();
            case Layer.Merge m -> throw new IllegalStateException("a merge makes no module");
        };
    }

    /** The per-example dimensions as modules see them: (C, H, W), (C, L) or (C). */
    private static int[] featureDims(FeatureShape in) {
        int[] withBatch = in.withBatch(1);
        return java.util.Arrays.copyOfRange(withBatch, 1, withBatch.length);
    }

    private static Module conv(Layer.Conv c, LayerStats s, Rng rng) {
        int cin = s.input().channels(), cout = s.output().channels();
        int groups = c.groups() == 0 ? cin : c.groups();
        ConvOptions o = ConvOptions.DEFAULT.stride(c.stride()).dilation(c.dilation()).groups(groups)
                .paddingMode(c.mode()).flip(c.flip());
        o = c.same() ? o.samePadding() : o.padding(c.padding());
        boolean oneD = oneD(s);
        if (c.kind() == Layer.ConvKind.TRANSPOSED) {
            o = o.outputPadding(c.outputPadding());
            return oneD ? new ConvTranspose1d(cin, cout, c.kernel(), o, c.bias(), rng)
                    : new ConvTranspose2d(cin, cout, c.kernel(), o, c.bias(), rng);
        }
        return oneD ? new Conv1d(cin, cout, c.kernel(), o, c.bias(), rng) : new Conv2d(cin, cout, c.kernel(), o, c.bias(), rng);
    }
}
