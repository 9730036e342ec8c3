package convlab.cli;

import convlab.data.FashionMnist;
import convlab.io.ModelFile;
import convlab.io.Safetensors;
import convlab.io.StrictJson;
import convlab.kernels.Parallel;
import convlab.nn.Module;
import convlab.optim.UnitScaling;
import convlab.tensor.Rng;
import convlab.train.LoaderBatches;
import convlab.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** {@code convlab eval}: test accuracy of a saved model (a safetensors file written by train --save-model). */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate a saved model on the Fashion-MNIST test set: accuracy, loss, per-class accuracy.",
                "The model file (safetensors) carries its architecture spec in its metadata."})
public final class EvalCommand implements Runnable {
    @Option(names = "--model-file", required = true, description = "A model saved by ./convlab train --save-model.")
    Path modelFile;

    @Option(names = "--data", description = "Directory with the four Fashion-MNIST IDX files (default: as train).")
    Path data;

    @Option(names = "--threads", description = "Threads for the kernels (default: ${DEFAULT-VALUE}).")
    int threads = Parallel.threads();

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public void run() {
        if (threads < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        Parallel.setThreads(threads);
        try {
            ModelFile.Header header = ModelFile.readHeader(modelFile);
            if (header.spec() == null || header.spec().isBlank())
                throw new IllegalArgumentException(modelFile + " carries no architecture spec (metadata " + ModelFile.SPEC_KEY + ")");
            FashionMnist fm = FashionMnist.load(data);
            var test = fm.test();
            Models.requireEvaluable(header.spec(), test.channels(), test.height(), test.width(), 1000);
            Module net = Models.build(header.spec(), test.channels(), test.height(), test.width(), test.numClasses(), new Rng(0));
            // A model trained with --unit-scaled carries each layer's forward multiplier as the buffer "scale".
            boolean unitScaled = Safetensors.read(modelFile).tensors().keySet().stream().anyMatch(n -> n.endsWith(".scale"));
            if (unitScaled) UnitScaling.apply(net, new Rng(0));
            ModelFile.load(modelFile, net);
            Trainer.Evaluation ev = Trainer.evaluate(net, LoaderBatches.inOrder(test, 1000), test.numClasses());
            print(header.spec(), fm, ev);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + e.getMessage(), e);
        }
    }

    private void print(String spec, FashionMnist fm, Trainer.Evaluation ev) {
        long[][] cm = ev.confusion();
        Map<String, Double> perClass = new LinkedHashMap<>();
        for (int c = 0; c < cm.length; c++) {
            long total = 0;
            for (long v : cm[c]) total += v;
            perClass.put(fm.test().classNames().get(c), total == 0 ? Double.NaN : cm[c][c] / (double) total);
        }
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("test_acc", ev.accuracy());
            out.put("test_loss", ev.loss());
            out.put("infer_images_per_s", ev.imagesPerSecond());
            out.put("model", spec);
            out.put("data", fm.source());
            out.put("per_class_acc", perClass);
            out.put("confusion", cm);
            System.out.println(StrictJson.write(out));
            return;
        }
        System.out.println("model " + spec + " from " + modelFile + " on " + fm.source());
        System.out.printf(Locale.ROOT, "test accuracy %.4f, loss %.4f (%,.0f images/s)%n", ev.accuracy(), ev.loss(), ev.imagesPerSecond());
        perClass.forEach((name, acc) -> System.out.printf(Locale.ROOT, "  %-12s %.4f%n", name, acc));
    }
}
