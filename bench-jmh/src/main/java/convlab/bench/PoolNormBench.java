package convlab.bench;

import convlab.kernels.Parallel;
import convlab.nn.BatchNorm2d;
import convlab.nn.Dropout;
import convlab.nn.MaxPool2d;
import convlab.nn.Module;
import convlab.nn.ReLU;
import convlab.nn.Sequential;
import convlab.tensor.Rng;
import convlab.tensor.Tensor;

/**
 * Forward + backward time of the pooling, batch-norm and dropout layers of the wide network
 * {@code [CONV3-32 BN RELU]x2 POOL2 [CONV3-64 BN RELU]x2 POOL2 FLATTEN FC-128 RELU DROPOUT0.5 FC-10}
 * at batch 64 (no JMH: warm-up, then the median of timed repetitions). The backward time is the
 * layers' recorded backward rules alone (what a network step pays), not the copy of the gradient into a
 * leaf. Run after
 * {@code mvn -q -o package -pl bench-jmh -am}:
 * <pre>java --add-modules jdk.incubator.vector -cp "bench-jmh/target/convlab-bench-jmh.jar:bench-jmh/target/lib/*" convlab.bench.PoolNormBench [threads] [reps]</pre>
 * bench/poolnorm_torch.py times the same layers in PyTorch.
 */
public final class PoolNormBench {
    /** name, layer, input shape; a network step runs each BN layer twice per block shape. */
    private static Object[][] layers(Rng rng) {
        return new Object[][] {
                {"BatchNorm2d(32) 64x32x28x28", new BatchNorm2d(32), new int[] {64, 32, 28, 28}},
                {"BatchNorm2d(64) 64x64x14x14", new BatchNorm2d(64), new int[] {64, 64, 14, 14}},
                {"BN(32)+ReLU fused 64x32x28x28", new BatchNorm2d(32).enableFusedRelu(), new int[] {64, 32, 28, 28}},
                {"BN(64)+ReLU fused 64x64x14x14", new BatchNorm2d(64).enableFusedRelu(), new int[] {64, 64, 14, 14}},
                {"BN(32), ReLU 64x32x28x28", new Sequential(new BatchNorm2d(32), new ReLU()), new int[] {64, 32, 28, 28}},
                {"MaxPool2d(2) 64x32x28x28", new MaxPool2d(2), new int[] {64, 32, 28, 28}},
                {"MaxPool2d(2) 64x64x14x14", new MaxPool2d(2), new int[] {64, 64, 14, 14}},
                {"Dropout(0.5) 64x128", new Dropout(0.5, rng), new int[] {64, 128}},
        };
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : Parallel.threads();
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        Parallel.setThreads(threads);
        System.out.printf("threads %d, batch 64, %d repetitions (ms): forward / backward / total median, [total minimum]%n", threads, reps);
        Rng rng = new Rng(1);
        for (Object[] l : layers(rng)) {
            Module layer = (Module) l[1];
            int[] shape = (int[]) l[2];
            Tensor x = Tensor.randn(rng, shape).requiresGrad(true);
            Tensor gy = Tensor.randn(rng, layer.outputShape(shape));
            double[] fwd = new double[reps], bwd = new double[reps];
            for (int r = -10; r < reps; r++) {   // 10 warm-up rounds
                long t0 = System.nanoTime();
                Tensor y = layer.forward(x);
                long t1 = System.nanoTime();
                backwardChain(y, gy);
                long t2 = System.nanoTime();
                if (r >= 0) { fwd[r] = (t1 - t0) / 1e6; bwd[r] = (t2 - t1) / 1e6; }
            }
            double f = median(fwd), b = median(bwd);
            double best = Double.MAX_VALUE;
            for (int r = 0; r < reps; r++) best = Math.min(best, fwd[r] + bwd[r]);
            System.out.printf("%-30s %7.3f / %7.3f / %7.3f  [%7.3f]%n", l[0], f, b, f + b, best);
        }
    }

    /** Runs the recorded backward rules from y down its first-input chain (what a network step pays), skipping leaf accumulation. */
    private static void backwardChain(Tensor y, Tensor gy) {
        for (Tensor t = y, g = gy; t.gradFn() != null; t = t.gradFn().inputs()[0]) g = t.gradFn().backward().apply(g)[0];
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        java.util.Arrays.sort(s);
        return s[s.length / 2];
    }
}
