package convlab.train;

import convlab.data.DataLoader;
import convlab.data.Dataset;
import convlab.nn.Flatten;
import convlab.nn.Linear;
import convlab.nn.Sequential;
import convlab.optim.SGD;
import convlab.tensor.DType;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 14: --on-nan skip never ends "successfully" with weights that are not finite. */
class NonFiniteWeightsTest {
    private static Dataset data() {
        byte[] pixels = new byte[32 * 4 * 4];
        int[] labels = new int[32];
        for (int i = 0; i < pixels.length; i++) pixels[i] = (byte) (i * 37);
        for (int i = 0; i < labels.length; i++) labels[i] = i % 3;
        return Dataset.ofUnsignedBytes(pixels, new int[] {32, 1, 4, 4}, labels, List.of("a", "b", "c"), "tiny");
    }

    @Test void skipStopsWhenTheWeightsAreAlreadyNonFinite() {
        Linear fc = new Linear(16, 3, new Rng(1));
        Sequential net = new Sequential(new Flatten(), fc);
        fc.weight.copyFrom(Tensor.full(Double.POSITIVE_INFINITY, DType.F32, 3, 16));
        Trainer t = new Trainer(net, new SGD(net.parameters(), 0.1, 0, 0), new TrainingListener() {}).skipNonFinite(true);
        Dataset d = data();
        Trainer.NonFiniteException e = assertThrows(Trainer.NonFiniteException.class,
                () -> t.fit(new LoaderBatches(new DataLoader(d, 8, true, false, 1)), LoaderBatches.inOrder(d, 8), 1, 3));
        assertTrue(e.getMessage().contains("no earlier finite state"), e.getMessage());
    }

    /** The diagnosis names the parameter by its path in the model (the trainer reads the names once per fit). */
    @Test void theDiagnosisNamesTheParameterThatIsNotFinite() {
        Linear fc = new Linear(16, 3, new Rng(1));
        Sequential net = new Sequential(new Flatten(), fc);
        fc.bias.copyFrom(Tensor.full(Double.NaN, DType.F32, 3));
        Trainer t = new Trainer(net, new SGD(net.parameters(), 0.1, 0, 0), new TrainingListener() {});
        Dataset d = data();
        Trainer.NonFiniteException e = assertThrows(Trainer.NonFiniteException.class,
                () -> t.fit(new LoaderBatches(new DataLoader(d, 8, true, false, 1)), LoaderBatches.inOrder(d, 8), 1, 3));
        assertTrue(e.getMessage().contains("at epoch 1, step 1: loss is NaN; parameter 1.bias holds non-finite values"), e.getMessage());
    }
}
