package convlab.examples;

import convlab.io.ModelFile;
import convlab.io.Safetensors;
import convlab.nn.Linear;
import convlab.nn.ReLU;
import convlab.nn.Sequential;
import convlab.nn.functional.F;
import convlab.optim.Adam;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;

import java.io.IOException;
import java.io.InputStream;

/**
 * Loads weights saved by PyTorch and fine-tunes them in convlab.
 *
 * <p>The file {@code torch_model.safetensors} was written by {@code tools/pytorch/safetensors_interchange.py}
 * from {@code nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))}: its {@code state_dict} names
 * ("0.weight", "0.bias", "2.weight", "2.bias") are the names convlab gives the same layers, so the file
 * loads as it is. {@code torch_io.safetensors} holds an input batch and PyTorch's outputs for it.
 * (From a file on disk, {@code ModelFile.load(path, model)} does the same in one call.)
 */
public final class FineTunePyTorchModel {
    private FineTunePyTorchModel() {}

    public static void main(String[] args) throws IOException {
        // 1. The same architecture as the PyTorch model (its random weights are replaced by the file's).
        Rng rng = new Rng(0);
        Sequential model = new Sequential(new Linear(4, 8, rng), new ReLU(), new Linear(8, 3, rng));
        ModelFile.loadState(model, resource("torch_model.safetensors").tensors(), "torch_model.safetensors");

        // 2. convlab computes what PyTorch computed for the stored inputs.
        Safetensors.Contents io = resource("torch_io.safetensors");
        Tensor x = io.tensor("input"), torchOut = io.tensor("output");
        double maxDiff = maxAbsDiff(model.forward(x), torchOut);
        System.out.printf("largest difference from PyTorch's outputs: %.1e%n", maxDiff);
        if (maxDiff > 1e-5) throw new AssertionError("the loaded model does not reproduce PyTorch's outputs");

        // 3. Fine-tune: teach it new labels for the 5 stored inputs (class = 2 − PyTorch's choice) with a few
        //    Adam steps (PyTorch's defaults but a larger learning rate). A step: zero the gradients, forward,
        //    loss, backward, update.
        int[] argmax = torchOut.argmax(1), labels = new int[argmax.length];
        for (int i = 0; i < labels.length; i++) labels[i] = 2 - argmax[i];
        Adam adam = new Adam(model.parameters(), Adam.Config.PYTORCH_DEFAULTS.withLr(0.05));
        for (int step = 1; step <= 30; step++) {
            adam.zeroGrad();
            Tensor loss = F.crossEntropy(model.forward(x), labels);
            loss.backward();
            adam.step();
            if (step == 1 || step % 10 == 0) System.out.printf("step %2d: loss %.4f%n", step, loss.item());
        }
        int[] now = model.forward(x).argmax(1);
        int right = 0;
        for (int i = 0; i < now.length; i++) if (now[i] == labels[i]) right++;
        System.out.printf("after fine-tuning: %d of %d inputs get their new label%n", right, labels.length);
    }

    /** A safetensors file from the class path (examples' resources). */
    static Safetensors.Contents resource(String name) throws IOException {
        try (InputStream in = FineTunePyTorchModel.class.getResourceAsStream(name)) {
            if (in == null) throw new IOException("resource " + name + " is missing from the class path");
            return Safetensors.read(in.readAllBytes(), name);
        }
    }

    private static double maxAbsDiff(Tensor a, Tensor b) {
        double[] u = a.toDoubleArray(), v = b.toDoubleArray();
        double m = 0;
        for (int i = 0; i < u.length; i++) m = Math.max(m, Math.abs(u[i] - v[i]));
        return m;
    }
}
