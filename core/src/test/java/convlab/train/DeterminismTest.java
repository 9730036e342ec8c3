package convlab.train;

import convlab.data.DataLoader;
import convlab.data.Dataset;
import convlab.data.FashionMnist;
import convlab.kernels.Parallel;
import convlab.nn.Flatten;
import convlab.nn.Linear;
import convlab.nn.Module;
import convlab.nn.ReLU;
import convlab.nn.Sequential;
import convlab.optim.SGD;
import convlab.spec.FeatureShape;
import convlab.spec.ModelBuilder;
import convlab.spec.Spec;
import convlab.tensor.Rng;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Same seed and same thread count must give bitwise identical training results. */
class DeterminismTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach void restoreThreads() { Parallel.setThreads(savedThreads); }

    @Test void sameSeedAndThreadsGiveBitwiseIdenticalWeights() throws Exception {
        Dataset data = FashionMnist.loadSample().train().subset(IntStream.range(0, 1024).toArray(), "first 1024");
        for (int threads : new int[] {1, 2}) {
            Map<String, float[]> a = train(data, 7, threads), b = train(data, 7, threads);
            for (String name : a.keySet())
                assertArrayEquals(a.get(name), b.get(name), name + " differs between two runs with " + threads + " thread(s)");
        }
        // The check above must be able to fail: another seed gives other weights.
        Map<String, float[]> a = train(data, 7, 2), c = train(data, 8, 2);
        assertFalse(Arrays.equals(a.get("1.weight"), c.get("1.weight")));
    }

    /**
     * Convolution, batch norm, pooling and dropout too. Their kernels must not depend on when the JIT
     * compiles them: the Vector API's reduceLanes, for one, adds in another order once compiled.
     */
    @Test void convolutionalNetworksAreBitwiseReproducibleToo() throws Exception {
        Dataset data = FashionMnist.loadSample().train().subset(IntStream.range(0, 512).toArray(), "first 512");
        String spec = "CONV3-6 BN RELU POOL2 CONV3-8(s2) BN GAP DROPOUT0.3 FC-10";
        Map<String, float[]> a = train(data, 3, 2, spec), b = train(data, 3, 2, spec);
        for (String name : a.keySet()) assertArrayEquals(a.get(name), b.get(name), name + " differs between two runs");
    }

    private static Map<String, float[]> train(Dataset data, long seed, int threads) {
        return train(data, seed, threads, null);
    }

    private static Map<String, float[]> train(Dataset data, long seed, int threads, String spec) {
        Parallel.setThreads(threads);
        Module net = spec != null ? ModelBuilder.build(Spec.parse(spec), FeatureShape.image(28, 28, 1), new Rng(seed))
                : new Sequential(new Flatten(), new Linear(784, 64, new Rng(seed)), new ReLU(), new Linear(64, 10, new Rng(seed + 1)));
        var loader = new DataLoader(data, 32, true, false, seed, true);
        new Trainer(net, new SGD(net.parameters(), 0.05, 0.9, 1e-4), null)
                .fit(new LoaderBatches(loader), LoaderBatches.inOrder(data, 256), 2, 10);
        Map<String, float[]> weights = new java.util.TreeMap<>();
        for (var e : net.namedParameters().entrySet()) weights.put(e.getKey(), e.getValue().data().clone());
        for (var e : net.namedBuffers().entrySet()) weights.put(e.getKey(), e.getValue().contiguous().data().clone());
        return weights;
    }
}
