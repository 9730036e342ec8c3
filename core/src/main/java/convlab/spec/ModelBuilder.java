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

    public static Sequential build(Spec spec, FeatureShape input, Rng rng, boolean fuseRelu) {
        List<LayerStats> layers = Analysis.of(spec, input).layers();
        List<Module> modules = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            LayerStats s = layers.get(i);
            boolean reluNext = i + 1 < layers.size() && layers.get(i + 1).layer() instanceof Layer.Relu;
            if (fuseRelu && reluNext && s.layer() instanceof Layer.Conv c && c.kind() != Layer.ConvKind.TRANSPOSED) {
                modules.add(fusedConv(c, s, rng));
                i++;   // the ReLU is part of the convolution now
            } else if (fuseRelu && reluNext && s.layer() instanceof Layer.BatchNorm) {
                modules.add(((AbstractBatchNorm) modules(s, rng).getFirst()).withFusedRelu());
                i++;   // the ReLU is part of the batch norm now
            } else {
                modules.addAll(modules(s, rng));
            }
        }
        return new Sequential(modules);
    }

    private static boolean oneD(LayerStats s) { return s.input().spatial().size() == 1; }

    private static Module fusedConv(Layer.Conv c, LayerStats s, Rng rng) {
        Module m = conv(c, s, rng);
        return m instanceof Conv2d c2 ? c2.withFusedRelu() : ((Conv1d) m).withFusedRelu();
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
