package convlab.examples;

import convlab.data.DataLoader;
import convlab.data.FashionMnist;
import convlab.nn.Sequential;
import convlab.optim.SGD;
import convlab.spec.ModelBuilder;
import convlab.train.EpochStats;
import convlab.train.LoaderBatches;
import convlab.train.Trainer;

import java.io.IOException;

/**
 * Trains a small CNN of your own design on the Fashion-MNIST sample (the artifact convlab-data-sample)
 * (6000 training and 1000 test images) for one epoch, and prints the loss and the test accuracy.
 *
 * <p>Run it with {@code java --add-modules jdk.incubator.vector -cp ... convlab.examples.TrainCustomCnn}.
 * The lines between the README markers are copied verbatim into README.md ("Use as a library");
 * {@code ReadmeExampleTest} keeps the two identical.
 */
public final class TrainCustomCnn {
    private TrainCustomCnn() {}

    // README:begin
    public static void main(String[] args) throws IOException {
        FashionMnist data = FashionMnist.loadSample();              // embedded sample: 6000 train / 1000 test images
        // The network in the course's notation (docs/SPEC.md), for 28×28 images with 1 channel (H×W×C).
        Sequential net = ModelBuilder.build("CONV3-8 BN RELU POOL2 CONV3-16 BN RELU POOL2 FLATTEN FC-10", "28x28x1", 42);
        SGD sgd = new SGD(net.parameters(), 0.05, 0.9, 5e-4);      // learning rate, momentum, weight decay
        // Batches of 64 in a seeded shuffled order; the test set is evaluated after every epoch (here: one).
        DataLoader loader = DataLoader.builder(data.train()).batch(64).shuffle(true).seed(7).build();
        Trainer trainer = new Trainer(net, sgd, null);             // softmax cross-entropy, forward/backward/step
        for (EpochStats e : trainer.fit(new LoaderBatches(loader), LoaderBatches.inOrder(data.test(), 500), 1, 10))
            System.out.printf("epoch %d: train loss %.3f, test accuracy %.1f%%%n",
                    e.epoch(), e.trainLoss(), 100 * e.testAccuracy());
    }
    // README:end
}
