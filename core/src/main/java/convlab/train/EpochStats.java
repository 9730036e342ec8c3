package convlab.train;

/**
 * What one epoch measured. Training throughput counts only the training steps (forward, backward,
 * update), not evaluation; test throughput is the evaluation pass (inference without autograd).
 */
public record EpochStats(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
                         double trainSeconds, double trainImagesPerSecond, double testImagesPerSecond,
                         long[][] testConfusion) {}
