package convlab.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import convlab.explain.ConvSpec;
import convlab.explain.ParamCount;
import convlab.explain.Render;
import convlab.explain.Worksheet;
import convlab.explain.answer.ShapeCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** `convlab params`: parameter and multiply-add counts of one conv (or linear) layer, as products. */
@Command(name = "params", mixinStandardHelpOptions = true,
        description = {"Parameter and multiply-add counts of a standard, grouped, depthwise or depthwise-separable convolution (or a "
                        + "linear layer), written as products in the course's order: 3×3×3×4 + 4 = 112.",
                "Exit status with --expect/--expect-macs: 0 correct, 1 not correct, 2 bad input."})
final class ParamsCommand implements Callable<Integer> {
    @Option(names = "--kind", defaultValue = "standard",
            description = "standard, grouped, depthwise, separable (depthwise-separable) or linear (default standard; --groups > 1 means grouped).")
    String kind;

    @Option(names = "--in-channels", required = true, description = "Input channels (input features for linear).")
    int in;

    @Option(names = "--out-channels", required = true, description = "Output channels (for depthwise: a multiple of in; output features for linear).")
    int out;

    @Option(names = "--kernel-size", defaultValue = "1", description = "k or kh,kw (default 1).")
    String kernelSize;

    @Option(names = "--groups", defaultValue = "1", description = "Groups of a grouped convolution (default 1).")
    int groups;

    @Option(names = "--no-bias", description = "The layer has no bias (bias=False).")
    boolean noBias;

    @Option(names = "--input-size", description = "Input height,width (or HxW) to count multiply-adds; uses --stride, --padding, --dilation.")
    String inputSize;

    @Option(names = "--stride", defaultValue = "1", description = "Stride: n or height,width (default 1).")
    String stride;

    @Option(names = "--padding", defaultValue = "0", description = "Padding: n, height,width, valid, same or full (default 0).")
    String padding;

    @Option(names = "--dilation", defaultValue = "1", description = "Dilation: n or height,width (default 1).")
    String dilation;

    @Option(names = {"--expect", "--check"}, paramLabel = "ANSWER", description = "Check a parameter count: a number, an expression (3 \\times 3 \\times 10 \\times 10 + 10) or a formula in K, C, F, G (K^2 C F + F); see docs/EXACT.md.")
    String expect;

    @Option(names = "--expect-macs", paramLabel = "ANSWER", description = "Check a multiply-add count (needs --input-size).")
    String expectMacs;

    @Option(names = "--expect-shape", paramLabel = "SHAPE",
            description = "Check an output shape (needs --input-size): C×H×W as PyTorch, or H×W×C / W×H×C as many courses write.")
    String expectShape;

    @Mixin ExactFormat format;

    @Override public Integer call() {
        ParamCount.Kind k = parseKind();
        int[] ks = k == ParamCount.Kind.LINEAR ? new int[] {1, 1} : ConvSpec.parsePair(kernelSize, "--kernel-size");
        boolean bias = !noBias;
        int[] outSpatial = null;
        Worksheet ws = new Worksheet().heading(title(k, ks, bias));
        JsonObject j = new JsonObject();
        if (inputSize != null && k != ParamCount.Kind.LINEAR) {
            int[] hw = ConvSpec.parsePair(inputSize, "--input-size");
            int[] dil = ConvSpec.parsePair(dilation, "dilation");
            int[] st = ConvSpec.parsePair(stride, "stride"), pad = ConvSpec.parsePadding(padding, ks[0], ks[1], dil);
            ConvSpec spec = ConvSpec.plain(false).withStride(st[0], st[1]).withPadding(pad[0], pad[1]).withDilation(dil[0], dil[1]);
            outSpatial = new int[] {spec.outputSize(0, hw[0], ks[0]), spec.outputSize(1, hw[1], ks[1])};
            ws.arithmetic("output height: " + spec.sizeFormula(0, hw[0], ks[0]));
            ws.arithmetic("output width: " + spec.sizeFormula(1, hw[1], ks[1]));
            ws.text("output shape: " + out + "×" + outSpatial[0] + "×" + outSpatial[1] + " (channels × height × width)");
            j.add("output_shape", Render.json(new int[] {out, outSpatial[0], outSpatial[1]}));
        }
        ParamCount.Result r = ParamCount.count(k, in, out, ks[0], ks[1], groups, bias, outSpatial);
        JsonArray terms = new JsonArray();
        for (ParamCount.Term t : r.weights()) { ws.arithmetic(t.toString()); terms.add(t.toString()); }
        for (ParamCount.Term t : r.biases()) { ws.arithmetic(t.toString()); terms.add(t.toString()); }
        ws.arithmetic("parameters: " + r.paramExpression());
        j.add("terms", terms);
        j.addProperty("params", r.params());
        j.addProperty("params_expression", r.paramExpression());
        if (!r.macs().isEmpty()) {
            for (ParamCount.Term t : r.macs()) ws.arithmetic(t.toString());
            if (r.macs().size() > 1) ws.arithmetic("multiply-adds: " + r.macExpression());
            j.addProperty("macs", r.macCount());
            j.addProperty("macs_expression", r.macExpression());
        }
        int exit = 0;
        if (expect != null)
            exit |= ExactJson.verdict(ws, j, "check_params", ParamCount.paramsQuestion(r, in, out, ks[0], ks[1], groups, bias).check(expect));
        if (expectMacs != null) {
            if (r.macs().isEmpty()) throw new IllegalArgumentException("--expect-macs needs --input-size (or a linear layer)");
            exit |= ExactJson.verdict(ws, j, "check_macs", ParamCount.macsQuestion(r, inputSize == null ? null : ConvSpec.parsePair(inputSize, "--input-size")).check(expectMacs));
        }
        if (expectShape != null) {
            if (outSpatial == null) throw new IllegalArgumentException("--expect-shape needs --input-size");
            exit |= ExactJson.verdict(ws, j, "check_shape", ShapeCheck.imageShape(expectShape, out, outSpatial[0], outSpatial[1]));
        }
        format.print(System.out, ws, j);
        return exit;
    }

    private ParamCount.Kind parseKind() {
        ParamCount.Kind k = switch (kind.toLowerCase()) {
            case "standard" -> groups > 1 ? ParamCount.Kind.GROUPED : ParamCount.Kind.STANDARD;
            case "grouped" -> ParamCount.Kind.GROUPED;
            case "depthwise" -> ParamCount.Kind.DEPTHWISE;
            case "separable", "depthwise-separable" -> ParamCount.Kind.SEPARABLE;
            case "linear", "fc" -> ParamCount.Kind.LINEAR;
            default -> throw new IllegalArgumentException("unknown --kind '" + kind + "' (expected standard, grouped, depthwise, separable or linear)");
        };
        if (groups > 1 && k != ParamCount.Kind.GROUPED)
            throw new IllegalArgumentException("--groups applies to --kind grouped (depthwise sets groups = in channels itself)");
        return k;
    }

    private String title(ParamCount.Kind k, int[] ks, boolean bias) {
        String b = bias ? "with bias" : "no bias";
        return switch (k) {
            case LINEAR -> "linear layer " + in + " → " + out + ", " + b;
            case GROUPED -> "grouped convolution, " + groups + " groups, in " + in + ", out " + out + ", kernel " + ks[0] + "×" + ks[1] + ", " + b;
            default -> k.name().toLowerCase() + " convolution, in " + in + ", out " + out + ", kernel " + ks[0] + "×" + ks[1] + ", " + b;
        };
    }
}
